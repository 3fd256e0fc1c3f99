"""The feature admin's own pages: workflow moves, revisions, comparison, restore, preview links,
and the desk's Content health report.

Each feature page is a plain view that takes the FeatureAdmin first, for its permissions and
its look; ``urls()`` mounts them under a feature's admin address. Every write goes through
features.services.
"""

from functools import partial
from itertools import groupby

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone

from newsmuse.content_checks import SEVERITIES

from . import revisions, services
from .content_checks import check_content
from .forms import part_anchor
from .models import Feature, Revision, ShareLink


class ScheduleForm(forms.Form):
    publish_at = forms.DateTimeField(
        label="Publication time",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"],
    )


class ShareLinkForm(forms.Form):
    days = forms.IntegerField(
        label="Valid for (days)", min_value=1, max_value=90, initial=services.SHARE_LINK_DAYS
    )


def urls(model_admin) -> list:
    def route(pattern, view, name):
        wrapped = model_admin.admin_site.admin_view(partial(view, model_admin))
        return path(pattern, wrapped, name=f"features_feature_{name}")

    return [
        route("<path:object_id>/move/<str:move>/", move, "move"),
        route("<path:object_id>/revisions/", revision_list, "revisions"),
        route("<path:object_id>/revisions/compare/", compare, "compare"),
        route("<path:object_id>/revisions/<int:version>/restore/", restore, "restore"),
        route("<path:object_id>/share/", share_links, "share"),
    ]


def _feature(model_admin, request, object_id, *, edit=False) -> Feature:
    feature = model_admin.get_object(request, object_id)
    if feature is None:
        raise Http404("No such feature.")
    if not model_admin.has_view_or_change_permission(request, feature):
        raise PermissionDenied
    if edit and not services.can_edit(request.user, feature):
        raise PermissionDenied
    return feature


def _render(model_admin, request, template, feature, title, **context):
    return TemplateResponse(
        request,
        f"admin/features/feature/{template}",
        {
            **model_admin.admin_site.each_context(request),
            "opts": model_admin.opts,
            "original": feature,
            "title": title,
            "change_url": _change_url(feature),
            **context,
        },
    )


def _change_url(feature):
    return reverse("admin:features_feature_change", args=[feature.pk])


def move(model_admin, request, object_id, move):
    feature = _feature(model_admin, request, object_id)
    step = services.MOVES.get(move)
    if step is None:
        raise Http404("No such move.")
    if step not in services.allowed_moves(request.user, feature):
        raise PermissionDenied
    schedule = _schedule_form(request, feature) if step.name == "schedule" else None
    missing = []  # what the editor must fix on the feature first: no button until then
    if step.target in Feature.PUBLIC_STATUSES:
        change_url = _change_url(feature)
        missing = [
            (f"{change_url}#{part_anchor(part)}", message)
            for part, message in services.feature_missing(feature)
        ]
    problems = []
    if request.method == "POST" and not missing and (schedule is None or schedule.is_valid()):
        publish_at = schedule.cleaned_data["publish_at"] if schedule else None
        try:
            services.move_feature(
                feature=feature, move=step.name, user=request.user, publish_at=publish_at
            )
        except ValidationError as error:
            problems = error.messages
        else:
            model_admin.message_user(request, f"{step.label}: done for “{feature}”.")
            return HttpResponseRedirect(_change_url(feature))
    context = {"step": step, "missing": missing, "problems": problems, "schedule_form": schedule}
    return _render(
        model_admin, request, "move.html", feature, f"{step.label}: {feature}", **context
    )


def _schedule_form(request, feature):
    default = timezone.localtime(feature.published_at) if feature.published_at else None
    return ScheduleForm(request.POST or None, initial={"publish_at": default})


def revision_list(model_admin, request, object_id):
    feature = _feature(model_admin, request, object_id)
    context = {
        "revisions": feature.revisions.select_related("user").defer("content"),
        "can_restore": services.can_edit(request.user, feature),
    }
    title = f"Revisions of “{feature}”"
    return _render(model_admin, request, "revisions.html", feature, title, **context)


def compare(model_admin, request, object_id):
    feature = _feature(model_admin, request, object_id)
    old, new = _two_revisions(feature, request.GET)
    context = {
        "old": old,
        "new": new,
        "field_changes": revisions.field_changes(old.content, new.content),
        "body_changes": revisions.body_changes(old.content, new.content),
    }
    title = f"Version {old.version} and version {new.version} of “{feature}”"
    return _render(model_admin, request, "compare.html", feature, title, **context)


def _two_revisions(feature, query) -> tuple[Revision, Revision]:
    """The revisions ``?a=`` and ``?b=`` name, older first; 404 for anything else."""
    try:
        versions = sorted({int(query["a"]), int(query["b"])})
    except (KeyError, ValueError):
        raise Http404("Choose two revisions to compare.") from None
    if len(versions) != 2 or not all(0 < version < 2**31 for version in versions):
        raise Http404("Choose two different revisions of this feature.")
    found = {r.version: r for r in feature.revisions.filter(version__in=versions)}
    if len(found) != 2:
        raise Http404("No such revision.")
    return found[versions[0]], found[versions[1]]


def restore(model_admin, request, object_id, version):
    feature = _feature(model_admin, request, object_id, edit=True)
    revision = get_object_or_404(Revision, feature=feature, version=version)
    if request.method == "POST":
        try:
            services.restore_revision(revision=revision, user=request.user)
        except ValidationError as error:
            for message in error.messages:
                model_admin.message_user(
                    request, f"Version {version} cannot be restored: {message}", messages.ERROR
                )
            return HttpResponseRedirect(request.path)
        model_admin.message_user(
            request, f"Version {version} is back as a draft; later versions stay in the history."
        )
        return HttpResponseRedirect(_change_url(feature))
    title = f"Restore version {version} of “{feature}”"
    return _render(model_admin, request, "restore.html", feature, title, revision=revision)


def share_links(model_admin, request, object_id):
    feature = _feature(model_admin, request, object_id)
    if not services.can_publish(request.user):
        raise PermissionDenied
    form = ShareLinkForm(request.POST if "create" in request.POST else None)
    if "revoke" in request.POST:
        return _revoke(model_admin, request, feature)
    if request.method == "POST" and form.is_valid():
        days = form.cleaned_data["days"]
        services.create_share_link(feature=feature, user=request.user, days=days)
        model_admin.message_user(request, "Preview link created.")
        return HttpResponseRedirect(request.path)
    links = [
        (link, request.build_absolute_uri(_share_url(link)))
        for link in feature.share_links.select_related("created_by")
    ]
    title = f"Preview links for “{feature}”"
    return _render(model_admin, request, "share.html", feature, title, links=links, form=form)


def _share_url(link: ShareLink) -> str:
    return reverse("features:share", args=[services.share_link_token(link)])


def _revoke(model_admin, request, feature):
    if not request.POST["revoke"].isdigit():
        raise Http404("No such preview link.")
    link = get_object_or_404(ShareLink, feature=feature, pk=request.POST["revoke"])
    services.revoke_share_link(link=link)
    model_admin.message_user(request, "The preview link no longer works.")
    return HttpResponseRedirect(request.path)


# Past this many findings of one severity the page shows a count; the command lists them all.
CONTENT_HEALTH_ROWS = 200


def content_health(request):
    """Every finding of the content checkup, with a link to fix each. For editors: they may
    change everything it finds, and it names drafts of the whole desk."""
    if not services.can_publish(request.user):
        raise PermissionDenied
    findings = check_content()
    counts = [
        (code, severity, len(list(group)))
        for (severity, code), group in groupby(findings, key=lambda f: (f.severity, f.code))
    ]
    sections = []
    for severity in SEVERITIES:
        found = [finding for finding in findings if finding.severity == severity]
        if found:
            shown = found[:CONTENT_HEALTH_ROWS]
            sections.append((severity, shown, len(found), len(found) - len(shown)))
    context = {
        **admin.site.each_context(request),
        "title": "Content health",
        "counts": counts,
        "sections": sections,
    }
    return TemplateResponse(request, "admin/content_health.html", context)

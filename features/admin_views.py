"""The feature admin's own pages: workflow moves, revisions, comparison, restore, preview links,
reviewers' comments, importing an interview, the form's autosave and live preview of the
body, and the desk's Content health report.

Each feature page is a plain view that takes the FeatureAdmin first, for its permissions and
its look; ``urls()`` mounts them under a feature's admin address. Every write goes through
features.services.
"""

import json
import secrets
from dataclasses import dataclass
from functools import partial
from itertools import groupby

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone

from newsmuse.content_checks import SEVERITIES
from newsmuse.folding import fold
from people.models import Person

from . import body, revisions, services
from .content import FeatureContent
from .content_checks import check_content
from .forms import ImportFeatureForm, part_anchor
from .importing import CREATED, UNCHANGED, Imported, ImportFailed, import_upload
from .models import BodyBlock, Feature, Participant, Revision, ShareLink
from .transcripts import MAX_FILE_BYTES, Upload, clock


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
        route("import/", import_interview, "import"),
        route("import/confirm/", confirm_import, "import_confirm"),
        route("<path:object_id>/move/<str:move>/", move, "move"),
        route("<path:object_id>/revisions/", revision_list, "revisions"),
        route("<path:object_id>/revisions/compare/", compare, "compare"),
        route("<path:object_id>/revisions/<int:version>/restore/", restore, "restore"),
        route("<path:object_id>/share/", share_links, "share"),
        route("<path:object_id>/comments/", comments, "comments"),
        route("body-preview/", body_preview, "body_preview"),
        route("autosave/", autosave, "autosave_new"),
        route("<path:object_id>/autosave/", autosave, "autosave"),
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


def autosave(model_admin, request, object_id=None):
    """Keep (POST) or forget (DELETE) the editor's copy of the form of a feature, or of a
    new piece without ``object_id``. The form's script sends ``{"base_version": N,
    "fields": {...}}`` with the CSRF token in a header; answers are JSON."""
    if request.method not in ("POST", "DELETE"):
        return HttpResponseNotAllowed(["POST", "DELETE"])
    # Forgetting one's own copy needs only sight of the piece: it may have moved on (to
    # review, say) out of its author's hands.
    forget = request.method == "DELETE"
    if object_id is None:
        if not model_admin.has_add_permission(request):
            raise PermissionDenied
        feature = None
    else:
        feature = _feature(model_admin, request, object_id, edit=not forget)
    if forget:
        services.drop_autosave(user=request.user, feature=feature)
        return JsonResponse({"kept": False})
    try:
        sent = json.loads(request.body)
        base_version, fields = sent["base_version"], sent["fields"]
    except (ValueError, TypeError, KeyError, RecursionError):
        return JsonResponse({"error": "The autosave was not understood."}, status=400)
    if type(base_version) is not int or not 0 <= base_version < 2**31:
        return JsonResponse({"error": "The autosave names no version of the piece."}, status=400)
    try:
        kept = services.keep_autosave(
            user=request.user, feature=feature, base_version=base_version, fields=fields
        )
    except ValidationError as error:
        return JsonResponse({"error": " ".join(error.messages)}, status=400)
    except services.StaleAutosave as stale:
        return JsonResponse({"error": str(stale)}, status=409)
    return JsonResponse({"kept": True, "saved_at": kept.saved_at.isoformat()})


# Participants a preview may name: more than any interview has, few enough to look up at once.
PREVIEW_MAX_PARTICIPANTS = 100
# Speakers not yet on the form that a preview offers to add: a body full of "Word:" lines
# that are not speech gets a short list, and their problems say the rest.
PREVIEW_MAX_NEWCOMERS = 8
# People whose names might be a newcomer's, looked at to find the one it is.
PREVIEW_MAX_PEOPLE_MATCHED = 200


def body_preview(model_admin, request):
    """The body as readers will see it, from the form as it is now: the form's script sends
    ``{"body": text, "participants": [{"person": id, "role": "guest"}, …]}`` as the editor
    types and shows the answer's ``html`` (a small page with the site's stylesheet) beside
    the text. Paragraphs with a problem are marked where they are and listed in
    ``problems``; names that speak but are nobody on the form are in ``newcomers``, for the
    form to offer adding them as participants. Nothing is saved."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if not (model_admin.has_add_permission(request) or model_admin.has_change_permission(request)):
        raise PermissionDenied
    try:
        sent = json.loads(request.body)
        source, casts = sent["body"], sent["participants"][:PREVIEW_MAX_PARTICIPANTS]
        roles = {int(cast["person"]): cast.get("role") for cast in casts if cast.get("person")}
        roles = {pk: role for pk, role in roles.items() if 0 < pk < 2**63}
    except (ValueError, TypeError, KeyError, AttributeError, OverflowError, RecursionError):
        return JsonResponse({"error": "The preview was not understood."}, status=400)
    if not isinstance(source, str):
        return JsonResponse({"error": "The body must be text."}, status=400)
    names = dict(Person.objects.filter(pk__in=roles).values_list("pk", "name"))
    speakers = [
        body.Speaker(pk, name, roles[pk] == Participant.Role.INTERVIEWER)
        for pk, name in names.items()
    ]
    participants = {
        speaker.person_id: Participant(person=Person(pk=speaker.person_id, name=speaker.name))
        for speaker in speakers
    }
    parsed, problems = body.preview_body(source, speakers)
    blocks = [
        (
            BodyBlock(
                f"line-{block['line']}",
                block["type"],
                block["text"],
                participants.get(block.get("speaker")),
            ),
            block.get("problem"),
        )
        for block in parsed
    ]
    page = render_to_string("admin/features/feature/body_preview.html", {"blocks": blocks})
    newcomers = []
    if model_admin.admin_site.get_model_admin(Person).has_add_permission(request):
        newcomers = _in_people_list(body.newcomers(parsed, limit=PREVIEW_MAX_NEWCOMERS))
    # An offered name's lines are said once, with the offer, rather than line by line.
    offered = {line for newcomer in newcomers for line in newcomer["lines"]}
    problems += [
        problem
        for (_, problem), block in zip(blocks, parsed, strict=True)
        if problem and block["line"] not in offered
    ]
    return JsonResponse({"html": page, "problems": problems, "newcomers": newcomers})


def _in_people_list(newcomers: list[dict]) -> list[dict]:
    """The newcomers the form may offer to add, each with ``"person"`` (id and name) when
    one person in the people list has every word of the name, accents and case aside
    ("Tomás" is Tomás Reyes): the offer then chooses them rather than add a second one.
    A name several people could be is left out; its lines say so as problems. One query."""
    if not newcomers:
        return []
    words = {newcomer["name"]: set(fold(newcomer["name"]).split()) for newcomer in newcomers}
    named_like = Q()
    for parts in words.values():
        named_like |= Q.create([("name__folded__contains", part) for part in parts])
    people = [
        (pk, name, set(fold(name).split()))
        for pk, name in Person.objects.filter(named_like).values_list("pk", "name")[
            :PREVIEW_MAX_PEOPLE_MATCHED
        ]
    ]
    offered = []
    for newcomer in newcomers:
        same = [(pk, name) for pk, name, parts in people if words[newcomer["name"]] <= parts]
        if len(same) == 1:
            offered.append({**newcomer, "person": {"id": same[0][0], "name": same[0][1]}})
        elif not same:
            offered.append(newcomer)
    return offered


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


class CommentForm(forms.Form):
    target = forms.ChoiceField(label="About")
    text = forms.CharField(
        label="Comment",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=services.COMMENT_MAX_LENGTH,
    )

    def __init__(self, *args, targets, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].choices = [(target.key, target.label) for target in targets]


def comments(model_admin, request, object_id):
    """A feature's comments: reviewers leave them on a part or on one block of the body;
    those who may edit the piece (and the comment's author) resolve them."""
    feature = _feature(model_admin, request, object_id)
    if not services.can_comment(request.user):
        raise PermissionDenied
    targets = services.comment_targets(feature)
    form = CommentForm(initial={"target": request.GET.get("on")}, targets=targets)
    if request.method == "POST" and "resolve" in request.POST:
        chosen = request.POST["resolve"]
        if not (chosen.isdigit() and len(chosen) < 19):
            raise Http404("No such comment.")
        comment = get_object_or_404(feature.comments, pk=chosen)
        services.resolve_comment(user=request.user, comment=comment)
        model_admin.message_user(request, "Comment resolved.")
        return HttpResponseRedirect(request.path)
    if request.method == "POST":
        form = CommentForm(request.POST, targets=targets)
        if form.is_valid():
            try:
                services.add_comment(user=request.user, feature=feature, **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                model_admin.message_user(request, "Comment added.")
                return HttpResponseRedirect(request.path)
    labels = {target.key: target.label for target in targets}
    listed = [
        (comment, labels.get(comment.target), services.can_resolve(request.user, comment))
        for comment in feature.comments.select_related("author", "resolved_by", "feature")
    ]
    context = {
        "form": form,
        "open_comments": [entry for entry in listed if entry[0].resolved_at is None],
        "resolved_comments": [entry for entry in listed if entry[0].resolved_at is not None],
    }
    title = f"Comments on “{feature}”"
    return _render(model_admin, request, "comments.html", feature, title, **context)


def _share_url(link: ShareLink) -> str:
    return reverse("features:share", args=[services.share_link_token(link)])


def _revoke(model_admin, request, feature):
    if not request.POST["revoke"].isdigit():
        raise Http404("No such preview link.")
    link = get_object_or_404(ShareLink, feature=feature, pk=request.POST["revoke"])
    services.revoke_share_link(link=link)
    model_admin.message_user(request, "The preview link no longer works.")
    return HttpResponseRedirect(request.path)


# Importing an interview ---------------------------------------------------------------------

PENDING_IMPORT = "features.pending_import"  # the session key of the upload being previewed


@dataclass(frozen=True)
class PendingImport:
    """An upload and the options chosen for it, between its preview and its confirmation.

    It is kept in the editor's session, on the server: what is confirmed is what was
    previewed, and the confirmation form only carries the token that names it, so a preview
    that a later upload replaced cannot confirm anything.
    """

    interview: Upload
    front_matter: Upload | None
    create_missing: bool
    publish: bool

    def run(self, user, *, dry_run: bool) -> Imported:
        return import_upload(
            self.interview,
            self.front_matter,
            user=user,
            create_missing=self.create_missing,
            publish=self.publish,
            dry_run=dry_run,
        )

    def keep(self, session, result: Imported) -> str:
        """Keep it, in place of any earlier upload, with what ``result`` says the import
        does; return its token. Its files passed transcripts.decode: they are UTF-8 text."""
        token = secrets.token_urlsafe(16)
        files = [self.interview, *([self.front_matter] if self.front_matter else [])]
        session[PENDING_IMPORT] = {
            "token": token,
            "files": [[upload.name, upload.data.decode()] for upload in files],
            "create_missing": self.create_missing,
            "publish": self.publish,
            "outcome": _outcome(result),
        }
        return token

    @classmethod
    def kept(cls, session, token: str) -> tuple["PendingImport", list] | None:
        """The upload kept under ``token`` and what its preview said the import does."""
        stored = session.get(PENDING_IMPORT)
        if not stored or not secrets.compare_digest(stored["token"], token):
            return None
        interview, *front_matter = [Upload(name, text.encode()) for name, text in stored["files"]]
        pending = cls(
            interview,
            front_matter[0] if front_matter else None,
            stored["create_missing"],
            stored["publish"],
        )
        return pending, stored["outcome"]


def _outcome(result: Imported) -> list[str]:
    return [result.action, *result.created, result.published]


def import_interview(model_admin, request):
    """Upload a file and see what importing it would do: the import runs and is rolled back
    (import_feature --dry-run), and nothing is kept but the upload, until it is confirmed."""
    if not model_admin.has_add_permission(request):
        raise PermissionDenied
    form = ImportFeatureForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        pending = PendingImport(
            form.cleaned_data["interview"],
            form.cleaned_data["front_matter"],
            form.cleaned_data.get("create_missing", False),
            form.cleaned_data.get("publish", False),
        )
        try:
            result = pending.run(request.user, dry_run=True)
        except ImportFailed as failure:
            return _upload_page(model_admin, request, form, failure)
        token = pending.keep(request.session, result)
        return _preview_page(model_admin, request, pending, token, result)
    return _upload_page(model_admin, request, form)


def confirm_import(model_admin, request):
    """Import the previewed upload, checked again from the start. When the import would now
    do something else than the preview said (someone made a feature with its slug in the
    meantime), nothing is saved and the new preview is shown."""
    if not model_admin.has_add_permission(request):
        raise PermissionDenied
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    kept = PendingImport.kept(request.session, request.POST.get("token", ""))
    if "cancel" in request.POST or kept is None:
        request.session.pop(PENDING_IMPORT, None)
        message = "Nothing was imported." if kept else "That preview is out of date."
        model_admin.message_user(request, f"{message} Upload the file again.", messages.WARNING)
        return HttpResponseRedirect(reverse("admin:features_feature_import"))
    pending, previewed = kept
    if pending.publish and not services.can_publish(request.user):
        raise PermissionDenied
    try:
        with transaction.atomic():
            result = pending.run(request.user, dry_run=False)
            changed = _outcome(result) != previewed
            transaction.set_rollback(changed)
    except ImportFailed as failure:
        request.session.pop(PENDING_IMPORT, None)
        form = ImportFeatureForm(user=request.user)
        return _upload_page(model_admin, request, form, failure)
    if changed:
        token = pending.keep(request.session, result)
        return _preview_page(model_admin, request, pending, token, result, changed=True)
    del request.session[PENDING_IMPORT]
    done = {CREATED: "created as a draft", UNCHANGED: "unchanged"}.get(result.action, "updated")
    details = [f"created {what}" for what in result.created]
    if result.published:
        details.append(result.published)
    extra = f" ({'; '.join(details)})" if details else ""
    model_admin.message_user(request, f"Imported “{result.feature}”: {done}{extra}.")
    return HttpResponseRedirect(_change_url(result.feature))


def _import_page(model_admin, request, template, **context):
    return TemplateResponse(
        request,
        f"admin/features/feature/{template}",
        {
            **model_admin.admin_site.each_context(request),
            "opts": model_admin.opts,
            "title": "Import an interview",
            **context,
        },
    )


def _upload_page(model_admin, request, form, failure: ImportFailed | None = None):
    missing_hint = ""
    if failure and failure.missing:
        missing_hint = (
            "Tick “Create missing people and films” to create them."
            if "create_missing" in form.fields
            else "Ask an editor to add them under People and Films."
        )
    options = [name for name in ("create_missing", "publish") if name in form.fields]
    fieldsets = [(None, {"fields": ["interview", "front_matter"]})]
    fieldsets += [("Options", {"fields": options})] if options else []
    context = {
        "form": form,
        "adminform": helpers.AdminForm(form, fieldsets, prepopulated_fields={}),
        "problems": failure.problems if failure else [],
        "missing_hint": missing_hint,
        "max_file_bytes": MAX_FILE_BYTES,
    }
    return _import_page(model_admin, request, "import.html", **context)


def _preview_page(model_admin, request, pending, token, result: Imported, *, changed=False):
    new = result.content
    context = {
        "pending": pending,
        "token": token,
        "result": result,
        "content": new,
        "participants": [
            (cast.person.name, Participant.Role(cast.role).label, cast.label)
            for cast in new.participants
        ],
        "blocks": _preview_blocks(new),
        # As saved now: the dry run changed the instance it rolled back.
        "existing": Feature.objects.filter(slug=result.slug).first(),
        "changed_since_preview": changed,
    }
    return _import_page(model_admin, request, "import_preview.html", **context)


def _preview_blocks(new: FeatureContent) -> list[dict]:
    """The body as it will read: each block with its speaker's name and start time."""
    names = {cast.person.pk: cast.person.name for cast in new.participants}
    return [
        {
            "type": block["type"],
            "speaker": names.get(block.get("speaker"), ""),
            "start": clock(block["start"]) if block.get("start") is not None else "",
            "text": block["text"],
        }
        for block in new.body
    ]


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

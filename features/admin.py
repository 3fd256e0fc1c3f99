from datetime import timedelta

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone

from newsmuse.admin import image_preview

from . import revisions, services
from .forms import FeatureAdminForm, ParticipantInlineFormSet
from .models import Feature, Participant, Revision, Series, ShareLink, StatusChange


class ParticipantInline(admin.TabularInline):
    model = Participant
    formset = ParticipantInlineFormSet
    extra = 1
    autocomplete_fields = ["person"]
    fields = ["person", "role", "label", "order"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("person")

    # Participants are part of the feature (the body names them): whoever may change the
    # feature may change its participants, so the two are always saved together.
    def has_add_permission(self, request, obj=None):
        return self._may_edit(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._may_edit(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._may_edit(request, obj)

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("features.view_feature")

    def _may_edit(self, request, feature):
        if feature is None:
            return request.user.has_perm("features.add_feature")
        return services.can_edit(request.user, feature)


@admin.register(Series)
class SeriesAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


class QueueFilter(admin.SimpleListFilter):
    title = "queue"
    parameter_name = "queue"
    RECENT = timedelta(days=14)

    def lookups(self, request, model_admin):
        return [
            ("mine", "My drafts"),
            ("review", "Waiting for review"),
            ("scheduled", "Scheduled"),
            ("recent", "Recently published"),
        ]

    def queryset(self, request, queryset):
        now = timezone.now()
        match self.value():
            case "mine":
                return queryset.filter(status=Feature.Status.DRAFT, created_by=request.user)
            case "review":
                return queryset.filter(status=Feature.Status.REVIEW)
            case "scheduled":
                return queryset.filter(status=Feature.Status.SCHEDULED, published_at__gt=now)
            case "recent":
                return queryset.published().filter(published_at__gte=now - self.RECENT)
        return queryset


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


@admin.register(Feature)
class FeatureAdmin(admin.ModelAdmin):
    form = FeatureAdminForm
    inlines = [ParticipantInline]
    change_form_template = "admin/features/feature/change_form.html"
    list_display = ["headline", "series", "status", "published_at", "created_by", "updated_at"]
    list_filter = [QueueFilter, "status", "series", "tags"]
    search_fields = ["headline", "dek", "participants__person__name", "films__title"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["headline"]}
    autocomplete_fields = ["series", "hero_image", "films"]
    list_select_related = ["series", "created_by"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "series",
                    "headline",
                    "dek",
                    "hero_image",
                    "hero_preview",
                    "loaded_version",
                ]
            },
        ),
        ("Interview", {"fields": ["body_source", "films", "tags"]}),
        ("Publication", {"fields": ["status", "published_at"]}),
        ("Advanced", {"classes": ["collapse"], "fields": ["slug", "created_at", "updated_at"]}),
    ]

    def get_readonly_fields(self, request, obj=None):
        """The status only moves through the workflow buttons. Only editors set the time,
        and once a piece is public only the Schedule and Unpublish buttons change it."""
        fields = ["hero_preview", "status", "created_at", "updated_at"]
        is_public = obj is not None and obj.status in Feature.PUBLIC_STATUSES
        if not services.can_publish(request.user) or is_public:
            fields.append("published_at")
        return fields

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or services.can_edit(request.user, obj))

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or services.can_edit(request.user, obj))

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        elif "slug" in form.changed_data:
            services.remember_old_slug(feature=obj, old_slug=form.initial["slug"])
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        services.record_revision(
            feature=form.instance, user=request.user, note="" if change else "Created"
        )

    @admin.display(description="Current hero image")
    def hero_preview(self, obj):
        return image_preview(obj.hero_image, size=320)

    # Workflow, revisions and share links ------------------------------------------------

    def get_urls(self):
        def view(function, name):
            return self.admin_site.admin_view(function), f"features_feature_{name}"

        urls = [
            ("<path:object_id>/move/<str:move>/", *view(self.move_view, "move")),
            ("<path:object_id>/revisions/", *view(self.revisions_view, "revisions")),
            ("<path:object_id>/revisions/compare/", *view(self.compare_view, "compare")),
            (
                "<path:object_id>/revisions/<int:version>/restore/",
                *view(self.restore_view, "restore"),
            ),
            ("<path:object_id>/share/", *view(self.share_view, "share")),
        ]
        return [path(route, function, name=name) for route, function, name in urls] + (
            super().get_urls()
        )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        feature = self.get_object(request, object_id)
        if feature is not None:
            extra_context = {
                **(extra_context or {}),
                "moves": services.allowed_moves(request.user, feature),
                "status_changes": feature.status_changes.select_related("user")[:5],
                "can_share": services.can_publish(request.user),
            }
        return super().change_view(request, object_id, form_url, extra_context)

    def _feature_for(self, request, object_id, *, edit=False):
        feature = self.get_object(request, object_id)
        if feature is None:
            raise Http404("No such feature.")
        if not self.has_view_or_change_permission(request, feature):
            raise PermissionDenied
        if edit and not services.can_edit(request.user, feature):
            raise PermissionDenied
        return feature

    def _render(self, request, template, feature, title, **context):
        return TemplateResponse(
            request,
            f"admin/features/feature/{template}",
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "original": feature,
                "title": title,
                "change_url": reverse("admin:features_feature_change", args=[feature.pk]),
                **context,
            },
        )

    def move_view(self, request, object_id, move):
        feature = self._feature_for(request, object_id)
        step = services.MOVES.get(move)
        if step is None:
            raise Http404("No such move.")
        if step not in services.allowed_moves(request.user, feature):
            raise PermissionDenied
        schedule = None
        if step.name == "schedule":
            default = feature.published_at if feature.published_at else None
            schedule = ScheduleForm(
                request.POST or None,
                initial={"publish_at": timezone.localtime(default) if default else None},
            )
        errors = []
        if step.target in Feature.PUBLIC_STATUSES and request.method == "GET":
            errors = services.feature_publish_problems(feature)
        if request.method == "POST" and (schedule is None or schedule.is_valid()):
            try:
                services.move_feature(
                    feature=feature,
                    move=step.name,
                    user=request.user,
                    publish_at=schedule.cleaned_data["publish_at"] if schedule else None,
                )
            except ValidationError as error:
                errors = error.messages
            else:
                self.message_user(request, f"{step.label}: done for “{feature}”.", messages.SUCCESS)
                return HttpResponseRedirect(
                    reverse("admin:features_feature_change", args=[feature.pk])
                )
        return self._render(
            request,
            "move.html",
            feature,
            f"{step.label}: {feature}",
            step=step,
            problems=errors,
            schedule_form=schedule,
        )

    def revisions_view(self, request, object_id):
        feature = self._feature_for(request, object_id)
        history = feature.revisions.select_related("user").defer("content")
        return self._render(
            request,
            "revisions.html",
            feature,
            f"Revisions of “{feature}”",
            revisions=history,
            can_restore=services.can_edit(request.user, feature),
        )

    def compare_view(self, request, object_id):
        feature = self._feature_for(request, object_id)
        try:
            versions = sorted({int(request.GET["a"]), int(request.GET["b"])})
        except (KeyError, ValueError):
            raise Http404("Choose two revisions to compare.") from None
        if not all(0 < version < 2**31 for version in versions):
            raise Http404("No such revision.")
        found = {r.version: r for r in feature.revisions.filter(version__in=versions)}
        if len(found) != len(versions) or len(versions) != 2:
            raise Http404("Choose two different revisions of this feature.")
        old, new = found[versions[0]], found[versions[1]]
        return self._render(
            request,
            "compare.html",
            feature,
            f"Version {old.version} and version {new.version} of “{feature}”",
            old=old,
            new=new,
            field_changes=revisions.field_changes(old.content, new.content),
            body_changes=revisions.body_changes(old.content, new.content),
        )

    def restore_view(self, request, object_id, version):
        feature = self._feature_for(request, object_id, edit=True)
        revision = get_object_or_404(Revision, feature=feature, version=version)
        if request.method == "POST":
            services.restore_revision(revision=revision, user=request.user)
            self.message_user(
                request,
                f"Version {version} is back as a draft; later versions stay in the history.",
                messages.SUCCESS,
            )
            return HttpResponseRedirect(reverse("admin:features_feature_change", args=[feature.pk]))
        return self._render(
            request,
            "restore.html",
            feature,
            f"Restore version {version} of “{feature}”",
            revision=revision,
        )

    def share_view(self, request, object_id):
        feature = self._feature_for(request, object_id)
        if not services.can_publish(request.user):
            raise PermissionDenied
        form = ShareLinkForm(request.POST if "create" in request.POST else None)
        if request.method == "POST":
            if "revoke" in request.POST:
                if not request.POST["revoke"].isdigit():
                    raise Http404("No such preview link.")
                link = get_object_or_404(ShareLink, feature=feature, pk=request.POST["revoke"])
                services.revoke_share_link(link=link)
                self.message_user(request, "The preview link no longer works.", messages.SUCCESS)
                return HttpResponseRedirect(request.path)
            if form.is_valid():
                services.create_share_link(
                    feature=feature, user=request.user, days=form.cleaned_data["days"]
                )
                self.message_user(request, "Preview link created.", messages.SUCCESS)
                return HttpResponseRedirect(request.path)
        links = [
            (
                link,
                request.build_absolute_uri(
                    reverse("features:share", args=[services.share_link_token(link)])
                ),
            )
            for link in feature.share_links.select_related("created_by")
        ]
        return self._render(
            request, "share.html", feature, f"Preview links for “{feature}”", links=links, form=form
        )


@admin.register(StatusChange)
class StatusChangeAdmin(admin.ModelAdmin):
    list_display = ["feature", "from_status", "to_status", "user", "at"]
    list_filter = ["to_status"]
    list_select_related = ["feature", "user"]
    search_fields = ["feature__headline"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

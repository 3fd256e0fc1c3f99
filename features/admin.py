from datetime import timedelta

from django.contrib import admin, messages
from django.contrib.admin.options import IS_POPUP_VAR
from django.contrib.admin.utils import construct_change_message
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html

from newsmuse.admin import (
    AddByNameMixin,
    FoldedSearchMixin,
    SafeInputsMixin,
    image_preview,
    short_datetime,
)

from . import admin_views, services
from .forms import FeatureAdminForm, ParticipantForm, ParticipantInlineFormSet, part_anchor
from .models import Autosave, Feature, Participant, Series, StatusChange

# The name of the form's “Save and publish” button (admin/features/feature/submit_line.html).
PUBLISH_ON_SAVE = "_publish"
# Sent by keep-edits.js when the editor saves without answering the offer of an autosaved
# copy: the copy is kept for them to restore or discard later.
AUTOSAVE_UNANSWERED = "_autosave_unanswered"


class ParticipantInline(SafeInputsMixin, admin.TabularInline):
    model = Participant
    form = ParticipantForm
    formset = ParticipantInlineFormSet
    extra = 1
    autocomplete_fields = ["person"]
    fields = ["person", "role", "label", "order"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("person")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        """A person added by name in a row is added as an interviewer or as a guest: one
        button for each role sets the row's role too (add-by-name.js)."""
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "person" and "data-add-by-name" in field.widget.attrs:
            field.widget.attrs["data-add-by-name-as"] = "role"
        return field

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
class SeriesAdmin(AddByNameMixin, SafeInputsMixin, FoldedSearchMixin, admin.ModelAdmin):
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


@admin.register(Feature)
class FeatureAdmin(SafeInputsMixin, FoldedSearchMixin, admin.ModelAdmin):
    form = FeatureAdminForm
    inlines = [ParticipantInline]
    change_form_template = "admin/features/feature/change_form.html"
    change_list_template = "admin/features/feature/change_list.html"
    list_display = [
        "headline",
        "series",
        "status",
        "publication_time",
        "created_by",
        "last_change",
    ]
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

    def get_deleted_objects(self, objs, request):
        """History goes with its feature, although nobody may delete it on its own."""
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        perms_needed.discard(StatusChange._meta.verbose_name)
        return deleted, counts, perms_needed, protected

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        return type(form.__name__, (form,), {"editor": request.user})

    class Media:
        css = {"all": ["newsmuse/admin/editor.css"]}
        js = [
            "newsmuse/admin/keep-edits.js",
            "newsmuse/admin/dom.js",
            "newsmuse/admin/body-preview.js",
        ]

    def save_model(self, request, obj, form, change):
        """The form has checked the whole feature (services.check_feature_save); write it,
        then say what the save did not do."""
        feature = services.commit_feature_save(form.checked_save)
        if AUTOSAVE_UNANSWERED not in request.POST:
            services.drop_autosave(user=request.user, feature=feature if change else None)
        if PUBLISH_ON_SAVE in request.POST:
            feature = self._publish_on_save(request, feature)
        else:
            self._warn_if_not_going_live(request, feature)
        self._warn_if_no_byline(request, feature, form.checked_save.content)

    def _publish_on_save(self, request, feature):
        """“Save and publish”: publish the piece just saved, or schedule it when its
        publication time is still to come. When it is not ready, it stays saved as it is
        and the editor is told what is missing."""
        if feature.status in Feature.PUBLIC_STATUSES:
            self.message_user(request, f"“{feature}” is already public.", messages.INFO)
            return feature
        now = timezone.now()
        move = "schedule" if feature.published_at and feature.published_at > now else "publish"
        if services.MOVES[move] not in services.allowed_moves(request.user, feature):
            self.message_user(
                request,
                f"“{feature}” was saved but not published: you may not publish it.",
                messages.WARNING,
            )
            return feature
        try:
            feature = services.move_feature(
                feature=feature, move=move, user=request.user, publish_at=feature.published_at
            )
        except ValidationError as error:
            problems = " ".join(error.messages)
            self.message_user(
                request,
                f"“{feature}” was saved as {feature.get_status_display().lower()}, not "
                f"published: {problems}",
                messages.WARNING,
            )
            return feature
        if move == "schedule":
            when = date_format(timezone.localtime(feature.published_at), "j M Y, H:i")
            self.message_user(request, f"“{feature}” is scheduled: readers see it from {when}.")
        else:
            self.message_user(request, f"“{feature}” is published: readers see it now.")
        return feature

    def response_add(self, request, obj, post_url_continue=None):
        if PUBLISH_ON_SAVE in request.POST and IS_POPUP_VAR not in request.POST:
            return self._saved_and_moved(request, obj)
        return super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        if PUBLISH_ON_SAVE in request.POST and IS_POPUP_VAR not in request.POST:
            return self._saved_and_moved(request, obj)
        return super().response_change(request, obj)

    def _saved_and_moved(self, request, feature):
        """Back to the form, which says the save went through (the editor's kept copies
        of the form are cleared by that message) and what publishing did."""
        url = reverse("admin:features_feature_change", args=[feature.pk])
        self.message_user(
            request, format_html('“<a href="{}">{}</a>” was saved.', url, feature), messages.SUCCESS
        )
        return HttpResponseRedirect(url)

    def _warn_if_not_going_live(self, request, feature):
        """A publication time alone publishes nothing: the status moves only through the
        workflow (services.move_feature)."""
        if feature.published_at is None or feature.status in Feature.PUBLIC_STATUSES:
            return
        status = feature.get_status_display().lower()
        when = date_format(timezone.localtime(feature.published_at), "j M Y, H:i")
        schedule = services.MOVES["schedule"]
        if schedule in services.allowed_moves(request.user, feature):
            url = reverse("admin:features_feature_move", args=[feature.pk, schedule.name])
            next_step = format_html('<a href="{}">Schedule it</a> to go live then.', url)
        else:
            next_step = "An editor schedules it when it is ready."
        self.message_user(
            request,
            format_html(
                "“{}” stays {} and unseen by readers: the publication time ({}) counts only "
                "once the piece is scheduled. {}",
                feature,
                "a draft" if feature.status == Feature.Status.DRAFT else status,
                when,
                next_step,
            ),
            messages.WARNING,
        )

    def _warn_if_no_byline(self, request, feature, content):
        if content.participants and not any(
            cast.role == Participant.Role.INTERVIEWER for cast in content.participants
        ):
            self.message_user(
                request,
                f"“{feature}” has no interviewer, so readers see no byline. If someone asked "
                "the questions, make them a participant with the role Interviewer.",
                messages.WARNING,
            )

    def save_related(self, request, form, formsets, change):
        """Participants, films and tags were written with the feature by save_model."""

    def construct_change_message(self, request, form, formsets, add=False):
        return construct_change_message(form, [], add)

    @admin.display(description="Publication time", ordering="published_at")
    def publication_time(self, obj):
        return short_datetime(obj.published_at)

    @admin.display(description="Last change", ordering="updated_at")
    def last_change(self, obj):
        return short_datetime(obj.updated_at)

    @admin.display(description="Current hero image")
    def hero_preview(self, obj):
        return image_preview(obj.hero_image, size=320)

    def get_urls(self):
        return admin_views.urls(self) + super().get_urls()

    def add_view(self, request, form_url="", extra_context=None):
        extra_context = {
            **(extra_context or {}),
            **_autosaves(request, None, reverse("admin:features_feature_autosave_new")),
            "publish_on_save": _publish_on_save_label(request, None),
        }
        return super().add_view(request, form_url, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        feature = self.get_object(request, object_id)
        if feature is not None:
            autosave_url = reverse("admin:features_feature_autosave", args=[feature.pk])
            extra_context = {
                **(extra_context or {}),
                "moves": services.allowed_moves(request.user, feature),
                "missing": _missing_on_form(feature),
                "status_changes": feature.status_changes.select_related("user")[:5],
                "can_share": services.can_publish(request.user),
                **_autosaves(request, feature, autosave_url),
                "open_comments": _open_comments(feature),
                "publish_on_save": _publish_on_save_label(request, feature),
            }
        return super().change_view(request, object_id, form_url, extra_context)


def _open_comments(feature: Feature) -> list[tuple]:
    """The piece's open comments with what each is about, for the top of its form."""
    comments = list(feature.comments.filter(resolved_at__isnull=True).select_related("author"))
    if not comments:
        return []
    labels = {target.key: target.label for target in services.comment_targets(feature)}
    return [(comment, labels.get(comment.target)) for comment in comments]


def _publish_on_save_label(request, feature: Feature | None) -> str | None:
    """The label of the form's button that saves and publishes in one step, for those who
    may publish a piece that is not public yet; None for everyone else."""
    if not services.can_publish(request.user):
        return None
    if feature is None:
        return "Save and publish"
    if feature.status in Feature.PUBLIC_STATUSES:
        return None
    if feature.published_at and feature.published_at > timezone.now():
        return "Save and schedule"
    return "Save and publish"


def _autosaves(request, feature: Feature | None, url: str) -> dict:
    """The form's autosave address, the editor's own autosaved copy (offered back by
    keep-edits.js) and colleagues' copies of a saved piece (named on the form, so that the
    merge when they save surprises nobody)."""
    context = {"autosave_url": url, "my_autosave": None, "colleagues_autosaves": []}
    if request.method != "GET":  # a refused save shows what was just sent
        return context
    autosaves = Autosave.objects.filter(feature=feature).select_related("user")
    if feature is None:
        autosaves = autosaves.filter(user=request.user)
    may_edit = services.can_edit(request.user, feature) if feature else True
    for autosave in autosaves:
        if autosave.user_id == request.user.pk:
            if not may_edit:
                continue  # the piece has moved out of their hands: nothing to restore into
            context["my_autosave"] = {
                "savedAt": autosave.saved_at.isoformat(),
                "fields": autosave.fields,
            }
        else:
            context["colleagues_autosaves"].append(autosave)
    return context


def _missing_on_form(feature: Feature) -> list[tuple[str, str]]:
    """What keeps a piece that is not public from going public, as (element id, message)
    pairs for links to where each is fixed."""
    if feature.status in Feature.PUBLIC_STATUSES:
        return []  # its saves are refused while anything is missing
    return [(part_anchor(part), message) for part, message in services.feature_missing(feature)]


@admin.register(StatusChange)
class StatusChangeAdmin(SafeInputsMixin, FoldedSearchMixin, admin.ModelAdmin):
    list_display = ["feature", "from_status", "to_status", "user", "at"]
    list_filter = ["to_status"]
    list_select_related = ["feature", "user"]
    search_fields = ["feature__headline"]
    date_hierarchy = "at"

    # History is append-only (see features.models.AppendOnly), for superusers too.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

import functools
import json
from dataclasses import dataclass

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.views.main import SEARCH_VAR
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.http import HttpResponseRedirect, JsonResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join

from . import renditions
from .folding import fold
from .forms import ImageForm
from .models import Image
from .services import (
    create_image,
    delete_images,
    find_or_add_by_name,
    refresh_renditions,
)
from .storage import StorageWriteError

# Links typed without a scheme become https:// (Django 6's default), for every admin form.
HTTPS_LINKS = {models.URLField: {"assume_scheme": "https"}}

ADDING_SCRIPTS = [
    "newsmuse/admin/dom.js",
    "newsmuse/admin/add-by-name.js",
    "newsmuse/admin/upload-here.js",
]

SEARCH_MAX_WORDS = 10
SEARCH_MAX_CHARACTERS = 200


def bounded_search(term: str) -> str:
    """The first SEARCH_MAX_WORDS words of a search, at most SEARCH_MAX_CHARACTERS long:
    every word is one more condition on every searched field."""
    return " ".join(term[:SEARCH_MAX_CHARACTERS].split()[:SEARCH_MAX_WORDS])


def _valid_choices(db_field, values) -> list:
    """The submitted ids that could be ids of the related model; others are dropped."""
    related = db_field.remote_field.model._meta
    if isinstance(db_field, models.ManyToManyField):
        target = related.pk
    else:
        target = related.get_field(db_field.remote_field.field_name)
    valid = []
    for value in values:
        try:
            target.to_python(value)
        except ValidationError:
            continue
        valid.append(value)
    return valid


class SafeAutocompleteMixin:
    """An admin pop-up field that shows the error for a submitted value that is not an id,
    instead of failing. It can add a record by name where that record's admin allows it
    (AddByNameMixin; newsmuse/admin/add-by-name.js), and an image field takes an upload right
    there (ImageAdmin.upload_here_view; newsmuse/admin/upload-here.js)."""

    def optgroups(self, name, value, attr=None):
        return super().optgroups(name, _valid_choices(self.field, value), attr)

    @property
    def media(self):
        # Named after Django's autocomplete.js, so that merging keeps this file after it.
        added = forms.Media(
            css={"all": ["newsmuse/admin/adding.css"]},
            js=["admin/js/jquery.init.js", "admin/js/autocomplete.js", *ADDING_SCRIPTS],
        )
        return super().media + added


class SafeAutocompleteSelect(SafeAutocompleteMixin, AutocompleteSelect):
    pass


class SafeAutocompleteSelectMultiple(SafeAutocompleteMixin, AutocompleteSelectMultiple):
    pass


@functools.cache
def _admin_path() -> str:
    return reverse("admin:index")


class BoundedAdminSearchMiddleware:
    """Every admin list and pop-up search — ours, Django's and other apps' (users, groups,
    tags, sign-in attempts) — uses at most SEARCH_MAX_WORDS words: a list says so and shows
    the shortened search, a pop-up search is shortened quietly."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        admin_path = _admin_path()
        if request.method == "GET" and request.path.startswith(admin_path):
            name = "term" if request.path.startswith(f"{admin_path}autocomplete/") else SEARCH_VAR
            term = request.GET.get(name, "")
            if term and bounded_search(term) != term.strip():
                query = request.GET.copy()
                query[name] = bounded_search(term)
                if name == "term":
                    request.GET = query
                else:
                    messages.warning(
                        request,
                        f"Search uses the first {SEARCH_MAX_WORDS} words "
                        f"(at most {SEARCH_MAX_CHARACTERS} characters); the rest was left out.",
                    )
                    return HttpResponseRedirect(f"{request.path}?{query.urlencode()}")
        return self.get_response(request)


class FoldedSearchMixin:
    """Admin search that ignores accents and case on SQLite and PostgreSQL alike: “jose
    hernandez” and “Hernández José” find “José Hernández”. As in Django's own search, each
    word must be found in one of ``search_fields``, in any order."""

    def get_search_fields(self, request):
        return [_folded(name) for name in super().get_search_fields(request)]

    def get_search_results(self, request, queryset, search_term):
        return super().get_search_results(request, queryset, fold(search_term))


def _folded(search_field: str) -> str:
    if search_field.startswith(("^", "=", "@")):
        return search_field  # an exact, prefix or full-text search keeps its own lookup
    return f"{search_field}__folded"


class SafeInputsMixin:
    """For every admin and inline: a refused form whose pop-up fields were sent something
    that is not an id shows the error instead of failing, and a pop-up field for a record
    that can be added by name offers to add the name typed into it."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = SafeAutocompleteSelect(
                db_field,
                self.admin_site,
                attrs=self._adding_attributes(db_field, request),
                using=kwargs.get("using"),
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = SafeAutocompleteSelectMultiple(
                db_field,
                self.admin_site,
                attrs=self._adding_attributes(db_field, request),
                using=kwargs.get("using"),
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def _adding_attributes(self, db_field, request) -> dict[str, str]:
        """What the field's widget needs to add a record right there: by name, or for an
        image by upload; nothing for those who may not add one."""
        related = db_field.remote_field.model
        related_admin = self.admin_site._registry.get(related)
        if related_admin is None or not related_admin.has_add_permission(request):
            return {}
        meta = related._meta
        url_name = f"{self.admin_site.name}:{meta.app_label}_{meta.model_name}"
        if isinstance(related_admin, AddByNameMixin):
            return {
                "data-add-by-name": reverse(f"{url_name}_add_by_name"),
                "data-add-by-name-label": meta.verbose_name,
                "data-add-by-name-details": json.dumps(related_admin.add_by_name_details(request)),
            }
        if isinstance(related_admin, ImageAdmin):
            return {"data-upload-here": reverse(f"{url_name}_upload_here")}
        return {}


@dataclass(frozen=True)
class AddedImage:
    """An image uploaded while adding a record by name: the record's field it fills, the
    label it is asked with, and the alt text it gets when none is typed ({name} is the
    record's name)."""

    field: str
    label: str
    alt_text: str


class AddByNameMixin:
    """Lets the pop-up fields that choose a record of this model add one from the name typed
    into them, with no pop-up window: ``…/add-by-name/`` takes a POSTed ``name`` and answers
    ``{"id", "text", "created"}``. A name already here, accents and case aside, gives that
    record instead of a duplicate, and the details sent with it are not used.

    ``add_by_name_form`` names the details asked beside the field while adding (a bio, a
    synopsis); ``add_by_name_image`` the image field an upload sent as ``image`` fills, with
    ``image_alt`` or else its default alt text. Without either, the name alone adds at once.
    """

    name_field = "name"
    add_by_name_form: type[forms.Form] | None = None
    add_by_name_image: AddedImage | None = None

    def get_urls(self):
        meta = self.model._meta
        return [
            path(
                "add-by-name/",
                self.admin_site.admin_view(self.add_by_name_view),
                name=f"{meta.app_label}_{meta.model_name}_add_by_name",
            ),
            *super().get_urls(),
        ]

    def add_by_name_details(self, request) -> list[dict[str, str]]:
        """The details this user is asked while adding, for add-by-name.js to lay out."""
        details = []
        if self.add_by_name_form is not None:
            for field in self.add_by_name_form(user=request.user):
                widget = field.field.widget
                kind = "textarea" if field.widget_type == "textarea" else widget.input_type
                details.append({"name": field.name, "label": field.label, "kind": kind})
        if (image := self.add_by_name_image) and self._may_add_images(request):
            details.append(
                {"name": "image", "label": image.label, "kind": "image", "alt": image.alt_text}
            )
        return details

    def add_by_name_view(self, request):
        if request.method != "POST":
            return JsonResponse({"error": "Send the name with POST."}, status=405)
        if not self.has_add_permission(request):
            noun = self.model._meta.verbose_name_plural
            return JsonResponse({"error": f"You may not add {noun}."}, status=403)
        upload = request.FILES.get("image") if self.add_by_name_image else None
        if upload is not None and not self._may_add_images(request):
            return JsonResponse({"error": "You may not add images."}, status=403)
        form = self.add_by_name_form
        form = form(request.POST, user=request.user) if form else None
        if form is not None and not form.is_valid():
            return JsonResponse({"error": _form_problems(form)}, status=400)
        details = form.cleaned_data if form is not None else {}
        try:
            with transaction.atomic():
                record, created = find_or_add_by_name(
                    self.model,
                    request.POST.get("name", ""),
                    name_field=self.name_field,
                    details=_model_fields(self.model, details),
                )
                if created:
                    self.added_by_name(record, details)
                    if upload is not None:  # last: nothing after it can refuse the record
                        self._add_image(request, record, upload)
        except ValidationError as error:
            return JsonResponse({"error": " ".join(error.messages)}, status=400)
        if created:
            self.log_addition(request, record, [{"added": {}}])
        typed = upload is not None or any(value not in ("", None) for value in details.values())
        return JsonResponse(
            {
                "id": record.pk,
                "text": str(record),
                "created": created,
                "details_unused": typed and not created,
            },
            status=201 if created else 200,
        )

    def _may_add_images(self, request) -> bool:
        return self.admin_site._registry[Image].has_add_permission(request)

    def added_by_name(self, record, details: dict) -> None:
        """Called in the transaction that added ``record`` by name, with the details' cleaned
        data: where a record made of more than one row makes the others."""

    def _add_image(self, request, record, upload) -> None:
        alt_text = " ".join(request.POST.get("image_alt", "").split())
        image = create_image(
            file=upload,
            alt_text=alt_text
            or self.add_by_name_image.alt_text.format(name=getattr(record, self.name_field)),
        )
        setattr(record, self.add_by_name_image.field, image)
        record.save(update_fields=[self.add_by_name_image.field])


def _model_fields(model, details: dict) -> dict:
    names = {field.name for field in model._meta.concrete_fields}
    return {name: value for name, value in details.items() if name in names}


def _form_problems(form) -> str:
    return " ".join(
        f"{form.fields[name].label}: {message}" if name in form.fields else message
        for name, messages in form.errors.items()
        for message in messages
    )


def short_datetime(value) -> str:
    """A date and time for admin lists, as narrow as a column can be: “20 Sep 2023 14:00”,
    wrapping between the date and the time when the column is tight."""
    if value is None:
        return "—"
    local = timezone.localtime(value)
    return format_html(
        '<time datetime="{}"><span class="short-date">{}</span> <span class="short-time">{}'
        "</span></time>",
        local.isoformat(),
        date_format(local, "j M Y"),
        date_format(local, "H:i"),
    )


def image_preview(image, size=120, **attributes):
    """A small preview of a library image for admin lists and forms; "—" when there is none.

    Uses the smallest ready rendition (from the image's row, no query), else the original.
    """
    if not image or not image.file:
        return "—"
    ready = renditions.ready(image, "full")
    url = ready["smallest"] if ready else image.file.url
    extra = format_html_join(
        "", ' {}="{}"', ((name.replace("_", "-"), value) for name, value in attributes.items())
    )
    return format_html(
        '<img src="{}" alt="" style="max-width:{}px;max-height:{}px;height:auto"{}>',
        url,
        size,
        size,
        extra,
    )


@admin.register(Image)
class ImageAdmin(SafeInputsMixin, FoldedSearchMixin, admin.ModelAdmin):
    form = ImageForm
    list_display = ["thumbnail", "title", "alt_text", "credit", "dimensions", "uploaded"]
    list_display_links = ["thumbnail", "title"]
    list_filter = ["is_decorative", "tags"]
    search_fields = ["title", "alt_text", "caption", "credit", "tags__name"]
    date_hierarchy = "uploaded_at"
    readonly_fields = ["preview", "dimensions", "uploaded_at"]
    fieldsets = [
        (None, {"fields": ["title", "file", "kept_file", "preview", "alt_text", "is_decorative"]}),
        ("Caption and credit", {"fields": ["caption", "credit", "tags"]}),
        (
            "Focal point",
            {
                "fields": ["focal_x", "focal_y"],
                "description": "Click the preview above on what must stay in view when the "
                "image is cropped, or type the position (0 to 1) here.",
            },
        ),
        ("Advanced", {"classes": ["collapse"], "fields": ["dimensions", "uploaded_at"]}),
    ]

    class Media:
        css = {"all": ["newsmuse/admin/editor.css", "newsmuse/admin/focal-point.css"]}
        js = ["newsmuse/admin/focal-point.js"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("tags")

    def get_urls(self):
        return [
            path(
                "upload-here/",
                self.admin_site.admin_view(self.upload_here_view),
                name="newsmuse_image_upload_here",
            ),
            *super().get_urls(),
        ]

    def upload_here_view(self, request):
        """An upload from an image field elsewhere (a hero, a portrait, a poster), with no
        pop-up window: POST ``file`` and ``alt_text`` (or ``is_decorative``); the title comes
        from the file's name. Answers ``{"id", "text", "thumbnail"}``, or ``{"error"}`` with
        what to change, and stores nothing then."""
        if request.method != "POST":
            return JsonResponse({"error": "Send the image with POST."}, status=405)
        if not self.has_add_permission(request):
            return JsonResponse({"error": "You may not add images."}, status=403)
        upload = request.FILES.get("file")
        if upload is None:
            return JsonResponse({"error": "Choose an image file first."}, status=400)
        try:
            image = create_image(
                file=upload,
                alt_text=request.POST.get("alt_text", ""),
                is_decorative=request.POST.get("is_decorative") == "on",
            )
        except ValidationError as error:
            return JsonResponse({"error": " ".join(error.messages)}, status=400)
        self.log_addition(request, image, [{"added": {}}])
        return JsonResponse(
            {"id": image.pk, "text": str(image), "thumbnail": image.file.url}, status=201
        )

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        """A file that cannot be stored (a full disk) rolls the whole save back; the form
        comes back with what was typed and the reason at the file field."""
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except StorageWriteError as error:
            request.storage_problem = f"{error} Nothing was saved; choose the file again."
            return super().changeform_view(request, object_id, form_url, extra_context)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        attributes = {"uploader": request.user}
        if problem := getattr(request, "storage_problem", None):
            attributes["storage_problem"] = problem
        return type(form.__name__, (form,), attributes)

    def delete_model(self, request, obj):
        delete_images([obj])

    def delete_queryset(self, request, queryset):
        delete_images(queryset)

    def save_model(self, request, obj, form, change):
        replaced = change and "file" in form.changed_data
        old_file = Image.objects.get(pk=obj.pk).file if replaced else None
        super().save_model(request, obj, form, change)
        if form.kept_upload is not None:
            transaction.on_commit(form.kept_upload.delete)
        if old_file and old_file.name != obj.file.name:
            transaction.on_commit(lambda: old_file.delete(save=False))
        if {"file", "focal_x", "focal_y"} & set(form.changed_data):
            transaction.on_commit(lambda: self._refresh(request, obj))

    def _refresh(self, request, image):
        refresh_renditions(image)  # writes what was made onto image.pictures
        if any(renditions.ready(image, crop) is None for crop in renditions.CROPS):
            self.message_user(
                request,
                "The image was saved, but its renditions could not all be made; "
                "pages leave it out until `manage.py rebuild_renditions` succeeds.",
                messages.WARNING,
            )

    @admin.display(description="Image")
    def thumbnail(self, obj):
        return image_preview(obj, size=64)

    @admin.display(description="Uploaded", ordering="uploaded_at")
    def uploaded(self, obj):
        return short_datetime(obj.uploaded_at)

    @admin.display(description="Size")
    def dimensions(self, obj):
        return f"{obj.width} × {obj.height}"

    @admin.display(description="Preview")
    def preview(self, obj):
        if not obj.pk:
            return "Save the image to see it here."
        return format_html(
            '<span class="focal-point">{}</span>', image_preview(obj, size=480, data_focal="")
        )

import functools

from django.contrib import admin, messages
from django.contrib.admin.views.main import SEARCH_VAR
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join

from . import renditions
from .folding import fold
from .forms import ImageForm
from .models import Image
from .services import delete_images, refresh_renditions
from .storage import StorageWriteError

# Links typed without a scheme become https:// (Django 6's default), for every admin form.
HTTPS_LINKS = {models.URLField: {"assume_scheme": "https"}}

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


class SafeAutocompleteSelect(AutocompleteSelect):
    def optgroups(self, name, value, attr=None):
        return super().optgroups(name, _valid_choices(self.field, value), attr)


class SafeAutocompleteSelectMultiple(AutocompleteSelectMultiple):
    def optgroups(self, name, value, attr=None):
        return super().optgroups(name, _valid_choices(self.field, value), attr)


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
    that is not an id shows the error instead of failing."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = SafeAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = SafeAutocompleteSelectMultiple(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)


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

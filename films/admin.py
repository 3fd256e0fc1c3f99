from django.contrib import admin

from newsmuse.admin import (
    HTTPS_LINKS,
    AddByNameMixin,
    AddedImage,
    FoldedSearchMixin,
    SafeInputsMixin,
    image_preview,
)

from .forms import FilmDetailsForm, WatchOptionForm
from .models import Credit, Film, WatchOption


class CreditInline(SafeInputsMixin, admin.TabularInline):
    model = Credit
    extra = 1
    autocomplete_fields = ["person"]
    fields = ["person", "role", "character", "note", "order"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("person", "film")


class WatchOptionInline(SafeInputsMixin, admin.StackedInline):
    """Stacked: a table of seven columns hides the link in a pop-up window."""

    formfield_overrides = HTTPS_LINKS
    form = WatchOptionForm
    model = WatchOption
    extra = 1
    fields = [("provider", "kind"), "url", ("region", "order"), "available_from", "available_until"]


@admin.register(Film)
class FilmAdmin(AddByNameMixin, SafeInputsMixin, FoldedSearchMixin, admin.ModelAdmin):
    name_field = "title"
    add_by_name_form = FilmDetailsForm
    add_by_name_image = AddedImage("poster", "Poster", "Poster for {name}")
    formfield_overrides = HTTPS_LINKS
    list_display = ["thumbnail", "title", "kind", "year", "studio"]
    list_display_links = ["thumbnail", "title"]
    list_filter = ["kind", "year"]
    list_select_related = ["poster"]
    search_fields = ["title", "studio", "credits__person__name"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["poster"]
    readonly_fields = ["poster_preview"]
    inlines = [CreditInline, WatchOptionInline]
    fieldsets = [
        (None, {"fields": ["title", "kind", "year", "poster", "poster_preview", "synopsis"]}),
        (
            "Advanced",
            {"classes": ["collapse"], "fields": ["slug", "runtime", "studio", "trailer_url"]},
        ),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("poster")

    @admin.display(description="Poster")
    def thumbnail(self, obj):
        return image_preview(obj.poster, size=48)

    @admin.display(description="Current poster")
    def poster_preview(self, obj):
        return image_preview(obj.poster, size=200)

    def added_by_name(self, record, details):
        """A link given while adding the film is its first watch option."""
        if url := details.get("watch_url"):
            FilmDetailsForm.watch_option(film=record, url=url).save()


@admin.register(Credit)
class CreditAdmin(SafeInputsMixin, FoldedSearchMixin, admin.ModelAdmin):
    list_display = ["person", "role", "film", "character", "note"]
    list_filter = ["role"]
    list_select_related = ["person", "film"]
    search_fields = ["person__name", "film__title", "character"]
    autocomplete_fields = ["person", "film"]


@admin.register(WatchOption)
class WatchOptionAdmin(SafeInputsMixin, FoldedSearchMixin, admin.ModelAdmin):
    formfield_overrides = HTTPS_LINKS
    form = WatchOptionForm
    list_display = ["film", "provider", "kind", "region", "available_from", "available_until"]
    list_filter = ["kind", "provider", "region"]
    list_select_related = ["film"]
    search_fields = ["film__title", "provider"]
    autocomplete_fields = ["film"]

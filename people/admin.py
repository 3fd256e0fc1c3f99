from django.contrib import admin

from newsmuse.admin import (
    HTTPS_LINKS,
    AddByNameMixin,
    AddedImage,
    FoldedSearchMixin,
    SafeInputsMixin,
    image_preview,
)

from .forms import PersonDetailsForm, PersonForm
from .models import Person


@admin.register(Person)
class PersonAdmin(AddByNameMixin, SafeInputsMixin, FoldedSearchMixin, admin.ModelAdmin):
    form = PersonForm
    add_by_name_form = PersonDetailsForm
    add_by_name_image = AddedImage("portrait", "Portrait", "Portrait of {name}")
    formfield_overrides = HTTPS_LINKS
    list_display = ["thumbnail", "name", "description", "updated_at"]
    list_display_links = ["thumbnail", "name"]
    list_select_related = ["portrait"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["portrait"]
    readonly_fields = ["portrait_preview"]
    fieldsets = [
        (None, {"fields": ["name", "description", "portrait", "portrait_preview", "bio"]}),
        ("Advanced", {"classes": ["collapse"], "fields": ["slug", "website"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("portrait")

    @admin.display(description="Portrait")
    def thumbnail(self, obj):
        return image_preview(obj.portrait, size=48)

    @admin.display(description="Current portrait")
    def portrait_preview(self, obj):
        return image_preview(obj.portrait, size=200)

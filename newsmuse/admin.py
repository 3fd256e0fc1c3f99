from django.contrib import admin
from django.db import models
from django.utils.html import format_html

from .models import Image

# Links typed without a scheme become https:// (Django 6's default), for every admin form.
HTTPS_LINKS = {models.URLField: {"assume_scheme": "https"}}


def image_preview(image, size=120):
    """A small preview of an Image for admin lists and forms; empty when there is none."""
    if not image or not image.file:
        return "—"
    return format_html(
        '<img src="{}" alt="" style="max-width:{}px;max-height:{}px;height:auto">',
        image.file.url,
        size,
        size,
    )


@admin.register(Image)
class ImageAdmin(admin.ModelAdmin):
    list_display = ["thumbnail", "title", "alt_text", "credit", "width", "height", "uploaded_at"]
    list_display_links = ["thumbnail", "title"]
    search_fields = ["title", "alt_text", "caption", "credit"]
    date_hierarchy = "uploaded_at"
    readonly_fields = ["preview", "width", "height", "uploaded_at"]
    fields = ["title", "file", "preview", "alt_text", "caption", "credit", "width", "height"]

    @admin.display(description="Image")
    def thumbnail(self, obj):
        return image_preview(obj, size=64)

    @admin.display(description="Preview")
    def preview(self, obj):
        return image_preview(obj, size=320)

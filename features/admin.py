from django.contrib import admin

from newsmuse.admin import image_preview

from .forms import FeatureAdminForm, ParticipantInlineFormSet
from .models import Feature, Participant, Series


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
        return request.user.has_perm("features.change_feature")

    def has_change_permission(self, request, obj=None):
        return request.user.has_perm("features.change_feature")

    def has_delete_permission(self, request, obj=None):
        return request.user.has_perm("features.change_feature")

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("features.view_feature")


@admin.register(Series)
class SeriesAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Feature)
class FeatureAdmin(admin.ModelAdmin):
    form = FeatureAdminForm
    inlines = [ParticipantInline]
    list_display = ["headline", "series", "status", "published_at", "updated_at"]
    list_filter = ["status", "series", "tags"]
    search_fields = ["headline", "dek", "participants__person__name", "films__title"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["headline"]}
    autocomplete_fields = ["series", "hero_image", "films"]
    readonly_fields = ["hero_preview", "created_at", "updated_at"]
    list_select_related = ["series"]
    fieldsets = [
        (None, {"fields": ["series", "headline", "dek", "hero_image", "hero_preview"]}),
        ("Interview", {"fields": ["body_source", "films", "tags"]}),
        ("Publication", {"fields": ["status", "published_at"]}),
        ("Advanced", {"classes": ["collapse"], "fields": ["slug", "created_at", "updated_at"]}),
    ]

    @admin.display(description="Current hero image")
    def hero_preview(self, obj):
        return image_preview(obj.hero_image, size=320)

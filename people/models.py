from django.db import models

from newsmuse.models import WebURLField
from newsmuse.paths import path_to


class PersonQuerySet(models.QuerySet):
    def for_page(self):
        """A person with their portrait ready to show (no more queries)."""
        return self.select_related("portrait")


class Person(models.Model):
    """Anyone newsmuse writes about or with: interviewers, guests and people credited on films."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    description = models.CharField(
        max_length=200,
        blank=True,
        help_text="One line under the name, e.g. “NASA flight engineer and astronaut”.",
    )
    bio = models.TextField(blank=True, help_text="A short biography. Blank lines start paragraphs.")
    portrait = models.ForeignKey(
        "newsmuse.Image",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    website = WebURLField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        verbose_name_plural = "people"

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return path_to("people:detail", self.slug)

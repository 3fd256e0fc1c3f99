from django.db import models


class Image(models.Model):
    """One picture in the library, reused wherever it appears (portraits, posters, heroes).

    The words that travel with the picture live here, so an image keeps its alt text,
    caption and credit on every page that shows it.
    """

    title = models.CharField(
        max_length=200, help_text="For finding the image in the library; readers never see it."
    )
    file = models.ImageField(upload_to="images/%Y/%m/", width_field="width", height_field="height")
    width = models.PositiveIntegerField(editable=False, default=0)
    height = models.PositiveIntegerField(editable=False, default=0)
    alt_text = models.CharField(
        "alt text",
        max_length=300,
        help_text="What the image shows, for readers who cannot see it. "
        "Describe the picture, not the article.",
    )
    caption = models.CharField(max_length=500, blank=True)
    credit = models.CharField(
        max_length=200, blank=True, help_text="Photographer, agency or rights holder."
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-uploaded_at", "-id"]

    def __str__(self):
        return self.title

import hashlib
import secrets
from pathlib import PurePath

from django.core.validators import MaxValueValidator, MinValueValidator, URLValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify
from taggit.managers import TaggableManager

# Bump to make every rendition stale, e.g. after changing encoder settings.
RENDITION_VERSION = 1


def original_upload_path(image, filename):
    """images/<year>/<month>/<slugified name>-<random>.<ext>: no spaces, no path tricks, and
    a name nobody can guess, since originals of unpublished pieces are stored here too."""
    path = PurePath(filename)
    stem = slugify(path.stem)[:80] or "image"
    extension = slugify(path.suffix.lstrip(".").lower())[:5] or "bin"
    return timezone.now().strftime(f"images/%Y/%m/{stem}-{secrets.token_hex(6)}.{extension}")


def rendition_upload_path(rendition, filename):
    return f"renditions/{rendition.image_id}/{rendition.key}/{filename}"


def _unit_interval():
    return [MinValueValidator(0.0), MaxValueValidator(1.0)]


WEB_SCHEMES = ("http", "https")
WEB_LINK_MESSAGE = "Enter a web address starting with https:// or http://."


def web_link(url: str) -> str:
    """The URL if readers may follow it (http or https), else "": a guard for links saved
    before the rule, or written around the forms."""
    scheme, _, _ = str(url).partition(":")
    return url if scheme.lower() in WEB_SCHEMES else ""


class WebURLField(models.URLField):
    """A link readers follow: http or https only (no ftp:, javascript: or data:)."""

    default_validators = [URLValidator(schemes=WEB_SCHEMES, message=WEB_LINK_MESSAGE)]

    def formfield(self, **kwargs):
        kwargs.setdefault("error_messages", {}).setdefault("invalid", WEB_LINK_MESSAGE)
        return super().formfield(**kwargs)


class DimensionedImageField(models.ImageField):
    """An ImageField that keeps its width and height fields filled without a hook on the
    creation of every instance.

    Django's ImageField listens to ``post_init`` to read the dimensions of an image built
    with a file, so every Image row any page loads paid for a signal and a file object.
    Here, as in Django, assigning a file reads them at once; an image built with a file
    gets them when it is saved, the first time anything reads them from the database.
    """

    def contribute_to_class(self, cls, name, **kwargs):
        models.FileField.contribute_to_class(self, cls, name, **kwargs)

    def pre_save(self, model_instance, add):
        file = super().pre_save(model_instance, add)
        self.update_dimension_fields(model_instance)
        return file


class ImageQuerySet(models.QuerySet):
    def with_renditions(self):
        """Images with their rendition rows, for commands that check or rebuild the files
        (one more query). Pages need none of this: see ``Image.pictures``."""
        return self.prefetch_related("renditions")


class Image(models.Model):
    """One picture in the library, reused wherever it appears (portraits, posters, heroes).

    The words that travel with the picture live here, so an image keeps its alt text,
    caption and credit on every page that shows it. Pages never serve the original: they
    use renditions (see newsmuse.renditions), whose markup is kept ready in ``pictures``.
    """

    title = models.CharField(
        max_length=200, help_text="For finding the image in the library; readers never see it."
    )
    file = DimensionedImageField(
        upload_to=original_upload_path,
        width_field="width",
        height_field="height",
        max_length=200,
    )
    width = models.PositiveIntegerField(editable=False, default=0)
    height = models.PositiveIntegerField(editable=False, default=0)
    alt_text = models.CharField(
        "alt text",
        max_length=300,
        blank=True,
        help_text="What the image shows, for readers who cannot see it. "
        "Describe the picture, not the article.",
    )
    is_decorative = models.BooleanField(
        "decorative",
        default=False,
        help_text="Tick only if the image adds nothing to the text; it then needs no alt text.",
    )
    caption = models.CharField(max_length=500, blank=True)
    credit = models.CharField(
        "credit / copyright",
        max_length=200,
        blank=True,
        help_text="Photographer, agency or rights holder.",
    )
    focal_x = models.FloatField(
        "focal point (x)",
        default=0.5,
        validators=_unit_interval(),
        help_text="0 is the left edge, 1 the right edge. Crops keep this point in view.",
    )
    focal_y = models.FloatField(
        "focal point (y)",
        default=0.5,
        validators=_unit_interval(),
        help_text="0 is the top edge, 1 the bottom edge.",
    )
    tags = TaggableManager(blank=True)
    pictures = models.JSONField(
        default=dict,
        blank=True,
        editable=False,
        help_text="What pages write for each crop (srcsets, fallback, size), kept ready from "
        "the renditions; see newsmuse.renditions.store_pictures.",
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    objects = ImageQuerySet.as_manager()

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(is_decorative=True) | ~Q(alt_text=""),
                name="image_alt_text_unless_decorative",
                violation_error_message="Write alt text, or mark the image as decorative.",
            ),
            models.CheckConstraint(
                condition=Q(focal_x__gte=0, focal_x__lte=1, focal_y__gte=0, focal_y__lte=1),
                name="image_focal_point_inside",
                violation_error_message="The focal point must lie inside the image (0 to 1).",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def alt(self):
        """The alt attribute: empty for decorative images."""
        return "" if self.is_decorative else self.alt_text

    @property
    def rendition_key(self):
        """Changes whenever the renditions must change: new file, new focal point."""
        source = f"{self.file.name}|{self.focal_x:.4f}|{self.focal_y:.4f}|{RENDITION_VERSION}"
        return hashlib.sha256(source.encode()).hexdigest()[:12]


class Rendition(models.Model):
    """One resized, cropped and re-encoded copy of an Image, made once and stored."""

    image = models.ForeignKey(Image, on_delete=models.CASCADE, related_name="renditions")
    key = models.CharField(max_length=12, help_text="The image's rendition key when made.")
    crop = models.CharField(max_length=20)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    format = models.CharField(max_length=5)
    file = models.FileField(upload_to=rendition_upload_path, max_length=200)
    size = models.PositiveIntegerField("bytes")

    class Meta:
        ordering = ["crop", "width", "format"]
        constraints = [
            models.UniqueConstraint(
                fields=["image", "key", "crop", "width", "format"], name="rendition_unique"
            ),
        ]

    def __str__(self):
        return f"{self.image} — {self.crop} {self.width}w {self.format}"


class ContentVersion(models.Model):
    """A single row that every change to what public pages show moves on; cached pages are
    filed under it, so a change makes them all fresh at once (see newsmuse.pagecache)."""

    ROW = 1

    version = models.BigIntegerField(default=0)
    changed = models.BigIntegerField(default=0, help_text="Unix time of the last change.")

    def __str__(self):
        return f"Content version {self.version}"

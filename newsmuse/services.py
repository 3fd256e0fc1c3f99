import hashlib
import logging
import re
from collections.abc import Iterable
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.db import IntegrityError, connection, models, transaction
from django.utils.text import slugify

from . import renditions
from .after_response import after_response
from .folding import fold
from .forms import ImageForm
from .models import Image, Rendition
from .storage import StorageWriteError
from .text import unaccent

logger = logging.getLogger(__name__)


def create_image(
    *,
    file: File,
    title: str = "",
    alt_text: str = "",
    is_decorative: bool = False,
    caption: str = "",
    credit: str = "",
    focal_x: float = 0.5,
    focal_y: float = 0.5,
    tags: Iterable[str] = (),
) -> Image:
    """Add an image to the library through the same checks as the admin, and make its
    renditions once the transaction commits, after the response when in a request (a page
    that shows the image sooner makes them itself). Without a title, the file's name gives
    one. Raises ValidationError and stores nothing when the file or the fields are refused."""
    form = ImageForm(
        data={
            "title": title or title_from_filename(file.name),
            "alt_text": alt_text,
            "is_decorative": is_decorative,
            "caption": caption,
            "credit": credit,
            "focal_x": focal_x,
            "focal_y": focal_y,
            "tags": ", ".join(f'"{tag}"' for tag in tags),
        },
        files={"file": file},
    )
    if not form.is_valid():
        raise ValidationError(form.errors)
    try:
        with transaction.atomic():
            image = form.save()
            transaction.on_commit(lambda: after_response(lambda: refresh_renditions(image)))
    except StorageWriteError as error:
        raise ValidationError({"file": [f"{error} Nothing was saved."]}) from error
    return image


def title_from_filename(filename: str) -> str:
    """A library title for an upload named ``filename``: “jose_hernandez-portrait.JPG” →
    “Jose hernandez portrait”; a name of no letters or digits gives “Untitled image”."""
    words = re.sub(r"[\W_]+", " ", PurePath(filename).stem).split()
    title = " ".join(words)[:200].strip()
    return title[:1].upper() + title[1:] if title else "Untitled image"


@transaction.atomic
def delete_images(images: Iterable[Image]) -> None:
    """Delete images with their renditions; the stored files go once the deletion commits.

    Raises ProtectedError (and deletes nothing) if a feature still uses one as its hero.
    """
    images = list(images)
    files = [image.file for image in images]
    files += [r.file for r in Rendition.objects.filter(image__in=images)]
    Image.objects.filter(pk__in=[image.pk for image in images]).delete()
    transaction.on_commit(lambda: [file.delete(save=False) for file in files])


def refresh_renditions(image: Image) -> None:
    """Drop outdated renditions and make every crop; an unreadable original is logged."""
    renditions.delete_all(image, stale_only=True)
    try:
        renditions.generate(image)
    except renditions.RenditionError:
        logger.warning("Could not make renditions of image %s", image.pk, exc_info=True)


def find_or_add_by_name(
    model: type[models.Model], name: str, *, name_field: str = "name", details=None
):
    """The record of ``model`` with this name, accents, case and spacing aside, or a new one
    with the name, a slug of its own and these ``details`` (field values, used only for a new
    record). Returns ``(record, created)``.

    Two editors adding the same name at once get the same record: the second waits for the
    first and then finds its record (on PostgreSQL behind an advisory lock on the name; on
    SQLite every transaction here starts with the write lock, IMMEDIATE). A slug another
    name took meanwhile is tried again. Raises ValidationError with a message for the editor
    when the name is unusable."""
    name = " ".join(name.split())
    field = model._meta.get_field(name_field)
    limit = field.max_length
    if not name:
        raise ValidationError("Type a name first.", code="required")
    if len(name) > limit:
        raise ValidationError(
            f"A name has at most {limit} characters; this one has {len(name)}.",
            code="max_length",
        )
    field.formfield().clean(name)  # what the record's own form refuses (a NUL character)
    same_name = model._default_manager.filter(**{f"{name_field}__folded": fold(name)})
    with transaction.atomic():
        _lock_name(model, fold(name))
        for _ in range(3):
            if existing := same_name.order_by("pk").first():
                return existing, False
            record = model(**{**(details or {}), name_field: name})
            record.slug = free_slug(model, name)
            record.full_clean(exclude=["slug"])  # a slug taken meanwhile is retried below
            try:
                with transaction.atomic():
                    record.save()
            except IntegrityError:
                continue  # another name took this slug a moment ago: choose again
            return record, True
    raise ValidationError(
        "Others are adding the same name right now; try again in a moment.", code="busy"
    )


def _lock_name(model: type[models.Model], folded_name: str) -> None:
    """Hold a PostgreSQL advisory lock on this name of this model until the transaction
    ends. SQLite needs none: its transactions take turns (see settings.DATABASES)."""
    if connection.vendor != "postgresql":
        return
    key = int.from_bytes(
        hashlib.blake2b(f"{model._meta.label}:{folded_name}".encode(), digest_size=8).digest(),
        "big",
        signed=True,
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])


def free_slug(model: type[models.Model], name: str) -> str:
    """A slug for ``name`` that no record of ``model`` has: “José Hernández” →
    “jose-hernandez”, then “jose-hernandez-2”… A name with no Latin letters or digits gets
    the model's name (“person-2”)."""
    limit = model._meta.get_field("slug").max_length - 6
    base = slugify(unaccent(name))[:limit].strip("-") or model._meta.model_name
    taken = set(model._default_manager.filter(slug__startswith=base).values_list("slug", flat=True))
    number = 1
    slug = base
    while slug in taken:
        number += 1
        slug = f"{base}-{number}"
    return slug

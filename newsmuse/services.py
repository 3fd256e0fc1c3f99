import logging
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.db import transaction

from . import renditions
from .forms import ImageForm
from .models import Image, Rendition
from .storage import StorageWriteError

logger = logging.getLogger(__name__)


def create_image(
    *,
    file: File,
    title: str,
    alt_text: str = "",
    is_decorative: bool = False,
    caption: str = "",
    credit: str = "",
    focal_x: float = 0.5,
    focal_y: float = 0.5,
    tags: Iterable[str] = (),
) -> Image:
    """Add an image to the library through the same checks as the admin, and make its
    renditions once the transaction commits. Raises ValidationError and stores nothing when
    the file or the fields are refused."""
    form = ImageForm(
        data={
            "title": title,
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
            transaction.on_commit(lambda: refresh_renditions(image))
    except StorageWriteError as error:
        raise ValidationError({"file": [f"{error} Nothing was saved."]}) from error
    return image


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

"""Renditions: each library image cropped, resized and re-encoded once, then stored.

A page asks for an image in a named crop (``hero``, ``portrait``, ``poster`` or ``full``)
and gets every width of that crop in every output format. Each rendition is a row (the
record of a stored file); what ``{% picture %}`` writes — the srcsets of every format, the
fallback's URL and size — is kept ready on the image's own row (``Image.pictures``), so a
page shows a picture with no query of its own. Missing renditions are made on first use
from a single decode of the original.
"""

import functools
import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction

from . import images, pagecache
from .models import Image, Rendition
from .storage import StorageWriteError

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Crop:
    aspect: float | None  # width / height; None keeps the whole picture
    widths: tuple[int, ...]

    def widths_for(self, source_width: int) -> list[int]:
        """The widths to make from a source this wide; never upscales."""
        smaller = [width for width in self.widths if width < source_width]
        return sorted({*smaller, min(source_width, max(self.widths))})


# An uncropped ("full") rendition is never taller than 2.5 times its width: very tall
# originals are cut around the focal point, which keeps every format's size limits.
TALLEST_FULL_ASPECT = 0.4

CROPS = {
    "hero": Crop(16 / 9, (480, 800, 1200, 1600)),
    "portrait": Crop(1.0, (160, 320, 640)),
    "poster": Crop(2 / 3, (240, 480, 800)),
    "full": Crop(None, (480, 960, 1600)),
}

EXTENSIONS = {"avif": "avif", "webp": "webp", "jpeg": "jpg", "png": "png"}


class RenditionError(Exception):
    """The original could not be read, so no renditions could be made."""


def ready(image: Image, crop: str) -> dict | None:
    """What ``{% picture %}`` needs for this crop, from the image's row; None when the
    renditions are missing or belong to an earlier file or focal point. No query."""
    pictures = image.pictures
    if pictures.get("key") != image.rendition_key:
        return None
    return pictures["crops"].get(crop)


def current(image: Image, crop: str) -> list[Rendition]:
    """The image's up-to-date renditions in this crop (uses prefetched renditions)."""
    key = image.rendition_key
    return [r for r in image.renditions.all() if r.key == key and r.crop == crop]


def is_complete(renditions: list[Rendition]) -> bool:
    """A crop is usable once it has a fallback (JPEG/PNG) every browser can show."""
    return any(r.format not in images.MODERN_FORMATS for r in renditions)


def missing_crops(image: Image) -> list[str]:
    return [crop for crop in CROPS if not is_complete(current(image, crop))]


def generate(image: Image, crops: Iterable[str] = CROPS) -> dict[str, list[Rendition]]:
    """Make the renditions of these crops that do not exist yet, decoding the original once.

    Safe to run twice or side by side: existing renditions are kept, and a rendition made
    by someone else in the meantime wins over ours. Raises RenditionError when the original
    cannot be read or a rendition cannot be written.
    """
    key = image.rendition_key
    existing = {
        (r.crop, r.width, r.format): r for r in Rendition.objects.filter(image=image, key=key)
    }
    made: dict[str, list[Rendition]] = defaultdict(list)
    picture = None
    for crop in crops:
        if is_complete(done := [r for (c, _, _), r in existing.items() if c == crop]):
            made[crop] = done
            continue
        if picture is None:
            picture = _decode(image)
        for width, output_format, resized in _variants(image, picture, crop):
            rendition = existing.get((crop, width, output_format))
            if rendition is None:
                rendition = _store(image, key, crop, resized(), output_format)
            made[crop].append(rendition)
    store_pictures(image)
    return dict(made)


def rebuild(image: Image, crops: Iterable[str] = CROPS) -> int:
    """Make these crops' renditions afresh, and only then let the old ones go: an original
    that cannot be read, or a rendition that cannot be written (a full disk), leaves every
    working rendition in place. Returns how many were made; raises RenditionError."""
    crops = list(crops)
    picture = _decode(image)
    key = image.rendition_key
    fresh: list[Rendition] = []
    try:
        for crop in crops:
            for _width, output_format, resized in _variants(image, picture, crop):
                fresh.append(_write(image, key, crop, resized(), output_format))
    except RenditionError:
        for rendition in fresh:
            rendition.file.delete(save=False)
        raise
    old = list(Rendition.objects.filter(image=image, crop__in=crops))
    with transaction.atomic():
        Rendition.objects.filter(pk__in=[r.pk for r in old]).delete()
        Rendition.objects.bulk_create(fresh)
        store_pictures(image)
        pagecache.content_changed()  # cached pages point at the old files
        transaction.on_commit(lambda: [r.file.delete(save=False) for r in old])
    return len(fresh)


def _variants(image: Image, picture, crop: str):
    """(width, format, a function making the resized picture) for every rendition of the
    crop; each width is resized once, however many formats it is written in."""
    aspect = CROPS[crop].aspect
    if aspect is None and picture.width / picture.height < TALLEST_FULL_ASPECT:
        aspect = TALLEST_FULL_ASPECT
    cropped = images.focal_crop(picture, aspect, image.focal_x, image.focal_y)
    formats = (*images.MODERN_FORMATS, images.fallback_format(cropped))
    for width in CROPS[crop].widths_for(cropped.width):
        resized = functools.cache(lambda width=width: images.resize_to_width(cropped, width))
        for output_format in formats:
            yield width, output_format, resized


def _decode(image: Image):
    try:
        with image.file.open("rb") as original:
            return images.load_upright_srgb(original)
    except (OSError, ValueError, SyntaxError, EOFError) as error:
        raise RenditionError(f"Cannot read {image.file.name or 'the original'}: {error}") from error
    finally:
        image.file.close()


def _write(image: Image, key: str, crop: str, picture, output_format: str) -> Rendition:
    """Encode and store one rendition's file; the row is returned unsaved."""
    try:
        data = images.encode(picture, output_format)
        rendition = Rendition(
            image=image,
            key=key,
            crop=crop,
            width=picture.width,
            height=picture.height,
            format=output_format,
            size=len(data),
        )
        name = f"{crop}-{picture.width}.{EXTENSIONS[output_format]}"
        rendition.file.save(name, ContentFile(data), save=False)
    except (OSError, ValueError, StorageWriteError) as error:
        raise RenditionError(
            f"Cannot write the {crop} {picture.width}px {output_format} rendition of "
            f"{image.file.name}: {error}"
        ) from error
    return rendition


def _store(image: Image, key: str, crop: str, picture, output_format: str) -> Rendition:
    """Write one rendition, file and row; one made by someone else meanwhile wins."""
    rendition = _write(image, key, crop, picture, output_format)
    try:
        with transaction.atomic():
            rendition.save()
    except IntegrityError:
        rendition.file.delete(save=False)
        rendition = Rendition.objects.get(
            image=image, key=key, crop=crop, width=picture.width, format=output_format
        )
    return rendition


def store_pictures(image: Image) -> dict:
    """Write what ``{% picture %}`` needs for every complete crop onto the image's row,
    from its current renditions (one read, one write), and return it.

    The URLs are the storage's at the time: after moving media to another URL or storage,
    ``rebuild_renditions --missing-only`` writes them again. New pictures need no page-cache
    refresh: a page made before them made them itself (``ensure``).
    """
    key = image.rendition_key
    by_crop: dict[str, list[Rendition]] = defaultdict(list)
    for rendition in Rendition.objects.filter(image=image, key=key).order_by("width"):
        by_crop[rendition.crop].append(rendition)
    crops = {crop: _picture_of(made) for crop, made in by_crop.items() if is_complete(made)}
    image.pictures = {"key": key, "crops": crops}
    Image.objects.filter(pk=image.pk).update(pictures=image.pictures)
    return image.pictures


def _picture_of(renditions: list[Rendition]) -> dict:
    """One crop's srcsets by format, modern formats first, and the fallback for <img> with
    its size in bytes (a feed's enclosure gives it)."""
    by_format: dict[str, list[Rendition]] = defaultdict(list)
    for rendition in renditions:  # ordered by width
        by_format[rendition.format].append(rendition)
    fallback = next(made for name, made in by_format.items() if name not in images.MODERN_FORMATS)
    largest = fallback[-1]
    return {
        "sources": [
            [images.MIME_TYPES[name], _srcset(by_format[name])]
            for name in images.MODERN_FORMATS
            if name in by_format
        ],
        "src": largest.file.url,
        "bytes": largest.size,
        "srcset": _srcset(fallback),
        "width": largest.width,
        "height": largest.height,
        "smallest": fallback[0].file.url,
    }


def _srcset(renditions_by_width: list[Rendition]) -> str:
    return ", ".join(f"{r.file.url} {r.width}w" for r in renditions_by_width)


def ensure(image: Image, crop: str) -> dict | None:
    """What ``{% picture %}`` needs for this crop: from the image's row when it is ready,
    else made now (first use after an upload or an upgrade). None if the original cannot be
    read; the page then leaves the picture out rather than failing."""
    picture = ready(image, crop)
    if picture is not None:
        return picture
    try:
        generate(image, [crop])
    except RenditionError:
        logger.warning("No renditions for image %s", image.pk, exc_info=True)
        return None
    return ready(image, crop)


def delete_all(image: Image, *, stale_only: bool = False) -> int:
    """Remove the image's renditions (only outdated ones with ``stale_only``); their files
    go once the deletion is committed."""
    renditions = Rendition.objects.filter(image=image)
    if stale_only:
        renditions = renditions.exclude(key=image.rendition_key)
    doomed = list(renditions)
    with transaction.atomic():
        Rendition.objects.filter(pk__in=[r.pk for r in doomed]).delete()
        store_pictures(image)
        pagecache.content_changed()  # cached pages may point at these files
        transaction.on_commit(lambda: [r.file.delete(save=False) for r in doomed])
    return len(doomed)

"""Reading, checking and re-encoding pictures with Pillow. No Django models here.

Uploads are checked by decoding them, never by their name; renditions are cropped around a
focal point, turned upright from EXIF, converted to sRGB and written without metadata.
"""

import functools
import io
import warnings
from dataclasses import dataclass

from PIL import Image as PILImage
from PIL import ImageCms, ImageOps, UnidentifiedImageError, features

ACCEPTED_FORMATS = ("JPEG", "PNG", "GIF", "WEBP") + (("AVIF",) if features.check("avif") else ())
_DISPLAY_NAMES = [name.replace("WEBP", "WebP") for name in ACCEPTED_FORMATS]
ACCEPTED_NAMES = ", ".join(_DISPLAY_NAMES[:-1]) + " or " + _DISPLAY_NAMES[-1]
# MPO is how Pillow names multi-picture JPEGs, such as many phones' photos.
EXTENSIONS = {
    "JPEG": "jpg",
    "MPO": "jpg",
    "PNG": "png",
    "GIF": "gif",
    "WEBP": "webp",
    "AVIF": "avif",
}

# Modern formats first: <picture> offers them in this order, the fallback goes in <img>.
MODERN_FORMATS = (("avif",) if features.check("avif") else ()) + (
    ("webp",) if features.check("webp") else ()
)
MIME_TYPES = {"avif": "image/avif", "webp": "image/webp", "jpeg": "image/jpeg", "png": "image/png"}
ENCODER_OPTIONS = {
    "avif": {"format": "AVIF", "quality": 55, "speed": 8},
    "webp": {"format": "WEBP", "quality": 80, "method": 4},
    "jpeg": {"format": "JPEG", "quality": 82, "optimize": True, "progressive": True},
    "png": {"format": "PNG", "optimize": True},
}


SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))


class ImageRejected(Exception):
    """An upload that is not an image we accept; the message says why, for the editor."""

    def __init__(self, message: str, code: str):
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class UploadInfo:
    format: str
    width: int
    height: int

    @property
    def extension(self) -> str:
        return EXTENSIONS[self.format]


def inspect_upload(file, *, max_bytes: int, max_pixels: int) -> UploadInfo:
    """Check an uploaded file by decoding it; raise ImageRejected naming the problem.

    A file is judged by what it decodes as: markup in a real image's metadata (an XMP
    packet, a comment) is harmless, and only files that are no image get the SVG message.
    """
    size = getattr(file, "size", None)
    if size is None:
        file.seek(0, io.SEEK_END)
        size = file.tell()
    if size > max_bytes:
        raise ImageRejected(
            f"The file is {_megabytes(size)}; images can be at most {_megabytes(max_bytes)}.",
            "too_large",
        )
    if size == 0:
        raise ImageRejected("The file is empty.", "empty")
    file.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", PILImage.DecompressionBombWarning)
            picture = PILImage.open(file, formats=ACCEPTED_FORMATS)
            width, height = picture.size
            if width * height > max_pixels:
                raise ImageRejected(
                    f"The image is {width} × {height} pixels ({_megapixels(width * height)}); "
                    f"the limit is {_megapixels(max_pixels)}. Scale it down and upload it again.",
                    "too_many_pixels",
                )
            picture.load()
    except UnidentifiedImageError as error:
        if _looks_like_markup(file):
            raise ImageRejected(
                f"SVG and other text or vector files are not accepted; upload a {ACCEPTED_NAMES}.",
                "svg",
            ) from error
        raise ImageRejected(
            f"This file is not an image we accept; upload a {ACCEPTED_NAMES}.", "not_an_image"
        ) from error
    except (PILImage.DecompressionBombError, PILImage.DecompressionBombWarning) as error:
        raise ImageRejected(
            f"The image is too large to open safely; the limit is {_megapixels(max_pixels)}.",
            "too_many_pixels",
        ) from error
    except (OSError, SyntaxError, ValueError, EOFError) as error:
        raise ImageRejected(
            "The image is damaged or incomplete and cannot be read; "
            "export it again and upload the new file.",
            "corrupt",
        ) from error
    finally:
        file.seek(0)
    return UploadInfo(format=picture.format, width=width, height=height)


def _looks_like_markup(file) -> bool:
    """Whether the file starts like SVG, HTML or XML text, after a BOM and blank space."""
    file.seek(0)
    head = file.read(512).removeprefix(b"\xef\xbb\xbf").lstrip().lower()
    return head.startswith(b"<") or b"<svg" in head


@functools.cache
def _eight_bit_levels() -> list[int]:
    """16-bit greyscale (Pillow's "I;16", "I;16B" and "I" modes) to 8-bit levels: Pillow's
    own conversion clips every level above 255 to white instead of scaling 0–65535 to 0–255.
    Made on first use, not at start-up, since few images need it."""
    return [round(level / 257) for level in range(65536)]


def _megabytes(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB"


def _megapixels(pixels: int) -> str:
    return f"{pixels / 1_000_000:.0f} megapixels"


def load_upright_srgb(file) -> PILImage.Image:
    """Decode an original once: first frame, turned upright, in sRGB, with no metadata."""
    with PILImage.open(file) as opened:
        opened.seek(0)
        picture = ImageOps.exif_transpose(opened)
        picture.load()
    if picture.mode.startswith("I"):
        picture = picture.convert("I").point(_eight_bit_levels(), "L")
    has_alpha = picture.mode in ("RGBA", "LA", "PA") or (
        picture.mode == "P" and "transparency" in picture.info
    )
    target_mode = "RGBA" if has_alpha else "RGB"
    icc = picture.info.get("icc_profile")
    if icc:
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            if picture.mode not in ("RGB", "RGBA", "CMYK", "L"):
                picture = picture.convert(target_mode)
            picture = ImageCms.profileToProfile(picture, source, SRGB, outputMode=target_mode)
        except (ImageCms.PyCMSError, OSError, ValueError):
            picture = picture.convert(target_mode)
    picture = picture.convert(target_mode) if picture.mode != target_mode else picture.copy()
    picture.info = {}
    return picture


def focal_crop(picture: PILImage.Image, aspect: float | None, focal_x: float, focal_y: float):
    """The largest part of the picture with this width/height ratio, centred on the focal
    point as far as the edges allow. ``aspect=None`` keeps the whole picture."""
    width, height = picture.size
    if aspect is None:
        return picture
    if width / height > aspect:
        crop_width, crop_height = round(height * aspect), height
    else:
        crop_width, crop_height = width, round(width / aspect)
    left = min(max(round(focal_x * width - crop_width / 2), 0), width - crop_width)
    top = min(max(round(focal_y * height - crop_height / 2), 0), height - crop_height)
    return picture.crop((left, top, left + crop_width, top + crop_height))


def resize_to_width(picture: PILImage.Image, width: int) -> PILImage.Image:
    if width >= picture.width:
        return picture
    height = max(1, round(picture.height * width / picture.width))
    return picture.resize((width, height), PILImage.Resampling.LANCZOS, reducing_gap=3.0)


def encode(picture: PILImage.Image, output_format: str) -> bytes:
    """The picture in one output format (see ENCODER_OPTIONS), with no metadata."""
    if output_format == "jpeg" and picture.mode != "RGB":
        picture = picture.convert("RGB")
    buffer = io.BytesIO()
    picture.save(buffer, **ENCODER_OPTIONS[output_format])
    return buffer.getvalue()


def fallback_format(picture: PILImage.Image) -> str:
    """The format every browser shows: PNG keeps transparency, JPEG for everything else."""
    return "png" if picture.mode == "RGBA" else "jpeg"

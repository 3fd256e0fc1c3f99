"""Pictures made in memory for the image tests, hostile ones included."""

import io
import struct
import zlib

from PIL import Image as PILImage
from PIL import PngImagePlugin


def picture_bytes(fmt="PNG", size=(64, 32), colour="navy", mode="RGB", **save_options):
    buffer = io.BytesIO()
    PILImage.new(mode, size, colour).save(buffer, fmt, **save_options)
    return buffer.getvalue()


def two_halves(size=(200, 100), left="red", right="blue"):
    """A picture whose left half and right half have different colours."""
    picture = PILImage.new("RGB", size, left)
    picture.paste(PILImage.new("RGB", (size[0] // 2, size[1]), right), (size[0] // 2, 0))
    return picture


def jpeg_with_exif(picture, *, orientation=None, gps=False):
    exif = PILImage.Exif()
    if orientation:
        exif[0x0112] = orientation
    if gps:
        exif[0x8825] = {1: "N", 2: (48.0, 51.0, 24.0), 3: "E", 4: (2.0, 21.0, 3.0)}
    exif[0x010F] = "Camera maker"
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", exif=exif, quality=95)
    return buffer.getvalue()


def png_claiming_size(width, height):
    """A tiny PNG whose header claims a huge size: a decompression bomb's calling card."""
    data = picture_bytes("PNG", (1, 1))
    ihdr = struct.pack(">II", width, height) + data[24:29]
    crc = struct.pack(">I", zlib.crc32(b"IHDR" + ihdr) & 0xFFFFFFFF)
    return data[:16] + ihdr + crc + data[33:]


def png_with_text(key, text, *, international=False):
    """A real PNG carrying ``text`` in a tEXt chunk, or an iTXt one when ``international``."""
    info = PngImagePlugin.PngInfo()
    if international:
        info.add_itxt(key, text)
    else:
        info.add_text(key, text)
    return picture_bytes("PNG", pnginfo=info)


def greyscale_16_bit(levels, fmt="PNG", mode="I;16", band=16):
    """A 16-bit greyscale picture: one ``band``-pixel-wide column per level (0–65535)."""
    picture = PILImage.new(mode, (band * len(levels), band))
    picture.putdata([level for level in levels for _ in range(band)] * band)
    buffer = io.BytesIO()
    picture.save(buffer, fmt)
    return buffer.getvalue()


def truncated_jpeg():
    noisy = PILImage.effect_noise((300, 300), 80).convert("RGB")
    buffer = io.BytesIO()
    noisy.save(buffer, "JPEG", quality=90)
    data = buffer.getvalue()
    return data[: len(data) // 2]


SVG_ELEMENT = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
SVG = b'<?xml version="1.0"?>' + SVG_ELEMENT
XMP_WITH_SVG = (
    '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF><rdf:Description>'
    f"<dc:source>{SVG_ELEMENT.decode()}</dc:source>"
    "</rdf:Description></rdf:RDF></x:xmpmeta>"
)

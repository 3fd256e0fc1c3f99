import io

import pytest
from django.core.files.base import ContentFile
from PIL import Image as PILImage
from PIL import ImageCms, features

from newsmuse import images, renditions
from newsmuse.models import Image
from tests.factories import ImageFactory
from tests.images import (
    SVG,
    SVG_ELEMENT,
    XMP_WITH_SVG,
    greyscale_16_bit,
    jpeg_with_exif,
    picture_bytes,
    png_claiming_size,
    png_with_text,
    truncated_jpeg,
    two_halves,
)

LIMITS = {"max_bytes": 2_000_000, "max_pixels": 10_000_000}


def inspect(data, **limits):
    return images.inspect_upload(io.BytesIO(data), **{**LIMITS, **limits})


@pytest.mark.parametrize(
    "fmt", ["JPEG", "PNG", "GIF", "WEBP"] + (["AVIF"] * features.check("avif"))
)
def test_real_images_are_accepted_and_named_by_what_they_are(fmt):
    info = inspect(picture_bytes(fmt, size=(40, 30)))
    assert (info.format, info.width, info.height) == (fmt, 40, 30)
    assert info.extension == images.EXTENSIONS[fmt]


@pytest.mark.parametrize(
    ("data", "code", "message"),
    [
        (b"GIF89a but not really an image at all" * 10, "not_an_image", "not an image we"),
        (bytes(range(256)) * 8, "not_an_image", "not an image we accept"),
        (picture_bytes("BMP"), "not_an_image", "upload a JPEG, PNG, GIF, WebP"),
        (picture_bytes("TIFF"), "not_an_image", "not an image we accept"),
        (truncated_jpeg(), "corrupt", "damaged or incomplete"),
        (png_claiming_size(5_000, 3_000), "too_many_pixels", "5000 × 3000 pixels (15 mega"),
        (png_claiming_size(40_000, 40_000), "too_many_pixels", "too large to open safely"),
        (b"", "empty", "The file is empty."),
    ],
    ids=[
        "fake gif",
        "noise",
        "bmp",
        "tiff",
        "truncated",
        "over the pixel limit",
        "decompression bomb",
        "empty",
    ],
)
def test_anything_else_is_refused_with_a_message_naming_the_problem(data, code, message):
    with pytest.raises(images.ImageRejected) as refused:
        inspect(data)
    assert refused.value.code == code
    assert message in str(refused.value)


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(SVG, id="svg"),
        pytest.param(SVG_ELEMENT, id="bare svg"),
        pytest.param(b"\xef\xbb\xbf" + SVG, id="byte order mark"),
        pytest.param(b"\n\n \t" + SVG, id="blank lines first"),
        pytest.param(
            b"\xef\xbb\xbf\n" + SVG.replace(b"?>", b"?><!--" + b" " * 600 + b"-->"),
            id="byte order mark, blank line and a long prolog",
        ),
        pytest.param(
            b'<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" '
            b'"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">' + SVG_ELEMENT,
            id="doctype",
        ),
        pytest.param(b"<html><body>hi</body></html>", id="html"),
        pytest.param(b"<!DOCTYPE html>\n<HTML><BODY>hi</BODY></HTML>", id="html with doctype"),
        pytest.param(b"\x89PNG\r\n\x1a\n" + SVG, id="png signature then svg"),
        pytest.param(b"GIF89a" + SVG, id="gif signature then svg"),
    ],
)
def test_svg_html_and_xml_files_are_refused_as_such(data):
    with pytest.raises(images.ImageRejected) as refused:
        inspect(data)
    assert refused.value.code == "svg"
    assert "SVG and other text or vector files are not accepted" in str(refused.value)


@pytest.mark.parametrize(
    ("data", "fmt"),
    [
        pytest.param(png_with_text("Comment", SVG_ELEMENT.decode()), "PNG", id="png tEXt"),
        pytest.param(
            png_with_text("XML:com.adobe.xmp", XMP_WITH_SVG, international=True),
            "PNG",
            id="png iTXt xmp",
        ),
        pytest.param(picture_bytes("JPEG", comment=SVG_ELEMENT), "JPEG", id="jpeg comment"),
    ],
)
def test_real_images_whose_metadata_mentions_svg_are_accepted(data, fmt):
    assert inspect(data).format == fmt


@pytest.mark.django_db
def test_a_png_whose_metadata_mentions_svg_gets_renditions_without_it():
    data = png_with_text("XML:com.adobe.xmp", XMP_WITH_SVG, international=True)
    assert inspect(data).format == "PNG"
    image = ImageFactory(file=ContentFile(data, name="logo.png"))
    made = renditions.generate(image, ["full"])["full"]
    assert {r.format for r in made} == {*images.MODERN_FORMATS, "jpeg"}
    for rendition in made:
        with rendition.file.open("rb") as stored:
            assert b"<svg" not in stored.read()


def test_files_over_the_size_limit_are_refused_before_decoding():
    with pytest.raises(images.ImageRejected, match=r"at most 0\.0 MB") as refused:
        inspect(picture_bytes("PNG"), max_bytes=10)
    assert refused.value.code == "too_large"


def test_exif_orientation_is_applied_and_metadata_stripped():
    # A landscape picture stored with "rotate 90° clockwise to display".
    data = jpeg_with_exif(two_halves((200, 100)), orientation=6, gps=True)
    picture = images.load_upright_srgb(io.BytesIO(data))
    assert picture.size == (100, 200)
    assert picture.info == {}

    encoded = PILImage.open(io.BytesIO(images.encode(picture, "jpeg")))
    assert not encoded.getexif()
    assert "exif" not in encoded.info and "icc_profile" not in encoded.info


@pytest.mark.parametrize("output_format", [*images.MODERN_FORMATS, "jpeg", "png"])
def test_no_output_format_carries_exif(output_format):
    picture = images.load_upright_srgb(io.BytesIO(jpeg_with_exif(two_halves(), gps=True)))
    encoded = PILImage.open(io.BytesIO(images.encode(picture, output_format)))
    assert not encoded.getexif()


def test_cmyk_and_embedded_profiles_come_out_as_plain_srgb():
    cmyk = io.BytesIO()
    PILImage.new("CMYK", (10, 10), (0, 255, 255, 0)).save(cmyk, "JPEG")  # pure red ink
    picture = images.load_upright_srgb(io.BytesIO(cmyk.getvalue()))
    assert picture.mode == "RGB"
    red, green, blue = picture.getpixel((5, 5))
    assert red > 200 and green < 60 and blue < 60

    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    tagged = picture_bytes("PNG", colour="orange", icc_profile=srgb)
    picture = images.load_upright_srgb(io.BytesIO(tagged))
    assert picture.mode == "RGB" and "icc_profile" not in picture.info


@pytest.mark.django_db
def test_16_bit_greyscale_keeps_its_grey_level_in_the_renditions():
    # 20000 of 65535 is 77.8 of 255.
    image = ImageFactory(file=ContentFile(greyscale_16_bit([20_000] * 4), name="grey.png"))
    made = renditions.generate(image, ["full"])["full"]
    assert {r.format for r in made} == {*images.MODERN_FORMATS, "jpeg"}
    for rendition in made:
        with rendition.file.open("rb") as stored:
            pixel = PILImage.open(stored).convert("RGB").getpixel((10, 10))
        assert all(abs(channel - 78) <= 3 for channel in pixel), (rendition.format, pixel)


# Uploads are never TIFF, but it is how Pillow writes the big-endian and 32-bit modes.
@pytest.mark.parametrize(("fmt", "mode"), [("PNG", "I;16"), ("TIFF", "I;16B"), ("TIFF", "I")])
def test_a_16_bit_greyscale_gradient_keeps_its_order(fmt, mode):
    levels = range(0, 65536, 4369)  # 16 steps from black to white
    data = greyscale_16_bit(levels, fmt, mode)
    assert PILImage.open(io.BytesIO(data)).mode == mode
    picture = images.load_upright_srgb(io.BytesIO(data))
    assert picture.mode == "RGB"
    greys = [picture.getpixel((16 * step + 8, 8)) for step in range(len(levels))]
    assert greys == [(round(level / 257),) * 3 for level in levels]


def test_transparency_is_kept_and_falls_back_to_png():
    picture = images.load_upright_srgb(
        io.BytesIO(picture_bytes("PNG", mode="RGBA", colour=(0, 0, 0, 0)))
    )
    assert picture.mode == "RGBA"
    assert images.fallback_format(picture) == "png"
    assert (
        images.fallback_format(images.load_upright_srgb(io.BytesIO(picture_bytes("GIF")))) == "jpeg"
    )


@pytest.mark.parametrize(
    ("focal_x", "expected"), [(0.9, (0, 0, 255)), (0.1, (255, 0, 0)), (0.5, None)]
)
def test_square_crop_keeps_the_focal_point_in_view(focal_x, expected):
    cropped = images.focal_crop(two_halves((200, 100)), 1.0, focal_x, 0.5)
    assert cropped.size == (100, 100)
    colours = {cropped.getpixel((x, 50)) for x in (0, 99)}
    if expected:
        assert colours == {expected}
    else:
        assert colours == {(255, 0, 0), (0, 0, 255)}


@pytest.mark.parametrize(
    ("aspect", "size"), [(16 / 9, (178, 100)), (2 / 3, (67, 100)), (None, (200, 100))]
)
def test_crops_have_the_aspect_ratio_asked_for(aspect, size):
    assert images.focal_crop(two_halves((200, 100)), aspect, 0.5, 0.5).size == size


def test_resizing_never_upscales():
    picture = two_halves((200, 100))
    assert images.resize_to_width(picture, 100).size == (100, 50)
    assert images.resize_to_width(picture, 400).size == (200, 100)


@pytest.mark.django_db
def test_an_image_knows_its_size_from_its_file_when_made_and_when_replaced():
    made = Image.objects.create(
        title="A", alt_text="A", file=ContentFile(picture_bytes("PNG", size=(40, 30)), "a.png")
    )
    assert (made.width, made.height) == (40, 30)
    made.file = ContentFile(picture_bytes("PNG", size=(20, 50)), "b.png")
    assert (made.width, made.height) == (20, 50)
    made.save()
    loaded = Image.objects.get(pk=made.pk)
    assert (loaded.width, loaded.height) == (20, 50)

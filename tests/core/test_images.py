import io

import pytest
from PIL import Image as PILImage
from PIL import ImageCms, features

from newsmuse import images
from tests.images import (
    SVG,
    jpeg_with_exif,
    picture_bytes,
    png_claiming_size,
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
        (SVG, "svg", "SVG and other text or vector files are not accepted"),
        (b"<html><body>hi</body></html>", "svg", "not accepted"),
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
        "svg",
        "html",
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

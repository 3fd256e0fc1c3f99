import io
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.template import Context, Template
from PIL import Image as PILImage

from newsmuse import images, renditions
from newsmuse.models import Image, Rendition
from tests.factories import ImageFactory, make_feature
from tests.images import two_halves

pytestmark = pytest.mark.django_db


def halves_image(**fields):
    buffer = io.BytesIO()
    two_halves((400, 200)).save(buffer, "PNG")
    return ImageFactory(file=ContentFile(buffer.getvalue(), name="halves.png"), **fields)


def decoded(rendition):
    with rendition.file.open("rb") as stored:
        return PILImage.open(io.BytesIO(stored.read()))


def test_each_crop_comes_in_every_width_and_format_without_upscaling():
    image = halves_image()
    made = renditions.generate(image, ["hero", "portrait"])
    formats = {*images.MODERN_FORMATS, "jpeg"}
    hero = {(r.width, r.height, r.format) for r in made["hero"]}
    assert hero == {(356, 200, f) for f in formats}  # narrower than every hero width
    portraits = {(r.width, r.format) for r in made["portrait"]}
    assert portraits == {(w, f) for w in (160, 200) for f in formats}
    for rendition in made["hero"]:
        picture = decoded(rendition)
        assert picture.size == (rendition.width, rendition.height)
        assert picture.format.lower() == rendition.format


def test_portrait_crop_follows_the_focal_point():
    image = halves_image(focal_x=0.95)
    made = renditions.generate(image, ["portrait"])["portrait"]
    jpeg = next(r for r in made if r.format == "jpeg")
    red, _, blue = decoded(jpeg).convert("RGB").getpixel((5, 5))
    assert blue > 200 and red < 60


def test_generation_is_idempotent():
    image = halves_image()
    first = renditions.generate(image)
    files_after_first = sorted(p.name for p in Path(settings.MEDIA_ROOT, "renditions").rglob("*"))
    second = renditions.generate(image)
    assert {r.pk for group in first.values() for r in group} == {
        r.pk for group in second.values() for r in group
    }
    assert sorted(p.name for p in Path(settings.MEDIA_ROOT, "renditions").rglob("*")) == (
        files_after_first
    )


def test_moving_the_focal_point_makes_new_renditions_and_old_ones_can_be_purged():
    image = halves_image()
    old = renditions.generate(image, ["portrait"])["portrait"]
    image.focal_x = 0.9
    image.save()
    image = Image.objects.prefetch_related("renditions").get(pk=image.pk)
    assert renditions.current(image, "portrait") == []
    assert renditions.ready(image, "portrait") is None  # the row's markup is for the old crop
    new = renditions.generate(image, ["portrait"])["portrait"]
    assert {r.file.name for r in new}.isdisjoint({r.file.name for r in old})
    assert renditions.ready(image, "portrait")["src"].endswith(new[-1].file.name)
    assert renditions.delete_all(image, stale_only=True) == len(old)
    assert Rendition.objects.filter(image=image).count() == len(new)


def test_what_the_picture_tag_writes_is_ready_on_the_image_row(django_assert_num_queries):
    image = halves_image(alt_text="Two colours")
    renditions.generate(image)
    image = Image.objects.get(pk=image.pk)
    hero = image.pictures["crops"]["hero"]
    assert (hero["width"], hero["height"]) == (356, 200)
    assert hero["srcset"].endswith(".jpg 356w")
    with django_assert_num_queries(0):
        html = render('{% picture image "hero" %}', image=image)
    assert hero["src"] in html and hero["sources"][0][1] in html


def test_deleting_renditions_takes_them_off_the_row_so_pages_make_them_again():
    image = halves_image()
    renditions.generate(image, ["hero"])
    renditions.delete_all(image)
    assert renditions.ready(Image.objects.get(pk=image.pk), "hero") is None
    html = render('{% picture image "hero" %}', image=Image.objects.get(pk=image.pk))
    assert ".jpg 356w" in html
    assert Rendition.objects.filter(image=image, crop="hero", format="jpeg").exists()


def test_an_unreadable_original_leaves_the_picture_out_instead_of_failing(caplog):
    image = ImageFactory()
    image.file.storage.delete(image.file.name)
    assert render('{% picture image "hero" %}', image=image) == ""
    assert "No renditions for image" in caplog.text


def render(source, **context):
    return Template("{% load newsmuse %}" + source).render(Context(context))


def test_picture_tag_writes_sources_srcset_size_and_alt():
    image = halves_image(alt_text="Two colours & a line")
    html = render('{% picture image "hero" sizes="50vw" css_class="wide" %}', image=image)
    assert html.startswith('<picture class="wide">')
    for name in images.MODERN_FORMATS:
        assert f'<source type="image/{name}" srcset="/media/renditions/' in html
    img = re.search(r"<img [^>]+>", html).group(0)
    assert 'width="356" height="200"' in img
    assert 'alt="Two colours &amp; a line"' in img
    assert 'sizes="50vw"' in img and 'srcset="/media/renditions/' in img and " 356w" in img
    assert 'loading="lazy"' in img and 'decoding="async"' in img
    assert "fetchpriority" not in img


def test_picture_tag_for_the_hero_is_eager_and_decorative_images_have_empty_alt():
    image = halves_image(alt_text="", is_decorative=True)
    html = render('{% picture image "hero" eager=True %}', image=image)
    assert 'fetchpriority="high"' in html and "loading=" not in html
    assert 'alt=""' in html
    assert render('{% picture image "hero" %}', image=None) == ""


def test_a_page_decodes_each_original_once_and_then_never_again(client, monkeypatch):
    decodes = []
    real = images.load_upright_srgb
    monkeypatch.setattr(images, "load_upright_srgb", lambda f: decodes.append(1) or real(f))
    feature = make_feature(guests=3, films=2)
    distinct_images = 1 + 3 + 2  # hero, portraits, posters

    client.get(feature.get_absolute_url())
    assert len(decodes) == distinct_images
    client.get(feature.get_absolute_url())
    assert len(decodes) == distinct_images


def test_rebuild_renditions_reports_unreadable_files_and_carries_on():
    good = halves_image()
    broken = ImageFactory(title="Lost original")
    broken.file.storage.delete(broken.file.name)
    output, errors = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError, match="1 could not be read"):
        call_command("rebuild_renditions", stdout=output, stderr=errors)
    assert "Lost original" in errors.getvalue()
    assert (
        renditions.missing_crops(Image.objects.prefetch_related("renditions").get(pk=good.pk)) == []
    )


def test_rebuild_renditions_missing_only_and_dry_run_make_nothing_twice():
    image = halves_image()
    out = io.StringIO()
    call_command("rebuild_renditions", "--dry-run", stdout=out)
    assert "would rebuild 1" in out.getvalue()
    assert not Rendition.objects.exists()

    call_command("rebuild_renditions", "--missing-only", stdout=io.StringIO())
    made = set(Rendition.objects.filter(image=image).values_list("pk", flat=True))
    assert made

    out = io.StringIO()
    call_command("rebuild_renditions", "--missing-only", stdout=out)
    assert "rebuilt 0; 0 renditions made" in out.getvalue()
    assert set(Rendition.objects.values_list("pk", flat=True)) == made

    call_command("rebuild_renditions", stdout=io.StringIO())
    assert Rendition.objects.count() == len(made)
    assert set(Rendition.objects.values_list("pk", flat=True)).isdisjoint(made)


def test_phone_photos_stored_as_multi_picture_jpegs_are_accepted():
    buffer = io.BytesIO()
    first, second = two_halves(), two_halves(left="green")
    first.save(buffer, "MPO", save_all=True, append_images=[second])
    info = images.inspect_upload(buffer, max_bytes=10**7, max_pixels=10**7)
    assert (info.format, info.extension) == ("MPO", "jpg")


def test_very_tall_images_get_renditions_within_every_formats_limits():
    buffer = io.BytesIO()
    PILImage.new("RGB", (1000, 17000), "teal").save(buffer, "PNG")
    image = ImageFactory(file=ContentFile(buffer.getvalue(), name="scroll.png"))
    made = renditions.generate(image, ["full"])["full"]
    assert {r.format for r in made} == {*images.MODERN_FORMATS, "jpeg"}
    assert max(r.height for r in made) <= 2.5 * 1000


def test_a_crop_missing_its_fallback_is_completed_not_served_half_made():
    image = halves_image()
    renditions.generate(image, ["hero"])
    Rendition.objects.filter(image=image, format="jpeg").delete()
    renditions.store_pictures(image)
    image = Image.objects.prefetch_related("renditions").get(pk=image.pk)
    assert renditions.missing_crops(image)[:1] == ["hero"]
    html = render('{% picture image "hero" %}', image=image)
    assert ".jpg 356w" in html


def test_rebuild_missing_only_rewrites_picture_urls_after_media_moves(settings):
    image = halves_image()
    renditions.generate(image)
    settings.MEDIA_URL = "https://media.example.org/"
    call_command("rebuild_renditions", "--missing-only", stdout=io.StringIO())
    image = Image.objects.get(pk=image.pk)
    assert renditions.ready(image, "hero")["src"].startswith("https://media.example.org/")


@pytest.mark.parametrize("damage", ["missing", "truncated"])
def test_rebuilding_from_a_damaged_original_keeps_the_working_renditions(damage):
    image = halves_image()
    renditions.generate(image)
    kept = sorted(Rendition.objects.filter(image=image).values_list("file", flat=True))
    storage = image.file.storage
    if damage == "missing":
        storage.delete(image.file.name)
    else:
        with storage.open(image.file.name, "rb") as original:
            head = original.read(200)
        storage.delete(image.file.name)
        storage.save(image.file.name, ContentFile(head))
    errors = io.StringIO()
    with pytest.raises(CommandError, match="1 could not be read"):
        call_command("rebuild_renditions", stdout=io.StringIO(), stderr=errors)
    assert sorted(Rendition.objects.filter(image=image).values_list("file", flat=True)) == kept
    assert all(storage.exists(name) for name in kept)
    html = render('{% picture image "hero" %}', image=Image.objects.get(pk=image.pk))
    assert ".jpg 356w" in html


def test_a_rebuild_that_cannot_write_leaves_the_old_renditions_and_no_new_files(monkeypatch):
    image = halves_image()
    renditions.generate(image)
    kept = sorted(Rendition.objects.filter(image=image).values_list("file", flat=True))
    files_before = sorted(p.name for p in Path(settings.MEDIA_ROOT, "renditions").rglob("*.*"))
    real_encode, calls = images.encode, []

    def encode_until_the_disk_fills(picture, output_format):
        calls.append(output_format)
        if len(calls) > 5:
            raise OSError(28, "No space left on device")
        return real_encode(picture, output_format)

    monkeypatch.setattr(images, "encode", encode_until_the_disk_fills)
    with pytest.raises(renditions.RenditionError, match="No space left"):
        renditions.rebuild(image)
    assert sorted(Rendition.objects.filter(image=image).values_list("file", flat=True)) == kept
    files_after = sorted(p.name for p in Path(settings.MEDIA_ROOT, "renditions").rglob("*.*"))
    assert files_after == files_before


def test_a_full_rebuild_replaces_every_file_and_the_markup_follows(
    django_capture_on_commit_callbacks,
):
    image = halves_image()
    renditions.generate(image)
    old = set(Rendition.objects.filter(image=image).values_list("file", flat=True))
    with django_capture_on_commit_callbacks(execute=True):
        made = renditions.rebuild(image)
    assert not any(image.file.storage.exists(name) for name in old)
    new = set(Rendition.objects.filter(image=image).values_list("file", flat=True))
    assert made == len(new) == len(old) and new.isdisjoint(old)
    hero = renditions.ready(Image.objects.get(pk=image.pk), "hero")
    assert any(name in hero["srcset"] for name in new)

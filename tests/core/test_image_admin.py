import errno
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from newsmuse import images, renditions
from newsmuse.models import Image, Rendition
from tests.factories import FeatureFactory, ImageFactory
from tests.images import SVG, picture_bytes, png_claiming_size, truncated_jpeg

pytestmark = pytest.mark.django_db

ADD = reverse("admin:newsmuse_image_add")


def stored_originals():
    return sorted(Path(settings.MEDIA_ROOT).glob("images/**/*.*"))


def upload(client, data, name="photo.png", **fields):
    form = {
        "title": "A photo",
        "alt_text": "Two people talking",
        "focal_x": "0.5",
        "focal_y": "0.5",
    }
    form.update(fields)
    return client.post(ADD, {**form, "file": SimpleUploadedFile(name, data)})


def test_editor_uploads_an_image_and_gets_its_renditions(
    superuser_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(
            superuser_client, picture_bytes("PNG", (300, 200)), name="My Photo (1).JPG", tags="cast"
        )
    assert response.status_code == 302
    image = Image.objects.prefetch_related("renditions").get()
    # Named by what it really is, with a part nobody can guess.
    assert re.fullmatch(r"my-photo-1-[0-9a-f]{12}\.png", Path(image.file.name).name)
    assert (image.width, image.height) == (300, 200)
    assert renditions.missing_crops(image) == []
    assert list(image.tags.names()) == ["cast"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (SVG, "SVG and other text or vector files are not accepted"),
        (truncated_jpeg(), "damaged or incomplete"),
        (png_claiming_size(9_000, 9_000), "9000 × 9000 pixels"),
        (b"just some text", "not an image we accept"),
    ],
    ids=["svg", "truncated", "too many pixels", "text"],
)
def test_hostile_uploads_are_refused_and_nothing_is_stored(superuser_client, data, message):
    before = stored_originals()
    response = upload(superuser_client, data, name="innocent.png")
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Image.objects.exists()
    assert stored_originals() == before


def test_oversized_upload_is_refused(superuser_client, settings):
    settings.IMAGE_MAX_UPLOAD_BYTES = 100
    response = upload(superuser_client, picture_bytes("PNG", (300, 300), colour="red"))
    assert "images can be at most" in response.content.decode()
    assert not Image.objects.exists()


def test_alt_text_is_required_unless_the_image_is_decorative(superuser_client):
    response = upload(superuser_client, picture_bytes(), alt_text="")
    assert "Write alt text describing the image" in response.content.decode()
    assert not Image.objects.exists()
    response = upload(superuser_client, picture_bytes(), alt_text="", is_decorative="on")
    assert response.status_code == 302


def test_focal_point_outside_the_image_is_refused(superuser_client):
    response = upload(superuser_client, picture_bytes(), focal_x="1.5")
    assert "less than or equal to 1" in response.content.decode()
    assert not Image.objects.exists()


def test_moving_the_focal_point_in_the_admin_replaces_the_renditions(
    superuser_client, django_capture_on_commit_callbacks
):
    image = ImageFactory()
    renditions.generate(image, ["portrait"])
    old = set(Rendition.objects.values_list("pk", flat=True))
    change = reverse("admin:newsmuse_image_change", args=[image.pk])
    form = {"title": image.title, "alt_text": image.alt_text, "focal_x": "0.2", "focal_y": "0.5"}
    with django_capture_on_commit_callbacks(execute=True):
        assert superuser_client.post(change, form).status_code == 302
    now = set(Rendition.objects.values_list("pk", flat=True))
    assert now and now.isdisjoint(old)


def test_change_form_offers_click_to_set_focal_point_with_number_fields(superuser_client):
    image = ImageFactory()
    html = superuser_client.get(reverse("admin:newsmuse_image_change", args=[image.pk])).content
    html = html.decode()
    assert "focal-point.js" in html
    assert 'data-focal=""' in html
    assert 'name="focal_x"' in html and 'type="number"' in html


def test_library_is_searchable_by_tag_and_lists_thumbnails_in_fixed_queries(
    superuser_client, django_assert_max_num_queries
):
    for n in range(5):
        renditions.generate(ImageFactory(title=f"Still {n}"), ["full"])
    tagged = ImageFactory(title="Premiere night")
    tagged.tags.add("red carpet")
    response = superuser_client.get(reverse("admin:newsmuse_image_changelist"), {"q": "carpet"})
    assert list(response.context["cl"].result_list) == [tagged]
    with django_assert_max_num_queries(10):
        response = superuser_client.get(reverse("admin:newsmuse_image_changelist"))
    assert response.content.decode().count("/media/renditions/") == 5


def test_deleting_an_image_removes_its_files_and_renditions(
    superuser_client, django_capture_on_commit_callbacks
):
    image = ImageFactory()
    renditions.generate(image, ["full"])
    paths = [Path(image.file.path)] + [Path(r.file.path) for r in Rendition.objects.all()]
    assert all(path.exists() for path in paths)
    delete = reverse("admin:newsmuse_image_delete", args=[image.pk])
    with django_capture_on_commit_callbacks(execute=True):
        assert superuser_client.post(delete, {"post": "yes"}).status_code == 302
    assert not Image.objects.exists() and not Rendition.objects.exists()
    assert not any(path.exists() for path in paths)


def test_an_image_used_as_a_hero_cannot_be_deleted(superuser_client):
    feature = FeatureFactory()
    delete = reverse("admin:newsmuse_image_delete", args=[feature.hero_image.pk])
    response = superuser_client.post(delete, {"post": "yes"})
    assert "would require deleting the following protected related objects" in (
        response.content.decode()
    )
    assert Path(feature.hero_image.file.path).exists()


def test_replacing_the_file_removes_the_old_original(
    superuser_client, django_capture_on_commit_callbacks
):
    image = ImageFactory()
    old_path = Path(image.file.path)
    change = reverse("admin:newsmuse_image_change", args=[image.pk])
    form = {"title": image.title, "alt_text": image.alt_text, "focal_x": "0.5", "focal_y": "0.5"}
    upload_file = SimpleUploadedFile("new.png", picture_bytes("PNG", (80, 40), colour="red"))
    with django_capture_on_commit_callbacks(execute=True):
        response = superuser_client.post(change, {**form, "file": upload_file})
    assert response.status_code == 302
    image.refresh_from_db()
    assert (image.width, image.height) == (80, 40)
    assert Path(image.file.path).exists()
    assert not old_path.exists()


@pytest.fixture
def disk(monkeypatch):
    """``disk.fill()`` makes every file the media storage writes fail part-way, as on a
    full disk: the file is created, then writing its bytes raises ENOSPC."""
    from django.core.files.storage import filesystem

    real_fdopen = filesystem.os.fdopen

    class FullFile:
        def __init__(self, fd, mode):
            self.file = real_fdopen(fd, mode)

        def write(self, chunk):
            raise OSError(errno.ENOSPC, "No space left on device")

        def close(self):
            self.file.close()

    class Disk:
        def fill(self):
            monkeypatch.setattr(filesystem.os, "fdopen", FullFile)

        def free(self):
            monkeypatch.setattr(filesystem.os, "fdopen", real_fdopen)

    return Disk()


def all_media_files():
    return sorted(p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file())


def test_an_upload_to_a_full_disk_says_so_and_leaves_no_record_and_no_file(superuser_client, disk):
    before = all_media_files()
    disk.fill()
    response = upload(superuser_client, picture_bytes("PNG", (300, 200)), title="Keep my title")
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "no space is left on the server's disk" in errors["file"][0]
    assert "Keep my title" in response.content.decode()  # what was typed is still there
    assert not Image.objects.exists()
    assert all_media_files() == before

    disk.free()
    assert upload(superuser_client, picture_bytes("PNG", (300, 200))).status_code == 302
    assert Image.objects.count() == 1


def test_the_image_service_refuses_a_full_disk_with_a_validation_error(disk):
    from django.core.exceptions import ValidationError
    from django.core.files.base import ContentFile

    from newsmuse.services import create_image

    before = all_media_files()
    disk.fill()
    with pytest.raises(ValidationError, match="no space is left"):
        create_image(
            file=ContentFile(picture_bytes("PNG", (300, 200)), name="p.png"),
            title="Photo",
            alt_text="Two people",
        )
    assert not Image.objects.exists() and all_media_files() == before


def test_renditions_that_cannot_be_written_leave_no_empty_files(disk, caplog):
    image = ImageFactory()
    before = all_media_files()
    disk.fill()
    assert renditions.ensure(image, "hero") is None
    assert "No renditions for image" in caplog.text
    assert all_media_files() == before
    assert not Rendition.objects.filter(image=image).exists()


@pytest.mark.parametrize(
    ("tags", "message"),
    [
        ("x" * 101, "Tags can be at most 100 characters"),
        ("y" * 60_000, "Tags can be at most 100 characters"),
        (", ".join(f"tag{n}" for n in range(5_000)), "An image can have at most 50 tags"),
        ("!!!", "Tags need at least one letter or digit"),
    ],
    ids=["101 characters", "60,000 characters", "5,000 tags", "punctuation"],
)
def test_image_tags_are_bounded_with_a_clear_message(superuser_client, tags, message):
    ImageFactory().tags.add("existing")  # a tag to compare with, as on a live site
    response = upload(superuser_client, picture_bytes("PNG", (300, 200)), tags=tags)
    assert response.status_code == 200
    assert message in " ".join(response.context["adminform"].form.errors["tags"])
    assert Image.objects.count() == 1


@pytest.mark.django_db(transaction=True)  # renditions are made when the save commits
def test_the_editor_is_told_when_renditions_cannot_be_made(superuser_client, monkeypatch):
    def no_encoder(picture, output_format):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(images, "encode", no_encoder)
    response = upload(superuser_client, picture_bytes("PNG", (300, 200)))
    page = superuser_client.get(response["Location"]).content.decode()
    assert "its renditions could not all be made" in page
    assert Image.objects.count() == 1  # the image itself is kept


# A refused save keeps the chosen file ---------------------------------------------------


def page_text(response):
    return response.content.decode()


def kept_files():
    return sorted(Path(settings.MEDIA_ROOT).glob("kept-uploads/*/*"))


def test_a_refused_save_keeps_the_chosen_file_and_the_next_save_uses_it(
    superuser_client, django_capture_on_commit_callbacks
):
    before = kept_files()
    response = upload(superuser_client, picture_bytes("PNG", (300, 200)), alt_text="")
    assert response.status_code == 200
    help_at_the_file = re.search(r'id="id_file_helptext">\s*<div>(.*?)</div>', page_text(response))[
        1
    ]
    assert help_at_the_file.startswith("“photo.png” from your last try is kept")
    token = response.context["adminform"].form["kept_file"].value()
    [kept] = sorted(set(kept_files()) - set(before))
    kept_url = settings.MEDIA_URL + kept.relative_to(settings.MEDIA_ROOT).as_posix()
    assert superuser_client.get(kept_url).status_code == 404  # never served

    form = {"title": "A photo", "alt_text": "Two people", "focal_x": "0.5", "focal_y": "0.5"}
    with django_capture_on_commit_callbacks(execute=True):
        response = superuser_client.post(ADD, {**form, "kept_file": token})
    assert response.status_code == 302
    image = Image.objects.get()
    assert (image.width, image.height) == (300, 200)
    assert Path(image.file.path).parent.parent.parent.name == "images"
    assert not kept.exists() and not kept.parent.exists()


def test_a_kept_file_serves_only_the_editor_who_chose_it(
    superuser_client, client, django_user_model
):
    response = upload(superuser_client, picture_bytes("PNG", (300, 200)), alt_text="")
    token = response.context["adminform"].form["kept_file"].value()
    colleague = django_user_model.objects.create_superuser("colleague", "c@example.com", "pw")
    client.force_login(colleague)
    form = {"title": "A photo", "alt_text": "Two people", "focal_x": "0.5", "focal_y": "0.5"}
    for stolen in [token, token[:-2] + "xx", "kept-uploads/anything/photo.png"]:
        response = client.post(ADD, {**form, "kept_file": stolen})
        assert response.status_code == 200
        assert "This field is required" in response.content.decode()
    assert not Image.objects.exists()


def test_abandoned_kept_files_are_cleared_after_a_day(superuser_client):
    import os
    import time

    from django.core.management import call_command

    upload(superuser_client, picture_bytes("PNG", (300, 200)), alt_text="")
    upload(superuser_client, picture_bytes("PNG", (300, 200)), alt_text="")
    old, fresh = kept_files()[-2:]
    two_days_ago = time.time() - 2 * 86400
    os.utime(old, (two_days_ago, two_days_ago))

    call_command("clear_kept_uploads", "--dry-run", stdout=open(os.devnull, "w"))  # noqa: SIM115
    assert old.exists()
    call_command("clear_kept_uploads", stdout=open(os.devnull, "w"))  # noqa: SIM115
    assert not old.exists() and not old.parent.exists()
    assert fresh.exists()

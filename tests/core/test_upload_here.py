"""Uploading an image from the field that uses it (a hero, a portrait, a poster)."""

import json
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.admin.models import ADDITION, LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from newsmuse import renditions
from newsmuse.models import Image
from newsmuse.services import title_from_filename
from tests.images import SVG, picture_bytes

pytestmark = pytest.mark.django_db

URL = "/admin/newsmuse/image/upload-here/"


def stored_files():
    return set(Path(settings.MEDIA_ROOT).glob("images/**/*.*"))


def upload(client, data=None, name="jose_hernandez-portrait.JPG", **fields):
    form = {"alt_text": "José Hernández smiling in a flight suit", **fields}
    if data is not False:
        form["file"] = SimpleUploadedFile(name, data or picture_bytes("PNG", (300, 200)))
    response = client.post(URL, form)
    return response.status_code, json.loads(response.content)


def test_an_upload_goes_into_the_library_titled_after_its_file_with_renditions(
    superuser_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        status, answer = upload(superuser_client)

    image = Image.objects.get()
    assert status == 201
    assert answer == {
        "id": image.pk,
        "text": "Jose hernandez portrait",
        "thumbnail": image.file.url,
    }
    assert image.alt_text == "José Hernández smiling in a flight suit"
    assert renditions.missing_crops(image) == []
    assert LogEntry.objects.get().action_flag == ADDITION


def test_a_decorative_image_needs_no_alt_text(superuser_client):
    status, answer = upload(superuser_client, alt_text="", is_decorative="on")

    assert status == 201
    assert Image.objects.get(pk=answer["id"]).is_decorative


@pytest.mark.parametrize(
    ("data", "fields", "message"),
    [
        (None, {"alt_text": ""}, "Write alt text describing the image"),
        (SVG, {}, "SVG and other text or vector files are not accepted"),
        (b"just some text", {}, "not an image we accept"),
        (False, {}, "Choose an image file first."),
    ],
    ids=["no alt text", "svg", "text", "no file"],
)
def test_a_refused_upload_says_why_and_stores_nothing(superuser_client, data, fields, message):
    stored_before = stored_files()

    status, answer = upload(superuser_client, data, **fields)

    assert status == 400
    assert message in answer["error"]
    assert not Image.objects.exists()
    assert stored_files() == stored_before


def test_only_post_uploads_and_only_for_those_who_may_add_images(client, django_user_model):
    user = django_user_model.objects.create_user("reader", password="pw", is_staff=True)
    client.force_login(user)

    assert upload(client) == (403, {"error": "You may not add images."})
    assert client.get(URL).status_code == 405
    assert not Image.objects.exists()


def test_a_contributor_is_offered_the_upload_on_the_feature_form(client, contributor):
    client.force_login(contributor)

    form = client.get(reverse("admin:features_feature_add")).content.decode()

    assert f'data-upload-here="{URL}"' in form
    assert "newsmuse/admin/upload-here.js" in form
    assert upload(client)[0] == 201


@pytest.mark.parametrize(
    ("filename", "title"),
    [
        ("jose_hernandez-portrait.JPG", "Jose hernandez portrait"),
        ("IMG_0042.jpeg", "IMG 0042"),
        ("Póster final (2).png", "Póster final 2"),
        ("___.png", "Untitled image"),
        ("x" * 300 + ".png", "X" + "x" * 199),
    ],
)
def test_titles_come_from_file_names(filename, title):
    assert title_from_filename(filename) == title

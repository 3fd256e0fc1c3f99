"""Media on S3 (MEDIA_STORAGE=s3), against moto's S3 server on a free loopback port.

The storage is configured by the settings' own ``env_s3_media`` from MEDIA_S3_* variables,
with dummy keys, and every request goes to 127.0.0.1: no proxy, no shared AWS config, no
instance metadata.
"""

import io
import json
import os
import socket
import subprocess
import sys
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from uuid import uuid4

import boto3
import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from moto.server import ThreadedMotoServer
from PIL import Image as PILImage

from newsmuse import renditions
from newsmuse.models import Image, Rendition
from newsmuse.services import create_image
from newsmuse.settings import env_s3_media
from tests.factories import ImageFactory, make_feature
from tests.images import picture_bytes

PROJECT = Path(__file__).resolve().parents[2]
ADD = reverse("admin:newsmuse_image_add")
KEYS = {"aws_access_key_id": "test-key-id", "aws_secret_access_key": "test-secret"}


@pytest.fixture(autouse=True)
def loopback_only(monkeypatch):
    """A connection to anything but 127.0.0.1 fails the test."""
    connect = socket.socket.connect

    def connect_to_loopback(sock, address):
        assert sock.family != socket.AF_INET or address[0] == "127.0.0.1", address
        return connect(sock, address)

    monkeypatch.setattr(socket.socket, "connect", connect_to_loopback)


@pytest.fixture(scope="session")
def s3_endpoint():
    """moto's S3 server for the whole run; AWS settings of the machine are ignored."""
    with pytest.MonkeyPatch.context() as patch:
        for name, value in {
            "AWS_EC2_METADATA_DISABLED": "true",
            "AWS_CONFIG_FILE": os.devnull,
            "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
            "NO_PROXY": "127.0.0.1",
            "no_proxy": "127.0.0.1",
        }.items():
            patch.setenv(name, value)
        server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
        server.start()
        host, port = server.get_host_and_port()
        yield f"http://{host}:{port}"
        server.stop()


@dataclass
class Bucket:
    name: str
    media_url: str
    client: object

    def objects(self) -> list[str]:
        listing = self.client.list_objects_v2(Bucket=self.name)
        return sorted(item["Key"] for item in listing.get("Contents", []))


@pytest.fixture
def bucket(s3_endpoint, settings, monkeypatch) -> Bucket:
    """A new bucket, made the default storage the way MEDIA_STORAGE=s3 configures it.
    Overriding STORAGES makes Django drop its storage instances, now and when undone."""
    name = f"media-{uuid4().hex[:12]}"
    for variable, value in {
        "MEDIA_S3_BUCKET": name,
        "MEDIA_S3_ENDPOINT_URL": s3_endpoint,
        "MEDIA_S3_REGION": "us-east-1",
        "MEDIA_S3_ACCESS_KEY_ID": KEYS["aws_access_key_id"],
        "MEDIA_S3_SECRET_ACCESS_KEY": KEYS["aws_secret_access_key"],
    }.items():
        monkeypatch.setenv(variable, value)
    storage, media_url = env_s3_media()
    settings.STORAGES = {**settings.STORAGES, "default": storage}
    settings.MEDIA_URL = media_url
    client = boto3.client("s3", endpoint_url=s3_endpoint, region_name="us-east-1", **KEYS)
    client.create_bucket(Bucket=name)
    client.put_bucket_policy(Bucket=name, Policy=json.dumps(public_read(name)))
    return Bucket(name, media_url, client)


def public_read(bucket: str) -> dict:
    """The bucket policy that lets anyone read the media, as readers' browsers must."""
    statement = {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject"}
    return {
        "Version": "2012-10-17",
        "Statement": [{**statement, "Resource": f"arn:aws:s3:::{bucket}/*"}],
    }


def upload(client, data, **fields):
    form = {
        "title": "A photo",
        "alt_text": "Two people talking",
        "focal_x": "0.5",
        "focal_y": "0.5",
        **fields,
    }
    return client.post(ADD, {**form, "file": SimpleUploadedFile("photo.png", data)})


def picture_urls(image: Image) -> list[str]:
    urls = []
    for picture in image.pictures["crops"].values():
        srcsets = [picture["srcset"], *(srcset for _, srcset in picture["sources"])]
        urls += [entry.split()[0] for srcset in srcsets for entry in srcset.split(", ")]
    return urls


def fetch(url: str) -> bytes:
    assert url.startswith("http://127.0.0.1:")
    with urllib.request.build_opener(urllib.request.ProxyHandler({})).open(url) as response:
        return response.read()


@pytest.mark.django_db
def test_an_upload_through_the_admin_is_stored_in_the_bucket_with_its_renditions(
    bucket, superuser_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(superuser_client, picture_bytes("PNG", (300, 200)))
    assert response.status_code == 302
    image = Image.objects.with_renditions().get()
    assert renditions.missing_crops(image) == []
    files = [r.file.name for r in image.renditions.all()]
    assert bucket.objects() == sorted([image.file.name, *files])
    assert (image.width, image.height) == (300, 200)
    urls = picture_urls(image)
    assert len(urls) == len(files)
    assert all(url.startswith(bucket.media_url) for url in urls)
    # Readers' browsers fetch that address as it is: no signature, no expiry.
    fallback = PILImage.open(io.BytesIO(fetch(image.pictures["crops"]["full"]["src"])))
    assert fallback.size == (300, 200)


@pytest.mark.django_db
def test_the_feature_and_person_pages_show_pictures_from_the_bucket(bucket, client):
    feature = make_feature(guests=1, films=0, tags=0)
    guest = feature.participants.get(role="guest").person
    assert not any(key.startswith("renditions/") for key in bucket.objects())
    html = client.get(feature.get_absolute_url()).content.decode()
    # The first view makes the renditions, into the bucket.
    for image in (feature.hero_image, guest.portrait):
        assert f'src="{bucket.media_url}renditions/{image.pk}/' in html
    person_html = client.get(guest.get_absolute_url()).content.decode()
    assert f'src="{bucket.media_url}renditions/{guest.portrait.pk}/' in person_html
    stored = bucket.objects()
    for rendition in Rendition.objects.all():
        assert rendition.file.name in stored


@pytest.mark.django_db
def test_deleting_an_image_removes_its_objects_once_the_deletion_commits(
    bucket, superuser_client, django_capture_on_commit_callbacks
):
    image = ImageFactory()
    renditions.generate(image, ["full"])
    stored = bucket.objects()
    assert len(stored) > 1
    delete = reverse("admin:newsmuse_image_delete", args=[image.pk])
    with django_capture_on_commit_callbacks() as callbacks:
        assert superuser_client.post(delete, {"post": "yes"}).status_code == 302
    assert not Image.objects.exists() and not Rendition.objects.exists()
    assert bucket.objects() == stored  # nothing goes before the deletion is committed
    for callback in callbacks:
        callback()
    assert bucket.objects() == []


@pytest.mark.django_db
def test_rebuild_renditions_replaces_the_objects_in_the_bucket(
    bucket, django_capture_on_commit_callbacks
):
    image = ImageFactory()
    renditions.generate(image)
    old = set(Rendition.objects.values_list("file", flat=True))
    with django_capture_on_commit_callbacks(execute=True):
        call_command("rebuild_renditions", stdout=io.StringIO())
    new = set(Rendition.objects.values_list("file", flat=True))
    assert new and new.isdisjoint(old)
    assert bucket.objects() == sorted([image.file.name, *new])
    image.refresh_from_db()
    assert {url.removeprefix(bucket.media_url) for url in picture_urls(image)} == new


@pytest.mark.django_db
def test_an_upload_to_a_missing_bucket_says_so_and_leaves_no_record(bucket, superuser_client):
    bucket.client.delete_bucket(Bucket=bucket.name)
    response = upload(superuser_client, picture_bytes("PNG", (300, 200)), title="Keep my title")
    assert response.status_code == 200
    error = response.context["adminform"].form.errors["file"][0]
    assert error == (
        "The file could not be stored: the media bucket does not exist. "
        "Nothing was saved; choose the file again."
    )
    assert "Keep my title" in response.content.decode()
    assert not Image.objects.exists()


@pytest.mark.django_db
def test_the_image_service_refuses_a_missing_bucket_with_a_validation_error(bucket):
    bucket.client.delete_bucket(Bucket=bucket.name)
    with pytest.raises(ValidationError, match="the media bucket does not exist"):
        create_image(
            file=ContentFile(picture_bytes("PNG", (300, 200)), name="p.png"),
            title="Photo",
            alt_text="Two people",
        )
    assert not Image.objects.exists()


@pytest.mark.django_db
def test_an_upload_to_an_endpoint_that_refuses_says_so(
    bucket, superuser_client, settings, monkeypatch
):
    with socket.socket() as unused:  # a loopback port nobody listens on
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]
    storage = settings.STORAGES["default"]
    options = {**storage["OPTIONS"], "endpoint_url": f"http://127.0.0.1:{port}"}
    settings.STORAGES = {**settings.STORAGES, "default": {**storage, "OPTIONS": options}}
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "1")  # no retries with back-off
    response = upload(superuser_client, picture_bytes("PNG", (300, 200)))
    assert response.status_code == 200
    error = response.context["adminform"].form.errors["file"][0]
    assert "the media storage could not be reached" in error
    assert not Image.objects.exists()


S3_ENVIRONMENT = {
    "SECRET_KEY": "x",
    "MEDIA_STORAGE": "s3",
    "MEDIA_S3_BUCKET": "newsmuse-media",
    "MEDIA_S3_ENDPOINT_URL": "https://s3.example.com/",
    "MEDIA_S3_ACCESS_KEY_ID": "key-id",
    "MEDIA_S3_SECRET_ACCESS_KEY": "secret",
}


def start(**env) -> subprocess.CompletedProcess:
    """Load the settings in a fresh process; it prints the default storage, MEDIA_URL and
    the Content-Security-Policy's img-src."""
    clean = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("MEDIA_") and key not in ("DEBUG", "SECRET_KEY", "ENV_FILE")
    }
    script = (
        "import json, newsmuse.settings as s; print(json.dumps([s.STORAGES['default'], "
        "s.MEDIA_URL, s.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src']]))"
    )
    return subprocess.run(
        [sys.executable, "-c", script],
        cwd=PROJECT,
        env={**clean, "ENV_FILE": "", **env},
        capture_output=True,
        text=True,
    )


def media_settings(**env) -> list:
    result = start(**env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_file_system_media_stays_the_default():
    storage, media_url, _ = media_settings(SECRET_KEY="x")
    assert storage == {"BACKEND": "newsmuse.storage.MediaStorage"}
    assert media_url == "/media/"
    storage, _, _ = media_settings(SECRET_KEY="x", MEDIA_STORAGE="FileSystem")
    assert storage == {"BACKEND": "newsmuse.storage.MediaStorage"}


def test_s3_media_is_public_and_served_from_the_bucket_address():
    storage, media_url, img_src = media_settings(**S3_ENVIRONMENT)
    assert storage == {
        "BACKEND": "newsmuse.s3.S3MediaStorage",
        "OPTIONS": {
            "bucket_name": "newsmuse-media",
            "endpoint_url": "https://s3.example.com",
            "region_name": None,
            "access_key": "key-id",
            "secret_key": "secret",
            "addressing_style": "path",
            "querystring_auth": False,
            "file_overwrite": False,
        },
    }
    assert media_url == "https://s3.example.com/newsmuse-media/"
    assert "https://s3.example.com" in img_src


def test_s3_media_follows_a_public_url():
    storage, media_url, img_src = media_settings(
        **S3_ENVIRONMENT, MEDIA_S3_PUBLIC_URL="https://cdn.newsmuse.example/media/"
    )
    assert storage["OPTIONS"]["custom_domain"] == "cdn.newsmuse.example/media"
    assert storage["OPTIONS"]["url_protocol"] == "https:"
    assert media_url == "https://cdn.newsmuse.example/media/"
    assert "https://cdn.newsmuse.example" in img_src


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"MEDIA_STORAGE": "aws"}, "MEDIA_STORAGE='aws' is not understood: use filesystem or s3."),
        *(
            ({name: ""}, f"Set the {name} environment variable (MEDIA_STORAGE=s3 needs it).")
            for name in (
                "MEDIA_S3_BUCKET",
                "MEDIA_S3_ENDPOINT_URL",
                "MEDIA_S3_ACCESS_KEY_ID",
                "MEDIA_S3_SECRET_ACCESS_KEY",
            )
        ),
        (
            {"MEDIA_S3_ENDPOINT_URL": "s3.example.com"},
            "MEDIA_S3_ENDPOINT_URL='s3.example.com' is not a web address",
        ),
        ({"MEDIA_S3_QUERYSTRING_AUTH": "sometimes"}, "MEDIA_S3_QUERYSTRING_AUTH='sometimes'"),
        (
            {"MEDIA_S3_QUERYSTRING_AUTH": "true", "MEDIA_S3_PUBLIC_URL": "https://cdn.example"},
            "cannot be used with MEDIA_S3_PUBLIC_URL",
        ),
    ],
    ids=[
        "unknown storage",
        "no bucket",
        "no endpoint",
        "no key id",
        "no secret",
        "endpoint without scheme",
        "misspelt switch",
        "signed public URL",
    ],
)
def test_incomplete_s3_settings_stop_start_up_naming_the_variable(env, message):
    result = start(**{**S3_ENVIRONMENT, **env})
    assert result.returncode != 0
    assert message in result.stderr

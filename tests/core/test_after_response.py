"""Work left for after the response: renditions of an upload are made once the editor has
their answer."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.signals import request_finished, request_started

from newsmuse import after_response as after_response_module
from newsmuse import renditions
from newsmuse.after_response import after_response
from newsmuse.models import Image
from tests.images import picture_bytes

pytestmark = pytest.mark.django_db  # a request's start and end close old connections


def test_a_task_in_a_request_waits_for_the_response_to_be_sent():
    done = []
    request_started.send(sender=None)

    after_response(lambda: done.append("renditions"))
    assert done == []

    request_finished.send(sender=None)
    assert done == ["renditions"]


def test_a_task_outside_a_request_runs_at_once():
    done = []
    after_response(lambda: done.append("renditions"))
    assert done == ["renditions"]


def test_a_failing_task_is_logged_and_the_next_still_runs(caplog):
    done = []
    request_started.send(sender=None)
    after_response(lambda: 1 / 0)
    after_response(lambda: done.append("next"))

    request_finished.send(sender=None)

    assert done == ["next"]
    assert "A task left for after the response failed" in caplog.text


def test_tasks_of_a_request_that_never_finished_run_when_the_next_starts(caplog):
    done = []
    request_started.send(sender=None)
    after_response(lambda: done.append("renditions"))

    request_started.send(sender=None)

    assert done == ["renditions"]
    assert "a request that never finished" in caplog.text
    request_finished.send(sender=None)


@pytest.mark.django_db(transaction=True)
def test_an_upload_answers_first_and_its_renditions_follow(admin_client, monkeypatch):
    answered = []
    made = []
    original = renditions.generate

    def generate(image):
        made.append(bool(answered))
        original(image)

    monkeypatch.setattr(renditions, "generate", generate)
    # Told of the finished response just before the tasks left for after it.
    request_finished.disconnect(dispatch_uid="newsmuse.after_response.finish")
    request_finished.connect(lambda **kwargs: answered.append(True), weak=False, dispatch_uid="t")
    after_response_module.connect()
    try:
        response = admin_client.post(
            "/admin/newsmuse/image/upload-here/",
            {"file": SimpleUploadedFile("a.png", picture_bytes()), "alt_text": "A test card"},
        )
    finally:
        request_finished.disconnect(dispatch_uid="t")

    assert response.status_code == 201
    image = Image.objects.get(pk=json.loads(response.content)["id"])
    assert made == [True]  # made after the response was finished, not inside the view
    assert renditions.missing_crops(image) == []

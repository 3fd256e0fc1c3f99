import re

import pytest

from features.body import blocks_of
from features.models import Feature
from tests.factories import FilmFactory, PersonFactory, SeriesFactory
from tests.features.test_import_feature import FRONT_MATTER, WEBVTT

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_editor_uploads_a_transcript_checks_the_preview_and_imports_it(
    live_server, page, django_user_model
):
    SeriesFactory(slug="studio-notes", name="Studio Notes")
    FilmFactory(title="The Keeper's Ledger")
    maya, tomas = PersonFactory(name="Maya Ortiz"), PersonFactory(name="Tomás Reyes")
    django_user_model.objects.create_superuser("editor", "editor@example.com", "a-long-password")
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", "a-long-password")
    page.click("input[type=submit]")

    page.goto(f"{live_server.url}/admin/features/feature/")
    page.click("text=Import an interview")
    page.set_input_files(
        "#id_interview",
        {"name": "keeper.vtt", "mimeType": "text/vtt", "buffer": WEBVTT.encode()},
    )
    front_matter = FRONT_MATTER.format(slug="back-to-the-lighthouse")
    page.set_input_files(
        "#id_front_matter",
        {"name": "keeper.toml", "mimeType": "application/toml", "buffer": front_matter.encode()},
    )
    page.click("input[value=Preview]")

    blocks = page.locator(".feature-import__block")
    assert blocks.nth(0).inner_text().split() == [
        "00:00:01.000", "Maya", "Ortiz", "question", "What", "brought", "you", "back?",
    ]  # fmt: skip
    assert "Tomás Reyes" in blocks.nth(1).inner_text()
    assert "00:00:04.500" in blocks.nth(1).inner_text()
    assert "This creates a new draft" in page.inner_text("#content-main")
    assert not Feature.objects.exists()

    page.click("input[value^=Confirm]")
    page.wait_for_url(re.compile(r"/admin/features/feature/\d+/change/$"))
    feature = Feature.objects.get()
    assert page.url == f"{live_server.url}/admin/features/feature/{feature.pk}/change/"
    assert "Imported “Back to the lighthouse”: created as a draft." in page.inner_text(
        ".messagelist"
    )
    assert [(b["speaker"], b["start"]) for b in blocks_of(feature.body)] == [
        (maya.pk, 1.0),
        (tomas.pk, 4.5),
    ]

"""The body's live preview on the feature form, in Chromium."""

import pytest

from tests.browser.signing_in import PASSWORD, sign_in
from tests.features.editing import change_url, interview

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def form(live_server, page, django_user_model):
    django_user_model.objects.create_superuser("desk", "desk@example.com", PASSWORD)
    feature = interview()
    sign_in(page, live_server, "desk", change_url(feature))
    return page


def preview(page):
    return page.frame_locator("iframe[title='The interview as readers will see it']")


def test_the_preview_follows_the_text_with_each_speaker_named(form):
    preview(form).get_by_text("The fog.").wait_for()  # the saved body, as readers see it
    form.fill("#id_body_source", "Maya: Why the lighthouse?\n\nTomás: For the ledger.")
    answer = preview(form).locator(".qa--answer")
    answer.get_by_text("For the ledger.").wait_for()
    assert answer.locator(".qa__speaker").text_content().endswith("Tomás Reyes:")
    question = preview(form).locator(".qa--question .qa__speaker")
    assert question.text_content().endswith("Maya Ortiz:")


def test_a_line_whose_speaker_is_unknown_is_marked_there(form):
    form.fill("#id_body_source", "Maya: Why?\n\nNobody Here: Who?\n\nTomás: The fog.")
    problem = form.locator(".body-editor__problems li")
    problem.get_by_text("Line 3:").wait_for()
    assert "“Nobody Here” is not a participant" in problem.inner_text()
    marked = preview(form).locator(".body-preview__problem")
    assert "Nobody Here: Who?" in marked.text_content()
    assert preview(form).locator(".qa--answer").get_by_text("The fog.").count() == 1


def test_participant_names_are_offered_for_insertion(form):
    form.fill("#id_body_source", "Maya: Why?")
    form.locator("#id_body_source").press("End")
    form.get_by_role("group", name="Insert a speaker").get_by_role(
        "button", name="Tomás Reyes:"
    ).click()
    form.keyboard.type("Because.")
    assert form.input_value("#id_body_source") == "Maya: Why?\n\nTomás Reyes: Because."
    preview(form).locator(".qa--answer").get_by_text("Because.").wait_for()


def test_the_preview_switches_between_phone_and_desktop_widths(form):
    frame = form.locator("iframe[title='The interview as readers will see it']")
    form.get_by_role("button", name="Phone").click()
    assert frame.bounding_box()["width"] == pytest.approx(375, abs=1)
    form.get_by_role("button", name="Desktop").click()
    assert frame.bounding_box()["width"] > 375

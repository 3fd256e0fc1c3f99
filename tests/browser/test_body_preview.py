"""The body's live preview on the feature form, in Chromium."""

import pytest

from people.models import Person
from tests.browser.signing_in import PASSWORD, sign_in
from tests.factories import PersonFactory
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
    form.fill("#id_body_source", "Maya: Why?\n\nNobody Here: Who?\n\nTomás: The fog.\n\nTomás:")
    offer = form.get_by_role("list", name="Speakers to add").locator("li")
    offer.get_by_text("“Nobody Here” speaks on line 3 but is not a participant yet").wait_for()
    problem = form.locator(".body-editor__problems li")
    assert problem.inner_text().startswith("Line 7: Tomás Reyes says nothing")
    marked = preview(form).locator(".body-preview__problem")
    assert "Nobody Here: Who?" in marked.first.text_content()
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


def test_someone_who_speaks_but_is_not_a_participant_is_added_from_the_body(form):
    form.fill("#id_body_source", "Maya: Why?\n\nLena Park: Because the light changed.")
    offer = form.get_by_role("button", name="Add Lena Park as a participant")
    offer.click()
    offer.click()  # a second click brings back the same short form, not another row
    assert form.get_by_role("group", name="New person").count() == 1
    panel = form.get_by_role("group", name="New person")
    panel.get_by_label("Bio", exact=True).fill("A lighthouse keeper.")
    panel.get_by_role("button", name="Add as guest").click()
    form.locator(".add-by-name-status", has_text="Added Lena Park").wait_for()

    answer = preview(form).locator(".qa--answer", has_text="Because the light changed.")
    answer.wait_for()
    assert answer.locator(".qa__speaker").text_content().endswith("Lena Park:")
    expect_no_offers = form.get_by_role("list", name="Speakers to add").locator("li")
    expect_no_offers.first.wait_for(state="detached")
    form.get_by_role("button", name="Save and continue editing").click()
    form.get_by_text("was changed successfully").wait_for()
    lena = Person.objects.get(name="Lena Park")
    assert lena.bio == "A lighthouse keeper."
    assert lena.participations.get().role == "guest"


def test_a_speaker_already_in_the_people_list_is_chosen_not_added_twice(form):
    ana = PersonFactory(name="Ana Díaz")
    form.fill("#id_body_source", "Maya: Why?\n\nAna Diaz: Because.")
    offers = form.get_by_role("list", name="Speakers to add")
    offers.get_by_text("“Ana Diaz” on line 3 is Ana Díaz from the people list").wait_for()
    offers.get_by_role("button", name="Add Ana Díaz as a participant").click()
    form.get_by_text("Ana Díaz is already here and is now chosen.").wait_for()
    assert form.get_by_role("group", name="New person").count() == 0
    role = form.locator(":focus")  # their role is what is left to choose
    assert role.get_attribute("name").endswith("-role")
    preview(form).locator(".qa--answer", has_text="Because.").wait_for()
    assert Person.objects.filter(name__startswith="Ana").get() == ana


def test_an_offer_with_no_row_to_take_it_says_so_once(form):
    # Every row chosen and no more to add (as when a form allows no more participants).
    form.evaluate(
        """() => {
          document.querySelectorAll("#participants-group .add-row").forEach((row) => row.remove());
          document.querySelectorAll("select[name^='participants-'][name$='-person']").forEach(
            (select) => { if (!select.value) select.disabled = true; });
        }"""
    )
    form.fill("#id_body_source", "Maya: Why?\n\nLena Park: Because.")
    offer = form.get_by_role("button", name="Add Lena Park as a participant")
    offer.click()
    offer.click()
    said = form.get_by_role("list", name="Speakers to add").get_by_text(
        "No participants row could be added"
    )
    assert said.count() == 1
    assert form.get_by_role("group", name="New person").count() == 0

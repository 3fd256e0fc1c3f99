"""Nothing typed into the feature form is lost: the browser keeps a copy while it is
edited, offers it back after the tab is gone, and asks before leaving unsaved changes."""

import pytest
from playwright.sync_api import expect

from features import services
from features.content import FeatureContent
from features.models import Feature
from tests.browser.signing_in import PASSWORD, sign_in
from tests.factories import PersonFactory
from tests.features.editing import change_url, interview

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

KEPT = "() => Object.keys(localStorage).some((key) => key.startsWith('newsmuse:edits:'))"


@pytest.fixture
def editor(live_server, browser, django_user_model):
    """A signed-in editor's browser: pages opened from it share cookies and storage."""
    django_user_model.objects.create_superuser("desk", "desk@example.com", PASSWORD)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    sign_in(page, live_server, "desk")
    page.close()
    yield context
    context.close()


def open_form(context, live_server, feature):
    page = context.new_page()
    page.goto(f"{live_server.url}{change_url(feature)}")
    return page


def type_and_lose_the_tab(context, live_server, feature):
    page = open_form(context, live_server, feature)
    page.fill("#id_headline", "A headline typed before the crash")
    page.fill("#id_body_source", "Maya Ortiz: Why?\n\nTomás Reyes: The fog, and then the sea.")
    page.wait_for_function(KEPT)
    page.close()  # as a crashed or closed tab: no save, no warning


def test_edits_lost_with_the_tab_are_offered_back_and_can_be_saved(editor, live_server):
    feature = interview()
    type_and_lose_the_tab(editor, live_server, feature)

    page = open_form(editor, live_server, feature)
    assert page.input_value("#id_headline") == "First headline"
    offer = page.get_by_role("alert").filter(has_text="not saved")
    offer.wait_for()
    page.get_by_role("button", name="Restore my changes").click()
    assert page.input_value("#id_headline") == "A headline typed before the crash"
    assert "and then the sea" in page.input_value("#id_body_source")

    page.click("input[name=_continue]")
    page.get_by_text("was changed successfully").wait_for()
    saved = Feature.objects.get(pk=feature.pk)
    assert saved.headline == "A headline typed before the crash"
    assert "and then the sea" in saved.body_source()

    page.reload()
    assert page.get_by_text("not saved").count() == 0  # the saved copy is not offered again
    assert not page.evaluate(KEPT)


def test_discarded_edits_are_not_offered_again(editor, live_server):
    feature = interview()
    type_and_lose_the_tab(editor, live_server, feature)
    page = open_form(editor, live_server, feature)
    page.get_by_role("button", name="Discard them").click()
    assert page.input_value("#id_headline") == "First headline"
    page.reload()
    page.wait_for_load_state()
    assert page.get_by_text("not saved").count() == 0


def test_restored_edits_do_not_overwrite_a_colleagues_save(editor, live_server, django_user_model):
    feature = interview(dek="A year of fog.")
    type_and_lose_the_tab(editor, live_server, feature)

    colleague = django_user_model.objects.create_superuser("colleague", password="pw")
    theirs = FeatureContent.of(feature)
    theirs.dek = "A colleague's better dek."
    services.save_feature(user=colleague, content=theirs, feature=feature, expected_version=1)

    page = open_form(editor, live_server, feature)
    page.get_by_role("button", name="Restore my changes").click()
    page.click("input[name=_continue]")
    page.get_by_text("colleague saved this feature").wait_for()  # refused, merged
    assert page.input_value("#id_dek") == "A colleague's better dek."
    assert page.input_value("#id_headline") == "A headline typed before the crash"

    page.click("input[name=_continue]")
    page.get_by_text("was changed successfully").wait_for()
    saved = Feature.objects.get(pk=feature.pk)
    assert (saved.headline, saved.dek) == ("A headline typed before the crash", theirs.dek)


def test_leaving_with_unsaved_changes_asks_first(editor, live_server):
    feature = interview()
    page = open_form(editor, live_server, feature)
    page.fill("#id_dek", "Half a thought")
    asked = []

    def stay(dialog):
        asked.append(dialog.type)
        dialog.dismiss()

    page.on("dialog", stay)
    page.get_by_role("link", name="Revisions").click()
    page.wait_for_timeout(500)
    assert asked == ["beforeunload"]
    assert page.input_value("#id_dek") == "Half a thought"  # still on the form


def test_saving_or_leaving_an_unchanged_form_asks_nothing(editor, live_server):
    feature = interview()
    page = open_form(editor, live_server, feature)
    asked = []
    page.on("dialog", lambda dialog: (asked.append(dialog.type), dialog.dismiss()))
    page.fill("#id_dek", "Changed, then saved")
    page.click("input[name=_continue]")
    page.get_by_text("was changed successfully").wait_for()
    page.get_by_role("link", name="Revisions").click()
    page.wait_for_url("**/revisions/")
    assert asked == []


def test_a_new_piece_is_kept_too_with_its_participants(editor, live_server):
    PersonFactory(name="Tomás Reyes")
    add_url = f"{live_server.url}/admin/features/feature/add/"
    page = editor.new_page()
    page.goto(add_url)
    page.fill("#id_headline", "A piece never saved")
    page.click("#id_participants-0-person + .select2 .select2-selection")
    page.fill(".select2-container--open .select2-search__field", "Tomás")
    page.click(".select2-results__option:has-text('Tomás Reyes')")
    page.select_option("#id_participants-0-role", "guest")
    page.fill("#id_body_source", "Tomás Reyes: The fog.")
    page.wait_for_function(KEPT)
    page.close()

    page = editor.new_page()
    page.goto(add_url)
    page.get_by_role("button", name="Restore my changes").click()
    assert page.input_value("#id_headline") == "A piece never saved"
    expect(page.locator("#id_participants-0-person + .select2")).to_contain_text("Tomás Reyes")
    page.click("input[name=_continue]")
    page.get_by_text("was added successfully").wait_for()
    feature = Feature.objects.get()
    assert [p.person.name for p in feature.participants.all()] == ["Tomás Reyes"]

    page.goto(add_url)
    page.wait_for_load_state()
    assert page.get_by_text("not saved").count() == 0  # the copy went in with the save


def test_changes_are_kept_on_the_server_and_offered_in_another_browser(
    editor, browser, live_server
):
    feature = interview()
    page = open_form(editor, live_server, feature)
    page.fill("#id_dek", "Typed on the laptop that was lost")
    page.get_by_text("Changes kept at").wait_for()
    page.close()
    assert Feature.objects.get().dek != "Typed on the laptop that was lost"  # only a copy

    elsewhere = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = elsewhere.new_page()
        sign_in(page, live_server, "desk", change_url(feature))
        page.get_by_role("button", name="Restore my changes").click()
        assert page.input_value("#id_dek") == "Typed on the laptop that was lost"
    finally:
        elsewhere.close()


def test_an_unanswered_offer_is_offered_again(editor, live_server):
    feature = interview()
    type_and_lose_the_tab(editor, live_server, feature)
    page = open_form(editor, live_server, feature)
    page.get_by_role("button", name="Restore my changes").wait_for()
    page.wait_for_timeout(1500)  # longer than the pause after which copies are written
    page.close()

    page = open_form(editor, live_server, feature)
    page.get_by_role("button", name="Restore my changes").click()
    assert page.input_value("#id_headline") == "A headline typed before the crash"


def test_typing_while_the_offer_waits_never_replaces_the_kept_copy(editor, live_server):
    feature = interview()
    type_and_lose_the_tab(editor, live_server, feature)
    page = open_form(editor, live_server, feature)
    page.get_by_role("button", name="Restore my changes").wait_for()
    page.fill("#id_dek", "A quick fix before answering")
    page.get_by_text("Restore or discard the kept changes").wait_for()
    page.click("input[name=_continue]")  # saved without answering
    page.get_by_text("was changed successfully").wait_for()
    assert Feature.objects.get().dek == "A quick fix before answering"

    page.get_by_role("button", name="Restore my changes").click()  # still offered
    assert page.input_value("#id_headline") == "A headline typed before the crash"


def test_edits_shown_again_after_a_refused_save_are_still_protected(editor, live_server):
    feature = interview()
    page = open_form(editor, live_server, feature)
    page.fill("#id_headline", "")
    page.fill("#id_dek", "Typed, then refused")
    page.click("input[name=_continue]")
    page.locator(".errornote").wait_for()
    page.wait_for_function(KEPT)  # kept again at once: the save kept nothing
    asked = []
    page.on("dialog", lambda dialog: (asked.append(dialog.type), dialog.dismiss()))
    page.get_by_role("link", name="Revisions").click()
    page.wait_for_timeout(500)
    assert asked == ["beforeunload"]


def test_after_save_and_publish_nothing_is_offered(editor, live_server):
    feature = interview()
    page = open_form(editor, live_server, feature)
    page.fill("#id_dek", "Published in one step")
    page.wait_for_function(KEPT)
    page.click("input[name=_publish]")
    page.get_by_text("is published: readers see it now").wait_for()
    page.reload()
    page.wait_for_load_state()
    assert page.get_by_text("not saved").count() == 0
    assert not page.evaluate(KEPT)

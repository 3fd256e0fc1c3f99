import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from features import services
from features.content import Cast, FeatureContent
from features.models import Feature
from tests.factories import FilmFactory, ImageFactory, PersonFactory
from tests.features.editing import change_url, interview

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, live_server, username):
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "a-long-password")
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")


def choose(page, field_id, text):
    """Pick `text` in one of the admin's autocomplete (select2) widgets."""
    page.click(f"#{field_id} + .select2 .select2-selection")
    page.fill(".select2-container--open .select2-search__field", text)
    page.click(f".select2-results__option:has-text('{text}')")


def test_a_contributors_draft_goes_through_review_to_publication(
    live_server, page, django_user_model
):
    call_command("setup_roles", verbosity=0)
    for name, group in [("writer", "Contributor"), ("desk", "Editor")]:
        user = django_user_model.objects.create_user(
            name, password="a-long-password", is_staff=True
        )
        user.groups.add(Group.objects.get(name=group))
    PersonFactory(name="Tomás Reyes")
    ImageFactory(title="Lighthouse at dusk", alt_text="A lighthouse against an orange sky")

    log_in(page, live_server, "writer")
    page.goto(f"{live_server.url}/admin/features/feature/add/")
    page.fill("#id_headline", "A year with the keeper")
    page.fill("#id_dek", "A conversation about fog and ledgers.")
    choose(page, "id_hero_image", "Lighthouse")
    choose(page, "id_participants-0-person", "Tomás")
    page.select_option("#id_participants-0-role", "guest")
    page.fill("#id_body_source", "Tomás Reyes: The fog, mostly.")
    page.click("input[name=_continue]")
    page.locator("strong", has_text="Status: Draft").wait_for()
    assert page.get_by_role("link", name="Publish now").count() == 0

    page.get_by_role("link", name="Submit for review").click()
    page.click("input[type=submit][value='Submit for review']")
    page.get_by_text("Submit for review: done").wait_for()
    feature = Feature.objects.get()
    assert feature.status == "review"

    public_url = f"{live_server.url}{feature.get_absolute_url()}"
    page.context.clear_cookies()
    assert page.goto(public_url).status == 404

    log_in(page, live_server, "desk")
    page.goto(f"{live_server.url}/admin/features/feature/?queue=review")
    page.get_by_role("link", name="A year with the keeper").click()
    page.get_by_role("link", name="Publish now").click()
    page.click("input[type=submit][value='Publish now']")
    page.get_by_text("Publish now: done").wait_for()

    page.context.clear_cookies()
    response = page.goto(public_url)
    assert response.status == 200
    assert page.get_by_role("heading", level=1).inner_text() == "A year with the keeper"
    assert page.get_by_text("Preview — not published").count() == 0
    assert Feature.objects.get().status_changes.count() == 2


def test_after_a_refused_save_the_colleagues_changes_stay_when_the_editor_saves_again(
    live_server, page, django_user_model
):
    django_user_model.objects.create_superuser("desk", password="a-long-password")
    colleague = django_user_model.objects.create_superuser("colleague", password="pw")
    feature = interview(dek="A year of fog.")
    log_in(page, live_server, "desk")
    page.goto(f"{live_server.url}{change_url(feature)}")  # the editor opens the piece

    # Meanwhile a colleague adds a film and relabels the guest.
    theirs = FeatureContent.of(feature)
    theirs.films = [FilmFactory(title="The Keeper's Ledger")]
    guest = theirs.participants[1]
    theirs.participants[1] = Cast(guest.person, guest.role, "Lighthouse keeper")
    services.save_feature(user=colleague, content=theirs, feature=feature, expected_version=1)

    page.fill("#id_headline", "My better headline")
    page.click("input[name=_continue]")
    page.get_by_text("colleague saved this feature").wait_for()
    page.get_by_text("Their changes to Participants, Films discussed").wait_for()
    assert page.input_value("#id_headline") == "My better headline"
    assert page.input_value("#id_participants-1-label") == "Lighthouse keeper"

    page.click("input[name=_continue]")
    page.get_by_text("was changed successfully").wait_for()
    saved = Feature.objects.get(pk=feature.pk)
    assert saved.headline == "My better headline"
    assert [film.title for film in saved.films.all()] == ["The Keeper's Ledger"]
    assert saved.participants.get(person=guest.person).label == "Lighthouse keeper"

"""Adding people, films and series by typing their names on the feature form, and images
by uploading them under the field that uses them, in Chromium: no pop-up window, and
nothing added twice."""

import pytest

from features.models import Feature, Series
from films.models import Film
from newsmuse.models import Image
from people.models import Person
from tests.browser.signing_in import PASSWORD, sign_in
from tests.factories import PersonFactory
from tests.images import picture_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ADD_URL = "/admin/features/feature/add/"


@pytest.fixture
def form(live_server, page, django_user_model):
    django_user_model.objects.create_superuser("desk", "desk@example.com", PASSWORD)
    sign_in(page, live_server, "desk", ADD_URL)
    windows = []
    page.context.on("page", lambda window: windows.append(window))
    yield page
    assert windows == [], "no pop-up window opens"


def type_into(page, field_id, text):
    """Type ``text`` into a pop-up field's search box, as an editor would."""
    page.click(f"#{field_id} + .select2 .select2-selection")
    search = page.locator(
        f"#{field_id} + .select2 .select2-search__field, "
        ".select2-container--open .select2-dropdown .select2-search__field"
    ).first
    search.press_sequentially(text)


def add_new(page, field_id, name, noun, files=None, role=None, **details):
    """Add ``name`` from the field; a person or a film is added with these ``details``
    (labels and values) and ``files`` (labels and picture bytes), a participant in this
    ``role``."""
    type_into(page, field_id, name)
    page.locator(".select2-results__option", has_text=f"Add “{name}” as a new {noun}").click()
    if noun == "series":
        return  # added at once: a series has no details to ask
    panel = page.get_by_role("group", name=f"New {noun}")
    for label, value in details.items():
        panel.get_by_label(label, exact=True).fill(value)
    for label, data in (files or {}).items():
        picture = {"name": "picture.png", "mimeType": "image/png", "buffer": data}
        panel.get_by_label(label, exact=True).set_input_files(picture)
    panel.get_by_role("button", name=f"Add as {role}" if role else f"Add {noun}").click()


def status_of(page, field_id):
    return page.locator(f"#{field_id} ~ .add-by-name-status")


def test_an_interview_is_written_with_new_people_a_new_film_and_a_new_series(form):
    add_new(form, "id_series", "NEWS x MUSE", "series")
    status_of(form, "id_series").get_by_text("Added NEWS x MUSE as a new series.").wait_for()
    form.fill("#id_headline", "José Hernández and Alejandra Márquez Abella")
    add_new(form, "id_participants-0-person", "Michael Sandoval", "person", role="interviewer")
    status_of(form, "id_participants-0-person").get_by_text("Added Michael Sandoval").wait_for()
    assert form.input_value("#id_participants-0-role") == "interviewer"
    form.get_by_role("button", name="Add another Participant").click()
    add_new(
        form,
        "id_participants-1-person",
        "José Hernández",
        "person",
        files={"Portrait": picture_bytes()},
        role="guest",
        Bio="A farmworker's son who flew on the space shuttle.",
    )
    status_of(form, "id_participants-1-person").get_by_text("Added José Hernández").wait_for()
    assert form.input_value("#id_participants-1-role") == "guest"
    form.fill("#id_participants-1-label", "Astronaut")
    add_new(
        form,
        "id_films",
        "A Million Miles Away",
        "film",
        files={"Poster": picture_bytes()},
        Year="2023",
        Synopsis="The story of José Hernández.",
        **{"Where to watch (link)": "https://www.primevideo.com/detail/a-million-miles-away"},
    )
    status_of(form, "id_films").get_by_text(
        "Added A Million Miles Away (2023) as a new film."
    ).wait_for()
    form.fill(
        "#id_body_source",
        "Michael Sandoval: How did it begin?\n\nJosé Hernández: In the fields, looking up.",
    )
    form.click("input[name=_continue]")
    form.get_by_text("was added successfully").wait_for()

    feature = Feature.objects.get()
    assert feature.series == Series.objects.get(name="NEWS x MUSE")
    assert [(p.person.name, p.role) for p in feature.participants.order_by("order")] == [
        ("Michael Sandoval", "interviewer"),
        ("José Hernández", "guest"),
    ]
    assert list(feature.films.values_list("title", flat=True)) == ["A Million Miles Away"]
    jose = Person.objects.select_related("portrait").get(name="José Hernández")
    assert jose.slug == "jose-hernandez"
    assert jose.bio == "A farmworker's son who flew on the space shuttle."
    assert jose.portrait.alt_text == "Portrait of José Hernández"
    film = Film.objects.get()
    assert (film.year, film.synopsis, film.poster.alt_text) == (
        2023,
        "The story of José Hernández.",
        "Poster for A Million Miles Away",
    )
    assert film.watch_options.get().provider == "Prime Video"


def test_refused_details_are_said_in_place_and_what_was_typed_stays(form):
    add_new(form, "id_films", "A Film", "film", Year="1700", Synopsis="Kept while fixing.")

    panel = form.get_by_role("group", name="New film")
    panel.get_by_role("alert").get_by_text("Enter a release year between 1870").wait_for()
    assert panel.get_by_label("Synopsis").input_value() == "Kept while fixing."
    assert not Film.objects.exists()

    panel.get_by_label("Year").fill("2023")
    panel.get_by_role("button", name="Add film").click()
    status_of(form, "id_films").get_by_text("Added A Film (2023) as a new film.").wait_for()
    assert panel.count() == 0
    assert Film.objects.get().synopsis == "Kept while fixing."


def test_cancel_adds_nothing_and_gives_the_field_back_what_it_held(form):
    maya = PersonFactory(name="Maya Ortiz")
    type_into(form, "id_participants-0-person", "Maya")
    form.locator(".select2-results__option", has_text="Maya Ortiz").first.click()

    type_into(form, "id_participants-0-person", "Nobody Yet")
    form.locator(".select2-results__option", has_text="Add “Nobody Yet”").click()
    form.get_by_role("group", name="New person").get_by_role("button", name="Cancel").click()

    assert form.get_by_role("group", name="New person").count() == 0
    assert form.input_value("#id_participants-0-person") == str(maya.pk)
    assert list(Person.objects.all()) == [maya]


def test_enter_adds_and_the_page_is_not_saved_while_details_are_open(form):
    add_new_typed = "A Film Typed In"
    type_into(form, "id_films", add_new_typed)
    form.locator(".select2-results__option", has_text=f"Add “{add_new_typed}”").click()
    panel = form.get_by_role("group", name="New film")
    panel.get_by_label("Synopsis").fill("Typed, not to be lost.")

    form.fill("#id_headline", "A headline")
    form.click("input[name=_continue]")
    panel.get_by_text("Add this or cancel it first").wait_for()
    assert form.url.endswith(ADD_URL)
    assert not Feature.objects.exists()

    panel.get_by_label("Year").fill("2023")
    panel.get_by_label("Year").press("Enter")
    status_of(form, "id_films").get_by_text("Added A Film Typed In (2023)").wait_for()
    assert not Feature.objects.exists()  # Enter added the film; it did not save the page
    assert Film.objects.get().synopsis == "Typed, not to be lost."


def test_details_typed_for_someone_already_here_are_said_to_be_unused(form):
    PersonFactory(name="José Hernández", bio="Astronaut.")

    add_new(form, "id_participants-0-person", "jose hernandez", "person", role="guest", Bio="New")

    status_of(form, "id_participants-0-person").get_by_text(
        "What you typed for them was not used"
    ).wait_for()
    assert Person.objects.get().bio == "Astronaut."


def test_a_name_already_here_is_chosen_and_not_added_again(form):
    jose = PersonFactory(name="José Hernández")

    add_new(form, "id_participants-0-person", "jose hernandez", "person", role="guest")

    status_of(form, "id_participants-0-person").get_by_text(
        "José Hernández is already here and is now chosen."
    ).wait_for()
    assert form.input_value("#id_participants-0-person") == str(jose.pk)
    selection = form.locator("#id_participants-0-person + .select2 .select2-selection__rendered")
    assert selection.inner_text().strip().endswith("José Hernández")
    assert Person.objects.count() == 1


def test_a_match_comes_before_the_offer_to_add(form):
    PersonFactory(name="Alejandra Márquez Abella")

    type_into(form, "id_participants-0-person", "Alejandra")

    options = form.locator(".select2-results__option")
    options.get_by_text("Add “Alejandra” as a new person").wait_for()
    assert options.all_inner_texts() == [
        "Alejandra Márquez Abella",
        "Add “Alejandra” as a new person",
    ]
    form.keyboard.press("Enter")
    assert form.input_value("#id_participants-0-person") == str(Person.objects.get().pk)
    assert Person.objects.count() == 1


def test_a_name_the_server_refuses_is_said_and_nothing_is_chosen(form):
    add_new(form, "id_series", "x" * 201, "series")

    refusal = status_of(form, "id_series")
    refusal.get_by_text("at most 200 characters").wait_for()
    assert "is-error" in refusal.get_attribute("class")
    assert form.input_value("#id_series") == ""
    assert not Series.objects.exists()


def test_a_hero_image_is_uploaded_under_its_field_and_chosen(form):
    picture = {"name": "jose-hernandez.png", "mimeType": "image/png"}
    form.set_input_files("#id_hero_image-upload-file", {**picture, "buffer": picture_bytes()})
    form.get_by_role("button", name="Upload and use").click()

    refusal = form.get_by_text("The image was not uploaded: Write alt text describing the image")
    refusal.wait_for()
    assert not Image.objects.exists()

    form.get_by_label("Alt text").fill("José Hernández in a flight suit")
    form.get_by_role("button", name="Upload and use").click()
    form.get_by_text("Uploaded “Jose hernandez” and chose it.").wait_for()

    image = Image.objects.get()
    assert image.alt_text == "José Hernández in a flight suit"
    assert form.input_value("#id_hero_image") == str(image.pk)
    chosen = form.locator("#id_hero_image + .select2 .select2-selection__rendered")
    assert "Jose hernandez" in chosen.inner_text()

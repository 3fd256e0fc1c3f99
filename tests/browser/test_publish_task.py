"""The whole task of an editor on deadline, in Chromium: from an empty site to the NEWS x MUSE
interview published, with every person, film and image made where it is used.

The task: a series; a headline and a dek; a hero image with alt text; two guests with their
labels, bios and portraits, and the interviewer; a Q&A of six paragraphs; the film with its
poster, synopsis and a Prime Video link; three tags; then publish. The counts are what the
editor does (fields filled, clicks) and what the browser does (page loads in the editor's
tab, pop-up windows), pinned as ceilings.
"""

import time

import pytest

from features.models import Feature
from films.models import Film
from people.models import Person
from tests.browser.signing_in import PASSWORD
from tests.images import picture_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MOST_PAGE_LOADS = 5
MOST_POP_UPS = 0
MOST_CLICKS = 18
MOST_FIELDS = 18

BODY = "\n\n".join(
    [
        "Michael Sandoval: What drew you to this story?",
        "Alejandra Márquez Abella: A family that kept going after every refusal.",
        "Michael Sandoval: And what did you make of seeing your life on screen?",
        "José Hernández: It took me back to the fields and to the years of applications.",
        "Michael Sandoval: Where can readers see it?",
        "Alejandra Márquez Abella: It streams on Prime Video.",
    ]
)

# (name, label, portrait, bio) of each guest, in the order they first speak in BODY.
GUESTS = [
    (
        "Alejandra Márquez Abella",
        "Director",
        "alejandra-marquez-abella.png",
        "A Mexican director whose films include Northern Skies over Empty Space.",
    ),
    (
        "José Hernández",
        "Astronaut",
        "jose-hernandez.png",
        "An engineer who flew on the space shuttle after years of applying to NASA.",
    ),
]


class Editor:
    """Drives the admin as an editor does, counting what they do."""

    def __init__(self, page):
        self.page = page
        self.fields = 0
        self.clicks = 0

    def fill(self, selector, value):
        self.page.locator(selector).fill(value)
        self.fields += 1

    def choose_file(self, locator, name):
        picture = {
            "name": name,
            "mimeType": "image/png",
            "buffer": picture_bytes("PNG", (800, 600)),
        }
        locator.set_input_files(picture)
        self.fields += 1

    def click(self, locator):
        locator.click()
        self.clicks += 1

    def add_by_name(self, field_id, name, noun, *, files=None, **details):
        """Type a new name into a pop-up field, take the offer to add it, fill in its
        details and add it."""
        page = self.page
        self.click(page.locator(f"#{field_id} + .select2 .select2-selection"))
        search = page.locator(
            f"#{field_id} + .select2 .select2-search__field, "
            ".select2-container--open .select2-dropdown .select2-search__field"
        ).first
        search.press_sequentially(name)
        self.fields += 1
        self.click(page.locator(".select2-results__option", has_text=f"Add “{name}” as a new"))
        if noun != "series":
            self.fill_details(noun, f"Add {noun}", files, details)
        page.locator(f"#{field_id} ~ .add-by-name-status").get_by_text("Added").wait_for()

    def add_speaker(self, name, role, *, files=None, **details):
        """Take the body editor's offer to add someone who speaks in the body but is not
        a participant yet, with their details and role."""
        self.click(self.page.get_by_role("button", name=f"Add {name} as a participant"))
        self.fill_details("person", f"Add as {role}", files, details)
        self.page.locator(".add-by-name-status", has_text=f"Added {name}").wait_for()

    def fill_details(self, noun, button, files, details):
        panel = self.page.get_by_role("group", name=f"New {noun}")
        for label, value in details.items():
            panel.get_by_label(label, exact=True).fill(value)
            self.fields += 1
        for label, filename in (files or {}).items():
            self.choose_file(panel.get_by_label(label, exact=True), filename)
        self.click(panel.get_by_role("button", name=button))


def test_an_editor_publishes_the_interview_from_an_empty_site_in_few_steps(
    live_server, page, django_user_model
):
    django_user_model.objects.create_superuser("desk", "desk@example.com", PASSWORD)
    loads, pop_ups = [], []
    page.on("load", lambda loaded: loads.append(loaded.url))
    page.context.on("page", lambda window: pop_ups.append(window))
    editor = Editor(page)

    page.goto(f"{live_server.url}/admin/login/?next=/admin/features/feature/add/")
    editor.fill("#id_username", "desk")
    editor.fill("#id_password", PASSWORD)
    editor.click(page.locator("input[type=submit]"))
    page.wait_for_url("**/admin/features/feature/add/")
    signing_in = (editor.fields, editor.clicks)
    started = time.monotonic()

    editor.add_by_name("id_series", "NEWS x MUSE", "series")
    editor.fill(
        "#id_headline", "José Hernández and Alejandra Márquez Abella on A Million Miles Away"
    )
    editor.fill("#id_dek", "The astronaut and the director talk about bringing his life to film.")
    editor.choose_file(page.locator("#id_hero_image-upload-file"), "hernandez-marquez.png")
    editor.fill("#id_hero_image-upload-alt", "José Hernández and Alejandra Márquez Abella")
    editor.click(page.get_by_role("button", name="Upload and use"))
    page.get_by_text("and chose it.").wait_for()

    editor.fill("#id_body_source", BODY)
    # The speakers in order of their first words: the interviewer, then the guests.
    editor.add_speaker("Michael Sandoval", "interviewer")
    for row, (name, label, portrait, bio) in enumerate(GUESTS, start=1):
        editor.add_speaker(name, "guest", files={"Portrait": portrait}, Bio=bio)
        editor.fill(f"#id_participants-{row}-label", label)
    editor.add_by_name(
        "id_films",
        "A Million Miles Away",
        "film",
        files={"Poster": "a-million-miles-away.png"},
        Synopsis="The life of José Hernández, from migrant farmworker to astronaut.",
        **{"Where to watch (link)": "https://www.primevideo.com/detail/a-million-miles-away"},
    )
    editor.fill("#id_tags", "film, space, NEWS x MUSE")
    editor.click(page.get_by_role("button", name="Save and publish"))
    page.get_by_text("is published: readers see it now.").wait_for()
    admin_seconds = time.monotonic() - started

    feature = Feature.objects.get()
    assert feature.status == Feature.Status.PUBLISHED
    assert feature.series.name == "NEWS x MUSE"
    assert sorted(feature.tags.names()) == ["NEWS x MUSE", "film", "space"]
    assert Person.objects.filter(portrait__isnull=False).count() == 2
    cast = feature.participants.values_list("person__name", "role", "label")
    assert sorted(cast) == [
        ("Alejandra Márquez Abella", "guest", "Director"),
        ("José Hernández", "guest", "Astronaut"),
        ("Michael Sandoval", "interviewer", ""),
    ]
    film = Film.objects.get()
    assert (film.poster is not None, film.watch_options.get().provider) == (True, "Prime Video")
    editor_loads = len(loads)
    page.context.clear_cookies()
    public = page.goto(f"{live_server.url}{feature.get_absolute_url()}")
    assert public.status == 200
    watch = page.locator('a[href="https://www.primevideo.com/detail/a-million-miles-away"]')
    assert "Prime Video" in watch.inner_text()  # the film box's link, not the body's words

    fields, clicks = editor.fields - signing_in[0], editor.clicks - signing_in[1]
    print(
        f"\nPublish task: {editor_loads} page loads, {len(pop_ups)} pop-ups, "
        f"{fields} fields, {clicks} clicks, {admin_seconds:.1f} s in the admin"
    )
    assert editor_loads <= MOST_PAGE_LOADS
    assert len(pop_ups) <= MOST_POP_UPS
    assert fields <= MOST_FIELDS
    assert clicks <= MOST_CLICKS

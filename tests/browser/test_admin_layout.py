"""The admin pages editors live in, measured in Chromium at desktop and phone widths."""

import pytest

from features.models import Feature
from tests.factories import FeatureFactory, FilmFactory, ImageFactory, WatchOptionFactory
from tests.features.editing import change_url, interview

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LONG_HEADLINE = (
    "José Hernández and Alejandra Márquez Abella on A Million Miles Away, the long road to "
    "orbit, and what came after"
)
ONE_SENTENCE_DEK = "The astronaut and the director talk about the film, now streaming."

# Whether an element is cut off: by the window, or by an ancestor that clips or scrolls.
CLIPPED = """(element) => {
    const box = element.getBoundingClientRect();
    if (box.width === 0 || box.left < -0.5 || box.right > window.innerWidth + 0.5) return true;
    for (let parent = element.parentElement; parent; parent = parent.parentElement) {
        if (getComputedStyle(parent).overflowX === 'visible') continue;
        const frame = parent.getBoundingClientRect();
        if (box.left < frame.left - 0.5 || box.right > frame.right + 0.5) return true;
    }
    return false;
}"""


@pytest.fixture
def open_admin(live_server, browser, django_user_model):
    """``open_admin(path, width, height)``: a signed-in editor's page at that size."""
    django_user_model.objects.create_superuser("editor", "editor@example.com", "a-long-password")
    contexts = []

    def open_page(path, width, height=900):
        context = browser.new_context(viewport={"width": width, "height": height})
        contexts.append(context)
        page = context.new_page()
        page.goto(f"{live_server.url}/admin/login/?next={path}")
        page.fill("#id_username", "editor")
        page.fill("#id_password", "a-long-password")
        page.click("input[type=submit]")
        page.wait_for_url(f"{live_server.url}{path.split('#')[0]}")
        return page

    yield open_page
    for context in contexts:
        context.close()


def overlaps(a, b):
    return not (
        a["x"] + a["width"] <= b["x"]
        or b["x"] + b["width"] <= a["x"]
        or a["y"] + a["height"] <= b["y"]
        or b["y"] + b["height"] <= a["y"]
    )


@pytest.mark.parametrize("width", [1280, 375])
def test_feature_form_shows_a_long_headline_whole_beside_calm_workflow_buttons(open_admin, width):
    feature = interview(dek=ONE_SENTENCE_DEK)
    Feature.objects.filter(pk=feature.pk).update(headline=LONG_HEADLINE)
    page = open_admin(change_url(feature), width)

    title = page.locator("#content h2").first.bounding_box()
    for button in page.locator(".object-tools li").all():
        assert not overlaps(title, button.bounding_box()), button.inner_text()

    headline = page.locator("#id_headline")
    assert headline.evaluate("(e) => e.scrollHeight <= e.clientHeight + 1")  # nothing hidden
    assert headline.input_value() == LONG_HEADLINE
    assert headline.bounding_box()["width"] >= min(560, width - 60)

    dek = page.locator("#id_dek")
    lines = dek.evaluate(
        """(e) => {
            const style = getComputedStyle(e);
            const line = parseFloat(style.lineHeight) || 1.2 * parseFloat(style.fontSize);
            const padding = parseFloat(style.paddingTop) + parseFloat(style.paddingBottom);
            return (e.clientHeight - padding) / line;
        }"""
    )
    assert lines <= 4  # a one-sentence dek, not a ten-row box
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def date_cells(page, headers):
    """The shown cells of the list's columns whose heading is one of ``headers`` (a phone
    leaves some columns out)."""
    return page.evaluate_handle(
        """(headers) => {
            const table = document.querySelector('#result_list');
            const titles = [...table.querySelectorAll('thead th')].map(
                (th) => th.innerText.trim().toLowerCase());
            const columns = titles.flatMap((title, i) => headers.includes(title) ? [i] : []);
            return [...table.querySelectorAll('tbody tr')].flatMap(
                (row) => columns.map((i) => row.children[i])
            ).filter((cell) => cell.checkVisibility());
        }""",
        headers,
    )


@pytest.mark.parametrize("width", [1280, 375])
@pytest.mark.parametrize(
    ("path", "make", "headers"),
    [
        (
            "/admin/features/feature/",
            lambda: FeatureFactory(headline=LONG_HEADLINE, series__name="NEWS x MUSE"),
            ["publication time", "last change", "updated at"],
        ),
        ("/admin/newsmuse/image/", lambda: ImageFactory(credit="A photographer"), ["uploaded"]),
    ],
    ids=["features", "images"],
)
def test_lists_show_their_date_columns_unclipped(open_admin, width, path, make, headers):
    for _ in range(3):
        make()
    page = open_admin(path, width)
    cells = date_cells(page, headers)
    count = page.evaluate("(cells) => cells.length", cells)
    clipped = page.evaluate(f"(cells) => cells.filter({CLIPPED}).length", cells)
    assert count >= 3
    assert clipped == 0
    assert page.evaluate(
        "() => { const list = document.querySelector('.results');"
        " return list.scrollWidth <= list.clientWidth; }"
    ), "the list scrolls sideways"


def test_the_film_pop_up_shows_the_watch_option_link(open_admin):
    film = FilmFactory()
    WatchOptionFactory(film=film, url="https://watch.example/a-million-miles-away")
    page = open_admin(f"/admin/films/film/{film.pk}/change/?_popup=1", 800, 500)
    link = page.locator("input[name='watch_options-0-url']")
    assert not link.evaluate(CLIPPED)


def test_on_a_phone_each_participants_role_and_label_are_in_view(open_admin):
    feature = interview()
    page = open_admin(change_url(feature), 375)

    for name in ("person", "role", "label"):
        field = page.locator(f"#id_participants-0-{name}")
        if name == "person":
            field = page.locator("#id_participants-0-person + .select2")
        box = field.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 375, name
    role = page.locator("#id_participants-0-role")
    assert role.evaluate("(e) => getComputedStyle(e.parentElement, '::before').content") == '"Role"'
    assert page.locator("#participants-group tr.empty-form").is_hidden()

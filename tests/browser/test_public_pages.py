import pytest

from tests.factories import make_feature, write_body

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_skip_link_is_the_first_stop_and_moves_focus_to_the_main_content(live_server, page):
    feature = make_feature(guests=2, films=1)
    page.goto(live_server.url + feature.get_absolute_url())

    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Skip to main content"
    assert page.locator(".skip-link").bounding_box()["y"] >= 0  # visible once focused

    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    page.keyboard.press("Tab")
    in_main = page.evaluate("document.getElementById('main').contains(document.activeElement)")
    assert in_main


@pytest.mark.parametrize("width", [375, 1280])
def test_feature_page_fits_the_screen_without_sideways_scrolling(live_server, page, width):
    feature = make_feature(guests=3, films=2, tags=6)
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(live_server.url + feature.get_absolute_url())
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    assert page.get_by_role("heading", level=1).inner_text() == feature.headline


def image_layout(page):
    """Where every image and heading sits, and how tall the page is."""
    return page.evaluate(
        """() => ({
            height: document.documentElement.scrollHeight,
            boxes: [...document.querySelectorAll('main img, main h2, main h3')].map((el) => {
                const box = el.getBoundingClientRect();
                return [Math.round(box.top + window.scrollY), Math.round(box.height)];
            }),
        })"""
    )


@pytest.mark.parametrize("width", [375, 1280])
def test_images_do_not_shift_the_layout_when_they_arrive(live_server, browser, width):
    feature = make_feature(guests=3, films=2)
    url = live_server.url + feature.get_absolute_url()
    viewport = {"width": width, "height": 800}

    without_images = browser.new_context(viewport=viewport)
    blocked = without_images.new_page()
    blocked.route("**/media/**", lambda route: route.abort())
    blocked.route("**/*.woff2", lambda route: route.abort())
    blocked.goto(url)
    before = image_layout(blocked)
    without_images.close()

    with_images = browser.new_context(viewport=viewport)
    page = with_images.new_page()
    # Text stays in the fallback faces on both sides (a typeface arriving moves text by
    # design, font-display: swap), so what is measured is what the images do.
    page.route("**/*.woff2", lambda route: route.abort())
    page.goto(url)  # the first view also makes the renditions
    page.goto(url)
    page.evaluate(
        """() => new Promise((resolve) => {
            window.__shift = 0;
            new PerformanceObserver((list) => {
                for (const entry of list.getEntries()) {
                    if (!entry.hadRecentInput) window.__shift += entry.value;
                }
            }).observe({type: 'layout-shift', buffered: true});
            resolve();
        })"""
    )
    for image in page.locator("main img").all():
        image.scroll_into_view_if_needed()
    page.wait_for_function(
        "[...document.images].every((img) => img.complete && img.naturalWidth > 0)"
    )
    page.evaluate("window.scrollTo(0, 0)")
    after = image_layout(page)
    layout_shift = page.evaluate("window.__shift")
    loaded = page.evaluate("document.images.length")
    with_images.close()

    assert loaded == 1 + 3 + 2
    assert after == before
    assert layout_shift == 0


def test_pages_are_set_in_our_own_typefaces_fetched_from_this_site_alone(live_server, page):
    feature = make_feature(guests=1, films=1)
    write_body(feature, "A year on the island.\n\nThe fog, and the ledger.")
    fetched = []
    page.on("request", lambda request: fetched.append(request.url))
    page.goto(live_server.url + feature.get_absolute_url())
    page.evaluate("document.fonts.ready.then(() => true)")

    loaded = page.evaluate(
        """[...document.fonts].filter((face) => face.status === 'loaded')
            .map((face) => `${face.family.replaceAll('"', '')} ${face.weight} ${face.style}`)"""
    )
    assert {"Newsreader 400 normal", "Newsreader 600 normal", "Inter 600 normal"} <= set(loaded)
    body = page.evaluate("getComputedStyle(document.querySelector('.feature__body')).fontFamily")
    assert body.startswith('"Newsreader"') or body.startswith("Newsreader")
    assert fetched and all(url.startswith(live_server.url + "/") for url in fetched), fetched


def edges(page, selector):
    box = page.locator(selector).first.bounding_box()
    return round(box["x"]), round(box["x"] + box["width"])


@pytest.mark.parametrize("width", [375, 1280])
def test_film_box_and_guest_bios_keep_to_the_text_column(live_server, page, width):
    feature = make_feature(guests=2, films=1)
    write_body(feature, "An opening paragraph, long enough to fill the whole column. " * 4)
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(live_server.url + feature.get_absolute_url())

    column = edges(page, ".feature__body p")
    assert edges(page, ".film-box") == column  # its rules and panel end where the text does
    bio_left, bio_right = edges(page, ".profile__text")
    if width == 375:
        # On a phone the bio sits under the portrait and has the whole column.
        assert (bio_left, bio_right) == column
        portrait = page.locator(".profile__portrait").first.bounding_box()
        bio = page.locator(".profile__text").first.bounding_box()
        assert bio["y"] >= portrait["y"] + portrait["height"]
    else:
        assert bio_right == column[1] and bio_right - bio_left >= 480

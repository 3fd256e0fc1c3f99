import pytest

from tests.factories import make_feature

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

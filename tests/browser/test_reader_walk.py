"""A reader's walk through the demo, clicking the links a reader clicks, with the skip link
and axe-core checked on every page type on the way."""

import io
import re

import feedparser
import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import expect

from features.models import Feature, Participant
from films.models import Credit
from tests.browser.axe import serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEWS_X_MUSE = "jose-hernandez-alejandra-marquez-abella-a-million-miles-away"


@pytest.fixture
def demo():
    """The demo's NEWS x MUSE feature, its first guest and the guest's film in it."""
    call_command("load_demo", stdout=io.StringIO())
    feature = Feature.objects.get(slug=NEWS_X_MUSE)
    guest = feature.participants.filter(role=Participant.Role.GUEST).first().person
    film = Credit.objects.get(person=guest, film__in=feature.films.all()).film
    return feature, guest, film


def check_page(page, name):
    """The skip link is the first stop and takes focus to the main content; axe-core finds
    nothing serious or critical."""
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Skip to main content"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main", name
    assert serious_violations(page) == [], name


def in_main(page):
    return page.get_by_role("main")


def test_a_reader_walks_from_home_to_a_feature_its_guest_a_film_search_and_the_feed(
    live_server, page, demo
):
    feature, guest, film = demo

    page.goto(live_server.url + "/")
    check_page(page, "home")

    in_main(page).get_by_role("link", name=feature.headline).first.click()
    expect(page).to_have_url(live_server.url + feature.get_absolute_url())
    expect(page.get_by_role("heading", level=1)).to_have_text(feature.headline)
    check_page(page, "feature")

    in_main(page).get_by_role("link", name=guest.name, exact=True).first.click()
    expect(page).to_have_url(live_server.url + guest.get_absolute_url())
    expect(page.get_by_role("heading", level=1)).to_contain_text(guest.name)
    check_page(page, "person")

    in_main(page).get_by_role("link", name=film.title).first.click()
    expect(page).to_have_url(live_server.url + film.get_absolute_url())
    expect(page.get_by_role("heading", level=1)).to_contain_text(film.title)
    check_page(page, "film")

    search = page.get_by_role("search", name="Site search").get_by_role("searchbox")
    search.fill(guest.name)
    search.press("Enter")
    expect(page).to_have_url(re.compile(r"/search/\?q="))
    result = in_main(page).get_by_role("link", name=feature.headline)
    expect(result.first).to_be_visible()
    check_page(page, "search")

    # Back home by the site's name; feed readers find the feed where the page names it.
    page.get_by_role("banner").get_by_role("link", name=settings.SITE_NAME, exact=True).click()
    expect(page).to_have_url(live_server.url + "/")
    feed_link = page.locator('head link[rel="alternate"][type="application/rss+xml"]')
    response = page.request.get(live_server.url + feed_link.first.get_attribute("href"))
    assert response.ok
    feed = feedparser.parse(response.body())
    assert not feed.bozo
    assert feature.headline in [entry.title for entry in feed.entries]


def test_every_other_page_type_is_reached_by_links_and_passes_axe(live_server, page, demo):
    feature, _, _ = demo

    page.goto(live_server.url + "/")
    site_nav = page.get_by_role("navigation", name="Site")
    for link, url_name in [
        ("Interviews", "features:archive"),
        ("People", "people:index"),
        ("Films", "films:index"),
        ("Series", "features:series_index"),
        ("Tags", "features:tag_index"),
    ]:
        site_nav.get_by_role("link", name=link, exact=True).click()
        expect(page).to_have_url(live_server.url + reverse(url_name))
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        check_page(page, url_name)

    page.goto(live_server.url + feature.get_absolute_url())
    in_main(page).get_by_role("link", name=feature.series.name).click()
    expect(page).to_have_url(live_server.url + feature.series.get_absolute_url())
    check_page(page, "series")

    page.goto(live_server.url + feature.get_absolute_url())
    tag = feature.tags.order_by("name").first()
    page.get_by_role("navigation", name="Tags").get_by_role("link", name=tag.name).click()
    expect(page).to_have_url(re.compile(rf"/tags/{tag.slug}/$"))
    check_page(page, "tag")

    missing = page.goto(live_server.url + feature.get_absolute_url() + "gone/")
    assert missing.status == 404
    check_page(page, "missing page")

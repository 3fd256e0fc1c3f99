"""Index pages: the archive, people, films, series and tags. Each lists only what readers may
see, costs a fixed number of queries whatever it lists, and pages through long lists."""

import pytest

from features.models import Feature
from tests.factories import FilmFactory, ParticipantFactory, PersonFactory, make_feature

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_page_cache(settings):
    settings.PAGE_CACHE_ENABLED = False


def html(client, url):
    page = client.get(url)
    assert page.status_code == 200, url
    return page.content.decode()


def public_and_hidden():
    public = make_feature(headline="Out in the open", tags=1)
    public.tags.set(["visible tag"])
    hidden = make_feature(headline="Under embargo", status=Feature.Status.DRAFT)
    hidden.tags.set(["secret tag"])
    hidden.series.name = "Secret series"
    hidden.series.save()
    ParticipantFactory(feature=hidden, person=PersonFactory(name="Embargoed Guest"), order=9)
    return public, hidden


def test_indexes_list_only_what_readers_may_see(client):
    public, hidden = public_and_hidden()
    checks = {
        "/features/": ("Out in the open", "Under embargo"),
        "/series/": (public.series.name, "Secret series"),
        "/tags/": ("visible tag", "secret tag"),
        "/people/": (public.guests[0].person.name, "Embargoed Guest"),
        "/films/": (public.films.get().title, hidden.films.get().title),
    }
    for url, (shown, kept_back) in checks.items():
        page = html(client, url)
        assert shown in page, url
        assert kept_back not in page, url


def test_the_header_leads_to_every_index(client):
    page = html(client, "/")
    for url in ["/features/", "/people/", "/films/", "/series/", "/tags/"]:
        assert f'href="{url}"' in page


def test_series_and_tags_say_how_many_interviews_they_have(client):
    first = make_feature()
    second = make_feature(series=first.series)
    second.tags.set(first.tags.names())
    assert "2 interviews" in html(client, "/series/")
    assert "2 interviews" in html(client, "/tags/")


@pytest.mark.parametrize(
    ("url", "queries"),
    [("/features/", 2), ("/series/", 1), ("/tags/", 1), ("/people/", 2), ("/films/", 2)],
)
def test_each_index_costs_the_same_at_any_size(client, django_assert_num_queries, url, queries):
    make_feature()
    html(client, url)  # the first view of a new picture makes its renditions
    with django_assert_num_queries(queries):
        html(client, url)
    for _ in range(12):
        make_feature(guests=2, films=2, tags=2)
    html(client, url)
    with django_assert_num_queries(queries):
        html(client, url)


def test_long_lists_are_paged_and_odd_pages_are_not_found(client):
    for number in range(101):
        PersonFactory(name=f"Person {number:03}")
        FilmFactory(title=f"Film {number:03}")
    first, second = html(client, "/people/"), html(client, "/people/?page=2")
    assert "Person 000" in first and "Person 100" not in first
    assert (
        "Person 100" in second
        and 'rel="canonical" href="http://testserver/people/?page=2"' in second
    )
    assert "Next page" in first
    assert "Film 100" in html(client, "/films/?page=2")
    for url in ["/people/?page=3", "/films/?page=x", "/features/?page=0"]:
        assert client.get(url).status_code == 404, url


def test_empty_indexes_say_so(client):
    assert "No series yet." in html(client, "/series/")
    assert "No tags yet." in html(client, "/tags/")
    assert "No one here yet." in html(client, "/people/")
    assert "No interviews here yet." in html(client, "/features/")

"""RSS and Atom feeds: valid, complete, fixed in cost, and never ahead of publication."""

from datetime import timedelta

import feedparser
import pytest
from django.urls import reverse
from django.utils import timezone

from features import services
from features.feeds import FEED_SIZE
from features.models import Feature, Participant
from newsmuse import renditions
from tests.factories import (
    FeatureFactory,
    FilmFactory,
    ImageFactory,
    ParticipantFactory,
    PersonFactory,
    SeriesFactory,
    hostile_text,
    make_feature,
    write_body,
)

pytestmark = pytest.mark.django_db

KINDS = ["rss", "atom"]


def feed_url(scope, kind, *args):
    """features:feed, features:series_feed_atom, …"""
    name = "feed" if scope == "site" else f"{scope}_feed"
    return reverse(f"features:{name}{'_atom' if kind == 'atom' else ''}", args=args)


def parse(client, url):
    """The feed at ``url``, which must be well-formed and parse without complaint."""
    response = client.get(url)
    assert response.status_code == 200, url
    feed = feedparser.parse(response.content)
    assert feed.bozo == 0, (url, feed.get("bozo_exception"))
    return feed


def every_feed_of(feature, person, kinds=KINDS):
    """The URLs of every feed the public piece ``feature`` should appear in."""
    tag = feature.tags.first()
    for kind in kinds:
        yield feed_url("site", kind)
        yield feed_url("series", kind, feature.series.slug)
        yield feed_url("tag", kind, tag.slug)
        yield feed_url("person", kind, person.slug)


def with_host(feature, name="Maya Ortiz"):
    host = PersonFactory(name=name)
    ParticipantFactory(feature=feature, person=host, role=Participant.Role.INTERVIEWER)
    return host


@pytest.mark.parametrize("kind", KINDS)
def test_site_feed_carries_each_piece_with_its_details(client, kind):
    feature = make_feature(headline="On the island", dek="A year of fog & ledgers.", tags=2)
    feature.participants.filter(role=Participant.Role.INTERVIEWER).delete()
    with_host(feature, "Maya Ortiz")
    with_host(feature, "Ana Lima")
    client.get(feature.get_absolute_url())  # makes the hero's renditions
    feature.hero_image.refresh_from_db()
    hero = renditions.ready(feature.hero_image, "hero")

    parsed = parse(client, feed_url("site", kind))
    (entry,) = parsed.entries
    assert parsed.feed.title == "newsmuse"
    assert parsed.feed.link == "http://testserver/"
    assert entry.title == "On the island"
    assert entry.link == f"http://testserver{feature.get_absolute_url()}"
    assert entry.summary == "A year of fog &amp; ledgers."  # HTML, shown as written
    assert entry.author == "Maya Ortiz and Ana Lima"
    assert {tag.term for tag in entry.tags} == {"tag 0", "tag 1"}
    assert entry.published_parsed[:6] == feature.published_at.utctimetuple()[:6]
    assert entry.id == f"tag:testserver,{feature.created_at:%Y-%m-%d}:features/{feature.pk}"
    (enclosure,) = entry.enclosures
    assert enclosure.href == f"http://testserver{hero['src']}"
    assert enclosure.type == "image/jpeg"
    assert int(enclosure.length) == hero["bytes"] > 0
    assert "/renditions/" in enclosure.href  # never the original
    (media,) = entry.media_content
    assert media["url"] == enclosure.href
    assert (media["width"], media["height"]) == (str(hero["width"]), str(hero["height"]))
    assert entry.media_credit == [{"content": feature.hero_image.credit}]


@pytest.mark.parametrize("kind", KINDS)
def test_series_tag_and_person_feeds_carry_only_their_pieces(client, kind):
    feature = make_feature(headline="In the series", tags=0)
    feature.tags.add("Space")
    host = with_host(feature)
    other = make_feature(headline="Elsewhere", tags=0)
    other.tags.add("Sea")
    with_host(other, "Someone else")
    for url in [
        feed_url("series", kind, feature.series.slug),
        feed_url("tag", kind, "space"),
        feed_url("person", kind, host.slug),
    ]:
        assert [entry.title for entry in parse(client, url).entries] == ["In the series"], url
    site = [entry.title for entry in parse(client, feed_url("site", kind)).entries]
    assert site == ["Elsewhere", "In the series"]


def test_guid_survives_a_new_headline_and_slug(client):
    feature = make_feature()
    before = parse(client, feed_url("site", "rss")).entries[0].id
    feature.headline, feature.slug = "New headline", "new-slug"
    feature.save()
    after = parse(client, feed_url("site", "rss")).entries[0]
    assert after.link.endswith("/features/new-slug/")
    assert after.id == before
    assert after.guidislink is False


def test_feeds_carry_the_newest_pieces_newest_first(client):
    now = timezone.now()
    for hours in range(FEED_SIZE + 3):
        FeatureFactory(headline=f"{hours} hours ago", published_at=now - timedelta(hours=hours + 1))
    titles = [entry.title for entry in parse(client, feed_url("site", "rss")).entries]
    assert titles == [f"{hours} hours ago" for hours in range(FEED_SIZE)]


def test_atom_entries_are_updated_when_edited_and_never_before_publication(client):
    feature = make_feature()
    entry = parse(client, feed_url("site", "atom")).entries[0]
    assert entry.updated_parsed >= entry.published_parsed
    assert entry.updated_parsed[:6] == feature.updated_at.utctimetuple()[:6]


def test_a_piece_without_interviewer_has_the_publication_as_atom_author(client):
    FeatureFactory()
    parsed = parse(client, feed_url("site", "atom"))
    assert parsed.feed.author == "newsmuse"
    assert "author" not in parse(client, feed_url("site", "rss")).entries[0]


@pytest.mark.parametrize(
    ("status", "hours_from_now"),
    [
        ("draft", -1),
        ("review", -1),
        ("unpublished", -1),
        ("scheduled", 1),
        ("published", 1),
    ],
)
def test_a_piece_readers_may_not_see_is_in_no_feed(client, status, hours_from_now):
    public = make_feature(headline="Public piece")
    public.tags.add("shared")
    host = with_host(public)
    hidden = FeatureFactory(
        series=public.series,
        status=status,
        headline="Not yet",
        published_at=timezone.now() + timedelta(hours=hours_from_now),
    )
    hidden.tags.add("shared")
    ParticipantFactory(feature=hidden, person=host)
    for url in every_feed_of(public, host):
        assert "Not yet" not in client.get(url).content.decode(), url

    # What exists for the hidden piece alone has no feed at all.
    only_hidden = FeatureFactory(status=status, published_at=hidden.published_at)
    only_hidden.tags.add("secret project")
    guest = ParticipantFactory(feature=only_hidden).person
    for kind in KINDS:
        for url in [
            feed_url("series", kind, only_hidden.series.slug),
            feed_url("tag", kind, "secret-project"),
            feed_url("person", kind, guest.slug),
        ]:
            assert client.get(url).status_code == 404, url


def test_unknown_subjects_have_no_feed(client):
    for scope in ["series", "tag", "person"]:
        for kind in KINDS:
            assert client.get(feed_url(scope, kind, "no-such-thing")).status_code == 404


def test_a_person_known_only_from_an_embargoed_film_has_no_feed(client):
    embargoed = FeatureFactory(status="draft")
    film = FilmFactory()
    embargoed.films.add(film)
    director = PersonFactory()
    film.credits.create(person=director, role="director")
    assert client.get(feed_url("person", "rss", director.slug)).status_code == 404


@pytest.mark.parametrize("kind", KINDS)
def test_hostile_text_gives_a_valid_feed(client, kind):
    hostile = hostile_text()
    series = SeriesFactory(name=f"Series {hostile}", description=hostile)
    feature = FeatureFactory(
        series=series,
        headline=f"Headline {hostile}",
        dek=f"Dek {hostile}",
        hero_image=ImageFactory(credit=hostile),
    )
    feature.tags.add(f"Tag {hostile}")
    host = with_host(feature, f"Name {hostile}")
    client.get(feature.get_absolute_url())  # makes the hero's renditions

    for url in every_feed_of(feature, host, kinds=[kind]):
        parsed = parse(client, url)
        (entry,) = parsed.entries
        assert entry.title == "Headline <script>alert(1)</script> ]]>  tab\there 🚀 &amp;"
        # The dek is text: its markup reaches readers escaped, never as markup.
        assert "<script>" not in entry.summary
        assert "&lt;script&gt;" in entry.summary
        assert "🚀" in entry.summary
        assert entry.author.startswith("Name <script>")
        assert "\x0b" not in parsed.feed.title
        assert entry.media_credit[0]["content"].startswith("<script>")


def test_pages_advertise_their_feeds(client):
    feature = make_feature()
    feature.tags.add("Space")
    host = with_host(feature)

    def alternates(url):
        html = client.get(url).content.decode()
        return [
            line.strip()
            for line in html.splitlines()
            if line.strip().startswith('<link rel="alternate"')
        ]

    for page, scope, args in [
        (reverse("features:home"), "site", []),
        (feature.series.get_absolute_url(), "series", [feature.series.slug]),
        (reverse("features:tag", args=["space"]), "tag", ["space"]),
        (host.get_absolute_url(), "person", [host.slug]),
    ]:
        links = alternates(page)
        assert len(links) == 2, page
        rss, atom = links
        assert 'type="application/rss+xml"' in rss
        assert f'href="{feed_url(scope, "rss", *args)}"' in rss
        assert 'type="application/atom+xml"' in atom
        assert f'href="{feed_url(scope, "atom", *args)}"' in atom
    assert alternates(feature.get_absolute_url()) == []


def test_a_person_without_public_interviews_advertises_no_feed(client):
    film = FilmFactory()
    director = PersonFactory()
    film.credits.create(person=director, role="director")
    html = client.get(director.get_absolute_url()).content.decode()
    assert "application/rss+xml" not in html


@pytest.mark.parametrize(
    ("scope", "expected"),
    [
        # features+series+hero+people's names, tags
        ("site", 2),
        # the subject, then the same two
        ("series", 3),
        ("tag", 3),
        ("person", 3),
    ],
)
@pytest.mark.parametrize("kind", KINDS)
def test_feed_queries_do_not_grow(
    client, django_assert_num_queries, settings, scope, expected, kind
):
    settings.PAGE_CACHE_ENABLED = False  # the feed's own queries; see test_pagecache
    series = SeriesFactory(slug="s")
    host = PersonFactory(slug="host")
    args = {"site": [], "series": ["s"], "tag": ["shared"], "person": ["host"]}[scope]
    url = feed_url(scope, kind, *args)
    for count in (1, FEED_SIZE + 5):
        while Feature.objects.count() < count:
            feature = make_feature(guests=4, films=0, tags=6, series=series)
            feature.tags.add("shared")
            ParticipantFactory(feature=feature, person=host, role=Participant.Role.INTERVIEWER)
        with django_assert_num_queries(expected):
            response = client.get(url)
        assert len(feedparser.parse(response.content).entries) == min(count, FEED_SIZE)


def test_feeds_are_cached_and_a_publication_shows_at_once(
    client, editor, django_assert_num_queries
):
    make_feature(headline="Already out")
    draft = make_feature(headline="Just published", status=Feature.Status.DRAFT, published_at=None)
    write_body(draft, "The conversation took place on the island.")
    url = feed_url("site", "rss")
    first = client.get(url)
    assert "Just published" not in first.content.decode()
    with django_assert_num_queries(1):  # the content version: served from the page cache
        assert client.get(url).content == first.content

    services.move_feature(feature=draft, move="publish", user=editor)
    assert parse(client, url).entries[0].title == "Just published"


def test_readers_see_the_feeds_of_a_page_at_its_foot(client):
    feature = make_feature()
    person = feature.guests[0].person
    page = client.get(person.get_absolute_url()).content.decode()
    foot = page[page.index('class="site-footer"') :]
    assert f"Follow {person.name} in a feed reader:" in foot
    rss, atom = (
        reverse("features:person_feed", args=[person.slug]),
        reverse("features:person_feed_atom", args=[person.slug]),
    )
    assert f'<a href="{rss}" type="application/rss+xml">RSS</a>' in foot
    assert f'<a href="{atom}" type="application/atom+xml">Atom</a>' in foot
    assert f'title="{person.name} (RSS)" href="{rss}"' in page  # and in the <head>

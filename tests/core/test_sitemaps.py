"""The sitemap index, its sections, the Google News sitemap and robots.txt: valid, public
content only, and a fixed number of queries whatever the size of the site.

Sections are validated against the sitemaps.org schema (``schemas/sitemap.xsd``). Its
wildcard for other namespaces is strict, and the schemas of Google's image and news
extensions ship in no package we can install: those elements are checked by their
documented structure, then taken out before the rest is validated. The index is checked the
same way, as ``siteindex.xsd`` ships in no package either (see ``schemas/README.md``).
"""

import copy
from datetime import timedelta
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from lxml import etree

from features import services
from features.models import Feature
from newsmuse import renditions
from tests.factories import (
    CreditFactory,
    FeatureFactory,
    FilmFactory,
    ParticipantFactory,
    PersonFactory,
    hostile_text,
    make_feature,
    write_body,
)

pytestmark = pytest.mark.django_db

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
IMAGE = "{http://www.google.com/schemas/sitemap-image/1.1}"
NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"
NAMESPACES = {"image": IMAGE[1:-1], "news": NEWS[1:-1]}
SITEMAP_SCHEMA = etree.XMLSchema(etree.parse(Path(__file__).parent / "schemas" / "sitemap.xsd"))
SECTIONS = ["pages", "features", "series", "tags", "people", "films", "news"]


def fetch_xml(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"] == "application/xml", url
    return etree.fromstring(response.content)  # raises unless well-formed


def section(client, name):
    """The entries of a sitemap section, validated: [{loc, lastmod, images, news}, …]."""
    root = fetch_xml(client, reverse("sitemap_section", kwargs={"section": name}))
    entries = [_entry(url) for url in root.iter(f"{SITEMAP}url")]
    core = copy.deepcopy(root)
    for extension in core.xpath("//image:image | //news:news", namespaces=NAMESPACES):
        extension.getparent().remove(extension)
    if entries:  # the schema wants at least one <url>; see the empty news sitemap's test
        SITEMAP_SCHEMA.assertValid(core)
    return entries


def _entry(url):
    """One <url>, its image and news parts checked against Google's documented structure."""
    lastmod = url.findtext(f"{SITEMAP}lastmod")
    images = []
    for image in url.findall(f"{IMAGE}image"):
        assert [child.tag for child in image] == [f"{IMAGE}loc"]
        images.append(_absolute_url(image.findtext(f"{IMAGE}loc")))
    assert len(images) <= 1000
    news = None
    for element in url.findall(f"{NEWS}news"):
        assert news is None, "one <news:news> per <url>"
        publication, published, title = element
        assert [publication.tag, published.tag, title.tag] == [
            f"{NEWS}publication",
            f"{NEWS}publication_date",
            f"{NEWS}title",
        ]
        assert [child.tag for child in publication] == [f"{NEWS}name", f"{NEWS}language"]
        news = {
            "name": publication.findtext(f"{NEWS}name"),
            "language": publication.findtext(f"{NEWS}language"),
            "published": _w3c_datetime(published.text),
            "title": title.text,
        }
    return {
        "loc": url.findtext(f"{SITEMAP}loc"),
        "lastmod": _w3c_datetime(lastmod) if lastmod else None,
        "images": images,
        "news": news,
    }


def _absolute_url(url):
    assert url.startswith(("http://", "https://")), url
    assert 12 <= len(url) <= 2048, url
    return url


def _w3c_datetime(text):
    moment = parse_datetime(text)
    assert moment is not None and moment.tzinfo is not None, text
    return moment


def sitemap_index(client):
    """[(loc, lastmod), …] of the index, checked against the sitemaps.org rules for index
    files: a <sitemapindex> of one or more <sitemap>, each a <loc> of 12 to 2,048 characters
    and an optional W3C date or datetime <lastmod>, in that order, and nothing else."""
    root = fetch_xml(client, reverse("sitemap"))
    assert root.tag == f"{SITEMAP}sitemapindex"
    entries = []
    for sitemap in root:
        assert sitemap.tag == f"{SITEMAP}sitemap"
        tags = [child.tag for child in sitemap]
        assert tags in ([f"{SITEMAP}loc"], [f"{SITEMAP}loc", f"{SITEMAP}lastmod"]), tags
        lastmod = sitemap.findtext(f"{SITEMAP}lastmod")
        entries.append(
            (
                _absolute_url(sitemap.findtext(f"{SITEMAP}loc")),
                _w3c_datetime(lastmod) if lastmod else None,
            )
        )
    assert entries
    return entries


def everything_listed(client):
    """Every URL the index and its sections list, images and news titles included."""
    listed = []
    for loc, _ in sitemap_index(client):
        name = loc.rsplit("sitemap-", 1)[1].removesuffix(".xml")
        for entry in section(client, name):
            listed += [entry["loc"], *entry["images"]]
            if entry["news"]:
                listed.append(entry["news"]["title"])
    return listed


def absolute(path):
    return f"http://testserver{path}"


def show(client, feature):
    """View the piece once: that makes the renditions of its hero, portraits and posters."""
    assert client.get(feature.get_absolute_url()).status_code == 200
    feature.hero_image.refresh_from_db()


def test_the_index_lists_every_section_with_its_last_change(client):
    feature = make_feature()
    listed = sitemap_index(client)
    assert [loc for loc, _ in listed] == [
        absolute(reverse("sitemap_section", kwargs={"section": name})) for name in SECTIONS
    ]
    lastmods = dict(listed)
    assert lastmods[absolute("/sitemap-features.xml")] == feature.updated_at
    assert lastmods[absolute("/sitemap-pages.xml")] == feature.published_at


def test_sections_list_public_pages_with_their_images(client):
    feature = make_feature(guests=1, films=1, tags=1)
    feature.tags.add("Ciencia ficción")
    show(client, feature)
    guest = feature.guests[0].person
    film = feature.films.get()
    hero = renditions.ready(feature.hero_image, "hero")
    guest.portrait.refresh_from_db()
    film.poster.refresh_from_db()

    pages = section(client, "pages")
    assert [page["loc"] for page in pages] == [
        absolute(path) for path in ("/", "/features/", "/people/", "/films/", "/series/", "/tags/")
    ]
    assert {page["lastmod"] for page in pages} == {feature.published_at}

    (listed,) = section(client, "features")
    assert listed["loc"] == absolute(feature.get_absolute_url())
    assert listed["lastmod"] == feature.updated_at
    assert listed["images"] == [absolute(hero["src"])]
    assert "/renditions/" in listed["images"][0]  # never the original

    (series,) = section(client, "series")
    assert series["loc"] == absolute(feature.series.get_absolute_url())
    assert series["lastmod"] == feature.published_at

    tags = {entry["loc"] for entry in section(client, "tags")}
    assert tags == {
        absolute(reverse("features:tag", args=["tag-0"])),
        absolute(reverse("features:tag", args=["ciencia-ficción"])),
    }

    people = {entry["loc"]: entry for entry in section(client, "people")}
    assert people[absolute(guest.get_absolute_url())]["images"] == [
        absolute(renditions.ready(guest.portrait, "portrait")["src"])
    ]
    films = {entry["loc"]: entry for entry in section(client, "films")}
    assert films[absolute(film.get_absolute_url())]["images"] == [
        absolute(renditions.ready(film.poster, "poster")["src"])
    ]


def test_an_image_without_renditions_yet_is_left_out(client):
    make_feature()
    (listed,) = section(client, "features")
    assert listed["images"] == []


def test_the_news_sitemap_holds_the_last_two_days(client, settings):
    settings.SITE_NAME = "News & Muse"
    now = timezone.now()
    fresh = FeatureFactory(headline="Fresh", published_at=now - timedelta(hours=47))
    FeatureFactory(headline="Stale", published_at=now - timedelta(hours=49))
    (entry,) = section(client, "news")
    assert entry["loc"] == absolute(fresh.get_absolute_url())
    assert entry["news"] == {
        "name": "News & Muse",
        "language": "en",
        "published": fresh.published_at,
        "title": "Fresh",
    }


def test_a_quiet_news_sitemap_is_an_empty_urlset(client):
    FeatureFactory(published_at=timezone.now() - timedelta(days=3))
    root = fetch_xml(client, reverse("sitemap_section", kwargs={"section": "news"}))
    assert root.tag == f"{SITEMAP}urlset"
    assert len(root) == 0


def test_hostile_text_gives_valid_sitemaps(client):
    hostile = hostile_text()
    feature = make_feature(headline=f"Headline {hostile}", tags=0)
    feature.tags.add(f"Tag {hostile}")
    feature.series.name = f"Series {hostile}"
    feature.series.save()
    show(client, feature)
    (entry,) = section(client, "news")
    assert entry["news"]["title"] == "Headline <script>alert(1)</script> ]]>  tab\there 🚀 &amp;"
    for name in SECTIONS:
        section(client, name)


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
def test_nothing_readers_may_not_see_is_listed(client, status, hours_from_now):
    public = make_feature()
    show(client, public)
    hidden = make_feature(
        status=status,
        published_at=timezone.now() + timedelta(hours=hours_from_now),
        headline="Not yet",
        guests=0,
        tags=0,
    )
    hidden.tags.add("secret project")
    renditions.generate(hidden.hero_image, ["hero"])
    hidden.hero_image.refresh_from_db()
    embargoed_person = ParticipantFactory(feature=hidden).person
    embargoed_film = hidden.films.get()
    known_elsewhere = PersonFactory()
    ParticipantFactory(feature=hidden, person=known_elsewhere)
    ParticipantFactory(feature=public, person=known_elsewhere)

    listed = everything_listed(client)
    for secret in [
        absolute(hidden.get_absolute_url()),
        absolute(hidden.series.get_absolute_url()),
        absolute(reverse("features:tag", args=["secret-project"])),
        absolute(embargoed_person.get_absolute_url()),
        absolute(embargoed_film.get_absolute_url()),
        absolute(renditions.ready(hidden.hero_image, "hero")["src"]),
        "Not yet",
    ]:
        assert secret not in listed, secret
    assert absolute(public.get_absolute_url()) in listed
    assert absolute(known_elsewhere.get_absolute_url()) in listed


def test_sitemaps_are_cached_and_a_publication_shows_at_once(client, editor):
    make_feature()
    draft = make_feature(status=Feature.Status.DRAFT, published_at=None)
    write_body(draft, "The conversation took place on the island.")
    url = absolute(draft.get_absolute_url())
    assert url not in [entry["loc"] for entry in section(client, "features")]
    assert url not in [entry["loc"] for entry in section(client, "news")]

    services.move_feature(feature=draft, move="publish", user=editor)
    assert url in [entry["loc"] for entry in section(client, "features")]
    assert url in [entry["loc"] for entry in section(client, "news")]


def add_site(size):
    """Public pieces, each with its own series, people with portraits, films with posters
    and credits, and tags; one embargoed piece with its own person and film."""
    for _ in range(size):
        feature = make_feature(guests=3, films=2, tags=3)
        renditions.generate(feature.hero_image, ["hero"])
    hidden = make_feature(status=Feature.Status.DRAFT)
    CreditFactory(film=hidden.films.get(), person=PersonFactory())
    FilmFactory()


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        # the index: per section the latest change and the count of its entries (the home
        # page needs no count)
        ("/sitemap.xml", 13),
        # the latest publication
        ("/sitemap-pages.xml", 1),
        # per section: the count of its entries, then one page of them (pieces with their
        # heroes, series and tags with their latest publication, people with portraits,
        # films with posters, the last two days' pieces)
        *[(f"/sitemap-{name}.xml", 2) for name in SECTIONS[1:]],
        ("/robots.txt", 0),
    ],
)
def test_sitemap_queries_do_not_grow(client, django_assert_num_queries, settings, url, expected):
    settings.PAGE_CACHE_ENABLED = False  # their own queries; see test_pagecache
    for size in (1, 15):
        add_site(size - Feature.objects.filter(status=Feature.Status.PUBLISHED).count())
        with django_assert_num_queries(expected):
            assert client.get(url).status_code == 200


def test_robots_txt_points_at_the_sitemaps_and_keeps_crawlers_out_of_the_admin(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode().splitlines() == [
        "User-agent: *",
        "Disallow: /admin/",
        "",
        "Sitemap: http://testserver/sitemap.xml",
        "Sitemap: http://testserver/sitemap-news.xml",
    ]


def test_an_unknown_section_is_not_found(client):
    assert client.get("/sitemap-nothing.xml").status_code == 404

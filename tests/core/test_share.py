"""What search engines and social sites read from a page: the canonical address, the share
card and schema.org structured data, for every page type, whatever editors typed."""

import re

import extruct
import pytest

from features.models import Feature
from films.models import Credit, Film
from tests.factories import (
    CreditFactory,
    FilmFactory,
    PersonFactory,
    SeriesFactory,
    make_feature,
)

pytestmark = pytest.mark.django_db

HOSTILE = '</script><script>alert("x")</script> & <b>"quoted"</b>'


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = "https://newsmuse.example"
    settings.PAGE_CACHE_ENABLED = False


def read(client, url):
    html = client.get(url).content.decode()
    data = extruct.extract(html, base_url="https://newsmuse.example", syntaxes=["json-ld"])
    by_type = {item["@type"]: item for item in data["json-ld"]}
    meta = dict(re.findall(r'<meta (?:property|name)="([^"]+)" content="([^"]*)"', html))
    canonical = re.search(r'<link rel="canonical" href="([^"]+)">', html)
    return html, by_type, meta, canonical and canonical.group(1)


def test_a_feature_is_a_news_article_with_its_people_and_films(client):
    feature = make_feature(guests=2, films=1, tags=2)
    _, data, meta, canonical = read(client, feature.get_absolute_url())

    url = f"https://newsmuse.example{feature.get_absolute_url()}"
    assert canonical == url == meta["og:url"]
    assert meta["og:type"] == "article" and meta["og:title"] == feature.headline
    assert meta["description"] == meta["og:description"] == feature.dek
    assert meta["twitter:card"] in ("summary_large_image", "summary")
    article = data["NewsArticle"]
    assert article["headline"] == feature.headline
    assert article["datePublished"] == feature.published_at.isoformat()
    assert article["dateModified"]
    assert [a["name"] for a in article["author"]] == [p.person.name for p in feature.interviewers]
    assert article["publisher"]["name"] == "newsmuse"
    about = {item["name"] for item in article["about"]}
    assert about == {*(g.person.name for g in feature.guests), feature.films.get().title}
    assert sorted(article["keywords"]) == ["tag 0", "tag 1"]
    names = [item["name"] for item in data["BreadcrumbList"]["itemListElement"]]
    assert names == ["newsmuse", feature.series.name, feature.headline]


def test_the_share_picture_is_a_rendition_never_the_original(client):
    feature = make_feature()
    client.get(feature.get_absolute_url())  # the first view makes the renditions
    _, data, meta, _ = read(client, feature.get_absolute_url())
    image = meta["og:image"]
    assert image.startswith("https://newsmuse.example/media/renditions/")
    assert int(meta["og:image:width"]) <= 1600 and meta["og:image:height"]
    assert data["NewsArticle"]["image"] == [image]
    assert feature.hero_image.file.name not in image


def test_a_person_and_a_film_describe_themselves(client):
    feature = make_feature()
    guest = feature.guests[0].person
    guest.description = "NASA flight engineer"
    guest.website = "https://example.org/jose"
    guest.save()
    _, data, meta, canonical = read(client, guest.get_absolute_url())
    assert data["Person"]["name"] == guest.name
    assert data["Person"]["sameAs"] == ["https://example.org/jose"]
    assert meta["og:type"] == "profile" and meta["description"] == "NASA flight engineer"
    assert canonical == f"https://newsmuse.example{guest.get_absolute_url()}"

    film = feature.films.get()
    director = PersonFactory(name="Alejandra Márquez Abella")
    CreditFactory(film=film, person=director, role=Credit.Role.DIRECTOR)
    _, data, meta, _ = read(client, film.get_absolute_url())
    movie = data["Movie"]
    assert movie["name"] == film.title
    assert "Alejandra Márquez Abella" in [d["name"] for d in movie["director"]]
    assert movie["potentialAction"][0]["@type"] == "WatchAction"
    assert movie["potentialAction"][0]["target"] == film.watch_options.get().url
    assert meta["og:type"] == "video.movie"


def test_a_tv_series_says_so(client):
    show = FilmFactory(kind=Film.Kind.SERIES, synopsis="Cartels, told slowly.")
    _, data, meta, _ = read(client, show.get_absolute_url())
    assert "TVSeries" in data and meta["og:type"] == "video.tv_show"


def test_lists_have_canonical_addresses_and_descriptions(client):
    feature = make_feature(series=SeriesFactory(description="Long talks with short films."))
    _, data, meta, canonical = read(client, "/")
    assert canonical == "https://newsmuse.example/"
    assert data["WebSite"]["potentialAction"]["target"].endswith("/search/?q={search_term_string}")
    assert meta["description"] == "Conversations about people and films."

    _, _, meta, canonical = read(client, feature.series.get_absolute_url())
    assert canonical == f"https://newsmuse.example{feature.series.get_absolute_url()}"
    assert meta["description"] == "Long talks with short films."
    tag = feature.tags.get()
    _, _, meta, canonical = read(client, f"/tags/{tag.slug}/")
    assert meta["description"] == f"Interviews about {tag.name}."


def test_nothing_an_editor_types_breaks_out_of_the_head(client):
    feature = make_feature(headline=HOSTILE[:250], dek=HOSTILE)
    guest = feature.guests[0].person
    guest.name = HOSTILE[:200]
    guest.save()
    html, data, meta, _ = read(client, feature.get_absolute_url())
    head = html.split("</head>")[0]
    assert "<script>alert" not in head and "<b>" not in head
    assert head.count("<script") == head.count("</script>") == 2  # the two JSON-LD blocks
    assert data["NewsArticle"]["headline"] == HOSTILE[:110]
    assert data["NewsArticle"]["description"] == HOSTILE
    assert meta["og:title"] == HOSTILE[:250].replace("&", "&amp;").replace("<", "&lt;").replace(
        ">", "&gt;"
    ).replace('"', "&quot;")


def test_previews_carry_no_share_card(client, superuser_client):
    draft = make_feature(status=Feature.Status.DRAFT)
    html = superuser_client.get(draft.get_absolute_url()).content.decode()
    assert "og:title" not in html and "application/ld+json" not in html
    assert 'content="noindex, nofollow"' in html

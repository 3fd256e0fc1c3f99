import re
from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from features import search
from features.models import Feature, Participant
from tests.factories import (
    CreditFactory,
    FeatureFactory,
    FilmFactory,
    ParticipantFactory,
    PersonFactory,
    SeriesFactory,
    WatchOptionFactory,
    make_feature,
    write_body,
)

pytestmark = pytest.mark.django_db


def test_home_lists_published_features_newest_first(client):
    older = FeatureFactory(headline="Older piece", published_at=timezone.now() - timedelta(days=2))
    newer = FeatureFactory(headline="Newer piece")
    FeatureFactory(headline="Secret draft", status="draft")
    response = client.get(reverse("features:home"))
    assert response.status_code == 200
    assert list(response.context["features"]) == [newer, older]
    assert "Secret draft" not in response.content.decode()


def test_home_leads_with_the_newest_piece_then_the_latest_then_the_series(client):
    column = SeriesFactory(name="Night Shift", description="Talks after dark.")
    drafts = SeriesFactory(name="Only Drafts")  # its one piece is a draft: not listed
    day = timezone.now() - timedelta(days=1)
    older = [FeatureFactory(series=column, published_at=day - timedelta(hours=h)) for h in (1, 2)]
    lead = FeatureFactory(series=column, headline="The newest piece", dek="Read this first.")
    FeatureFactory(series=drafts, status="draft")

    response = client.get(reverse("features:home"))
    assert response.context["lead"] == lead
    assert list(response.context["latest"]) == older
    assert [(s.name, s.count) for s in response.context["series"]] == [("Night Shift", 3)]
    html = response.content.decode()
    lead_html = html[html.index('<article class="lead">') : html.index("</article>")]
    assert "The newest piece" in lead_html and "Read this first." in lead_html
    assert lead_html.count("<img") == 1  # its hero, large
    assert 'id="latest-heading"' in html and 'id="series-heading"' in html
    assert "Talks after dark." in html and "Only Drafts" not in html


def test_home_shows_the_lead_and_four_rows_of_three(client):
    for _ in range(15):
        FeatureFactory()
    response = client.get(reverse("features:home"))
    assert len(response.context["latest"]) == 12


def test_feature_page_shows_the_interview(client):
    feature = FeatureFactory(headline="On the island", dek="A year of fog.")
    host = ParticipantFactory(
        feature=feature, role=Participant.Role.INTERVIEWER, person=PersonFactory(name="Maya Ortiz")
    )
    guest = ParticipantFactory(
        feature=feature, label="Keeper", person=PersonFactory(name="Tomás Reyes", bio="Keeps.")
    )
    film = FilmFactory(title="The Ledger", year=2024, synopsis="Pages of weather.")
    CreditFactory(film=film, person=guest.person, role="director")
    earlier = FilmFactory(title="Earlier Work", year=2019)
    CreditFactory(film=earlier, person=guest.person, role="writer")
    WatchOptionFactory(film=film, provider="Prime Video", url="https://watch.example/ledger")
    feature.films.add(film)
    feature.tags.add("Documentary")
    write_body(feature, "Maya Ortiz: Why?\n\nTomás Reyes: The fog.\n\n> Tomás: Pages.")

    response = client.get(feature.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    for fact in [
        "On the island",
        "A year of fog.",
        feature.series.name,
        feature.hero_image.alt_text,
        feature.hero_image.caption,
        feature.hero_image.credit,
        "Keeper",
        "Keeps.",
        "The Ledger",
        "(2024)",
        "Pages of weather.",
        "Earlier Work",
        "Documentary",
        'href="https://watch.example/ledger"',
        'Watch on Prime Video<span class="visually-hidden">: The Ledger</span>',
    ]:
        assert fact in html, fact
    assert f'By <a href="{host.person.get_absolute_url()}">Maya Ortiz</a>' in html
    assert f'href="{guest.person.get_absolute_url()}"' in html
    assert f'href="{film.get_absolute_url()}"' in html
    assert '<div class="qa qa--question" id="b-' in html
    assert (
        '<strong class="qa__speaker"><span class="visually-hidden">Answer from </span>'
        "Tomás Reyes:</strong> The fog."
    ) in html
    assert "<blockquote><p>Pages.</p></blockquote>" in html


def test_film_discussed_is_not_repeated_as_a_guests_earlier_work(client):
    feature = make_feature(guests=1, films=0)
    guest = feature.guests[0]
    film = FilmFactory(title="Discussed Film")
    CreditFactory(film=film, person=guest.person)
    feature.films.add(film)
    response = client.get(feature.get_absolute_url())
    ((_, earlier_work),) = response.context["guests"]
    assert film.pk not in {credit.film_id for credit in earlier_work}


def test_body_text_is_escaped(client):
    feature = FeatureFactory()
    ParticipantFactory(feature=feature, person=PersonFactory(name="Ana Lima"))
    write_body(feature, "Ana Lima: <script>alert(1)</script>")
    html = client.get(feature.get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


@pytest.mark.parametrize("status", ["draft", "review", "unpublished"])
def test_unpublished_feature_page_is_not_found(client, status):
    feature = FeatureFactory(status=status)
    assert client.get(feature.get_absolute_url()).status_code == 404


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
def test_a_feature_readers_may_not_see_shows_nowhere(client, status, hours_from_now):
    series = SeriesFactory()
    FeatureFactory(series=series).tags.add("shared")
    feature = FeatureFactory(
        series=series,
        status=status,
        headline="Not yet",
        published_at=timezone.now() + timedelta(hours=hours_from_now),
    )
    feature.tags.add("shared")
    person = ParticipantFactory(feature=feature).person
    film = FilmFactory()
    feature.films.add(film)

    assert client.get(feature.get_absolute_url()).status_code == 404
    for url in [
        reverse("features:home"),
        series.get_absolute_url(),
        reverse("features:tag", args=["shared"]),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "Not yet" not in response.content.decode(), url
    # Made for this piece alone: their pages would give the embargo away.
    assert client.get(person.get_absolute_url()).status_code == 404
    assert client.get(film.get_absolute_url()).status_code == 404


def test_scheduled_feature_goes_live_at_its_time_without_any_job(client):
    feature = FeatureFactory(status="scheduled", published_at=timezone.now() + timedelta(hours=1))
    assert client.get(feature.get_absolute_url()).status_code == 404
    Feature.objects.filter(pk=feature.pk).update(published_at=timezone.now())
    assert client.get(feature.get_absolute_url()).status_code == 200


def test_unknown_pages_are_not_found(client):
    for name in ["features:detail", "features:series", "features:tag"]:
        assert client.get(reverse(name, args=["no-such-thing"])).status_code == 404


def test_series_page_lists_only_its_published_features(client):
    series = SeriesFactory(name="NEWS x MUSE")
    mine = FeatureFactory(series=series, headline="In the series")
    FeatureFactory(series=series, status="draft", headline="Draft in series")
    FeatureFactory(headline="Other series")
    response = client.get(series.get_absolute_url())
    assert response.status_code == 200
    assert list(response.context["features"]) == [mine]
    assert "NEWS x MUSE" in response.content.decode()


def test_series_and_tags_of_unpublished_features_only_are_not_found(client):
    draft = FeatureFactory(status="draft")
    draft.tags.add("Secret project")
    assert client.get(draft.series.get_absolute_url()).status_code == 404
    assert client.get(reverse("features:tag", args=["secret-project"])).status_code == 404


def test_tags_with_accented_letters_have_working_pages(client):
    feature = FeatureFactory()
    feature.tags.add("Ciencia ficción")
    url = reverse("features:tag", args=["ciencia-ficción"])
    assert f'href="{url}"' in client.get(feature.get_absolute_url()).content.decode()
    assert client.get(url).status_code == 200


def test_tag_page_lists_only_published_features_with_the_tag(client):
    tagged = FeatureFactory(headline="Tagged")
    tagged.tags.add("Space")
    hidden = FeatureFactory(status="draft")
    hidden.tags.add("Space")
    response = client.get(reverse("features:tag", args=["space"]))
    assert response.status_code == 200
    assert list(response.context["features"]) == [tagged]


def test_feature_page_queries_do_not_grow(client, django_assert_num_queries, settings):
    settings.PAGE_CACHE_ENABLED = False  # the page's own queries; see test_pagecache
    small = make_feature(guests=1, films=1, tags=1)
    large = make_feature(guests=8, films=5, tags=10)
    write_body(large, "\n\n".join(f"Paragraph {n} of a long body." for n in range(60)))
    for _ in range(6):  # pieces that share the large one's tags, each with guests
        make_feature(guests=3, films=0, tags=10)
    # feature+series+hero+tags, participants+people+portraits, films+posters, available
    # watch options, credits of the films and of the guests (with films and people),
    # related pieces with their series, heroes and guests' names
    for feature in (small, large):
        client.get(feature.get_absolute_url())  # the first view makes the renditions
        with django_assert_num_queries(6):
            assert client.get(feature.get_absolute_url()).status_code == 200


@pytest.mark.parametrize("url_name", ["home", "series", "tag"])
def test_listing_pages_queries_do_not_grow(client, django_assert_num_queries, settings, url_name):
    settings.PAGE_CACHE_ENABLED = False  # the page's own queries; see test_pagecache
    series = SeriesFactory(slug="s")
    args = {"home": [], "series": ["s"], "tag": ["shared"]}[url_name]
    url = reverse(f"features:{url_name}", args=args)
    # home: features+series+hero+people's names (the lead is the first of them), the series
    # with their counts; series or tag: the series or tag, the count of its features,
    # features+series+hero+people's names
    expected = 2 if url_name == "home" else 3
    for count in (1, 12):
        while Feature.objects.count() < count:
            feature = make_feature(guests=3, films=0, tags=1, series=series)
            feature.tags.add("shared")
        client.get(url)  # the first view makes the renditions
        with django_assert_num_queries(expected):
            response = client.get(url)
        assert len(response.context["features"]) == count


@pytest.mark.parametrize("url_name", ["series", "tag"])
def test_long_lists_come_in_pages_of_24(client, url_name):
    series = SeriesFactory(slug="long")
    for _ in range(30):
        FeatureFactory(series=series).tags.add("long")
    url = reverse(f"features:{url_name}", args=["long"])
    first = client.get(url)
    assert len(first.context["features"]) == 24
    assert 'rel="next" href="?page=2"' in first.content.decode()
    second = client.get(url, {"page": 2})
    assert len(second.context["features"]) == 6
    assert 'rel="prev" href="?page=1"' in second.content.decode()
    shown = {f.pk for f in first.context["features"]} | {f.pk for f in second.context["features"]}
    assert len(shown) == 30
    for wrong in ("3", "0", "abc", "9" * 30):
        assert client.get(url, {"page": wrong}).status_code == 404


def _page_of(url_name, feature):
    """The address of a page that shows ``feature``: home, archive, its own or search."""
    return {
        "home": reverse("features:home"),
        "archive": reverse("features:archive"),
        "detail": feature.get_absolute_url(),
        "search": reverse("features:search") + "?q=Headline",
    }[url_name]


@pytest.mark.parametrize("url_name", ["home", "archive", "detail", "search"])
def test_machine_readable_times_are_valid_html_to_the_second(client, url_name):
    a_second_ago = timezone.now() - timedelta(seconds=1)  # public now, whatever the microsecond
    feature = make_feature(published_at=a_second_ago.replace(microsecond=123456))
    search.reindex([feature.pk])
    page = client.get(_page_of(url_name, feature)).content.decode()
    times = re.findall(r'<time[^>]* datetime="([^"]+)"', page)
    assert times
    for value in times:
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d", value), value


@pytest.mark.parametrize("url_name", ["home", "archive", "detail", "search", "related"])
def test_names_and_dates_read_as_a_sentence_in_the_sites_time_zone(client, settings, url_name):
    """Three guests read “A, B and C”, two interviewers “X and Y”, and the date is the
    reader's day in the site's time zone (here the evening before, in Mexico City)."""
    settings.TIME_ZONE = "America/Mexico_City"
    published = datetime(2025, 3, 1, 2, 30, 15, tzinfo=UTC)  # 28 February, 20:30 there
    feature = make_feature(guests=0, films=0, published_at=published, headline="Headline one")
    feature.participants.all().delete()
    for order, (name, role) in enumerate(
        [
            ("Ana <Díaz>", Participant.Role.GUEST),
            ("Ben Ortiz", Participant.Role.INTERVIEWER),
            ("Cleo Park", Participant.Role.GUEST),
            ("Dan Ruiz", Participant.Role.INTERVIEWER),
            ("Eva Solís", Participant.Role.GUEST),
        ]
    ):
        ParticipantFactory(feature=feature, role=role, order=order, person__name=name)
    search.reindex([feature.pk])
    if url_name == "related":  # the piece as a card on another piece's page
        other = make_feature(tags=0, guests=0, films=0, published_at=published)
        other.tags.add("shared")
        feature.tags.add("shared")
        url = other.get_absolute_url()
    else:
        url = _page_of(url_name, feature)
    page = client.get(url).content.decode()
    assert '<time datetime="2025-02-28T20:30:15-06:00">28 February 2025</time>' in page
    if url_name != "detail":
        assert "With Ana &lt;Díaz&gt;, Cleo Park and Eva Solís" in page
    if url_name == "home":
        assert "By Ben Ortiz and Dan Ruiz" in page


@pytest.mark.parametrize(
    "path", ["/", "/features/", "/series/s/", "/tags/shared/", "/search/?q=Headline", "related"]
)
def test_no_template_syntax_shows_on_a_page(client, path):
    """A comment or tag the template engine did not take (a {# … #} over two lines, say)
    would reach readers as text."""
    series = SeriesFactory(slug="s")
    features = [make_feature(series=series) for _ in range(2)]
    for feature in features:
        feature.tags.add("shared")
    search.reindex([feature.pk for feature in features])
    page = client.get(features[0].get_absolute_url() if path == "related" else path)
    text = page.content.decode()
    assert page.status_code == 200
    for syntax in ("{#", "#}", "{%", "%}", "{{"):
        assert syntax not in text


def test_names_read_without_their_row_say_how_to_load_them():
    feature = Feature.objects.get(pk=make_feature().pk)
    with pytest.raises(AttributeError, match="with_people_names"):
        assert not feature.guest_names
    guest = feature.participants.get(role=Participant.Role.GUEST).person.name
    assert Feature.objects.with_people_names().get(pk=feature.pk).guest_names == [guest]

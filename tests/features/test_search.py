"""Site search: one box on every page finds public interviews by any word readers remember,
whatever the accents, on SQLite and PostgreSQL alike."""

import re
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from features import search
from features.models import Feature, Participant, SearchEntry
from films.models import Film
from people.models import Person
from tests.factories import FeatureFactory, ParticipantFactory, PersonFactory, write_body

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_page_cache(settings):
    settings.PAGE_CACHE_ENABLED = False


def interview(headline, body="", *, guest="José Hernández", host="Maya Ortiz", **fields):
    """A published interview between ``host`` and ``guest``, saved (and so indexed) through
    the one save path. ``body`` uses the names as editors write them."""
    feature = FeatureFactory(headline=headline, **fields)
    ParticipantFactory(
        feature=feature, role=Participant.Role.INTERVIEWER, person=_person(host), order=0
    )
    ParticipantFactory(feature=feature, person=_person(guest), label="Guest", order=1)
    return write_body(feature, body or f"{host}: Hello?\n\n{guest}: Hello.")


def _person(name):
    return Person.objects.filter(name=name).first() or PersonFactory(name=name)


def headlines(client, **params):
    page = client.get("/search/", params)
    assert page.status_code == 200
    return re.findall(r'search-result__title"><a href="[^"]+">([^<]+)</a>', page.content.decode())


def test_accents_and_case_never_matter(client):
    interview("A life in orbit", guest="José Hernández")
    interview("Directing the story", guest="Alejandra Márquez Abella")
    assert headlines(client, q="jose hernandez") == ["A life in orbit"]
    assert headlines(client, q="HERNANDEZ JOSÉ") == ["A life in orbit"]
    assert headlines(client, q="Marquez") == ["Directing the story"]
    assert headlines(client, q="márquez abella") == ["Directing the story"]


def test_finds_by_headline_dek_body_names_films_and_tags(client):
    feature = interview(
        "Twelve rejections",
        "Maya Ortiz: Why keep applying?\n\nJosé Hernández: Because the shuttle was waiting.",
        dek="An engineer on persistence.",
    )
    feature.films.add(Film.objects.create(title="A Million Miles Away", slug="ammaway"))
    feature.tags.add("Prime Video")
    search.reindex([feature.pk])
    for query in ["rejections", "persistence", "shuttle", "Ortiz", "million miles", "prime video"]:
        assert headlines(client, q=query) == ["Twelve rejections"], query


def test_headline_and_names_rank_above_the_body(client):
    interview("Notes from the island", "Maya Ortiz: And the lighthouse?\n\nJosé Hernández: Gone.")
    interview("The lighthouse keeper", "Maya Ortiz: Tell me.\n\nJosé Hernández: It is quiet.")
    assert headlines(client, q="lighthouse") == ["The lighthouse keeper", "Notes from the island"]


def test_words_quotes_or_and_minus_work_as_on_search_engines(client):
    interview("Space", "Maya Ortiz: Station?\n\nJosé Hernández: The space station, yes.")
    interview("Stations", "Maya Ortiz: Where?\n\nJosé Hernández: A station far out in space.")
    interview("Fog", "Maya Ortiz: Fog?\n\nJosé Hernández: Always fog.")
    assert headlines(client, q='"space station"') == ["Space"]
    assert sorted(headlines(client, q="fog or station")) == ["Fog", "Space", "Stations"]
    assert headlines(client, q="space -yes") == ["Stations"]
    assert headlines(client, q="astronaut fog") == []


def test_plural_and_singular_find_each_other(client):
    interview("On flight", "Maya Ortiz: Why?\n\nJosé Hernández: Astronauts train for years.")
    assert headlines(client, q="astronaut") == ["On flight"]
    assert headlines(client, q="training") == ["On flight"]


def test_only_public_pieces_are_ever_found(client):
    interview("Public piece about comets")
    for status in (
        Feature.Status.DRAFT,
        Feature.Status.REVIEW,
        Feature.Status.UNPUBLISHED,
    ):
        interview(f"Hidden {status} comets", status=status)
    interview(
        "Embargoed comets",
        status=Feature.Status.SCHEDULED,
        published_at=timezone.now() + timedelta(days=1),
    )
    assert headlines(client, q="comets") == ["Public piece about comets"]


def test_search_can_be_narrowed_to_what_one_person_said(client):
    interview(
        "Two voices",
        "Maya Ortiz: Did the desert matter?\n\nJosé Hernández: The ocean mattered more.",
    )
    assert headlines(client, q="desert") == ["Two voices"]
    assert headlines(client, q="desert", person=_person("José Hernández").slug) == []
    assert headlines(client, q="ocean", person=_person("José Hernández").slug) == ["Two voices"]
    page = client.get("/search/", {"q": "ocean", "person": _person("José Hernández").slug})
    assert "Only what José Hernández said." in page.content.decode()
    assert "<mark>ocean</mark>" in page.content.decode()


def test_a_person_hidden_by_an_embargo_cannot_be_searched_by(client):
    interview("Not yet", guest="Secret Guest", status=Feature.Status.DRAFT)
    page = client.get("/search/", {"q": "hello", "person": _person("Secret Guest").slug})
    assert "There is no one here by that name" in page.content.decode()
    assert "Secret Guest" not in page.content.decode()


def test_snippets_highlight_the_words_and_escape_the_text(client):
    interview(
        "Markup",
        "Maya Ortiz: Is <script>alert(1)</script> safe?\n\nJosé Hernández: The keeper says yes.",
    )
    html = client.get("/search/", {"q": "keeper"}).content.decode()
    assert "<mark>keeper</mark> says yes." in html
    html = client.get("/search/", {"q": "alert"}).content.decode()
    assert "&lt;script&gt;" in html and "<script>alert" not in html


@pytest.mark.parametrize(
    "query",
    [
        "",
        "   ",
        "%%% ??? !!!",
        "the of and",
        "日本語の映画",
        "Ελληνικά",
        "nul\x00byte",
        'title:x NEAR(a b) "unbalanced * ^ AND OR NOT',
        "-only -excluded",
        "x" * 10_000,
        "'; DROP TABLE features_feature; --",
    ],
)
def test_odd_queries_get_a_calm_page(client, query):
    interview("Anything")
    page = client.get("/search/", {"q": query})
    assert page.status_code == 200
    assert Feature.objects.count() == 1


def test_long_queries_are_cut_and_echoed_escaped(client):
    page = client.get("/search/", {"q": "<b>bold</b> " + "word " * 100}).content.decode()
    assert "Searches are cut to 200 characters" in page
    assert "&lt;b&gt;bold&lt;/b&gt;" in page and "<b>bold</b>" not in page
    assert 'maxlength="200"' in page


def test_an_empty_search_invites_a_word(client):
    assert "Type a word, a name or a film title" in client.get("/search/").content.decode()


def test_the_search_box_is_in_every_page_header(client):
    feature = interview("Header check")
    for url in ["/", feature.get_absolute_url(), "/search/?q=x"]:
        html = client.get(url).content.decode()
        assert 'role="search" action="/search/"' in html, url


def test_results_are_paged(client):
    for number in range(23):
        interview(f"Comet story {number:02}")
    first = client.get("/search/", {"q": "comet"}).content.decode()
    assert "23 interviews match" in first
    assert first.count('class="search-result"') == 20
    second = client.get("/search/", {"q": "comet", "page": 2}).content.decode()
    assert second.count('class="search-result"') == 3
    assert client.get("/search/", {"q": "comet", "page": "x"}).status_code == 200


@pytest.mark.parametrize("size", [1, 25])
def test_a_search_costs_a_fixed_number_of_queries_whatever_the_size(
    client, django_assert_num_queries, size
):
    for number in range(size):
        interview(f"Comet {number}", guest=f"Guest {number}")
    person = _person("Maya Ortiz")
    with django_assert_num_queries(3):  # the person, the matches, features with names
        assert client.get("/search/", {"q": "hello", "person": person.slug}).status_code == 200
    with django_assert_num_queries(2):
        assert client.get("/search/", {"q": "comet"}).status_code == 200


def test_renaming_a_person_a_film_or_a_tag_updates_search(client):
    feature = interview("Renames")
    film = Film.objects.create(title="Old title", slug="old-title")
    feature.films.add(film)
    feature.tags.add("oldtag")
    search.reindex([feature.pk])

    person = _person("José Hernández")
    person.name = "Pepe Hernández"
    person.save()
    film.title = "Newfilm"
    film.save()
    tag = feature.tags.get(name="oldtag")
    tag.name = "freshtag"
    tag.save()

    assert headlines(client, q="jose") == []
    for query in ["pepe", "newfilm", "freshtag"]:
        assert headlines(client, q=query) == ["Renames"], query


def test_editing_a_feature_updates_search(client):
    feature = interview("Before", "Maya Ortiz: Old question?\n\nJosé Hernández: Old answer.")
    write_body(feature, "Maya Ortiz: New question?\n\nJosé Hernández: Fresh answer.")
    assert headlines(client, q="fresh") == ["Before"]
    assert headlines(client, q="old") == []


def test_migrating_a_database_with_features_fills_the_index(client):
    interview("Indexed later")
    SearchEntry.objects.all().delete()
    assert headlines(client, q="indexed") == []
    call_command("migrate", verbosity=0)
    assert headlines(client, q="indexed") == ["Indexed later"]


def test_queries_are_read_alike_for_both_databases_and_never_as_their_syntax():
    def both(query):
        parsed = search.parse(query)
        return search.to_fts5(parsed), search.to_websearch(parsed)

    assert both("jose hernandez") == ('"jose" AND "hernandez"', '"jose" "hernandez"')
    assert both('"space station" or fog -nasa') == (
        '(("space station" OR "fog")) NOT "nasa"',
        '"space station" or "fog" -"nasa"',
    )
    assert both('title:x NEAR(a) "b') == ('"title x" AND "near" AND "b"', '"title x" "near" "b"')
    assert both("sts-128 <script>") == ('"sts 128" AND "script"', '"sts 128" "script"')
    assert both("the and of") == ("", "")
    assert both("-alone") == ("", '-"alone"')


def test_a_person_page_offers_to_search_what_they_said(client):
    interview("Said", "Maya Ortiz: Where?\n\nJosé Hernández: Houston.")
    html = client.get(_person("José Hernández").get_absolute_url()).content.decode()
    assert "Search what José Hernández said" in html
    assert f'name="person" value="{_person("José Hernández").slug}"' in html

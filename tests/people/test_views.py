import pytest
from django.urls import reverse

from tests.factories import (
    CreditFactory,
    FeatureFactory,
    FilmFactory,
    ImageFactory,
    ParticipantFactory,
    PersonFactory,
)

pytestmark = pytest.mark.django_db


def test_person_page_shows_portrait_bio_credits_by_role_and_features(client):
    person = PersonFactory(
        name="Alejandra Márquez Abella",
        description="Director",
        bio="Makes films.",
        portrait=ImageFactory(alt_text="Portrait of the director"),
    )
    CreditFactory(person=person, role="director", film=FilmFactory(title="Semana Santa"))
    CreditFactory(
        person=person, role="director", note="two episodes", film=FilmFactory(title="Narcos")
    )
    CreditFactory(person=person, role="writer", film=FilmFactory(title="Savage Detectives"))
    published = ParticipantFactory(person=person, feature=FeatureFactory(headline="Public talk"))
    ParticipantFactory(person=person, feature=FeatureFactory(headline="Draft talk", status="draft"))

    response = client.get(person.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert "Portrait of the director" in html
    assert "Makes films." in html
    assert "two episodes" in html
    directing, writing = html.index(">Director</h3>"), html.index(">Writer</h3>")
    assert directing < html.index("Semana Santa") < writing < html.index("Savage Detectives")
    assert f'href="{published.feature.get_absolute_url()}"' in html
    assert "Draft talk" not in html


def test_person_page_without_credits_or_features_shows_just_the_person(client):
    person = PersonFactory(name="Quiet Person")
    html = client.get(person.get_absolute_url()).content.decode()
    assert "Quiet Person" in html
    assert "Film and TV" not in html
    assert "Interviews</h2>" not in html


def test_unknown_person_is_not_found(client):
    assert client.get(reverse("people:detail", args=["nobody"])).status_code == 404


def test_person_page_queries_do_not_grow(client, django_assert_num_queries, settings):
    settings.PAGE_CACHE_ENABLED = False  # the page's own queries; see test_pagecache
    person = PersonFactory(portrait=ImageFactory())
    # person+portrait, credits+films, published features+series
    for count in (1, 8):
        while person.credits.count() < count:
            CreditFactory(person=person)
            ParticipantFactory(person=person)
        client.get(person.get_absolute_url())  # the first view makes the renditions
        with django_assert_num_queries(3):
            response = client.get(person.get_absolute_url())
        assert response.content.decode().count("<cite>") >= count

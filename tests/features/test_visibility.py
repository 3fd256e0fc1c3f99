"""People and films made for an embargoed interview stay out of sight until it is public."""

import pytest
from django.urls import reverse

from features import services
from features.models import Feature
from tests.factories import (
    CreditFactory,
    FeatureFactory,
    FilmFactory,
    ParticipantFactory,
    PersonFactory,
    make_feature,
)

pytestmark = pytest.mark.django_db


def status(client, obj):
    return client.get(obj.get_absolute_url()).status_code


@pytest.fixture
def embargoed():
    """A draft interview with a new guest, about a new film whose director is new too."""
    feature = FeatureFactory(status=Feature.Status.DRAFT, published_at=None)
    guest = ParticipantFactory(feature=feature).person
    film = FilmFactory(title="The Embargoed Film")
    feature.films.add(film)
    director = CreditFactory(film=film, role="director").person
    return feature, guest, film, director


def test_people_and_films_made_for_an_embargoed_piece_are_not_found(client, embargoed):
    _feature, guest, film, director = embargoed
    assert status(client, guest) == status(client, film) == status(client, director) == 404


def test_publishing_the_piece_brings_them_out(client, embargoed):
    feature, guest, film, director = embargoed
    assert status(client, guest) == 404  # and that 404 is not what readers get afterwards
    feature.status, feature.published_at = Feature.Status.PUBLISHED, feature.created_at
    feature.save()
    assert status(client, guest) == status(client, film) == status(client, director) == 200


def test_a_public_guest_does_not_give_the_embargoed_film_away(client, embargoed):
    _feature, _guest, film, _director = embargoed
    veteran = make_feature(guests=1, films=0).guests[0].person
    CreditFactory(person=veteran, film=film, role="cast")
    html = client.get(veteran.get_absolute_url()).content.decode()
    assert "The Embargoed Film" not in html

    interview = make_feature(guests=0, films=0)
    ParticipantFactory(feature=interview, person=veteran, order=5)
    html = client.get(interview.get_absolute_url()).content.decode()
    assert "The Embargoed Film" not in html  # not among the guest's earlier work


def test_people_and_films_outside_any_piece_stay_public(client):
    film, person = FilmFactory(), PersonFactory()
    credited = CreditFactory(film=film).person
    assert status(client, film) == status(client, person) == status(client, credited) == 200


def test_someone_in_a_public_and_an_embargoed_piece_is_public(client, embargoed):
    _feature, guest, _film, _director = embargoed
    ParticipantFactory(feature=make_feature(guests=0, films=0), person=guest)
    assert status(client, guest) == 200


def test_staff_see_the_pages_of_an_embargoed_piece(client, embargoed, editor):
    _feature, guest, film, _director = embargoed
    client.force_login(editor)
    assert status(client, guest) == status(client, film) == 200


def test_a_preview_of_the_embargoed_piece_shows_its_own_film_with_credits(
    client, embargoed, editor
):
    feature, _guest, _film, director = embargoed
    client.force_login(editor)
    html = client.get(feature.get_absolute_url()).content.decode()
    assert "The Embargoed Film" in html and director.name in html


def test_a_shared_preview_does_not_give_another_embargoed_film_away(client, embargoed, editor):
    _feature, guest, _film, _director = embargoed
    other = FeatureFactory(status=Feature.Status.DRAFT, published_at=None)
    ParticipantFactory(feature=other, person=guest)  # the same guest, in a second draft
    link = services.create_share_link(feature=other, user=editor)
    html = client.get(reverse("features:share", args=[services.share_link_token(link)]))
    assert html.status_code == 200
    assert guest.name in html.content.decode()
    assert "The Embargoed Film" not in html.content.decode()

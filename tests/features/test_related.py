"""Related interviews under a feature: what shares a guest, a film or a tag with it."""

from datetime import timedelta

import pytest
from django.utils import timezone

from features.models import Feature, Participant
from tests.factories import (
    FeatureFactory,
    FilmFactory,
    ParticipantFactory,
    PersonFactory,
    make_feature,
)

pytestmark = pytest.mark.django_db


def related_headlines(client, feature):
    response = client.get(feature.get_absolute_url())
    assert response.status_code == 200
    return [card.headline for card in response.context["related"]]


def hours_ago(hours):
    return timezone.now() - timedelta(hours=hours)


@pytest.fixture
def piece():
    """A piece with one guest, one film and two tags."""
    feature = FeatureFactory(headline="The piece", published_at=hours_ago(1))
    ParticipantFactory(feature=feature, person__name="Ana Guest", role=Participant.Role.GUEST)
    feature.films.add(FilmFactory(title="The Film"))
    feature.tags.add("Space", "Documentary")
    return feature


def test_a_shared_guest_ranks_above_a_shared_film_above_shared_tags(client, piece):
    guest = piece.participants.get().person
    film = piece.films.get()
    two_tags = FeatureFactory(headline="Two tags", published_at=hours_ago(2))
    two_tags.tags.add("Space", "Documentary")
    one_tag = FeatureFactory(headline="One tag", published_at=hours_ago(3))
    one_tag.tags.add("Space")
    same_film = FeatureFactory(headline="Same film", published_at=hours_ago(4))
    same_film.films.add(film)
    same_guest = FeatureFactory(headline="Same guest", published_at=hours_ago(5))
    ParticipantFactory(feature=same_guest, person=guest, role=Participant.Role.GUEST)
    FeatureFactory(headline="Nothing in common", published_at=hours_ago(6))

    assert related_headlines(client, piece) == ["Same guest", "Same film", "Two tags"]


def test_only_public_pieces_are_related_and_never_the_piece_itself(client, piece):
    hidden = [
        FeatureFactory(headline="A draft", status=Feature.Status.DRAFT),
        FeatureFactory(headline="In review", status=Feature.Status.REVIEW),
        FeatureFactory(headline="Withdrawn", status=Feature.Status.UNPUBLISHED),
        FeatureFactory(
            headline="Embargoed",
            status=Feature.Status.SCHEDULED,
            published_at=timezone.now() + timedelta(days=1),
        ),
    ]
    for feature in hidden:
        feature.tags.add("Space")
    response = client.get(piece.get_absolute_url())
    assert response.context["related"] == []
    page = response.content.decode()
    assert "More interviews like this" not in page
    for feature in hidden:
        assert feature.headline not in page


def test_a_shared_interviewer_alone_does_not_make_a_piece_related(client, piece):
    interviewer = PersonFactory(name="Desk Writer")
    ParticipantFactory(feature=piece, person=interviewer, role=Participant.Role.INTERVIEWER)
    other = FeatureFactory(headline="Same byline")
    ParticipantFactory(feature=other, person=interviewer, role=Participant.Role.INTERVIEWER)
    assert related_headlines(client, piece) == []


def test_cards_link_to_the_related_pieces_and_name_their_guests(client, piece):
    other = FeatureFactory(headline="Another conversation")
    other.tags.add("Space")
    for order, name in [(2, "Second Guest"), (1, "First Guest")]:
        ParticipantFactory(
            feature=other, person__name=name, role=Participant.Role.GUEST, order=order
        )
    page = client.get(piece.get_absolute_url()).content.decode()
    related = page[page.index("More interviews like this") :]
    assert f'href="{other.get_absolute_url()}"' in related
    assert "With First Guest and Second Guest" in related


def test_at_most_three_related_pieces_newest_first_among_equals(client, piece):
    for hours in range(2, 7):
        FeatureFactory(headline=f"{hours} hours ago", published_at=hours_ago(hours)).tags.add(
            "Space"
        )
    assert related_headlines(client, piece) == ["2 hours ago", "3 hours ago", "4 hours ago"]


def test_a_piece_with_no_guests_films_or_tags_has_no_related_pieces(client):
    lonely = FeatureFactory(headline="Alone")
    FeatureFactory(headline="Another")
    assert related_headlines(client, lonely) == []


def test_tags_show_by_name_whatever_order_they_were_added(client):
    feature = make_feature(tags=0)
    feature.tags.add("zebra", "Apple", "mango")
    page = client.get(feature.get_absolute_url()).content.decode()
    tags = page[page.index('aria-label="Tags"') :]
    assert tags.index("Apple") < tags.index("mango") < tags.index("zebra")


def test_guests_with_the_same_order_are_named_in_the_order_they_were_added(client, piece):
    other = FeatureFactory(headline="Ties")
    other.tags.add("Space")
    for name in ["Zoe First", "Adam Second", "Mia Third"]:
        ParticipantFactory(feature=other, person__name=name, role=Participant.Role.GUEST, order=0)
    page = client.get(piece.get_absolute_url()).content.decode()
    assert "With Zoe First, Adam Second and Mia Third" in page


def test_among_equals_the_newest_publication_wins_whatever_was_written_first(client, piece):
    written_first = FeatureFactory(headline="Written first, out last", published_at=hours_ago(2))
    written_last = FeatureFactory(headline="Written last, out first", published_at=hours_ago(9))
    assert written_first.pk < written_last.pk
    for feature in (written_first, written_last):
        feature.tags.add("Space")
    many = [
        FeatureFactory(headline=f"Filler {n}", published_at=hours_ago(20 + n)) for n in range(4)
    ]
    for feature in many:
        feature.tags.add("Space")

    assert related_headlines(client, piece)[:2] == [
        "Written first, out last",
        "Written last, out first",
    ]

"""Readers never learn of an embargoed interview from the people and films made for it.

A film is hidden while every feature that discusses it is unpublished; one no feature
discusses is public. A person is hidden while they take part only in unpublished features
and are credited only on hidden films; someone who neither takes part nor is credited is
public. Registered with newsmuse.visibility, so the people and films apps can apply the
rules without knowing of features.
"""

from datetime import datetime

from django.db.models import Exists, OuterRef, Q

from films.models import Credit

from .models import Feature, Participant


def _public_feature(now: datetime) -> Exists:
    """The feature of the row in hand is public (a lookup by primary key, not a scan)."""
    return Exists(Feature.objects.published(now).filter(pk=OuterRef("feature")))


def film_is_hidden(ref: str, now: datetime) -> Q:
    discussed = Feature.films.through.objects.filter(film=OuterRef(ref))
    return Q(Exists(discussed)) & ~Q(Exists(discussed.filter(_public_feature(now))))


def person_is_hidden(ref: str, now: datetime) -> Q:
    takes_part = Participant.objects.filter(person=OuterRef(ref))
    takes_part_in_public = takes_part.filter(_public_feature(now))
    credited = Credit.objects.filter(person=OuterRef(ref))
    credited_on_public_film = credited.exclude(film_is_hidden("film", now))
    return (
        ~Q(Exists(takes_part_in_public))
        & (Q(Exists(takes_part)) | Q(Exists(credited)))
        & ~Q(Exists(credited_on_public_film))
    )

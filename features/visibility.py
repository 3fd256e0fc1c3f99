"""Readers never learn of an embargoed interview from the people and films made for it.

A film is hidden while every feature that discusses it is unpublished; one no feature
discusses is public. A person is hidden while they take part only in unpublished features
and are credited only on hidden films; someone who neither takes part nor is credited is
public. Registered with newsmuse.visibility, so the people and films apps can apply the
rules without knowing of features.
"""

from django.db.models import Exists, OuterRef, Q, QuerySet

from films.models import Credit, Film

from .models import Feature, Participant


def public_films(films: QuerySet) -> QuerySet:
    discussed = Feature.films.through.objects.filter(film=OuterRef("pk"))
    discussed_in_public = discussed.filter(feature__in=Feature.objects.published())
    return films.exclude(Q(Exists(discussed)) & ~Q(Exists(discussed_in_public)))


def public_people(people: QuerySet) -> QuerySet:
    takes_part = Participant.objects.filter(person=OuterRef("pk"))
    takes_part_in_public = takes_part.filter(feature__in=Feature.objects.published())
    credited = Credit.objects.filter(person=OuterRef("pk"))
    credited_on_public_film = credited.filter(film__in=public_films(Film.objects.all()))
    return people.exclude(
        ~Q(Exists(takes_part_in_public))
        & (Q(Exists(takes_part)) | Q(Exists(credited)))
        & ~Q(Exists(credited_on_public_film))
    )

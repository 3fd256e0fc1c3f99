"""What the feature page loads: six queries, compiled to SQL once per process.

The feature page is the one readers open most, and building its querysets cost more than
running them; each query here is a ``newsmuse.db.Prepared`` whose SQL is the same for every
piece, with the piece, the time and the tags' content type as parameters:

1. the piece, with its series, hero image and tags;
2. its participants, with their people and portraits;
3. its films, with their posters;
4. the films' watch options available now;
5. the credits of its films and of its guests readers may see;
6. the related pieces, with their guests' names.
"""

from dataclasses import dataclass
from datetime import datetime
from itertools import groupby

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils import timezone

from films.models import Credit, Film, WatchOption
from newsmuse import visibility
from newsmuse.db import Prepared, attach

from .models import Feature, Participant


def _feature(queryset, content_type):
    return queryset.select_related("series", "hero_image").with_page_tags(content_type)


_public_feature_by_slug = Prepared(
    lambda slug, now, content_type: _feature(
        Feature.objects.published(now).filter(slug=slug), content_type
    ),
    slug=str,
    now=datetime,
    content_type=int,
)
_feature_by_slug = Prepared(
    lambda slug, content_type: _feature(Feature.objects.filter(slug=slug), content_type),
    slug=str,
    content_type=int,
)
_feature_by_pk = Prepared(
    lambda pk, content_type: _feature(Feature.objects.filter(pk=pk), content_type),
    pk=int,
    content_type=int,
)
_participants = Prepared(
    lambda feature: Participant.objects.filter(feature=feature).select_related("person__portrait"),
    feature=int,
)
_films = Prepared(
    lambda feature: Film.objects.filter(features=feature).select_related("poster"),
    feature=int,
)
_watch_options = Prepared(
    lambda feature, now: (
        WatchOption.objects.available(now)
        .filter(film__features=feature)
        .order_by("film_id", "order", "id")
    ),
    feature=int,
    now=datetime,
)


def _credits(feature, now):
    """Credits on the piece's films, and readers' part of its guests' other credits."""
    films = Feature.films.through.objects.filter(feature=feature).values("film_id")
    guests = Participant.objects.filter(feature=feature, role=Participant.Role.GUEST)
    credits = Credit.objects.involving(films=films, people=guests.values("person_id")).only(
        *("film", "person", "role", "character", "note"),
        *("film__title", "film__slug", "film__year"),
        *("person__name", "person__slug"),
    )
    # The piece's own films always show their credits, previews included.
    return visibility.public(credits, ref="film", model=Film, always=Q(film__in=films), now=now)


_credits_of = Prepared(_credits, feature=int, now=datetime)
_related = Prepared(
    lambda feature, now, content_type: Feature.objects.published(now).related_to(
        feature, content_type
    ),
    feature=int,
    now=datetime,
    content_type=int,
)


@dataclass(frozen=True)
class FeaturePage:
    """Everything a piece's page shows besides the piece itself."""

    # (film, its credits) for each film the piece discusses.
    film_boxes: list[tuple[Film, list[Credit]]]
    # (guest, their earlier work: credits on films the piece does not discuss).
    guests: list[tuple[Participant, list[Credit]]]
    related: list[Feature]


def public_feature(slug: str, now: datetime) -> Feature | None:
    """The piece readers see at ``slug`` at the time ``now``, or None (one query)."""
    return _first(_public_feature_by_slug(slug=slug, now=now, content_type=_content_type()))


def any_feature(*, slug: str | None = None, pk: int | None = None) -> Feature | None:
    """The piece at ``slug`` or with this id, published or not, or None (one query)."""
    if slug is not None:
        return _first(_feature_by_slug(slug=slug, content_type=_content_type()))
    return _first(_feature_by_pk(pk=pk, content_type=_content_type()))


def load(feature: Feature, now: datetime | None = None) -> FeaturePage:
    """The rest of the page of ``feature`` (from ``public_feature`` or ``any_feature``), as
    readers see it at ``now``: five queries whatever the piece holds. ``feature.participants``
    and ``feature.films`` (with each film's ``watch_options``) are filled in, as a prefetch
    would."""
    now = now or timezone.now()
    attach(feature, "participants", _participants(feature=feature.pk))
    films = _films(feature=feature.pk)
    options = {
        film_id: list(rows)
        for film_id, rows in groupby(
            _watch_options(feature=feature.pk, now=now), key=lambda option: option.film_id
        )
    }
    for film in films:
        attach(film, "watch_options", options.get(film.pk, []))
    attach(feature, "films", films)
    credits = _credits_of(feature=feature.pk, now=now)
    discussed = {film.pk for film in films}
    earlier_work = [credit for credit in credits if credit.film_id not in discussed]
    return FeaturePage(
        film_boxes=[(film, [c for c in credits if c.film_id == film.pk]) for film in films],
        guests=[
            (guest, [c for c in earlier_work if c.person_id == guest.person_id])
            for guest in feature.guests
        ],
        related=_related(feature=feature.pk, now=now, content_type=_content_type()),
    )


def _content_type() -> int:
    return ContentType.objects.get_for_model(Feature).pk


def _first(rows: list):
    return rows[0] if rows else None

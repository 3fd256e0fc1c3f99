"""Prepared queries give what their queryset gives, for any values, compiling it once."""

from datetime import datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from features.models import Feature, Participant
from films.models import Film, WatchOption
from newsmuse.db import Prepared, attach
from tests.factories import (
    FeatureFactory,
    FilmFactory,
    ParticipantFactory,
    WatchOptionFactory,
    hostile_text,
)

pytestmark = pytest.mark.django_db


def test_each_call_gives_what_the_queryset_gives_for_its_values():
    now = timezone.now()
    shown = FeatureFactory(slug="shown", published_at=now - timedelta(days=1))
    FeatureFactory(
        slug="later", status=Feature.Status.SCHEDULED, published_at=now + timedelta(days=1)
    )
    public = Prepared(
        lambda slug, now: Feature.objects.published(now).filter(slug=slug).select_related("series"),
        slug=str,
        now=datetime,
    )

    assert public(slug="shown", now=now) == [shown]
    assert public(slug="later", now=now) == []
    assert [f.slug for f in public(slug="later", now=now + timedelta(days=2))] == ["later"]
    assert public(slug=hostile_text(), now=now) == []
    assert public(slug="shown", now=now)[0].series.name == shown.series.name


def test_values_rows_come_back_as_dicts():
    film = FilmFactory(title="A Million Miles Away")
    rows = Prepared(lambda pk: Film.objects.filter(pk=pk).values("title"), pk=int)

    assert rows(pk=film.pk) == [{"title": "A Million Miles Away"}]


def test_the_query_is_built_and_compiled_once_then_runs_in_one_query():
    feature = ParticipantFactory().feature
    builds = []

    def build(feature):
        builds.append(feature)
        return Participant.objects.filter(feature=feature).select_related("person")

    participants = Prepared(build, feature=int)
    participants(feature=feature.pk)
    with CaptureQueriesContext(connection) as queries:
        found = participants(feature=feature.pk)
        names = [participant.person.name for participant in found]

    assert (len(builds), len(queries), len(names)) == (1, 1, 1)


def test_values_of_the_wrong_kind_are_refused_before_any_query():
    features = Prepared(lambda pk: Feature.objects.filter(pk=pk), pk=int)

    with pytest.raises(TypeError, match="pk must be of type int"):
        features(pk="1")
    with pytest.raises(TypeError, match="pk must be of type int"):
        features(pk=None)
    with pytest.raises(TypeError, match="expected the values"):
        features(pk=1, slug="extra")


def test_a_query_that_does_not_use_a_value_or_prefetches_is_refused():
    unused = Prepared(lambda pk, slug: Feature.objects.filter(pk=pk), pk=int, slug=str)
    prefetching = Prepared(
        lambda pk: Feature.objects.filter(pk=pk).prefetch_related("participants"), pk=int
    )

    with pytest.raises(ValueError, match="does not use"):
        unused(pk=1, slug="x")
    with pytest.raises(ValueError, match="cannot prefetch"):
        prefetching(pk=1)


def test_attached_rows_answer_all_without_a_query_and_filters_stay_on_the_instance():
    film, other = FilmFactory(), FilmFactory()
    mine = WatchOptionFactory(film=film, provider="Prime Video")
    WatchOptionFactory(film=other, provider="Netflix")

    attach(film, "watch_options", [mine])
    with CaptureQueriesContext(connection) as queries:
        options = list(film.watch_options.all())

    assert (options, len(queries)) == ([mine], 0)
    assert list(film.watch_options.filter(provider="Netflix")) == []
    assert WatchOption.objects.count() == 2

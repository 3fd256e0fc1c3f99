from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils import timezone

from films.models import WatchOption
from tests.factories import CreditFactory, FilmFactory, WatchOptionFactory

pytestmark = pytest.mark.django_db


def test_watch_option_reads_as_a_call_to_action():
    option = WatchOptionFactory(provider="Prime Video", kind=WatchOption.Kind.STREAM)
    assert option.call_to_action == "Watch on Prime Video"
    option.kind = WatchOption.Kind.RENT
    assert option.call_to_action == "Rent on Prime Video"


def test_only_options_within_their_window_are_available():
    now = timezone.now()
    current = WatchOptionFactory(available_from=now - timedelta(days=1))
    WatchOptionFactory(available_until=now - timedelta(seconds=1))
    WatchOptionFactory(available_from=now + timedelta(days=1))
    assert list(WatchOption.objects.available()) == [current]


def test_availability_window_must_end_after_it_starts():
    now = timezone.now()
    with pytest.raises(IntegrityError):
        WatchOptionFactory(available_from=now, available_until=now - timedelta(days=1))


def test_region_must_be_a_two_letter_code_and_is_stored_upper_case():
    option = WatchOptionFactory.build(film=FilmFactory(), region="u1")
    with pytest.raises(ValidationError, match="two-letter country code"):
        option.full_clean()
    option.region = "us"
    option.full_clean()
    option.save()
    option.refresh_from_db()
    assert option.region == "US"


def test_the_same_credit_cannot_be_given_twice():
    credit = CreditFactory()
    with pytest.raises(IntegrityError):
        CreditFactory(film=credit.film, person=credit.person, role=credit.role)


def test_film_year_must_be_plausible():
    film = FilmFactory.build(year=1066)
    with pytest.raises(ValidationError, match="between 1870 and 2200"):
        film.full_clean()


def test_film_names_itself_with_its_year():
    assert str(FilmFactory.build(title="Semana Santa", year=2015)) == "Semana Santa (2015)"
    assert str(FilmFactory.build(title="Untitled", year=None)) == "Untitled"

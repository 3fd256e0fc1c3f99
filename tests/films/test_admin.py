import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from films.models import WatchOption
from tests.factories import CreditFactory, FilmFactory, WatchOptionFactory

pytestmark = pytest.mark.django_db


def test_a_region_differing_only_in_case_is_a_duplicate_with_a_message(superuser_client):
    existing = WatchOptionFactory(provider="Netflix", region="US")
    response = superuser_client.post(
        reverse("admin:films_watchoption_add"),
        {
            "film": existing.film.pk,
            "provider": "Netflix",
            "kind": "stream",
            "url": "watch.example/film",
            "region": "us",
            "order": "0",
        },
    )
    assert response.status_code == 200
    assert "This film already has this option for this region." in response.content.decode()
    assert WatchOption.objects.count() == 1


def test_links_without_a_scheme_become_https(superuser_client):
    film = FilmFactory()
    superuser_client.post(
        reverse("admin:films_watchoption_add"),
        {
            "film": film.pk,
            "provider": "Prime Video",
            "kind": "stream",
            "url": "watch.example/x",
            "order": "0",
        },
    )
    assert WatchOption.objects.get().url == "https://watch.example/x"


def change_form_queries(client, film):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("admin:films_film_change", args=[film.pk])).status_code == 200
    return len(queries)


def test_film_change_form_costs_at_most_one_query_per_credit_row(superuser_client):
    # Django's autocomplete widget looks up its selected person: one query a row, no more.
    small, large = FilmFactory(), FilmFactory()
    CreditFactory(film=small)
    for _ in range(9):
        CreditFactory(film=large)
    change_form_queries(superuser_client, small)  # warm caches
    extra = change_form_queries(superuser_client, large) - change_form_queries(
        superuser_client, small
    )
    assert extra <= 8

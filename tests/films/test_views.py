from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import (
    CreditFactory,
    FeatureFactory,
    FilmFactory,
    ImageFactory,
    PersonFactory,
    WatchOptionFactory,
)

pytestmark = pytest.mark.django_db


def test_film_page_shows_poster_synopsis_credits_watch_options_and_features(client):
    film = FilmFactory(
        title="A Million Miles Away",
        year=2023,
        synopsis="From Michoacán to orbit.",
        poster=ImageFactory(alt_text="The poster"),
    )
    director = PersonFactory(name="Alejandra Márquez Abella")
    CreditFactory(film=film, person=director, role="director")
    WatchOptionFactory(film=film, provider="Prime Video", url="https://watch.example/ammaway")
    WatchOptionFactory(
        film=film, provider="Gone Service", available_until=timezone.now() - timedelta(days=1)
    )
    about = FeatureFactory(headline="The interview")
    about.films.add(film)
    draft = FeatureFactory(headline="Unfinished", status="draft")
    draft.films.add(film)

    response = client.get(film.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    for fact in ["A Million Miles Away", "(2023)", "From Michoacán to orbit.", "The poster"]:
        assert fact in html
    assert f'href="{director.get_absolute_url()}"' in html
    assert "Watch on Prime Video" in html
    assert "Gone Service" not in html
    assert f'href="{about.get_absolute_url()}"' in html
    assert "Unfinished" not in html


def test_unknown_film_is_not_found(client):
    assert client.get(reverse("films:detail", args=["no-film"])).status_code == 404


def test_film_page_queries_do_not_grow(client, django_assert_num_queries, settings):
    settings.PAGE_CACHE_ENABLED = False  # the page's own queries; see test_pagecache
    film = FilmFactory(poster=ImageFactory())
    # film+poster, available watch options, credits+people, published features+series
    for count in (1, 8):
        while film.credits.count() < count:
            CreditFactory(film=film)
            WatchOptionFactory(film=film)
            FeatureFactory().films.add(film)
        client.get(film.get_absolute_url())  # the first view makes the renditions
        with django_assert_num_queries(4):
            response = client.get(film.get_absolute_url())
        assert len(response.context["credits"]) == count

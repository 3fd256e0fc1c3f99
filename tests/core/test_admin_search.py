"""Admin search ignores accents and case and takes names in any order, on both databases."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from people.models import Person
from tests.factories import (
    CreditFactory,
    FeatureFactory,
    FilmFactory,
    ImageFactory,
    ParticipantFactory,
    PersonFactory,
)

pytestmark = pytest.mark.django_db


def found(client, model, term):
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    return list(client.get(url, {"q": term}).context["cl"].result_list)


@pytest.mark.parametrize(
    "term", ["jose", "hernandez", "JOSE HERNANDEZ", "Hernández José", "josé", "ÓSE"]
)
def test_people_are_found_without_accents_in_any_case_and_order(superuser_client, term):
    jose = PersonFactory(name="José Hernández")
    PersonFactory(name="Josh Hernan")
    assert found(superuser_client, Person, term) == [jose]


def test_letters_without_a_plain_form_match_their_plain_letters(superuser_client):
    """Letters such as ø and ß fold the same way on SQLite and PostgreSQL."""
    person = PersonFactory(name="Søren Straße")
    assert found(superuser_client, Person, "soren strasse") == [person]


def test_films_features_and_images_are_found_without_accents(superuser_client):
    marquez = PersonFactory(name="Alejandra Márquez Abella")
    film = FilmFactory(title="Un Millón de Millas")
    CreditFactory(film=film, person=marquez)
    feature = FeatureFactory(headline="Una conversación")
    ParticipantFactory(feature=feature, person=marquez)
    image = ImageFactory(title="Retrato", caption="Márquez en el set")
    for term, expected in [("millon", film), ("marquez", film)]:
        assert found(superuser_client, type(film), term) == [expected]
    for term in ["conversacion", "marquez abella"]:
        assert found(superuser_client, type(feature), term) == [feature]
    assert found(superuser_client, type(image), "marquez set") == [image]


def test_the_person_pop_up_search_ignores_accents(superuser_client):
    PersonFactory(name="José Hernández")
    response = superuser_client.get(
        reverse("admin:autocomplete"),
        {"term": "hernandez", "app_label": "features", "model_name": "participant"}
        | {"field_name": "person"},
    )
    assert [result["text"] for result in response.json()["results"]] == ["José Hernández"]


def search_queries(client, term):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("admin:features_feature_changelist"), {"q": term}).status_code
    return len(queries)


def test_feature_search_runs_a_fixed_number_of_queries(superuser_client):
    def feature_with(name):
        ParticipantFactory(feature=FeatureFactory(), person=PersonFactory(name=name))

    feature_with("José Hernández")
    search_queries(superuser_client, "hernandez")  # warm caches
    few = search_queries(superuser_client, "hernandez")
    for _ in range(8):
        feature_with("José Hernández")
    assert search_queries(superuser_client, "hernandez") == few


def test_adding_someone_already_here_links_to_them_by_name(superuser_client):
    jose = PersonFactory(name="José Hernández", slug="jose-hernandez")
    response = superuser_client.post(
        reverse("admin:people_person_add"), {"name": "Jose Hernandez", "slug": "jose-hernandez"}
    )
    html = response.content.decode()
    change = reverse("admin:people_person_change", args=[jose.pk])
    assert f'José Hernández is already here: <a href="{change}">open José Hernández</a>' in html
    assert "Person with this Slug already exists" not in html
    assert Person.objects.count() == 1

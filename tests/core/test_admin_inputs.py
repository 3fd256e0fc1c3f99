"""Whatever an admin form or list is sent, the answer is a page with a message, never a 500."""

import pytest
from django.urls import reverse

from features.models import Feature
from tests.factories import FeatureFactory, PersonFactory

pytestmark = pytest.mark.django_db

LISTS = [
    "admin:auth_user_changelist",
    "admin:auth_group_changelist",
    "admin:taggit_tag_changelist",
    "admin:axes_accessattempt_changelist",
    "admin:features_feature_changelist",
    "admin:features_series_changelist",
    "admin:features_statuschange_changelist",
    "admin:people_person_changelist",
    "admin:films_film_changelist",
    "admin:films_credit_changelist",
    "admin:films_watchoption_changelist",
    "admin:newsmuse_image_changelist",
]


@pytest.mark.parametrize("url_name", LISTS)
def test_a_huge_search_is_cut_to_ten_words_with_a_message(superuser_client, url_name):
    FeatureFactory(headline="José Hernández in orbit")
    huge = " ".join(["orbit"] * 2_000)
    response = superuser_client.get(reverse(url_name), {"q": huge}, follow=True)
    assert response.status_code == 200
    assert "Search uses the first 10 words" in response.content.decode()
    assert response.context["cl"].query == " ".join(["orbit"] * 10)


def test_a_huge_pop_up_search_is_cut_quietly(superuser_client):
    PersonFactory(name="Alejandra Márquez Abella")
    response = superuser_client.get(
        reverse("admin:autocomplete"),
        {
            "term": " ".join(["Abella"] * 2_000),
            "app_label": "features",
            "model_name": "participant",
            "field_name": "person",
        },
    )
    assert response.status_code == 200
    assert [r["text"] for r in response.json()["results"]] == ["Alejandra Márquez Abella"]


def test_a_short_search_is_left_alone(superuser_client):
    PersonFactory(name="Alejandra Márquez Abella")
    response = superuser_client.get(reverse("admin:people_person_changelist"), {"q": "Abella"})
    assert response.status_code == 200
    assert "Alejandra Márquez Abella" in response.content.decode()


@pytest.mark.parametrize(
    ("garbage", "message"),
    [
        ({"series": "abc"}, "Select a valid choice"),
        ({"hero_image": "x1"}, "Select a valid choice"),
        ({"films": ["1", "abc"]}, "“abc” is not a valid value"),
        ({"participants-0-person": "¿"}, "Select a valid choice"),
    ],
    ids=["series", "hero image", "films", "participant"],
)
def test_garbage_in_a_pop_up_field_is_a_form_error(superuser_client, garbage, message):
    data = {
        "headline": "A headline",
        "slug": "a-headline",
        "participants-TOTAL_FORMS": "1",
        "participants-INITIAL_FORMS": "0",
        "participants-0-role": "guest",
        **garbage,
    }
    response = superuser_client.post(reverse("admin:features_feature_add"), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Feature.objects.exists()

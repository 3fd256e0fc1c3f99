"""Links readers follow are web links, and signing in never leads off the site."""

import pytest
from django.urls import reverse

from films.models import Film, WatchOption
from people.models import Person
from tests.factories import FeatureFactory, FilmFactory, PersonFactory, WatchOptionFactory

pytestmark = pytest.mark.django_db

NOT_WEB = ["ftp://files.example/film.mp4", "javascript:alert(1)", "data:text/html,hi"]


@pytest.mark.parametrize("link", NOT_WEB)
def test_admin_refuses_links_that_are_not_web_addresses(superuser_client, link):
    film = FilmFactory()
    forms = {
        "admin:people_person_add": {"name": "Ana Lima", "slug": "ana-lima", "website": link},
        "admin:films_watchoption_add": {
            "film": film.pk,
            "provider": "Files",
            "kind": "stream",
            "url": link,
            "order": "0",
        },
    }
    for url_name, data in forms.items():
        response = superuser_client.post(reverse(url_name), data)
        assert response.status_code == 200, url_name
        assert "Enter a web address starting with https:// or http://." in response.content.decode()
    assert not Person.objects.exists() and not WatchOption.objects.exists()


def test_links_saved_around_the_forms_are_not_rendered_as_links(client):
    feature = FeatureFactory()
    person, film = PersonFactory(), FilmFactory()
    feature.films.add(film)
    option = WatchOptionFactory(film=film)
    Person.objects.filter(pk=person.pk).update(website="ftp://files.example/")
    Film.objects.filter(pk=film.pk).update(trailer_url="javascript:alert(1)")
    WatchOption.objects.filter(pk=option.pk).update(url="ftp://files.example/film")
    person_page = client.get(person.get_absolute_url()).content.decode()
    assert "ftp:" not in person_page and ">Website<" not in person_page
    for url in (film.get_absolute_url(), feature.get_absolute_url()):
        html = client.get(url).content.decode()
        assert "ftp:" not in html and "javascript:" not in html
        assert "Watch the trailer" not in html and option.call_to_action not in html


@pytest.mark.parametrize(
    "next_url", ["https://evil.example/", "//evil.example", "/\\evil.example", ""]
)
def test_signing_in_with_a_hostile_next_lands_on_the_admin(client, django_user_model, next_url):
    django_user_model.objects.create_superuser("editor", "e@example.com", "a-long-passphrase")
    response = client.post(
        f"{reverse('admin:login')}?next={next_url}",
        {"username": "editor", "password": "a-long-passphrase", "next": next_url},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")
    assert client.get(response["Location"]).status_code == 200

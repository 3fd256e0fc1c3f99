"""Adding a person, a film or a series by typing its name into the field that chooses it."""

import json
import threading
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.admin.models import ADDITION, LogEntry
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.urls import reverse

from features.models import Series
from films.models import Film
from films.providers import provider_for
from newsmuse import services
from newsmuse.models import Image
from newsmuse.services import find_or_add_by_name
from people.models import Person
from tests.factories import hostile_text
from tests.images import SVG, picture_bytes

pytestmark = pytest.mark.django_db

PERSON_URL = "/admin/people/person/add-by-name/"


def add(client, url, name):
    response = client.post(url, {"name": name})
    return response.status_code, json.loads(response.content)


def test_a_new_name_becomes_a_person_with_a_slug_and_is_logged(superuser_client):
    status, answer = add(superuser_client, PERSON_URL, "  Maya   Ortiz ")

    person = Person.objects.get()
    assert (status, answer) == (
        201,
        {"id": person.pk, "text": "Maya Ortiz", "created": True, "details_unused": False},
    )
    assert (person.name, person.slug) == ("Maya Ortiz", "maya-ortiz")
    entry = LogEntry.objects.get()
    assert (entry.action_flag, entry.object_id) == (ADDITION, str(person.pk))


def test_a_name_already_here_gives_that_person_without_accents_or_case(superuser_client):
    jose = Person.objects.create(name="José Hernández", slug="jose-hernandez")

    status, answer = add(superuser_client, PERSON_URL, "jose HERNANDEZ")

    assert (status, answer) == (
        200,
        {"id": jose.pk, "text": "José Hernández", "created": False, "details_unused": False},
    )
    assert Person.objects.count() == 1
    assert not LogEntry.objects.exists()


@pytest.mark.parametrize(
    ("url", "model", "name", "slug"),
    [
        ("/admin/films/film/add-by-name/", Film, "A Million Miles Away", "a-million-miles-away"),
        ("/admin/features/series/add-by-name/", Series, "NEWS x MUSE", "news-x-muse"),
    ],
)
def test_films_and_series_are_added_by_their_name_too(superuser_client, url, model, name, slug):
    status, answer = add(superuser_client, url, name)

    assert status == 201
    assert model.objects.filter(pk=answer["id"], slug=slug).exists()


def test_a_taken_slug_gets_a_number_and_a_name_without_latin_letters_gets_one(
    superuser_client,
):
    Person.objects.create(name="Jose-Hernandez", slug="jose-hernandez")

    add(superuser_client, PERSON_URL, "José Hernández")
    add(superuser_client, PERSON_URL, "李安")
    add(superuser_client, PERSON_URL, "王家卫")

    slugs = set(Person.objects.values_list("slug", flat=True))
    assert slugs == {"jose-hernandez", "jose-hernandez-2", "person", "person-2"}


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("", "Type a name first."),
        (" \t\n ", "Type a name first."),
        ("x" * 201, "A name has at most 200 characters; this one has 201."),
    ],
)
def test_an_unusable_name_is_refused_with_a_message_and_nothing_added(
    superuser_client, name, message
):
    assert add(superuser_client, PERSON_URL, name) == (400, {"error": message})
    assert not Person.objects.exists()


def test_hostile_text_is_kept_as_text(superuser_client):
    name = hostile_text().replace("\x00", "")

    status, answer = add(superuser_client, PERSON_URL, name)

    assert status == 201
    assert answer["text"] == Person.objects.get().name == " ".join(name.split())


def test_a_nul_character_is_refused_as_on_the_persons_own_form(superuser_client):
    assert add(superuser_client, PERSON_URL, "Maya\x00Ortiz") == (
        400,
        {"error": "Null characters are not allowed."},
    )
    assert not Person.objects.exists()


def test_only_post_adds(superuser_client):
    response = superuser_client.get(PERSON_URL, {"name": "Maya Ortiz"})

    assert response.status_code == 405
    assert not Person.objects.exists()


def test_a_contributor_may_not_add_people_and_is_not_offered_to(client, contributor):
    client.force_login(contributor)

    assert add(client, PERSON_URL, "Maya Ortiz") == (403, {"error": "You may not add people."})
    assert not Person.objects.exists()
    form = client.get(reverse("admin:features_feature_add")).content.decode()
    assert "data-add-by-name" not in form


def test_signed_out_visitors_are_sent_to_sign_in(client):
    response = client.post(PERSON_URL, {"name": "Maya Ortiz"})

    assert response.status_code == 302 and "/login/" in response["Location"]
    assert not Person.objects.exists()


def test_the_feature_form_offers_to_add_people_films_and_series_by_name(client, editor):
    client.force_login(editor)

    form = client.get(reverse("admin:features_feature_add")).content.decode()

    assert f'data-add-by-name="{PERSON_URL}"' in form
    assert 'data-add-by-name="/admin/films/film/add-by-name/"' in form
    assert 'data-add-by-name="/admin/features/series/add-by-name/"' in form
    assert 'data-add-by-name-label="person"' in form
    assert "newsmuse/admin/add-by-name.js" in form


def test_a_slug_taken_between_choosing_and_saving_is_retried(monkeypatch):
    real_free_slug = services.free_slug

    def colleague_takes_the_slug(model, name):
        slug = real_free_slug(model, name)
        if not Person.objects.exists():
            Person.objects.create(name="Maya Ortiz-Lopez", slug=slug)
        return slug

    monkeypatch.setattr(services, "free_slug", colleague_takes_the_slug)

    person, created = find_or_add_by_name(Person, "Maya Ortiz")

    assert (person.name, person.slug, created) == ("Maya Ortiz", "maya-ortiz-2", True)


@pytest.mark.django_db(transaction=True)
def test_two_editors_adding_the_same_name_at_once_get_one_person(django_user_model):
    user = django_user_model.objects.create_superuser("desk", "desk@example.com", "pw")
    start = threading.Barrier(4)
    answers = []

    def add_at_once():
        browser = Client()
        browser.force_login(user)
        start.wait()
        answers.append(add(browser, PERSON_URL, "Maya Ortiz"))
        connection.close()

    threads = [threading.Thread(target=add_at_once) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert Person.objects.count() == 1
    assert {answer["id"] for _, answer in answers} == {Person.objects.get().pk}


def test_the_service_returns_the_first_of_two_people_with_the_same_name(db):
    first = Person.objects.create(name="John Smith", slug="john-smith")
    Person.objects.create(name="John Smith", slug="john-smith-2")

    assert find_or_add_by_name(Person, "john smith") == (first, False)


def stored_files():
    return set(Path(settings.MEDIA_ROOT).glob("images/**/*.*"))


def add_with_details(client, url, name, files=None, **details):
    response = client.post(url, {"name": name, **details, **(files or {})})
    return response.status_code, json.loads(response.content)


def portrait(name="maya_ortiz.png"):
    return {"image": SimpleUploadedFile(name, picture_bytes("PNG", (200, 200)))}


def test_a_person_is_added_with_a_bio_and_a_portrait(superuser_client):
    status, answer = add_with_details(
        superuser_client, PERSON_URL, "Maya Ortiz", portrait(), bio="Writes about film."
    )

    person = Person.objects.select_related("portrait").get()
    assert (status, answer["created"]) == (201, True)
    assert person.bio == "Writes about film."
    assert person.portrait.title == "Maya ortiz"
    assert person.portrait.alt_text == "Portrait of Maya Ortiz"


def test_alt_text_typed_for_the_portrait_is_used(superuser_client):
    add_with_details(
        superuser_client, PERSON_URL, "Maya Ortiz", portrait(), image_alt="Maya Ortiz laughing"
    )

    assert Person.objects.get().portrait.alt_text == "Maya Ortiz laughing"


def test_a_film_is_added_with_its_year_synopsis_poster_and_where_to_watch_it(superuser_client):
    status, answer = add_with_details(
        superuser_client,
        "/admin/films/film/add-by-name/",
        "A Million Miles Away",
        portrait("poster.png"),
        year="2023",
        synopsis="A farmworker's son becomes an astronaut.",
        watch_url="www.primevideo.com/detail/a-million-miles-away",
    )

    film = Film.objects.select_related("poster").get()
    assert (status, answer["id"]) == (201, film.pk)
    assert (film.year, film.synopsis) == (2023, "A farmworker's son becomes an astronaut.")
    assert film.poster.alt_text == "Poster for A Million Miles Away"
    option = film.watch_options.get()
    assert (option.provider, option.kind) == ("Prime Video", "stream")
    assert option.url == "https://www.primevideo.com/detail/a-million-miles-away"


@pytest.mark.parametrize(
    ("details", "files", "message"),
    [
        ({"year": "1700"}, None, "Enter a release year between 1870 and 2200."),
        ({"year": "soon"}, None, "Year: Enter a whole number."),
        ({"watch_url": "javascript:alert(1)"}, None, "Where to watch (link): Enter a valid URL."),
        (
            {"watch_url": "ftp://films.example/a"},
            None,
            "Where to watch (link): Enter a web address starting with https://",
        ),
        ({}, {"image": SimpleUploadedFile("poster.svg", SVG)}, "SVG and other text"),
    ],
    ids=["implausible year", "not a year", "script link", "ftp link", "svg poster"],
)
def test_refused_details_say_why_and_add_nothing(superuser_client, details, files, message):
    stored_before = stored_files()
    files = {**(files or {}), **portrait("poster.png")} if "image" not in (files or {}) else files

    status, answer = add_with_details(
        superuser_client, "/admin/films/film/add-by-name/", "A Film", files, **details
    )

    assert status == 400
    assert message in answer["error"]
    assert not Film.objects.exists()
    assert not Image.objects.exists()
    assert stored_files() == stored_before  # the poster sent with it is not stored either


def test_details_sent_for_someone_already_here_change_nothing_of_theirs(superuser_client):
    jose = Person.objects.create(name="José Hernández", slug="jose-hernandez", bio="Astronaut.")

    status, answer = add_with_details(
        superuser_client, PERSON_URL, "jose hernandez", portrait(), bio="Someone else's bio."
    )

    assert (status, answer["id"], answer["created"], answer["details_unused"]) == (
        200,
        jose.pk,
        False,
        True,
    )
    jose.refresh_from_db()
    assert (jose.bio, jose.portrait) == ("Astronaut.", None)
    assert not Image.objects.exists()


def test_the_form_says_which_details_to_ask_for(superuser_client):
    page = superuser_client.get(reverse("admin:features_feature_add"))
    selects = _selects(page.content.decode())
    details = {
        name: json.loads(select.get("data-add-by-name-details")) for name, select in selects.items()
    }

    assert details["participants-0-person"] == [
        {"name": "bio", "label": "Bio", "kind": "textarea"},
        {"name": "image", "label": "Portrait", "kind": "image", "alt": "Portrait of {name}"},
    ]
    assert [detail["name"] for detail in details["films"]] == [
        "year",
        "synopsis",
        "watch_url",
        "image",
    ]
    assert details["series"] == []
    roles = {name: select.get("data-add-by-name-as") for name, select in selects.items()}
    assert roles == {
        "participants-0-person": "role",
        "participants-__prefix__-person": "role",  # rows added later
        "films": None,
        "series": None,
    }


def _selects(html: str) -> dict[str, dict]:
    found = {}

    class Selects(HTMLParser):
        def handle_starttag(self, tag, attrs):
            attributes = dict(attrs)
            if tag == "select" and "data-add-by-name" in attributes:
                found[attributes["name"]] = attributes

    Selects().feed(html)
    return found


@pytest.mark.parametrize(
    ("url", "provider"),
    [
        ("https://www.primevideo.com/detail/0ABC", "Prime Video"),
        ("https://www.amazon.com/gp/video/detail/B0C", "Prime Video"),
        ("https://tv.apple.com/us/movie/x", "Apple TV+"),
        ("https://apple.com/tv", "apple.com"),
        ("https://www.kanopy.com/en/product/1", "kanopy.com"),
    ],
)
def test_the_provider_is_named_after_the_site_of_the_link(url, provider):
    assert provider_for(url) == provider


def test_someone_who_may_not_add_images_is_not_asked_for_a_portrait_and_cannot_send_one(
    client, django_user_model
):
    user = django_user_model.objects.create_user("clerk", password="pw", is_staff=True)
    codenames = ["add_person", "view_person", "add_feature", "view_feature", "add_film"]
    user.user_permissions.set(Permission.objects.filter(codename__in=codenames))
    client.force_login(user)

    selects = _selects(client.get(reverse("admin:features_feature_add")).content.decode())
    asked = {
        name: [detail["name"] for detail in json.loads(select["data-add-by-name-details"])]
        for name, select in selects.items()
    }
    assert asked["participants-0-person"] == ["bio"]
    assert asked["films"] == ["year", "synopsis"]  # nor a watch option, nor a poster
    assert add_with_details(client, PERSON_URL, "Maya Ortiz", portrait()) == (
        403,
        {"error": "You may not add images."},
    )
    assert not Person.objects.exists()

"""Random and hostile text through every admin form: a page with a message or a saved,
valid record, never a 500 and never half a record."""

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from features.models import Feature, Participant, Series
from films.models import Credit, Film, WatchOption
from people.models import Person
from tests.factories import FilmFactory, PersonFactory
from tests.features.editing import admin_form, change_url, interview

pytestmark = pytest.mark.django_db

HOSTILE = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "javascript:alert(1)",
    "../../etc/passwd",
    "'; DROP TABLE features_feature; --",
    "%s%s%s%n",
    "{{ settings.SECRET_KEY }}",
    "\u202eevil\u202c",
    "👩🏽‍🚀" * 50,
    "x" * 10_000,
    "ÿ" * 300,
    '=HYPERLINK("http://evil.example")',
]

# Any text a browser could send: every Unicode character but lone surrogates, which UTF-8
# cannot carry.
text = st.one_of(
    st.sampled_from(HOSTILE),
    st.text(st.characters(exclude_categories=["Cs"]), max_size=400),
)

FUZZ = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture
def editor_client(django_user_model):
    client = Client(raise_request_exception=False)
    client.force_login(django_user_model.objects.create_superuser("fuzz", "f@example.com", "x"))
    return client


def post(client, url_name, data, *args):
    response = client.post(reverse(url_name, args=args), data)
    assert response.status_code in (200, 302), (url_name, data, response.status_code)
    return response


@FUZZ
@given(name=text, slug=text, description=text, bio=text, website=text)
def test_person_form(editor_client, name, slug, description, bio, website):
    before = Person.objects.count()
    data = {"name": name, "slug": slug, "description": description, "bio": bio}
    response = post(editor_client, "admin:people_person_add", {**data, "website": website})
    saved = Person.objects.count() - before
    assert saved == (response.status_code == 302)
    if saved:
        Person.objects.latest("pk").full_clean()


@FUZZ
@given(title=text, slug=text, synopsis=text, studio=text, trailer=text, year=text)
def test_film_form(editor_client, title, slug, synopsis, studio, trailer, year):
    before = Film.objects.count()
    data = {
        "title": title,
        "slug": slug,
        "kind": "film",
        "year": year,
        "synopsis": synopsis,
        "studio": studio,
        "trailer_url": trailer,
        **{
            f"{prefix}-{key}": "0"
            for prefix in ("credits", "watch_options")
            for key in ("TOTAL_FORMS", "INITIAL_FORMS")
        },
    }
    response = post(editor_client, "admin:films_film_add", data)
    saved = Film.objects.count() - before
    assert saved == (response.status_code == 302)
    if saved:
        Film.objects.latest("pk").full_clean()


@FUZZ
@given(provider=text, url=text, region=text, character=text, note=text)
def test_watch_option_and_credit_forms(editor_client, provider, url, region, character, note):
    film, person = FilmFactory(), PersonFactory()
    option = {"film": film.pk, "provider": provider, "url": url, "kind": "stream"}
    post(editor_client, "admin:films_watchoption_add", {**option, "region": region, "order": "0"})
    credit = {"film": film.pk, "person": person.pk, "role": "cast", "character": character}
    post(editor_client, "admin:films_credit_add", {**credit, "note": note, "order": "0"})
    for saved in [*WatchOption.objects.filter(film=film), *Credit.objects.filter(film=film)]:
        saved.full_clean()


@FUZZ
@given(name=text, slug=text, description=text)
def test_series_form(editor_client, name, slug, description):
    before = Series.objects.count()
    data = {"name": name, "slug": slug, "description": description}
    response = post(editor_client, "admin:features_series_add", data)
    assert Series.objects.count() - before == (response.status_code == 302)


@FUZZ
@given(headline=text, dek=text, slug=text, tags=text, body=text, label=text)
def test_feature_form_and_body_parser(editor_client, headline, dek, slug, tags, body, label):
    feature = interview()
    version, saved_body = feature.version, feature.body
    data = admin_form(
        feature,
        headline=headline,
        dek=dek,
        slug=slug,
        tags=tags,
        body_source=body,
        **{"participants-1-label": label},
    )
    response = post(editor_client, "admin:features_feature_change", data, feature.pk)
    feature.refresh_from_db()
    if response.status_code == 302:
        assert feature.version == version + 1
        feature.full_clean(exclude=["body"])
        speakers = set(Participant.objects.filter(feature=feature).values_list("person", flat=True))
        assert {b.get("speaker") for b in feature.body["blocks"]} <= {None, *speakers}
    else:
        # Refused: nothing of it reached the database.
        assert (feature.version, feature.body) == (version, saved_body)
        assert Feature.objects.get(pk=feature.pk).headline == "First headline"
    assert editor_client.get(change_url(feature)).status_code == 200

"""The page cache: hits are cheap, and no change a reader could see is ever served stale."""

import time
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from taggit.models import Tag

from features import page as feature_page
from features import services
from features.content import FeatureContent
from features.models import Feature
from films.models import WatchOption
from newsmuse import pagecache
from tests.factories import CreditFactory, FeatureFactory, WatchOptionFactory, make_feature

pytestmark = pytest.mark.django_db

HOME = "/"


@pytest.fixture
def clock(monkeypatch):
    """Lets a test move the time that pages and the cache see."""

    class Clock:
        now = timezone.now()

        def __call__(self):
            return self.now

    frozen = Clock()
    monkeypatch.setattr(timezone, "now", frozen)
    return frozen


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_a_hit_costs_one_small_query_and_serves_the_same_page(client, django_assert_num_queries):
    feature = make_feature(guests=3, films=2, tags=4)
    url = feature.get_absolute_url()
    first = client.get(url)
    assert first.status_code == 200
    with django_assert_num_queries(1):  # the content version
        second = client.get(url)
    assert second.content == first.content
    assert second["ETag"] == first["ETag"]


def test_a_miss_costs_the_version_read_and_the_page_queries(client, django_assert_num_queries):
    feature = make_feature(guests=3, films=2, tags=4)
    client.get(f"{feature.get_absolute_url()}?first")  # makes the renditions, reads the clocks
    # version, feature+series+hero, participants, films, watch options, tags, credits
    with django_assert_num_queries(7):
        client.get(feature.get_absolute_url())


def test_public_pages_carry_validators_and_answer_conditional_gets(client):
    make_feature()
    response = client.get(HOME)
    assert response["Cache-Control"] == "public, max-age=0, s-maxage=1, stale-while-revalidate=60"
    assert response["ETag"].startswith('"') and response["Last-Modified"].endswith("GMT")

    again = client.get(HOME, headers={"If-None-Match": response["ETag"]})
    assert again.status_code == 304 and again.content == b""
    # nginx keeps the page (and its 304) at most until the current second ends.
    for answer in (response, again):
        assert abs(int(answer["X-Accel-Expires"].lstrip("@")) - time.time()) < 2
    since = client.get(HOME, headers={"If-Modified-Since": response["Last-Modified"]})
    assert since.status_code == 304


@pytest.mark.parametrize(
    ("fraction", "expected"),
    [(0.0, "@1699999999"), (0.09, "@1699999999"), (0.11, "@1700000000"), (0.999, "@1700000000")],
)
def test_nginx_keeps_a_page_to_the_end_of_its_second_unless_that_is_most_of_a_second(
    fraction, expected
):
    """A change saved just after nginx kept a page shows when that second ends: never more
    than nine tenths of a second later. Early in a second the page comes already expired."""
    assert pagecache.proxy_expiry(1_700_000_000 + fraction) == expected


def test_validators_and_304s_work_with_the_page_cache_off(client, settings):
    settings.PAGE_CACHE_ENABLED = False
    make_feature()
    response = client.get(HOME)
    assert response["ETag"] and "s-maxage=1" in response["Cache-Control"]
    assert client.get(HOME, headers={"If-None-Match": response["ETag"]}).status_code == 304


def test_a_stale_validator_gets_the_new_page(client):
    feature = make_feature()
    etag = client.get(HOME)["ETag"]
    Feature.objects.filter(pk=feature.pk).get().delete()
    response = client.get(HOME, headers={"If-None-Match": etag})
    assert response.status_code == 200 and feature.headline not in response.content.decode()


def _save(feature, **changes):
    content = FeatureContent.of(feature)
    if not content.body:  # a public piece must stay complete
        content.set_body_text("A first paragraph.")
    for name, value in changes.items():
        setattr(content, name, value)
    services.save_feature(user=None, content=content, feature=feature)


def _rename_person(feature):
    person = feature.guests[0].person
    person.name = "Renamed Person"
    person.save()


def _retitle_film(feature):
    film = feature.films.get()
    film.title = "Retitled Film"
    film.save()


def _credit(feature):
    person = feature.guests[0].person
    CreditFactory(film=feature.films.get(), person=person, character="Newly Credited Role")


def _withdraw_watch_option(feature):
    WatchOption.objects.filter(film__features=feature).delete()


def _describe_hero(feature):
    image = feature.hero_image
    image.alt_text = "A freshly described hero"
    image.save()


def _rename_tag(feature):
    tag = Tag.objects.get(name="tag 0")
    tag.name = "Renamed tag"
    tag.save()


def _rename_series(feature):
    series = feature.series
    series.name = "Renamed Series"
    series.save()


@pytest.mark.parametrize(
    ("change", "url_of", "seen"),
    [
        (lambda f: _save(f, headline="A new headline"), Feature.get_absolute_url, "A new headline"),
        (lambda f: _save(f, headline="A new headline"), lambda f: HOME, "A new headline"),
        (lambda f: _save(f, tags=["Fresh tag"]), Feature.get_absolute_url, "Fresh tag"),
        (_rename_person, Feature.get_absolute_url, "Renamed Person"),
        (_rename_person, lambda f: HOME, "Renamed Person"),
        (_retitle_film, Feature.get_absolute_url, "Retitled Film"),
        (_credit, Feature.get_absolute_url, "Newly Credited Role"),
        (_describe_hero, Feature.get_absolute_url, "A freshly described hero"),
        (_describe_hero, lambda f: HOME, "A freshly described hero"),
        (_rename_tag, Feature.get_absolute_url, "Renamed tag"),
        (_rename_series, Feature.get_absolute_url, "Renamed Series"),
        (_rename_series, lambda f: f.series.get_absolute_url(), "Renamed Series"),
    ],
    ids=[
        "feature-page",
        "home",
        "tags",
        "person-on-feature",
        "person-on-home",
        "film",
        "credit",
        "image-on-feature",
        "image-on-home",
        "tag",
        "series-on-feature",
        "series-page",
    ],
)
def test_every_change_a_page_shows_makes_it_fresh(client, change, url_of, seen):
    feature = make_feature(guests=1, films=1, tags=1)
    url = url_of(feature)
    before = page(client, url)
    assert seen not in before
    assert page(client, url) == before  # served from the cache

    loaded = feature_page.any_feature(pk=feature.pk)
    feature_page.load(loaded)  # its participants and films, as the page has them
    change(loaded)
    assert seen in page(client, url)


def test_withdrawn_watch_option_leaves_the_film_box_at_once(client):
    feature = make_feature(films=1)
    option = WatchOption.objects.get(film__features=feature)
    assert option.call_to_action in page(client, feature.get_absolute_url())
    _withdraw_watch_option(feature)
    assert option.call_to_action not in page(client, feature.get_absolute_url())


def test_unpublished_and_deleted_pieces_leave_every_page_at_once(client, editor):
    kept, pulled = make_feature(), make_feature()
    assert pulled.headline in page(client, HOME)
    assert page(client, pulled.get_absolute_url())

    services.move_feature(feature=pulled, move="unpublish", user=editor)
    assert pulled.headline not in page(client, HOME)
    assert client.get(pulled.get_absolute_url()).status_code == 404

    kept.delete()
    assert client.get(kept.get_absolute_url()).status_code == 404
    assert kept.headline not in client.get(HOME).content.decode()


def test_a_scheduled_piece_appears_at_its_time_and_not_a_second_before(client, clock):
    make_feature()
    due = clock.now + timedelta(minutes=10)
    scheduled = FeatureFactory(
        status=Feature.Status.SCHEDULED, published_at=due, headline="Embargoed interview"
    )
    assert scheduled.headline not in page(client, HOME)

    clock.now = due - timedelta(seconds=1)
    assert scheduled.headline not in page(client, HOME)
    assert client.get(scheduled.get_absolute_url()).status_code == 404

    clock.now = due
    assert scheduled.headline in page(client, HOME)
    assert page(client, scheduled.get_absolute_url())


def test_a_piece_going_live_is_newer_than_an_if_modified_since_from_before(client, clock):
    make_feature()
    due = clock.now + timedelta(minutes=10)
    FeatureFactory(status=Feature.Status.SCHEDULED, published_at=due, headline="Now public")
    before = client.get(HOME)["Last-Modified"]

    clock.now = due + timedelta(seconds=5)
    response = client.get(HOME, headers={"If-Modified-Since": before})
    assert response.status_code == 200
    assert "Now public" in response.content.decode()


def test_a_watch_option_leaves_the_page_when_its_window_closes(client, clock):
    feature = make_feature(films=1)
    film = feature.films.get()
    closes = clock.now + timedelta(hours=2)
    option = WatchOptionFactory(film=film, provider="Closing Soon TV", available_until=closes)
    assert option.call_to_action in page(client, feature.get_absolute_url())

    clock.now = closes - timedelta(seconds=1)
    assert option.call_to_action in page(client, feature.get_absolute_url())
    clock.now = closes
    assert option.call_to_action not in page(client, feature.get_absolute_url())


def test_logged_in_responses_are_private_and_never_cached(client, editor, django_user_model):
    feature = make_feature()
    client.force_login(editor)
    response = client.get(feature.get_absolute_url())
    assert "private" in response["Cache-Control"] and "public" not in response["Cache-Control"]
    assert "X-Accel-Expires" not in response
    assert "Cookie" in response["Vary"]
    client.logout()
    client.cookies.clear()
    anonymous = client.get(feature.get_absolute_url())
    assert "public" in anonymous["Cache-Control"]


def test_drafts_seen_by_staff_are_not_kept_for_readers(client, editor):
    draft = FeatureFactory(status=Feature.Status.DRAFT, headline="Work in progress")
    client.force_login(editor)
    assert "Work in progress" in page(client, draft.get_absolute_url())
    client.logout()
    client.cookies.clear()
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_share_link_previews_and_the_admin_are_never_publicly_cacheable(client, editor):
    draft = FeatureFactory(status=Feature.Status.DRAFT)
    link = services.create_share_link(feature=draft, user=editor)
    token = services.share_link_token(link)
    preview = client.get(reverse("features:share", args=[token]))
    assert preview.status_code == 200
    assert "no-store" in preview["Cache-Control"] and "public" not in preview["Cache-Control"]
    services.revoke_share_link(link=link)
    assert client.get(reverse("features:share", args=[token])).status_code == 404

    login = client.get(reverse("admin:login"))
    assert "public" not in login.get("Cache-Control", "")


def test_writes_without_model_signals_are_declared(client):
    feature = make_feature()
    before = page(client, feature.get_absolute_url())
    Feature.objects.filter(pk=feature.pk).update(headline="Changed in bulk")
    assert page(client, feature.get_absolute_url()) == before  # nothing told the cache
    pagecache.content_changed()
    assert "Changed in bulk" in page(client, feature.get_absolute_url())


def test_pages_are_shared_through_redis_when_it_is_configured(client, settings):
    settings.CACHES = {
        **settings.CACHES,
        "pages": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/15",
            "KEY_PREFIX": "newsmuse-tests",
        },
    }
    settings.PAGE_CACHE_ALIAS = "pages"
    from django.core.cache import caches

    caches["pages"].clear()
    feature = make_feature()
    first = page(client, feature.get_absolute_url())
    assert caches["pages"].get(f"pageclock:{pagecache.current_state().version}") is not None
    assert page(client, feature.get_absolute_url()) == first
    _save(Feature.objects.get(pk=feature.pk), headline="Fresh from Redis")
    assert "Fresh from Redis" in page(client, feature.get_absolute_url())
    caches["pages"].clear()

"""“Save and publish” on the feature form: one step for those who may publish."""

from datetime import timedelta

import pytest
from django.utils import timezone

from features.models import Feature
from tests.features.editing import admin_form, change_url, interview

pytestmark = pytest.mark.django_db


def save_and_publish(client, feature, **changes):
    return client.post(change_url(feature), admin_form(feature, _publish="1", **changes))


def test_an_editor_saves_and_publishes_in_one_step(client, editor):
    feature = interview()
    client.force_login(editor)
    assert "Save and publish" in client.get(change_url(feature)).content.decode()

    response = save_and_publish(client, feature, headline="Published in one step")

    assert response.status_code == 302
    assert response["Location"] == change_url(feature)
    saved = Feature.objects.get()
    assert (saved.headline, saved.status) == ("Published in one step", "published")
    assert client.get(change_url(feature)).context["messages"]
    page = client.get(change_url(feature)).content.decode()
    assert "Save and publish" not in page  # it is public now: a save is a save
    client.logout()
    assert client.get(saved.get_absolute_url()).status_code == 200


def test_a_publication_time_to_come_schedules_instead(client, editor):
    feature = interview()
    client.force_login(editor)
    later = timezone.localtime() + timedelta(days=2)
    response = save_and_publish(
        client,
        feature,
        published_at_0=later.strftime("%Y-%m-%d"),
        published_at_1=later.strftime("%H:%M:%S"),
    )
    messages = [str(m) for m in response.wsgi_request._messages]
    saved = Feature.objects.get()
    assert saved.status == "scheduled"
    assert any("is scheduled: readers see it from" in m for m in messages)
    client.logout()
    assert client.get(saved.get_absolute_url()).status_code == 404  # not a second before


def test_a_piece_not_ready_is_saved_and_the_editor_told_what_is_missing(client, editor):
    feature = interview(hero_image=None)
    client.force_login(editor)
    response = save_and_publish(client, feature, headline="Saved, not published")
    messages = [str(m) for m in response.wsgi_request._messages]
    saved = Feature.objects.get()
    assert (saved.headline, saved.status) == ("Saved, not published", "draft")
    assert any("was saved as draft, not published" in m and "hero" in m.lower() for m in messages)


def test_a_contributor_has_no_such_button_and_cannot_publish_by_posting_it(client, contributor):
    feature = interview(created_by=contributor)
    client.force_login(contributor)
    assert "Save and publish" not in client.get(change_url(feature)).content.decode()
    response = save_and_publish(client, feature, headline="Contributor's edit")
    messages = [str(m) for m in response.wsgi_request._messages]
    saved = Feature.objects.get()
    assert (saved.headline, saved.status) == ("Contributor's edit", "draft")
    assert any("saved but not published: you may not publish it" in m for m in messages)


def test_enter_in_a_field_saves_and_never_publishes(client, editor):
    """Browsers submit with the form's first submit button; “Save and publish” comes last."""
    feature = interview()
    client.force_login(editor)
    page = client.get(change_url(feature)).content.decode()
    assert page.index('name="_save"') < page.index('name="_publish"')


def test_the_button_says_schedule_when_the_saved_time_is_to_come(client, editor):
    feature = interview()
    Feature.objects.filter(pk=feature.pk).update(published_at=timezone.now() + timedelta(days=1))
    client.force_login(editor)
    assert 'value="Save and schedule"' in client.get(change_url(feature)).content.decode()


def test_the_form_says_the_save_went_through_whatever_publishing_did(client, editor):
    feature = interview(hero_image=None)
    client.force_login(editor)
    response = save_and_publish(client, feature)
    levels = {str(m): m.level_tag for m in response.wsgi_request._messages}
    saved = [text for text, level in levels.items() if level == "success"]
    assert len(saved) == 1 and saved[0].endswith("was saved.")


def test_a_public_piece_is_said_to_be_public_already(client, editor):
    feature = interview()
    client.force_login(editor)
    save_and_publish(client, feature)
    response = save_and_publish(client, Feature.objects.get())
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any("is already public" in m for m in messages)

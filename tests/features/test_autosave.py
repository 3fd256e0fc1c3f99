"""The feature form's autosave: a copy of an editor's unsaved changes kept on the server,
which changes nothing readers see and is never taken for a save."""

import json

import pytest
from django.urls import reverse

from features import services
from features.content import FeatureContent
from features.models import Autosave, Feature
from newsmuse.models import ContentVersion
from tests.features.editing import admin_form, change_url, interview

pytestmark = pytest.mark.django_db

NEW_PIECE_URL = reverse("admin:features_feature_autosave_new")


def autosave_url(feature):
    return reverse("admin:features_feature_autosave", args=[feature.pk])


def send(client, url, payload, method="post"):
    body = payload if isinstance(payload, bytes | str) else json.dumps(payload)
    return getattr(client, method)(url, body, content_type="application/json")


def copy_of(feature, **changes):
    fields = {"headline": feature.headline, "loaded_version": str(feature.version)}
    return {"base_version": feature.version, "fields": {**fields, **changes}}


def test_a_copy_is_kept_and_replaced_and_readers_see_nothing_of_it(superuser_client, client):
    feature = interview()
    public_before = client.get(feature.get_absolute_url()).content
    version_before = ContentVersion.objects.get().version, Feature.objects.get().version

    first = send(superuser_client, autosave_url(feature), copy_of(feature, headline="Draft 1"))
    second = send(superuser_client, autosave_url(feature), copy_of(feature, headline="Draft 2"))

    assert first.status_code == second.status_code == 200
    assert second.json()["kept"] is True
    kept = Autosave.objects.get()
    assert (kept.feature, kept.base_version) == (feature, feature.version)
    assert kept.fields["headline"] == "Draft 2"
    assert Feature.objects.get().headline == "First headline"
    assert (ContentVersion.objects.get().version, Feature.objects.get().version) == version_before
    assert client.get(feature.get_absolute_url()).content == public_before


def test_the_editor_gets_their_copy_back_on_the_form_and_saving_forgets_it(superuser_client):
    feature = interview()
    send(superuser_client, autosave_url(feature), copy_of(feature, headline="Kept headline"))
    page = superuser_client.get(change_url(feature)).content.decode()
    assert 'id="keep-edits-autosave"' in page
    assert "Kept headline" in page  # in the JSON the form's script offers back

    response = superuser_client.post(
        change_url(feature), admin_form(feature, headline="Saved headline", _continue="1")
    )
    assert response.status_code == 302
    assert not Autosave.objects.exists()


def test_a_new_piece_has_one_copy_per_editor_and_adding_it_forgets_the_copy(
    superuser_client, django_user_model
):
    colleague = django_user_model.objects.create_superuser("colleague", password="pw")
    Autosave.objects.create(user=colleague, feature=None, fields={"headline": "Theirs"})
    fields = {"headline": "Not yet saved", "loaded_version": ""}
    send(superuser_client, NEW_PIECE_URL, {"base_version": 0, "fields": fields})
    send(superuser_client, NEW_PIECE_URL, {"base_version": 0, "fields": fields})
    assert Autosave.objects.filter(feature=None).count() == 2

    page = superuser_client.get(reverse("admin:features_feature_add")).content.decode()
    assert "Not yet saved" in page
    assert "Theirs" not in page  # a colleague's new piece is theirs alone
    assert not Feature.objects.exists()  # no stray record, public or not


def test_a_colleagues_unsaved_changes_are_named_on_the_form(superuser_client, django_user_model):
    feature = interview()
    colleague = django_user_model.objects.create_superuser(
        "ana", password="pw", first_name="Ana", last_name="Ortiz"
    )
    Autosave.objects.create(user=colleague, feature=feature, fields={"headline": "Their idea"})
    page = superuser_client.get(change_url(feature)).content.decode()
    assert "Ana Ortiz has changes to this piece that are not saved yet" in page
    assert "Their idea" not in page  # their copy is not offered to someone else


def test_forgetting_a_copy(superuser_client):
    feature = interview()
    send(superuser_client, autosave_url(feature), copy_of(feature))
    response = superuser_client.delete(autosave_url(feature))
    assert response.status_code == 200
    assert not Autosave.objects.exists()


@pytest.mark.parametrize(
    "payload",
    [
        b"not json",
        b"\xff\xfe",
        "[" * 100_000 + "]" * 100_000,
        [],
        {"fields": {}},
        {"base_version": -1, "fields": {}},
        {"base_version": 2**40, "fields": {}},
        {"base_version": "1", "fields": {}},
        {"base_version": 1.5, "fields": {}},
        {"base_version": True, "fields": {}},
        {"base_version": 1, "fields": "headline"},
        {"base_version": 1, "fields": {"headline": {"nested": "object"}}},
        {"base_version": 1, "fields": {"films": [["1"]]}},
        {"base_version": 1, "fields": {"headline": "NUL \x00 inside"}},
        {"base_version": 1, "fields": {"headline": "half an emoji \ud83d"}},
        {"base_version": 1, "fields": {f"field-{n}": "" for n in range(2001)}},
        {"base_version": 1, "fields": {"body_source": "x" * 1_000_001}},
    ],
    ids=[
        "not-json",
        "not-utf8",
        "deeply-nested",
        "a-list",
        "no-version",
        "negative-version",
        "huge-version",
        "version-as-text",
        "fractional-version",
        "boolean-version",
        "fields-as-text",
        "nested-object",
        "half-a-choice",
        "nul",
        "lone-surrogate",
        "too-many-fields",
        "too-long",
    ],
)
def test_hostile_autosaves_get_a_clear_400_and_keep_nothing(superuser_client, payload):
    feature = interview()
    response = send(superuser_client, autosave_url(feature), payload)
    assert response.status_code == 400
    assert response.json()["error"]
    assert not Autosave.objects.exists()


def test_only_post_and_delete(superuser_client):
    assert superuser_client.get(autosave_url(interview())).status_code == 405


def test_a_contributor_cannot_autosave_a_piece_they_may_not_edit(client, contributor):
    feature = interview()  # created by nobody: contributors edit only their own drafts
    client.force_login(contributor)
    assert send(client, autosave_url(feature), copy_of(feature)).status_code == 403
    assert send(client, NEW_PIECE_URL, copy_of(feature)).status_code == 200  # may add


def test_signed_out_autosaves_keep_nothing(client):
    feature = interview()
    response = send(client, autosave_url(feature), copy_of(feature))
    assert response.status_code == 302  # to the sign-in page
    assert not Autosave.objects.exists()


def test_autosave_needs_the_csrf_token(django_user_model):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(django_user_model.objects.create_superuser("desk", password="pw"))
    feature = interview()
    assert send(client, autosave_url(feature), copy_of(feature)).status_code == 403
    assert not Autosave.objects.exists()


def test_a_copy_of_a_piece_out_of_the_editors_hands_is_not_offered_but_can_be_forgotten(
    client, contributor
):
    feature = interview(created_by=contributor)
    client.force_login(contributor)
    send(client, autosave_url(feature), copy_of(feature, headline="Mine"))
    Feature.objects.filter(pk=feature.pk).update(status="review")  # an editor has it now
    page = client.get(change_url(feature)).content.decode()
    assert "Mine" not in page
    assert client.delete(autosave_url(feature)).status_code == 200
    assert not Autosave.objects.exists()


def test_saving_without_answering_the_offer_keeps_the_copy(superuser_client):
    feature = interview()
    send(superuser_client, autosave_url(feature), copy_of(feature, headline="Kept"))
    data = admin_form(feature, headline="Saved meanwhile", _autosave_unanswered="1")
    assert superuser_client.post(change_url(feature), data).status_code == 302
    assert Autosave.objects.get().fields["headline"] == "Kept"


def test_the_form_says_when_it_shows_edits_a_refused_save_did_not_keep(superuser_client):
    feature = interview()
    refused = superuser_client.post(change_url(feature), admin_form(feature, headline=""))
    assert refused.status_code == 200  # the headline is required
    assert 'data-unsaved="true"' in refused.content.decode()
    assert 'data-unsaved=""' in superuser_client.get(change_url(feature)).content.decode()


def test_a_copy_older_than_the_editors_own_save_is_refused_as_stale(superuser_client):
    feature = interview()
    opened = copy_of(feature)  # the form as opened, version 1
    data = admin_form(feature, headline="Saved")
    assert superuser_client.post(change_url(feature), data).status_code == 302
    response = send(superuser_client, autosave_url(feature), opened)  # arrives late
    assert response.status_code == 409
    assert "saved this piece since" in response.json()["error"]
    assert not Autosave.objects.exists()


def test_a_copy_older_than_a_colleagues_save_is_kept_for_the_merge(
    superuser_client, django_user_model
):
    feature = interview()
    opened = copy_of(feature)
    colleague = django_user_model.objects.create_superuser("colleague", password="pw")
    content = FeatureContent.of(feature)
    content.dek = "Theirs"
    services.save_feature(user=colleague, content=content, feature=feature, expected_version=1)
    assert send(superuser_client, autosave_url(feature), opened).status_code == 200


def test_old_copies_are_cleared_by_the_daily_command(superuser_client):
    from datetime import timedelta
    from io import StringIO

    from django.core.management import CommandError, call_command
    from django.utils import timezone

    feature = interview()
    send(superuser_client, autosave_url(feature), copy_of(feature))
    send(superuser_client, NEW_PIECE_URL, {"base_version": 0, "fields": {"headline": "Old"}})
    Autosave.objects.filter(feature=None).update(saved_at=timezone.now() - timedelta(days=31))

    out = StringIO()
    call_command("clear_old_autosaves", "--dry-run", stdout=out)
    assert "1 autosaved copy(ies) older than 30 days would be deleted." in out.getvalue()
    assert Autosave.objects.count() == 2
    call_command("clear_old_autosaves", stdout=out)
    assert list(Autosave.objects.values_list("feature", flat=True)) == [feature.pk]
    with pytest.raises(CommandError):
        call_command("clear_old_autosaves", "--days", "0")

"""The editorial workflow, each rule as the role that must be allowed or refused."""

import io
import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from features import services
from features.models import Feature, OldSlug, Participant, Revision, StatusChange
from tests.factories import (
    FeatureFactory,
    ImageFactory,
    ParticipantFactory,
    PersonFactory,
    write_body,
)
from tests.features.editing import admin_form, change_url, interview

pytestmark = pytest.mark.django_db


def move_url(feature, move):
    return reverse("admin:features_feature_move", args=[feature.pk, move])


def ready_draft(**fields):
    """A draft with everything publishing needs."""
    feature = FeatureFactory(status="draft", published_at=None, **fields)
    ParticipantFactory(feature=feature, role=Participant.Role.GUEST)
    return write_body(feature, "Words.")


def test_setup_roles_is_idempotent_and_only_editors_may_publish():
    for _ in range(2):
        call_command("setup_roles", stdout=io.StringIO())
    assert Group.objects.filter(name__in=["Editor", "Contributor"]).count() == 2
    editor_codes = set(
        Group.objects.get(name="Editor").permissions.values_list("codename", flat=True)
    )
    contributor_codes = set(
        Group.objects.get(name="Contributor").permissions.values_list("codename", flat=True)
    )
    assert "publish_feature" in editor_codes and "delete_image" in editor_codes
    assert "publish_feature" not in contributor_codes
    assert {"add_feature", "change_feature"} <= contributor_codes


def feature_post(person, **overrides):
    data = {
        "headline": "A contributor's piece",
        "slug": "a-contributors-piece",
        "dek": "",
        "tags": "",
        "body_source": "",
        "participants-TOTAL_FORMS": "1",
        "participants-INITIAL_FORMS": "0",
        "participants-MIN_NUM_FORMS": "0",
        "participants-MAX_NUM_FORMS": "1000",
        "participants-0-person": str(person.pk),
        "participants-0-role": "guest",
        "participants-0-order": "0",
    }
    data.update(overrides)
    return data


def test_contributor_creates_a_draft_that_is_theirs_and_cannot_publish_it_by_forging_fields(
    client, contributor
):
    client.force_login(contributor)
    forged = feature_post(
        PersonFactory(), status="published", published_at_0="2020-01-01", published_at="2020-01-01"
    )
    response = client.post(reverse("admin:features_feature_add"), forged)
    assert response.status_code == 302
    feature = Feature.objects.get()
    assert feature.status == "draft"
    assert feature.published_at is None
    assert feature.created_by == contributor
    assert not Feature.objects.published().exists()


def test_contributor_edits_their_own_draft_but_not_someone_elses(client, contributor):
    client.force_login(contributor)
    mine = FeatureFactory(status="draft", created_by=contributor, published_at=None)
    theirs = FeatureFactory(status="draft", published_at=None, headline="Not yours")
    person = PersonFactory()
    assert client.get(change_url(mine)).status_code == 200
    data = feature_post(person, slug=mine.slug, headline="Edited", loaded_version="0")
    assert client.post(change_url(mine), data).status_code == 302
    assert Feature.objects.get(pk=mine.pk).headline == "Edited"

    data = feature_post(person, slug=theirs.slug, headline="Hijacked", loaded_version="0")
    assert client.post(change_url(theirs), data).status_code == 403
    assert Feature.objects.get(pk=theirs.pk).headline == "Not yours"


@pytest.mark.parametrize("move", ["publish", "schedule", "unpublish", "return_to_draft"])
def test_contributor_cannot_make_editor_moves_even_by_forged_post(client, contributor, move):
    client.force_login(contributor)
    status = "published" if move in ("unpublish",) else "review"
    feature = ready_draft(created_by=contributor)
    Feature.objects.filter(pk=feature.pk).update(status=status, published_at=timezone.now())
    response = client.post(move_url(feature, move), {"publish_at": "2099-01-01T10:00"})
    assert response.status_code == 403
    assert Feature.objects.get(pk=feature.pk).status == status
    assert not StatusChange.objects.exists()


def test_contributor_submits_for_review_and_may_no_longer_edit(client, contributor):
    client.force_login(contributor)
    feature = ready_draft(created_by=contributor)
    assert client.post(move_url(feature, "submit")).status_code == 302
    feature.refresh_from_db()
    assert feature.status == "review"
    change = StatusChange.objects.get()
    assert (change.from_status, change.to_status, change.user) == ("draft", "review", contributor)
    assert client.post(change_url(feature), feature_post(PersonFactory())).status_code == 403


def test_editor_sees_every_missing_item_at_once_and_nothing_changes(client, editor):
    client.force_login(editor)
    feature = FeatureFactory(
        status="review", published_at=None, dek="", hero_image=ImageFactory(alt_text="x")
    )
    feature.hero_image.alt_text = ""
    feature.hero_image.is_decorative = True
    feature.hero_image.save()
    response = client.post(move_url(feature, "publish"))
    html = response.content.decode()
    assert response.status_code == 200
    for problem in [
        "Write a dek",
        "Give the hero image",
        "Add at least one guest",
        "Write the body.",
    ]:
        assert problem in html
    assert Feature.objects.get(pk=feature.pk).status == "review"


def test_editor_publishes_a_complete_piece(client, editor):
    client.force_login(editor)
    feature = ready_draft()
    assert client.post(move_url(feature, "publish")).status_code == 302
    feature.refresh_from_db()
    assert feature.status == "published" and feature.is_public
    assert StatusChange.objects.get().user == editor
    assert feature.revisions.first().note == "Publish now"
    assert client.get(feature.get_absolute_url()).status_code == 200


def test_editor_schedules_for_a_future_time_only(client, editor):
    client.force_login(editor)
    feature = ready_draft()
    past = client.post(move_url(feature, "schedule"), {"publish_at": "2001-01-01T09:00"})
    assert "Choose a publication time in the future." in past.content.decode()
    assert Feature.objects.get(pk=feature.pk).status == "draft"

    when = timezone.localtime() + timedelta(days=2)
    data = {"publish_at": when.strftime("%Y-%m-%dT%H:%M")}
    assert client.post(move_url(feature, "schedule"), data).status_code == 302
    feature.refresh_from_db()
    assert feature.status == "scheduled" and not feature.is_public
    assert feature.published_at.date() == when.date()


def test_editor_unpublishes_and_the_piece_disappears(client, editor):
    feature = ready_draft()
    services.move_feature(feature=feature, move="publish", user=editor)
    client.force_login(editor)
    assert client.post(move_url(feature, "unpublish")).status_code == 302
    client.logout()
    assert client.get(feature.get_absolute_url()).status_code == 404


def test_admin_queues(client, editor, contributor):
    mine = FeatureFactory(status="draft", created_by=editor, published_at=None)
    FeatureFactory(status="draft", created_by=contributor, published_at=None)
    waiting = FeatureFactory(status="review", published_at=None)
    later = FeatureFactory(status="scheduled", published_at=timezone.now() + timedelta(days=1))
    recent = FeatureFactory()
    FeatureFactory(published_at=timezone.now() - timedelta(days=60))
    client.force_login(editor)
    changelist = reverse("admin:features_feature_changelist")
    for queue, expected in [
        ("mine", [mine]),
        ("review", [waiting]),
        ("scheduled", [later]),
        ("recent", [recent]),
    ]:
        response = client.get(changelist, {"queue": queue})
        assert list(response.context["cl"].result_list) == expected, queue


def test_editing_a_public_piece_cannot_make_it_incomplete(client, editor):
    feature = ready_draft()
    services.move_feature(feature=feature, move="publish", user=editor)
    client.force_login(editor)
    data = feature_post(
        PersonFactory(),
        slug=feature.slug,
        headline=feature.headline,
        dek="",
        loaded_version=str(Feature.objects.get(pk=feature.pk).version),
        **{"participants-0-role": "interviewer"},
    )
    response = client.post(change_url(feature), data)
    html = response.content.decode()
    assert "This feature is public, so it must stay complete" in html
    assert "Write a dek" in html and "Add at least one guest" in html
    assert Feature.objects.get(pk=feature.pk).dek == feature.dek


# Preview and share links ------------------------------------------------------------------


@pytest.mark.parametrize("user_fixture", ["editor", "contributor"])
def test_staff_preview_any_piece_at_its_url_with_a_banner_and_noindex(
    client, request, user_fixture
):
    feature = FeatureFactory(status="draft", published_at=None, headline="Work in progress")
    client.force_login(request.getfixturevalue(user_fixture))
    response = client.get(feature.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert "Preview — not published" in html
    assert '<meta name="robots" content="noindex, nofollow">' in html
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert response["Cache-Control"] == "private, no-store"


def test_anonymous_readers_get_no_preview(client):
    feature = FeatureFactory(status="review", published_at=None)
    assert client.get(feature.get_absolute_url()).status_code == 404


def test_share_link_shows_the_draft_to_anyone_until_it_expires_or_is_revoked(client, editor):
    feature = FeatureFactory(status="review", published_at=None, headline="For the reviewer")
    link = services.create_share_link(feature=feature, user=editor)
    url = reverse("features:share", args=[services.share_link_token(link)])

    response = client.get(url)
    assert response.status_code == 200
    assert "For the reviewer" in response.content.decode()
    assert "This link works until" in response.content.decode()
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert link.expires_at - link.created_at == timedelta(days=7)

    tampered = reverse("features:share", args=[services.share_link_token(link) + "x"])
    assert client.get(tampered).status_code == 404

    link.expires_at = timezone.now() - timedelta(seconds=1)
    link.save()
    assert client.get(url).status_code == 404

    link.expires_at = timezone.now() + timedelta(days=1)
    link.save()
    services.revoke_share_link(link=link)
    assert client.get(url).status_code == 404


def test_a_share_link_to_a_public_piece_does_not_call_it_unpublished(client, editor):
    feature = FeatureFactory(headline="Already out")
    link = services.create_share_link(feature=feature, user=editor)
    html = client.get(reverse("features:share", args=[services.share_link_token(link)])).content
    assert "Preview — published." in html.decode()
    assert "not published" not in html.decode()


def test_editors_create_and_revoke_share_links_in_the_admin_and_contributors_cannot(
    client, editor, contributor
):
    feature = FeatureFactory(status="review", published_at=None, created_by=contributor)
    share = reverse("admin:features_feature_share", args=[feature.pk])
    client.force_login(contributor)
    assert client.post(share, {"create": "1", "days": "3"}).status_code == 403

    client.force_login(editor)
    assert client.post(share, {"create": "1", "days": "3"}).status_code == 302
    link = feature.share_links.get()
    assert timedelta(days=2, hours=23) < link.expires_at - timezone.now() <= timedelta(days=3)
    # The page shows a working link to this piece's preview (its token carries the second
    # it was signed in, so it is read back rather than compared with one signed now).
    page = client.get(share).content.decode()
    tokens = re.findall(r"/preview/([\w:-]+)/", page)
    assert [services.active_share_link(token) for token in tokens] == [link]
    client.post(share, {"revoke": str(link.pk)})
    link.refresh_from_db()
    assert link.revoked_at is not None


# Revisions --------------------------------------------------------------------------------


def test_every_save_keeps_a_revision_and_two_can_be_compared_block_by_block(client, editor):
    client.force_login(editor)
    feature = interview()
    feature.tags.add("Sea")
    client.post(change_url(feature), admin_form(feature))
    edited = admin_form(
        feature,
        headline="Second headline",
        body_source="Maya Ortiz: Why?\n\nTomás Reyes: The wind.\n\nMaya Ortiz: And?",
    )
    assert client.post(change_url(feature), edited).status_code == 302
    first, second = Revision.objects.filter(feature=feature).order_by("version")[1:]
    assert second.user == editor
    assert second.content["headline"] == "Second headline"
    assert [p["name"] for p in second.content["participants"]] == ["Maya Ortiz", "Tomás Reyes"]
    assert second.content["tags"] == ["Sea"]
    assert len(second.content["body"]["blocks"]) == 3

    history = client.get(reverse("admin:features_feature_revisions", args=[feature.pk]))
    assert "desk-editor" in history.content.decode()
    compare = client.get(
        reverse("admin:features_feature_compare", args=[feature.pk]),
        {"a": first.version, "b": second.version},
    )
    html = compare.content.decode()
    assert "First headline" in html and "Second headline" in html
    kinds = [change.kind for change in compare.context["body_changes"]]
    assert kinds == ["same", "changed", "added"]


def test_restoring_brings_content_back_as_a_draft_and_keeps_later_revisions(client, editor):
    client.force_login(editor)
    feature = interview()
    client.post(change_url(feature), admin_form(feature))
    client.post(change_url(feature), admin_form(feature, headline="Later headline"))
    old = Revision.objects.filter(feature=feature).order_by("version").first()
    restore = reverse("admin:features_feature_restore", args=[feature.pk, old.version])
    assert client.post(restore).status_code == 302
    feature.refresh_from_db()
    assert feature.headline == "First headline"
    assert feature.status == "draft"
    assert [r.version for r in feature.revisions.order_by("version")] == [1, 2, 3, 4]
    assert feature.revisions.first().note == f"Restored version {old.version}"


def test_contributor_cannot_restore_someone_elses_piece(client, contributor, editor):
    feature = interview()
    revision = services.record_revision(feature=feature, user=editor)
    client.force_login(contributor)
    restore = reverse("admin:features_feature_restore", args=[feature.pk, revision.version])
    assert client.post(restore).status_code == 403


# No lost updates --------------------------------------------------------------------------


def test_the_second_of_two_saves_is_refused_with_what_changed_and_keeps_the_input(
    client, editor, django_user_model
):
    feature = interview()
    other = django_user_model.objects.create_superuser("colleague", password="pw")
    opened = admin_form(feature)  # both open the same version

    client.force_login(other)
    assert client.post(change_url(feature), {**opened, "headline": "Theirs"}).status_code == 302

    client.force_login(editor)
    mine = {**opened, "dek": "My new dek, typed with care"}
    response = client.post(change_url(feature), mine)
    html = response.content.decode()
    assert response.status_code == 200
    assert "colleague saved this feature" in html
    assert "Headline changed." in html
    assert "My new dek, typed with care" in html  # nothing typed is lost
    assert Feature.objects.get(pk=feature.pk).headline == "Theirs"

    # Their headline, which this editor never touched, is brought into the form.
    form = response.context["adminform"].form
    assert "Their changes to Headline are now in the form, together with yours." in html
    assert form["headline"].value() == "Theirs"
    again = {**mine, "headline": "Theirs", "loaded_version": form["loaded_version"].value()}
    assert client.post(change_url(feature), again).status_code == 302
    saved = Feature.objects.get(pk=feature.pk)
    assert (saved.headline, saved.dek) == ("Theirs", "My new dek, typed with care")


def test_when_both_change_the_same_field_the_editor_is_told_and_keeps_their_version(
    client, editor, django_user_model
):
    feature = interview()
    other = django_user_model.objects.create_superuser("colleague", password="pw")
    opened = admin_form(feature)
    client.force_login(other)
    client.post(change_url(feature), {**opened, "headline": "Theirs"})
    client.force_login(editor)
    response = client.post(change_url(feature), {**opened, "headline": "Mine"})
    assert "You both changed Headline" in response.content.decode()
    assert response.context["adminform"].form["headline"].value() == "Mine"
    assert Feature.objects.get(pk=feature.pk).headline == "Theirs"


def test_a_save_without_the_version_it_was_opened_at_is_refused(client, editor):
    feature = interview()
    client.force_login(editor)
    data = admin_form(feature, headline="Blind save")
    del data["loaded_version"]
    response = client.post(change_url(feature), data)
    assert "This form is out of date" in response.content.decode()
    assert Feature.objects.get(pk=feature.pk).headline == "First headline"


def test_a_restore_does_not_break_a_colleagues_open_form(client, editor, django_user_model):
    feature = interview()
    first = feature.revisions.get()
    opened = admin_form(feature)  # a colleague has the form open
    client.force_login(editor)
    client.post(change_url(feature), admin_form(feature, headline="Edited"))
    services.restore_revision(revision=first, user=editor)

    # The restore brought back the very content the colleague opened: nothing to merge.
    colleague = django_user_model.objects.create_superuser("colleague", password="pw")
    client.force_login(colleague)
    assert client.post(change_url(feature), {**opened, "dek": "Colleague's dek"}).status_code == 302
    saved = Feature.objects.get(pk=feature.pk)
    assert (saved.headline, saved.dek) == ("First headline", "Colleague's dek")
    assert saved.participants.count() == 2


# Stable URLs ------------------------------------------------------------------------------


def test_changing_the_slug_of_a_published_piece_redirects_the_old_url(client, editor):
    feature = interview()
    Feature.objects.filter(pk=feature.pk).update(status="published", published_at=timezone.now())
    feature.refresh_from_db()
    services.record_revision(feature=feature, user=editor)
    client.force_login(editor)
    data = admin_form(feature, slug="a-better-slug", dek="A dek.")
    assert client.post(change_url(feature), data).status_code == 302
    client.logout()
    response = client.get(reverse("features:detail", args=[feature.slug]))
    assert response.status_code == 301
    assert response["Location"] == reverse("features:detail", args=["a-better-slug"])


def test_a_draft_that_never_went_out_leaves_no_redirect(client, editor):
    feature = interview()
    client.force_login(editor)
    assert client.post(change_url(feature), admin_form(feature, slug="renamed")).status_code == 302
    assert Feature.objects.get(pk=feature.pk).slug == "renamed"
    assert not OldSlug.objects.exists()
    client.logout()
    assert client.get(reverse("features:detail", args=[feature.slug])).status_code == 404


def test_an_old_slug_does_not_reveal_a_piece_that_is_no_longer_public(client, editor):
    feature = ready_draft()
    services.move_feature(feature=feature, move="publish", user=editor)
    OldSlug.objects.create(feature=feature, slug="the-old-name")
    services.move_feature(feature=feature, move="unpublish", user=editor)
    assert client.get(reverse("features:detail", args=["the-old-name"])).status_code == 404


def test_the_publication_time_of_a_public_piece_only_moves_through_the_workflow(client, editor):
    feature = interview()
    Feature.objects.filter(pk=feature.pk).update(
        status="published", published_at=timezone.now(), dek="A dek."
    )
    feature.refresh_from_db()
    services.record_revision(feature=feature, user=editor)
    client.force_login(editor)
    data = admin_form(feature, published_at_0="2099-01-01", published_at_1="10:00:00")
    assert client.post(change_url(feature), data).status_code == 302
    assert Feature.objects.get(pk=feature.pk).is_public


@pytest.mark.parametrize(
    "query", [{"a": "1", "b": str(10**30)}, {"a": "x", "b": "1"}, {"a": "1"}, {"a": "1", "b": "1"}]
)
def test_bad_compare_requests_are_not_found(client, editor, query):
    feature = interview()
    client.force_login(editor)
    compare = reverse("admin:features_feature_compare", args=[feature.pk])
    assert client.get(compare, query).status_code == 404


def test_revoking_a_link_that_is_not_a_number_is_not_found(client, editor):
    feature = interview()
    client.force_login(editor)
    share = reverse("admin:features_feature_share", args=[feature.pk])
    assert client.post(share, {"revoke": "abc"}).status_code == 404


def test_contributors_cannot_open_the_preview_links_page(client, contributor):
    feature = FeatureFactory(status="draft", created_by=contributor, published_at=None)
    client.force_login(contributor)
    assert client.get(reverse("admin:features_feature_share", args=[feature.pk])).status_code == (
        403
    )

"""The one save path: services.save_feature, with the rules every caller gets."""

import io
from dataclasses import fields as dataclass_fields
from datetime import UTC, datetime

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.core.management import call_command
from django.urls import reverse

from features import content, services
from features.body import blocks_of
from features.content import Cast, FeatureContent
from features.models import Feature, Revision
from tests.factories import (
    FeatureFactory,
    FilmFactory,
    ImageFactory,
    PersonFactory,
    SeriesFactory,
)
from tests.features.editing import admin_form, change_url, interview

pytestmark = pytest.mark.django_db


def test_every_feature_field_and_relation_is_declared_content_or_not():
    options = Feature._meta
    names = {field.name for field in [*options.concrete_fields, *options.many_to_many]}
    names |= {relation.name for relation in options.related_objects}
    names |= {field.name for field in options.private_fields}
    declared = {part.name for part in content.PARTS}
    assert names == declared | content.NOT_CONTENT
    assert not declared & content.NOT_CONTENT
    assert {field.name for field in dataclass_fields(FeatureContent)} == declared


def full_content(**changes) -> FeatureContent:
    """Content with every part set to something other than its default."""
    maya, tomas = PersonFactory(name="Maya Ortiz"), PersonFactory(name="Tomás Reyes")
    proposed = FeatureContent(
        headline="On the island",
        slug="on-the-island",
        dek="A year of fog.",
        series=SeriesFactory(),
        hero_image=ImageFactory(),
        published_at=datetime(2031, 5, 6, 10, 0, tzinfo=UTC),
        participants=[Cast(maya, "interviewer", "Critic"), Cast(tomas, "guest", "Keeper")],
        films=[FilmFactory(title="B film"), FilmFactory(title="A film")],
        tags=["Fog", "Sea"],
    )
    proposed.set_body_text("Intro.\n\nMaya Ortiz: Why?\n\nTomás Reyes: The fog.\n\n> Pulled.")
    for name, value in changes.items():
        setattr(proposed, name, value)
    return proposed


def same_content(a: dict, b: dict) -> bool:
    return not content.changed_parts(a, b)


def test_every_part_is_saved_kept_in_the_revision_and_restored_from_it():
    proposed = full_content()
    feature = services.save_feature(user=None, content=proposed, note="Imported")
    saved = content.dump(FeatureContent.of(Feature.objects.get(pk=feature.pk)))
    assert same_content(saved, content.dump(proposed))
    revision = feature.revisions.get()
    assert (revision.note, revision.content) == ("Imported", saved)
    assert content.dump(content.load(revision.content)) == saved
    assert feature.status == Feature.Status.DRAFT and feature.version == 1


def test_saving_gives_every_block_an_id_and_keeps_them_when_one_answer_is_edited(client, editor):
    feature = interview()
    before = blocks_of(Feature.objects.get(pk=feature.pk).body)
    assert all(block["id"] for block in before)
    client.force_login(editor)
    edited = admin_form(feature, body_source="Maya Ortiz: Why?\n\nTomás Reyes: The fog, mostly.")
    assert client.post(change_url(feature), edited).status_code == 302
    after = blocks_of(Feature.objects.get(pk=feature.pk).body)
    assert [b["id"] for b in after] == [b["id"] for b in before]
    assert after[1]["text"] == "The fog, mostly."


def test_a_restored_revision_brings_back_its_block_ids(editor):
    feature = interview()
    first = feature.revisions.get()
    edited = FeatureContent.of(feature)
    edited.set_body_text("Maya Ortiz: A new question?")
    services.save_feature(user=editor, content=edited, feature=feature)
    services.restore_revision(revision=first, user=editor)
    restored = Feature.objects.get(pk=feature.pk)
    assert blocks_of(restored.body) == blocks_of(first.content["body"])


def test_contributors_cannot_change_someone_elses_piece(contributor):
    feature = interview()
    with pytest.raises(PermissionDenied):
        services.save_feature(user=contributor, content=FeatureContent.of(feature), feature=feature)


def test_contributors_cannot_set_the_publication_time(contributor):
    with pytest.raises(ValidationError) as error:
        services.save_feature(user=contributor, content=full_content())
    assert error.value.message_dict["published_at"] == ["Only editors set the publication time."]
    assert not Feature.objects.exists()


def test_the_time_of_a_public_piece_only_moves_through_the_workflow(editor):
    feature = FeatureFactory()
    moved = FeatureContent.of(feature)
    moved.published_at = datetime(2040, 1, 1, tzinfo=UTC)
    with pytest.raises(ValidationError, match="changes only through Schedule or Unpublish"):
        services.save_feature(user=editor, content=moved, feature=feature)


def test_a_public_piece_must_stay_complete(editor):
    feature = FeatureFactory()
    incomplete = FeatureContent.of(feature)
    incomplete.dek = ""
    with pytest.raises(ValidationError) as error:
        services.save_feature(user=editor, content=incomplete, feature=feature)
    assert error.value.message_dict[NON_FIELD_ERRORS] == [
        "This feature is public, so it must stay complete: see the parts marked below."
    ]
    assert error.value.message_dict["dek"] == ["Write a dek (the standfirst under the headline)."]
    assert Feature.objects.get(pk=feature.pk).dek == feature.dek


@pytest.mark.parametrize(
    ("change", "part", "message"),
    [
        ({"slug": "taken"}, "slug", "Feature with this Slug already exists."),
        ({"slug": "not a slug!"}, "slug", "Enter a valid “slug”"),
        ({"headline": "x" * 251}, "headline", "at most 250 characters"),
        ({"tags": ["!!!"]}, "tags", "Tags need at least one letter or digit: “!!!”."),
        ({"tags": ["x" * 101]}, "tags", "Tags can be at most 100 characters"),
        ({"tags": [f"tag {n}" for n in range(51)]}, "tags", "at most 50 tags"),
        ({"body": [{"type": "answer", "speaker": 0, "text": "Hi."}]}, "body", "not a participant"),
        ({"body": [{"type": "shout", "text": "Hi."}]}, "body", "Block 1: the type must be"),
        ({"body": [{"type": "text", "text": " "}]}, "body", "Block 1: the text is empty."),
        (
            {"body": [{"type": "text", "text": "A", "id": "abcd"}] * 2},
            "body",
            "Two blocks have the same id.",
        ),
    ],
)
def test_bad_content_is_refused_with_a_message_at_its_part(change, part, message):
    FeatureFactory(slug="taken")
    with pytest.raises(ValidationError) as error:
        services.save_feature(user=None, content=full_content(**change))
    assert message in " ".join(error.value.message_dict[part])
    assert Feature.objects.count() == 1


def test_a_question_must_come_from_an_interviewer():
    proposed = full_content()
    guest = proposed.participants[1].person
    proposed.body = [{"type": "question", "speaker": guest.pk, "text": "Me?"}]
    with pytest.raises(ValidationError, match="Tomás Reyes is a guest, so this is an answer"):
        services.save_feature(user=None, content=proposed)


def test_a_person_listed_twice_is_refused():
    proposed = full_content()
    proposed.participants.append(proposed.participants[1])
    with pytest.raises(ValidationError, match="Tomás Reyes is listed twice"):
        services.save_feature(user=None, content=proposed)


def test_the_admin_and_the_service_give_the_same_message(superuser_client):
    feature = interview()
    message = "Tags need at least one letter or digit: “!!!”."
    response = superuser_client.post(change_url(feature), admin_form(feature, tags='"!!!"'))
    assert message in response.content.decode()
    with pytest.raises(ValidationError) as error:
        services.save_feature(user=None, content=full_content(tags=["!!!"]))
    assert error.value.message_dict["tags"] == [message]


def test_a_save_against_an_old_version_raises_a_conflict_and_writes_nothing(editor):
    feature = interview()
    opened = FeatureContent.of(feature)
    theirs = FeatureContent.of(feature)
    theirs.headline = "Theirs"
    services.save_feature(user=editor, content=theirs, feature=feature, expected_version=1)
    opened.dek = "Mine"
    with pytest.raises(services.FeatureConflict) as conflict:
        services.save_feature(user=editor, content=opened, feature=feature, expected_version=1)
    assert conflict.value.theirs["headline"] == "Theirs"
    assert conflict.value.base["headline"] == "First headline"
    saved = Feature.objects.get(pk=feature.pk)
    assert (saved.headline, saved.dek, saved.version) == ("Theirs", "The standfirst.", 2)
    assert Revision.objects.filter(feature=feature).count() == 2


def test_the_demo_goes_through_the_save_path_and_the_workflow():
    call_command("load_demo", stdout=io.StringIO())
    for feature in Feature.objects.all():
        notes = list(feature.revisions.order_by("version").values_list("note", flat=True))
        assert notes == ["Demo content", "Publish now"]
        assert feature.status_changes.get().to_status == "published"
        assert all(block["id"] for block in blocks_of(feature.body))


def test_feature_page_links_every_block_by_its_id(client):
    feature = interview()
    Feature.objects.filter(pk=feature.pk).update(status="published", published_at=datetime.now(UTC))
    html = client.get(reverse("features:detail", args=[feature.slug])).content.decode()
    for block in blocks_of(Feature.objects.get(pk=feature.pk).body):
        assert f'id="b-{block["id"]}"' in html

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils import timezone

from features.body import blocks_of
from features.models import BodyBlock, Feature, Participant
from tests.factories import FeatureFactory, ParticipantFactory, PersonFactory, write_body

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "status", ["draft", "review", "unpublished"], ids=lambda s: f"{s} is hidden"
)
def test_only_published_features_are_public(status):
    visible = FeatureFactory()
    FeatureFactory(status=status)
    assert list(Feature.objects.published()) == [visible]


@pytest.mark.parametrize("status", ["published", "scheduled"])
def test_a_feature_is_not_public_before_its_time_and_is_from_then_on(status):
    feature = FeatureFactory(status=status, published_at=timezone.now() + timedelta(minutes=5))
    assert not Feature.objects.published().exists()
    Feature.objects.filter(pk=feature.pk).update(published_at=timezone.now())
    assert list(Feature.objects.published()) == [feature]


@pytest.mark.parametrize("status", ["published", "scheduled"])
def test_published_and_scheduled_features_must_have_a_publication_time(status):
    with pytest.raises(IntegrityError):
        FeatureFactory(status=status, published_at=None)


def test_a_person_takes_part_in_a_feature_only_once():
    participant = ParticipantFactory()
    with pytest.raises(IntegrityError):
        ParticipantFactory(feature=participant.feature, person=participant.person)


def test_feature_slugs_are_unique():
    FeatureFactory(slug="same")
    with pytest.raises(IntegrityError):
        FeatureFactory(slug="same")


def test_interviewers_and_guests_keep_page_order():
    feature = FeatureFactory()
    second = ParticipantFactory(feature=feature, order=2)
    host = ParticipantFactory(feature=feature, role=Participant.Role.INTERVIEWER, order=0)
    first = ParticipantFactory(feature=feature, order=1)
    assert feature.interviewers == [host]
    assert feature.guests == [first, second]


def test_a_body_naming_a_stranger_is_refused_and_the_saved_body_kept():
    feature = FeatureFactory()
    guest = ParticipantFactory(feature=feature, person=PersonFactory(name="Ana Lima"))
    write_body(feature, "Ana Lima: Hello.")
    feature.refresh_from_db()
    (block,) = blocks_of(feature.body)
    assert (block["type"], block["speaker"], block["text"]) == ("answer", guest.person_id, "Hello.")

    with pytest.raises(ValidationError, match="not a participant"):
        write_body(feature, "Someone Else: Hi.")
    feature.refresh_from_db()
    assert blocks_of(feature.body) == [block]


def test_body_blocks_carry_their_speaker_and_source_round_trips():
    feature = FeatureFactory()
    guest = ParticipantFactory(feature=feature, person=PersonFactory(name="Ana Lima"))
    write_body(feature, "Intro.\n\nAna Lima: One.\nTwo.")
    blocks = feature.blocks()
    assert [block.type for block in blocks] == ["text", "answer"]
    assert blocks[1].speaker == guest
    assert blocks[1].paragraphs == ["One.", "Two."]
    assert feature.body_source() == "Intro.\n\nAna Lima: One.\nTwo."


def test_blocks_are_written_as_readers_see_them_with_every_name_escaped():
    participant = Participant(person=PersonFactory.build(name="<b>Ana</b> & Co"))

    answer = BodyBlock("a1b2c3d4", "answer", "One *word*.\nTwo.", participant).html
    question = BodyBlock("00000001", "question", "Why?", None).html
    quote = BodyBlock("00000002", "quote", "Said.", participant).html
    text = BodyBlock("00000003", "text", "First.\n\nSecond.", None).html

    assert answer == (
        '<div class="qa qa--answer" id="b-a1b2c3d4"><p><strong class="qa__speaker">'
        '<span class="visually-hidden">Answer from </span>&lt;b&gt;Ana&lt;/b&gt; &amp; Co:'
        "</strong> One <em>word</em>.</p><p>Two.</p></div>"
    )
    assert "Question from </span>Unknown speaker:</strong> Why?" in question
    assert quote == (
        '<figure class="pullquote" id="b-00000002"><blockquote><p>Said.</p></blockquote>'
        "<figcaption>&lt;b&gt;Ana&lt;/b&gt; &amp; Co</figcaption></figure>"
    )
    assert text == '<p id="b-00000003">First.</p><p>Second.</p>'

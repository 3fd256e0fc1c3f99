"""Answers keep where they start in the recording: through checks, edits, merges and history."""

import math

import pytest
from django.core.exceptions import ValidationError

from features import content, services
from features.block_ids import assign_ids
from features.body import Speaker, SpeakerDirectory, blocks_of, check_blocks, speech, stored
from features.content import FeatureContent
from features.models import Feature
from tests.features.editing import admin_form, change_url, interview

MAYA = Speaker(person_id=1, name="Maya Ortiz", is_interviewer=True)
TOMAS = Speaker(person_id=2, name="Tomás Reyes", is_interviewer=False)


def test_questions_and_answers_may_keep_a_start_time():
    blocks = [
        {"type": "question", "speaker": 1, "text": "Why?", "start": 0},
        {"type": "answer", "speaker": 2, "text": "The fog.", "start": 62.5},
    ]
    check_blocks(blocks, [MAYA, TOMAS])


@pytest.mark.parametrize(
    ("block", "problem"),
    [
        ({"type": "text", "text": "Intro.", "start": 1}, "only questions and answers"),
        ({"type": "answer", "speaker": 2, "text": "A.", "start": "1:02"}, "number of seconds"),
        ({"type": "answer", "speaker": 2, "text": "A.", "start": True}, "number of seconds"),
        ({"type": "answer", "speaker": 2, "text": "A.", "start": -1}, "between 0 and 86400"),
        ({"type": "answer", "speaker": 2, "text": "A.", "start": math.nan}, "between 0 and"),
        ({"type": "answer", "speaker": 2, "text": "A.", "start": 10**9}, "between 0 and"),
    ],
)
def test_a_bad_start_time_is_refused(block, problem):
    with pytest.raises(ValidationError) as error:
        check_blocks([block], [MAYA, TOMAS])
    assert problem in " ".join(error.value.messages)


def test_attributed_speech_becomes_a_question_or_answer_with_its_start():
    directory = SpeakerDirectory([MAYA, TOMAS])
    assert speech("tomas", "The fog.", directory, line=4, start=4.5) == {
        "type": "answer",
        "speaker": 2,
        "text": "The fog.",
        "start": 4.5,
    }
    with pytest.raises(ValidationError) as error:
        speech("Jane Doe", "Hi.", directory, line=9)
    assert error.value.messages == [
        "Line 9: “Jane Doe” is not a participant of this feature (participants: Maya Ortiz, "
        "Tomás Reyes). Add them under Participants or correct the name."
    ]


def test_a_block_that_continues_a_saved_one_keeps_its_start_unless_it_brings_its_own():
    saved = assign_ids(
        [
            {"type": "question", "speaker": 1, "text": "Why the island?", "start": 1.0},
            {"type": "answer", "speaker": 2, "text": "The fog, mostly.", "start": 4.5},
        ],
        [],
    )
    edited = [
        {"type": "question", "speaker": 1, "text": "Why the island?"},  # unchanged
        {"type": "answer", "speaker": 2, "text": "The fog, mostly, and the quiet."},  # edited
        {"type": "answer", "speaker": 2, "text": "Something new."},
    ]
    assert [block.get("start") for block in assign_ids(edited, saved)] == [1.0, 4.5, None]
    reimported = [{**edited[0], "start": 2.0}]
    assert assign_ids(reimported, saved)[0]["start"] == 2.0


@pytest.mark.django_db
def test_start_times_survive_an_edit_in_the_admin_text_and_are_kept_in_revisions(client, editor):
    feature = interview()
    timed = FeatureContent.of(feature)
    timed.body = [{**block, "start": 10.0 * n} for n, block in enumerate(timed.body, start=1)]
    services.save_feature(user=None, content=timed, feature=feature)
    client.force_login(editor)
    edited = admin_form(feature, body_source="Maya Ortiz: Why?\n\nTomás Reyes: The fog, mostly.")
    assert client.post(change_url(feature), edited).status_code == 302
    after = blocks_of(Feature.objects.get(pk=feature.pk).body)
    assert [(block["text"], block["start"]) for block in after] == [
        ("Why?", 10.0),
        ("The fog, mostly.", 20.0),
    ]
    assert blocks_of(feature.revisions.first().content["body"]) == after


def test_a_changed_start_time_is_a_change_that_merges_like_any_other():
    base = assign_ids([{"type": "answer", "speaker": 2, "text": "The fog.", "start": 4.0}], [])
    theirs = [{**base[0], "start": 4.5}]
    mine = [{"type": "answer", "speaker": 2, "text": "The fog."}]  # from the text form
    body = content.PARTS_BY_NAME["body"]
    assert body.same(stored(base)) != body.same(stored(theirs))
    outcome = body.merge(base=stored(base), theirs=stored(theirs), mine=stored(mine))
    assert blocks_of(outcome.value)[0]["start"] == 4.5
    assert outcome.took_theirs and not outcome.conflict

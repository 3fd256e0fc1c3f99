"""Block ids survive edits: property tests with random bodies and random edits."""

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from features.block_ids import assign_ids
from features.body import Speaker, format_body, parse_body

SPEAKERS = [
    Speaker(person_id=1, name="Maya Ortiz", is_interviewer=True),
    Speaker(person_id=2, name="Tomás Reyes", is_interviewer=False),
    Speaker(person_id=3, name="Ana Lucía Vega", is_interviewer=False),
]
NAMES = {speaker.person_id: speaker.name for speaker in SPEAKERS}
VOICES = [("question", 1), ("answer", 2), ("answer", 3), ("text", None), ("quote", None)]

serials = itertools.count()


def fresh_words(count: int) -> list[str]:
    """Words no other block uses, so that only an edit can make two blocks look alike."""
    serial = next(serials)
    return [f"w{serial}x{n}" for n in range(count)]


@st.composite
def blocks(draw):
    block_type, speaker = draw(st.sampled_from(VOICES))
    block = {"type": block_type, "text": " ".join(fresh_words(draw(st.integers(4, 9))))}
    if speaker is not None:
        block["speaker"] = speaker
    return block


def edit_text(text: str, how: int) -> str:
    """Change one word, or add one at the end: what an editor's correction looks like."""
    words = text.split()
    if how % 2:
        words.append(fresh_words(1)[0])
    else:
        words[how % len(words)] = fresh_words(1)[0]
    return " ".join(words)


@st.composite
def edited_bodies(draw):
    """A body with ids, the same body after random edits (without ids, as parsing gives it),
    and for each new block the id it must keep (None for blocks that are new)."""
    old = assign_ids(draw(st.lists(blocks(), max_size=14)), [])
    working = [(dict(block), block["id"], False) for block in old]  # (block, origin, edited)
    for _ in range(draw(st.integers(0, 8))):
        operation = draw(st.sampled_from(["insert", "remove", "move", "edit"]))
        if operation == "insert":
            position = draw(st.integers(0, len(working)))
            working.insert(position, (draw(blocks()), None, False))
            continue
        if not working:
            continue
        position = draw(st.integers(0, len(working) - 1))
        block, origin, edited = working[position]
        if operation == "remove":
            del working[position]
        elif operation == "move":
            working.insert(draw(st.integers(0, len(working) - 1)), working.pop(position))
        elif not edited:
            changed = {**block, "text": edit_text(block["text"], draw(st.integers(0, 99)))}
            working[position] = (changed, origin, True)
    new = [{k: v for k, v in block.items() if k != "id"} for block, _, _ in working]
    return old, new, [origin for _, origin, _ in working]


@settings(max_examples=300, deadline=None)
@given(edited_bodies())
def test_random_edits_never_give_two_blocks_one_id_and_kept_blocks_keep_theirs(case):
    old, new, origins = case
    result = assign_ids(new, old)
    ids = [block["id"] for block in result]
    assert len(ids) == len(set(ids))
    assert [{k: v for k, v in b.items() if k != "id"} for b in result] == new
    for block, origin in zip(result, origins, strict=True):
        if origin is not None:
            assert block["id"] == origin, "a block that was only moved or edited lost its id"


@settings(max_examples=100, deadline=None)
@given(st.lists(blocks(), max_size=14))
def test_a_body_saved_again_from_its_text_keeps_every_id(body):
    old = assign_ids(body, [])
    reparsed = parse_body(format_body(old, NAMES), SPEAKERS)
    assert assign_ids(reparsed, old) == old


def test_an_answer_reworded_in_place_keeps_its_id_and_a_new_one_gets_a_new_id():
    old = assign_ids(
        [
            {"type": "question", "speaker": 1, "text": "Why the island?"},
            {"type": "answer", "speaker": 2, "text": "The fog, and the quiet of the winters."},
            {"type": "question", "speaker": 1, "text": "And now?"},
        ],
        [],
    )
    new = [
        {"type": "question", "speaker": 1, "text": "Why the island?"},
        {"type": "answer", "speaker": 2, "text": "Mostly the light, and the long winters."},
        {"type": "answer", "speaker": 3, "text": "I came for the birds."},
        {"type": "question", "speaker": 1, "text": "And now?"},
    ]
    result = assign_ids(new, old)
    assert [b["id"] for b in result[:2]] == [b["id"] for b in old[:2]]
    assert result[3]["id"] == old[2]["id"]
    assert result[2]["id"] not in {b["id"] for b in old}


def test_an_answer_rewritten_from_scratch_is_a_new_block():
    old = assign_ids(
        [
            {"type": "question", "speaker": 1, "text": "Why?"},
            {"type": "answer", "speaker": 2, "text": "The fog, mostly."},
        ],
        [],
    )
    new = [old[0], {"type": "answer", "speaker": 2, "text": "I never liked boats or trains."}]
    assert assign_ids(new, old)[1]["id"] != old[1]["id"]


def test_blocks_that_carry_an_id_keep_it():
    old = assign_ids([{"type": "text", "text": "One."}, {"type": "text", "text": "Two."}], [])
    imported = [
        {"type": "text", "text": "Two.", "id": old[0]["id"]},
        {"type": "text", "text": "One."},
    ]
    result = assign_ids(imported, old)
    assert result[0]["id"] == old[0]["id"]
    assert result[1]["id"] not in {old[0]["id"]}


def test_a_body_pasted_over_a_long_one_gets_new_ids_quickly():
    old = assign_ids(
        [{"type": "answer", "speaker": 2, "text": f"Old answer {n}."} for n in range(1500)], []
    )
    new = [{"type": "answer", "speaker": 2, "text": f"New answer {n}."} for n in range(1500)]
    result = assign_ids(new, old)
    assert len({b["id"] for b in result}) == 1500


def test_blocks_keep_their_ids_when_their_speakers_role_changes():
    old = assign_ids([{"type": "question", "speaker": 1, "text": "Why the island?"}], [])
    as_answer = [{"type": "answer", "speaker": 1, "text": "Why the island?"}]
    assert assign_ids(as_answer, old)[0]["id"] == old[0]["id"]


def test_a_long_body_of_a_few_repeated_lines_reversed_keeps_every_id():
    lines = [("question", 1, "Yes?"), ("answer", 2, "No."), ("text", None, "Hm.")]
    body = [
        {"type": kind, "text": text, **({"speaker": who} if who else {})}
        for kind, who, text in (lines[n % 3] for n in range(2000))
    ]
    old = assign_ids(body, [])
    result = assign_ids([{k: v for k, v in b.items() if k != "id"} for b in reversed(old)], old)
    assert sorted(b["id"] for b in result) == sorted(b["id"] for b in old)

import pytest
from django.core.exceptions import ValidationError

from features.body import MAX_SOURCE_LENGTH, Speaker, format_body, parse_body

MAYA = Speaker(person_id=1, name="Maya Ortiz", is_interviewer=True)
TOMAS = Speaker(person_id=2, name="Tomás Reyes", is_interviewer=False)
SPEAKERS = [MAYA, TOMAS]


def messages(error):
    return " ".join(error.value.messages)


def test_interviewer_lines_are_questions_and_guest_lines_are_answers():
    blocks = parse_body("Maya Ortiz: Why the island?\n\nTomás Reyes: The fog.", SPEAKERS)
    assert blocks == [
        {"type": "question", "speaker": 1, "text": "Why the island?"},
        {"type": "answer", "speaker": 2, "text": "The fog."},
    ]


def test_lines_under_a_speaker_belong_to_the_same_answer():
    blocks = parse_body("Tomás Reyes: First thought.\nSecond thought.", SPEAKERS)
    assert blocks == [{"type": "answer", "speaker": 2, "text": "First thought.\nSecond thought."}]


def test_other_paragraphs_are_text_and_pull_quotes_can_be_attributed():
    source = "He edited on the mainland.\n\n> Tomás Reyes: The ledger is the film.\n\n> Unsigned."
    assert parse_body(source, SPEAKERS) == [
        {"type": "text", "text": "He edited on the mainland."},
        {"type": "quote", "speaker": 2, "text": "The ledger is the film."},
        {"type": "quote", "text": "Unsigned."},
    ]


@pytest.mark.parametrize(
    "written", ["tomas reyes", "TOMAS REYES", "Tomás", "Reyes", "Tomás  Reyes"]
)
def test_speakers_match_ignoring_case_accents_and_by_a_name_only_they_have(written):
    assert parse_body(f"{written}: Yes.", SPEAKERS)[0]["speaker"] == 2


def test_a_name_part_two_participants_share_must_be_written_in_full():
    speakers = [*SPEAKERS, Speaker(person_id=3, name="Ana Reyes", is_interviewer=False)]
    with pytest.raises(ValidationError) as error:
        parse_body("Reyes: Who am I?", speakers)
    assert "could be more than one participant" in messages(error)


def test_unknown_speaker_is_refused_with_its_line_and_the_participants():
    with pytest.raises(ValidationError) as error:
        parse_body("Maya Ortiz: Hello?\n\n\nJane Doe: Hi.", SPEAKERS)
    text = messages(error)
    assert "Line 4" in text
    assert "“Jane Doe” is not a participant" in text
    assert "Maya Ortiz, Tomás Reyes" in text


def test_every_bad_line_is_reported_at_once():
    with pytest.raises(ValidationError) as error:
        parse_body("Jane Doe: Hi.\n\nJohn Roe: Hello.\n\nMaya Ortiz:  ", SPEAKERS)
    assert len(error.value.messages) == 3


@pytest.mark.parametrize(
    "paragraph",
    [
        "In 2015: the first film.",
        "Update, May 3: the date moved.",
        "This is a long sentence that happens to contain a colon: like this one.",
        "No colon at all",
        "Time 10:30 came and went.",
    ],
)
def test_paragraphs_that_do_not_start_with_a_name_are_text(paragraph):
    assert parse_body(paragraph, SPEAKERS) == [{"type": "text", "text": paragraph}]


def test_a_backslash_keeps_a_leading_word_and_colon_as_text():
    assert parse_body("\\Note: the film was shot in winter.", SPEAKERS) == [
        {"type": "text", "text": "Note: the film was shot in winter."}
    ]


def test_html_is_kept_as_plain_text_for_the_template_to_escape():
    blocks = parse_body("Tomás Reyes: <script>alert(1)</script>", SPEAKERS)
    assert blocks[0]["text"] == "<script>alert(1)</script>"


@pytest.mark.parametrize(
    "source",
    [
        "\x00Tomás Reyes: hi",
        "x" * (MAX_SOURCE_LENGTH + 1),
        "\n\n".join(["Tomás Reyes: hi"] * 2001),
    ],
    ids=["null character", "too long", "too many blocks"],
)
def test_hostile_input_is_refused_with_a_message(source):
    with pytest.raises(ValidationError) as error:
        parse_body(source, SPEAKERS)
    assert error.value.messages


def test_pathological_speaker_like_input_is_parsed_quickly():
    # A long run of name-like characters with no colon must not backtrack badly.
    source = ("Aaaa " * 30_000) + "end"
    assert parse_body(source, SPEAKERS)[0]["type"] == "text"


def test_blank_body_has_no_blocks_and_windows_newlines_are_understood():
    assert parse_body("  \n\n ", SPEAKERS) == []
    assert len(parse_body("Maya Ortiz: a\r\n\r\nTomás Reyes: b", SPEAKERS)) == 2


@pytest.mark.parametrize(
    "source",
    [
        "Maya Ortiz: Why?\n\nTomás Reyes: Because.\nAnd again.",
        "\\Note: a text paragraph that looks like speech.",
        "> Tomás Reyes: Quoted.\n> Two lines.",
        "> \\Note: an unattributed quote that looks like speech.",
        "Plain text.\n\n> Plain quote.",
    ],
)
def test_format_then_parse_gives_back_the_same_blocks(source):
    blocks = parse_body(source, SPEAKERS)
    names = {speaker.person_id: speaker.name for speaker in SPEAKERS}
    assert parse_body(format_body(blocks, names), SPEAKERS) == blocks


UNUSUAL = [
    Speaker(person_id=10, name="María de los Ángeles Pérez García López", is_interviewer=True),
    Speaker(person_id=11, name="Martin Luther King, Jr.", is_interviewer=False),
    Speaker(person_id=12, name="50 Cent", is_interviewer=False),
]


@pytest.mark.parametrize("speaker", UNUSUAL, ids=["seven words", "comma", "digits"])
def test_any_participants_full_name_is_recognised(speaker):
    (block,) = parse_body(f"{speaker.name}: Hello.", UNUSUAL)
    assert block["speaker"] == speaker.person_id
    assert block["text"] == "Hello."


def test_unusual_names_survive_the_round_trip_through_the_admin_text():
    source = "\n\n".join(f"{s.name}: Line {n}." for n, s in enumerate(UNUSUAL))
    source += "\n\n\\50 Cent: was not said here, this is narration."
    blocks = parse_body(source, UNUSUAL)
    assert [b["type"] for b in blocks] == ["question", "answer", "answer", "text"]
    names = {s.person_id: s.name for s in UNUSUAL}
    assert parse_body(format_body(blocks, names), UNUSUAL) == blocks


def test_a_full_name_wins_over_the_same_word_in_another_name():
    speakers = [
        Speaker(person_id=1, name="Ana", is_interviewer=True),
        Speaker(person_id=2, name="Ana Lima", is_interviewer=False),
    ]
    blocks = parse_body("Ana: Question?\n\nAna Lima: Answer.\n\nLima: More.", speakers)
    assert [b["speaker"] for b in blocks] == [1, 2, 2]

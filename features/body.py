"""The interview body: structured blocks, and the plain-text format editors write them in.

A body is stored as JSON in a versioned schema. Schema 1 is::

    {"schema": 1, "blocks": [
        {"id": "3f9c2e1b", "type": "text", "text": "…"},
        {"id": "a41d07c5", "type": "question", "speaker": <person id>, "text": "…"},
        {"id": "0b8e6f2a", "type": "answer", "speaker": <person id>, "text": "…",
         "start": 62.5},
        {"id": "c7d2e915", "type": "quote", "text": "…"},   (a pull quote; "speaker" optional)
    ]}

A question or an answer may keep ``start``: the second in the interview's recording where
it begins (a number from 0, to the millisecond), so that an audio player can jump to it.
Imported transcripts set it; editors never see it in the text below, and like the id it
stays with a block the text carries on (see features.block_ids).

Every block has an ``id`` (see features.block_ids) that stays the same while the block lives:
through edits of its text, edits elsewhere in the body, restores, export and import. Links,
corrections, pull quotes and search hits point at it. A question is spoken by an
interviewer, an answer by a guest; both name a participant of the feature.

Editors write the body as plain text, one block per paragraph (blank lines between blocks)
and never see the ids:

    Maya Ortiz: What brought you back to the lighthouse?
    Tomás Reyes: The fog, mostly.
    It is the only place where I can hear myself think.

    > Name: A pull quote, attributed; or "> words" for one without a speaker.

A paragraph that starts with a participant's name and a colon is spoken by them: a question
when they are an interviewer, an answer when they are a guest. Lines right under it belong
to the same block. Any other paragraph is narrative text; start it with a backslash to keep
a leading “Word:” from being read as a speaker.

Within any block, ``*words*`` is emphasis (a film's title, say) and ``[words](https://…)``
a link; ``\\*`` is an asterisk. The text keeps this markup as typed; ``inline_html`` turns it
into HTML for pages, escaping everything else, and links only to http and https addresses.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from newsmuse.text import fold

SCHEMA = 1

TEXT, QUESTION, ANSWER, QUOTE = "text", "question", "answer", "quote"
BLOCK_TYPES = (TEXT, QUESTION, ANSWER, QUOTE)
BLOCK_ID = re.compile(r"^[a-z0-9]{4,32}$")
MAX_START = 24 * 60 * 60  # seconds: no recording of an interview runs longer than a day

MAX_SOURCE_LENGTH = 200_000
MAX_BLOCKS = 2_000

# Inline markup (see the docstring): an asterisk not after a letter, a digit, an asterisk or
# a backslash opens emphasis when words follow at once; links must be http or https.
EMPHASIS = re.compile(r"(?<![\w*\\])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![\w*])")
LINK = re.compile(r"\[([^\]\n]+)\]\((https?://[^\s()<>*\"']+)\)")


def inline_html(text: str) -> SafeString:
    """A block's text as HTML: escaped, with its *emphasis* and [links](https://…) made."""
    html = escape(text)  # before any markup: the URL and words below are escaped already
    html = LINK.sub(r'<a href="\2">\1</a>', html)
    html = EMPHASIS.sub(r"<em>\1</em>", html)
    return mark_safe(html.replace("\\*", "*"))


# “Name:” at the start of a paragraph: up to six words of letters, spaces, dots, hyphens
# and apostrophes. Digits or other punctuation (“In 2015: …”, “Update, May 3: …”) mean text.
SPEAKER_PREFIX = re.compile(
    r"^(?P<name>[^\W\d_](?:[^\W\d_]|[ .'’\-]){0,79}?)\s*:(?:\s+|$)(?P<text>.*)$", re.S
)
MAX_NAME_WORDS = 6
NOT_SPEECH_HINT = "; if this paragraph is not speech, start it with a backslash (\\)"


@dataclass(frozen=True)
class Speaker:
    person_id: int
    name: str
    is_interviewer: bool


def substance(block: dict) -> tuple:
    """What a block says: its kind, speaker and text. Questions and answers are one kind,
    speech, because which of the two a block is follows from its speaker's role: the
    block stays the same when that role changes."""
    kind = "speech" if block["type"] in (QUESTION, ANSWER) else block["type"]
    return kind, block.get("speaker"), block["text"]


def substance_and_start(block: dict) -> tuple:
    """What a block says and where it starts in the recording: a block whose start time
    alone changed has changed too."""
    return *substance(block), block.get("start")


def empty() -> dict:
    """A body with no blocks (the default of Feature.body)."""
    return {"schema": SCHEMA, "blocks": []}


def stored(blocks: list[dict]) -> dict:
    """Blocks (each with an id) as they are kept in Feature.body and in revisions."""
    return {"schema": SCHEMA, "blocks": list(blocks)}


def blocks_of(value: dict) -> list[dict]:
    """The blocks of a stored body; refuses a schema this code does not know."""
    if not isinstance(value, dict) or value.get("schema") != SCHEMA:
        raise ValueError(f"Not a body in schema {SCHEMA}: {str(value)[:80]}")
    return value["blocks"]


class SpeakerDirectory:
    """Finds the participant a paragraph names, by full name or by a name part only they have."""

    def __init__(self, speakers: Iterable[Speaker]):
        self.speakers = list(speakers)
        self._by_name: dict[str, Speaker | None] = {}
        for speaker in self.speakers:
            for part in fold(speaker.name).split():
                if part in self._by_name and self._by_name[part] is not speaker:
                    self._by_name[part] = None  # shared by two participants: ambiguous
                else:
                    self._by_name[part] = speaker
        # A full name always means its owner, even if it is part of another name.
        self._full_names = {fold(speaker.name): speaker for speaker in self.speakers}
        self._by_name.update(self._full_names)

    def find(self, name: str) -> Speaker | None:
        return self._by_name.get(fold(name))

    def find_full_name(self, name: str) -> Speaker | None:
        return self._full_names.get(fold(name))

    def is_ambiguous(self, name: str) -> bool:
        folded = fold(name)
        return folded in self._by_name and self._by_name[folded] is None

    def names(self) -> str:
        return ", ".join(speaker.name for speaker in self.speakers) or "nobody yet"

    def require(self, name: str, *, line: int, hint: str = "") -> Speaker:
        """The participant ``name`` means; ValidationError if it is none or several.
        ``hint`` ends the message about a name that is nobody's."""
        if (speaker := self.find(name)) is not None:
            return speaker
        if self.is_ambiguous(name):
            message = (
                "Line %(line)s: “%(name)s” could be more than one participant; "
                "write their full name."
            )
        else:
            message = (
                "Line %(line)s: “%(name)s” is not a participant of this feature "
                "(participants: %(names)s). Add them under Participants or correct the "
                "name%(hint)s."
            )
        raise ValidationError(
            message,
            code="unknown_speaker",
            params={"line": line, "name": name, "names": self.names(), "hint": hint},
        )


def _paragraphs(source: str) -> Iterable[tuple[int, str]]:
    """(first line number, paragraph text) for each blank-line separated paragraph."""
    lines = source.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    start, current = 0, []
    for number, line in enumerate(lines, start=1):
        if line.strip():
            if not current:
                start = number
            current.append(line.strip())
        elif current:
            yield start, "\n".join(current)
            current = []
    if current:
        yield start, "\n".join(current)


def parse_body(source: str, speakers: Iterable[Speaker]) -> list[dict]:
    """Turn an editor's text into blocks; raise ValidationError naming every bad line."""
    if len(source) > MAX_SOURCE_LENGTH:
        raise ValidationError(
            "The body is too long (%(length)s characters; the limit is %(limit)s). "
            "Split the interview into two features.",
            code="too_long",
            params={"length": len(source), "limit": MAX_SOURCE_LENGTH},
        )
    directory = SpeakerDirectory(speakers)
    blocks, errors = [], []
    for line, paragraph in _paragraphs(source):
        if "\x00" in paragraph:
            errors.append(
                ValidationError(
                    "Line %(line)s contains a null character; remove it.",
                    code="control_character",
                    params={"line": line},
                )
            )
            continue
        try:
            blocks.append(_parse_paragraph(paragraph, directory, line))
        except ValidationError as error:
            errors.append(error)
    errors += _length_problems(blocks)
    if errors:
        raise ValidationError(errors)
    return blocks


def preview_body(source: str, speakers: Iterable[Speaker]) -> tuple[list[dict], list[str]]:
    """The blocks an editor's text makes so far, for the form's live preview, and what the
    save would refuse about the body as a whole. Unlike ``parse_body``, a paragraph with a
    problem does not stop the others: it becomes a text block with the message under
    ``"problem"``, so the preview marks it where it is, and the name under ``"newcomer"``
    when the problem is a speaker who is nobody on the form. At most MAX_BLOCKS are made."""
    problems = []
    if len(source) > MAX_SOURCE_LENGTH:
        problems.append(
            f"The body is too long ({len(source):,} characters; the limit is "
            f"{MAX_SOURCE_LENGTH:,}). Split the interview into two features."
        )
    directory = SpeakerDirectory(speakers)
    blocks = []
    for line, paragraph in _paragraphs(source[:MAX_SOURCE_LENGTH].replace("\x00", "")):
        if len(blocks) == MAX_BLOCKS:
            problems.append(f"The body has more than {MAX_BLOCKS:,} blocks, the limit.")
            break
        try:
            blocks.append(_parse_paragraph(paragraph, directory, line))
        except ValidationError as error:
            blocks.append({"type": TEXT, "text": paragraph, "problem": error.messages[0]})
            if error.code == "unknown_speaker" and not directory.is_ambiguous(
                name := error.params["name"]
            ):
                blocks[-1]["newcomer"] = name
        blocks[-1]["line"] = line
    return blocks, problems


def newcomers(blocks: list[dict], limit: int) -> list[dict]:
    """The names that speak in previewed blocks but are nobody on the form yet, each once
    (accents and case aside) with the lines where they speak, in the order they first
    speak: at most ``limit`` of them, as ``{"name": …, "lines": […]}``. A short name that
    is part of one longer name among them ("Lena" beside "Lena Park") is that person."""
    found = {}
    for block in blocks:
        if "newcomer" in block:
            name = block["newcomer"]
            found.setdefault(fold(name), {"name": name, "lines": []})["lines"].append(block["line"])
    for short in list(found):
        longer = [name for name in found if set(short.split()) < set(name.split())]
        if len(longer) == 1:
            found[longer[0]]["lines"] = sorted(found[longer[0]]["lines"] + found[short]["lines"])
            del found[short]
    return list(found.values())[:limit]


def _length_problems(blocks: list) -> list[ValidationError]:
    if len(blocks) <= MAX_BLOCKS:
        return []
    return [
        ValidationError(
            "The body has %(count)s blocks; the limit is %(limit)s.",
            code="too_many_blocks",
            params={"count": len(blocks), "limit": MAX_BLOCKS},
        )
    ]


def _parse_paragraph(paragraph: str, directory: SpeakerDirectory, line: int) -> dict:
    if paragraph.startswith("\\"):
        return {"type": TEXT, "text": paragraph[1:]}
    if paragraph.startswith(">"):
        text = "\n".join(row.removeprefix(">").strip() for row in paragraph.split("\n"))
        if text.startswith("\\"):
            block = {"type": QUOTE, "text": text[1:]}
        else:
            speaker, spoken = _speaker_and_text(text, directory, line)
            block = {"type": QUOTE, "text": spoken}
            if speaker:
                block["speaker"] = speaker.person_id
        if not block["text"].strip():
            raise ValidationError(
                "Line %(line)s: the pull quote is empty.", code="empty", params={"line": line}
            )
        return block
    speaker, text = _speaker_and_text(paragraph, directory, line)
    if speaker is None:
        return {"type": TEXT, "text": paragraph}
    kind = QUESTION if speaker.is_interviewer else ANSWER
    return {"type": kind, "speaker": speaker.person_id, "text": text}


def _speaker_and_text(paragraph: str, directory: SpeakerDirectory, line: int):
    head, colon, rest = paragraph.partition(":")
    speaker = directory.find_full_name(head) if colon else None
    if speaker is not None:
        # Any participant's full name is recognised, however it is spelled
        # (“Martin Luther King, Jr.”, “50 Cent”, six words or more).
        name, text = head.strip(), rest.strip(" \t")
    else:
        match = SPEAKER_PREFIX.match(paragraph)
        if not match or len(match["name"].split()) > MAX_NAME_WORDS:
            return None, paragraph
        name, text = match["name"].strip(), match["text"]
        speaker = directory.require(name, line=line, hint=NOT_SPEECH_HINT)
    if not text.strip():
        raise _says_nothing(speaker, line)
    return speaker, text.lstrip("\n")


def _says_nothing(speaker: Speaker, line: int) -> ValidationError:
    return ValidationError(
        "Line %(line)s: %(name)s says nothing; write their words after the colon.",
        code="empty",
        params={"line": line, "name": speaker.name},
    )


def speech(
    name: str, text: str, directory: SpeakerDirectory, *, line: int, start: float | None = None
) -> dict:
    """A question or answer by the participant called ``name``, for speech that arrives
    already attributed (a transcript's voices); the same errors as parse_body."""
    speaker = directory.require(name, line=line)
    if not text.strip():
        raise _says_nothing(speaker, line)
    block = {"type": QUESTION if speaker.is_interviewer else ANSWER}
    block |= {"speaker": speaker.person_id, "text": text}
    if start is not None:
        block["start"] = start
    return block


def format_body(blocks: list[dict], names: dict[int, str]) -> str:
    """The editor's text for stored blocks: parse_body(format_body(b)) gives back b."""
    full_names = {fold(name) for name in names.values()}
    paragraphs = []
    for block in blocks:
        speaker = names.get(block.get("speaker"))
        text = block["text"]
        if block["type"] in (QUESTION, ANSWER):
            paragraphs.append(f"{speaker or 'Unknown speaker'}: {text}")
        elif block["type"] == QUOTE:
            if speaker:
                quoted = f"{speaker}: {text}"
            else:
                quoted = f"\\{text}" if _looks_spoken(text, full_names) else text
            paragraphs.append("\n".join(f"> {row}" for row in quoted.split("\n")))
        elif _looks_spoken(text, full_names) or text.startswith(">"):
            paragraphs.append(f"\\{text}")
        else:
            paragraphs.append(text)
    return "\n\n".join(paragraphs)


def _looks_spoken(text: str, full_names: set[str]) -> bool:
    """Would parse_body read this text as speech (or an escape) unless it is escaped?"""
    head, colon, _ = text.partition(":")
    return (
        bool(SPEAKER_PREFIX.match(text))
        or bool(colon and fold(head) in full_names)
        or text.startswith("\\")
    )


def check_blocks(blocks: list, speakers: Iterable[Speaker]) -> None:
    """Refuse blocks that break schema 1, naming each bad block (for blocks that arrive as
    data, e.g. from a revision or an import, rather than from text through parse_body)."""
    by_person = {speaker.person_id: speaker for speaker in speakers}
    if not isinstance(blocks, list):
        raise ValidationError("The body must be a list of blocks.", code="body_shape")
    errors = [
        ValidationError(
            "Block %(number)s: %(problem)s",
            code="bad_block",
            params={"number": number, "problem": problem},
        )
        for number, block in enumerate(blocks, start=1)
        if (problem := _block_problem(block, by_person))
    ]
    ids = [block.get("id") for block in blocks if isinstance(block, dict) and block.get("id")]
    if len(ids) != len(set(ids)):
        errors.append(ValidationError("Two blocks have the same id.", code="duplicate_block_id"))
    errors += _length_problems(blocks)
    if errors:
        raise ValidationError(errors)


def _block_problem(block, by_person: dict[int, Speaker]) -> str | None:
    if not isinstance(block, dict) or block.get("type") not in BLOCK_TYPES:
        return f"the type must be one of {', '.join(BLOCK_TYPES)}."
    if "id" in block and not (isinstance(block["id"], str) and BLOCK_ID.match(block["id"])):
        return "the id must be 4 to 32 lowercase letters or digits."
    text = block.get("text")
    if not isinstance(text, str) or not text.strip():
        return "the text is empty."
    if "\x00" in text:
        return "the text contains a null character."
    if "start" in block and (problem := _start_problem(block)):
        return problem
    speaker = block.get("speaker")
    if block["type"] == TEXT:
        return "narrative text has no speaker." if speaker is not None else None
    if speaker is None:
        return None if block["type"] == QUOTE else f"a {block['type']} needs a speaker."
    if speaker not in by_person:
        return "the speaker is not a participant of this feature."
    is_interviewer = by_person[speaker].is_interviewer
    if block["type"] == QUESTION and not is_interviewer:
        return f"{by_person[speaker].name} is a guest, so this is an answer, not a question."
    if block["type"] == ANSWER and is_interviewer:
        return f"{by_person[speaker].name} interviews, so this is a question, not an answer."
    return None


def _start_problem(block: dict) -> str | None:
    if block["type"] not in (QUESTION, ANSWER):
        return "only questions and answers have a start time."
    start = block["start"]
    if isinstance(start, bool) or not isinstance(start, int | float):
        return "the start time must be a number of seconds."
    if not 0 <= start <= MAX_START:  # also false for NaN
        return f"the start time must be between 0 and {MAX_START} seconds."
    return None

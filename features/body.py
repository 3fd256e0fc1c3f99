"""The interview body: structured blocks, and the plain-text format editors write them in.

A body is stored as a list of blocks (JSON), each one of::

    {"type": "text", "text": "…"}
    {"type": "question", "speaker": <person id>, "text": "…"}
    {"type": "answer", "speaker": <person id>, "text": "…"}
    {"type": "quote", "text": "…"}                    (a pull quote, optionally with "speaker")

Editors write it as plain text, one block per paragraph (blank lines between blocks):

    Maya Ortiz: What brought you back to the lighthouse?
    Tomás Reyes: The fog, mostly.
    It is the only place where I can hear myself think.

    > Name: A pull quote, attributed; or "> words" for one without a speaker.

A paragraph that starts with a participant's name and a colon is spoken by them: a question
when they are an interviewer, an answer when they are a guest. Lines right under it belong
to the same block. Any other paragraph is narrative text; start it with a backslash to keep
a leading “Word:” from being read as a speaker.
"""

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError

TEXT, QUESTION, ANSWER, QUOTE = "text", "question", "answer", "quote"
BLOCK_TYPES = (TEXT, QUESTION, ANSWER, QUOTE)

MAX_SOURCE_LENGTH = 200_000
MAX_BLOCKS = 2_000

# “Name:” at the start of a paragraph: up to six words of letters, spaces, dots, hyphens
# and apostrophes. Digits or other punctuation (“In 2015: …”, “Update, May 3: …”) mean text.
SPEAKER_PREFIX = re.compile(
    r"^(?P<name>[^\W\d_](?:[^\W\d_]|[ .'’\-]){0,79}?)\s*:(?:\s+|$)(?P<text>.*)$", re.S
)
MAX_NAME_WORDS = 6


@dataclass(frozen=True)
class Speaker:
    person_id: int
    name: str
    is_interviewer: bool


def _fold(name: str) -> str:
    """Compare names ignoring case, accents and spacing: “jose  hernandez” is “José Hernández”."""
    decomposed = unicodedata.normalize("NFKD", name)
    stripped = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(stripped.casefold().split())


class SpeakerDirectory:
    """Finds the participant a paragraph names, by full name or by a name part only they have."""

    def __init__(self, speakers: Iterable[Speaker]):
        self.speakers = list(speakers)
        self._by_name: dict[str, Speaker | None] = {}
        for speaker in self.speakers:
            for part in _fold(speaker.name).split():
                if part in self._by_name and self._by_name[part] is not speaker:
                    self._by_name[part] = None  # shared by two participants: ambiguous
                else:
                    self._by_name[part] = speaker
        # A full name always means its owner, even if it is part of another name.
        self._full_names = {_fold(speaker.name): speaker for speaker in self.speakers}
        self._by_name.update(self._full_names)

    def find(self, name: str) -> Speaker | None:
        return self._by_name.get(_fold(name))

    def find_full_name(self, name: str) -> Speaker | None:
        return self._full_names.get(_fold(name))

    def is_ambiguous(self, name: str) -> bool:
        folded = _fold(name)
        return folded in self._by_name and self._by_name[folded] is None

    def names(self) -> str:
        return ", ".join(speaker.name for speaker in self.speakers) or "nobody yet"


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
    if len(blocks) > MAX_BLOCKS:
        errors.append(
            ValidationError(
                "The body has %(count)s blocks; the limit is %(limit)s.",
                code="too_many_blocks",
                params={"count": len(blocks), "limit": MAX_BLOCKS},
            )
        )
    if errors:
        raise ValidationError(errors)
    return blocks


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
        speaker = directory.find(name)
    if speaker is None:
        if directory.is_ambiguous(name):
            message = (
                "Line %(line)s: “%(name)s” could be more than one participant; "
                "write their full name."
            )
        else:
            message = (
                "Line %(line)s: “%(name)s” is not a participant of this feature "
                "(participants: %(names)s). Add them under Participants or correct the name; "
                "if this paragraph is not speech, start it with a backslash (\\)."
            )
        raise ValidationError(
            message,
            code="unknown_speaker",
            params={"line": line, "name": name, "names": directory.names()},
        )
    if not text.strip():
        raise ValidationError(
            "Line %(line)s: %(name)s says nothing; write their words after the colon.",
            code="empty",
            params={"line": line, "name": speaker.name},
        )
    return speaker, text.lstrip("\n")


def format_body(blocks: list[dict], names: dict[int, str]) -> str:
    """The editor's text for stored blocks: parse_body(format_body(b)) gives back b."""
    full_names = {_fold(name) for name in names.values()}
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
        or bool(colon and _fold(head) in full_names)
        or text.startswith("\\")
    )

"""Reading interview files for import: Markdown with TOML front matter, WebVTT and SRT.

Pure functions: they read text (or one file, or the bytes of an upload) and return what it
says with the line each part came from, or raise TranscriptError listing every problem
found. Nothing here touches the database; features.importing turns the result into a
feature through the save path.

A Markdown file starts with TOML front matter between two ``+++`` lines (the Hugo
convention), followed by the body in the text format of features.body::

    +++
    headline = "Back to the lighthouse"
    guests = [{ name = "Tomás Reyes", label = "Director" }]
    +++

    Tomás Reyes: The fog, mostly.

A WebVTT (``.vtt``) or SRT (``.srt``) transcript takes its front matter from a TOML file
with the same name next to it (``interview.vtt`` and ``interview.toml``), or uploaded with
it. Each cue names its speaker (``<v Name>`` in WebVTT, a ``Name:`` prefix in SRT) or
continues the previous speaker; consecutive cues of one speaker are one turn, which starts
when its first cue does.

TOML has no entities, references or executable tags, so front matter cannot expand or
reach outside the file. Files must be UTF-8 (a byte order mark is fine), at most
MAX_FILE_BYTES long and free of control characters; markup declarations (``<!DOCTYPE``,
``<!ENTITY``) are refused wherever they appear.
"""

import codecs
import contextlib
import html
import re
import tomllib
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path, PurePath

from django.utils import timezone
from django.utils.text import slugify

from newsmuse.text import fold

from .body import MAX_NAME_WORDS, SPEAKER_PREFIX

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_PROBLEMS = 50  # per file: a file that is wrong throughout needs no list of every line
MARKDOWN, WEBVTT, SRT = "Markdown", "WebVTT", "SRT"
FORMATS = {".md": MARKDOWN, ".markdown": MARKDOWN, ".vtt": WEBVTT, ".srt": SRT}
FRONT_MATTER_FENCE = "+++"
FRONT_MATTER_SUFFIX = ".toml"

TEXT_KEYS = ("headline", "slug", "dek", "series", "hero_image")
KNOWN_KEYS = (*TEXT_KEYS, "published_at", "interviewers", "guests", "films", "tags")

CONTROL_CHARACTER = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
DECLARATION = re.compile(r"<!\s*(?:DOCTYPE|ENTITY)", re.IGNORECASE)
TOML_ERROR_LINE = re.compile(r"\(at line (\d+), column \d+\)")
KEY_LINE = re.compile(r"^\s*(?:\[\[\s*(?P<table>\w+)\s*\]\]|(?P<key>\w+)\s*=)")

VTT_HEADER = re.compile(r"^WEBVTT(?:[ \t].*)?$")
VTT_TIME = re.compile(r"^(?:(?P<h>\d{2,}):)?(?P<m>[0-5]\d):(?P<s>[0-5]\d)\.(?P<ms>\d{3})$")
SRT_TIME = re.compile(r"^(?P<h>\d{1,}):(?P<m>[0-5]\d):(?P<s>[0-5]\d)[,.](?P<ms>\d{3})$")
VTT_EXAMPLE, SRT_EXAMPLE = "00:01:02.000 --> 00:01:05.000", "00:01:02,000 --> 00:01:05,000"
TIMING = re.compile(r"^(?P<start>\S+)[ \t]+-->[ \t]+(?P<end>\S+)(?:[ \t].*)?$")
# A tag ends before the next one could start, so a file of unclosed brackets reads in linear time.
VOICE = re.compile(r"<v(?:\.[^\s<>]*)?[ \t]+(?P<name>[^\s<>][^<>]*)>", re.IGNORECASE)
TAG = re.compile(r"<[^<>]*>")
SRT_STYLE = re.compile(r"\{\\[^{}]*\}")


# What a file says ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """Something wrong in a file: where (line may be unknown), which field, and what."""

    path: str
    line: int | None
    field: str
    message: str

    @property
    def where(self) -> str:
        return f"{self.path}:{self.line}" if self.line else self.path

    def __str__(self) -> str:
        return f"{self.where}: {self.field}: {self.message}"


class TranscriptError(Exception):
    """What is wrong with one file: the first MAX_PROBLEMS problems, then how many more."""

    def __init__(self, problems: list[Problem]):
        if len(problems) > MAX_PROBLEMS:
            more = len(problems) - MAX_PROBLEMS
            last = problems[MAX_PROBLEMS]
            summary = Problem(last.path, None, "file", f"… and {more:,} more problems.")
            problems = [*problems[:MAX_PROBLEMS], summary]
        super().__init__("\n".join(str(problem) for problem in problems))
        self.problems = problems


@dataclass(frozen=True)
class PersonRef:
    """A participant as the front matter names them; ``slug`` empty when not given."""

    name: str
    slug: str
    label: str
    line: int | None


@dataclass(frozen=True)
class FilmRef:
    title: str
    slug: str
    year: int | None
    line: int | None


@dataclass
class FrontMatter:
    """The feature's fields as a file gives them. ``given`` holds the keys the file wrote
    (the others keep a feature's current value on import); ``lines`` maps each key to
    where it is written, for messages about it."""

    path: str
    headline: str = ""
    slug: str = ""
    dek: str = ""
    series: str = ""
    hero_image: str = ""
    published_at: datetime | None = None
    interviewers: list[PersonRef] = field(default_factory=list)
    guests: list[PersonRef] = field(default_factory=list)
    films: list[FilmRef] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    given: frozenset[str] = frozenset()
    lines: dict[str, int] = field(default_factory=dict)

    def line_of(self, key: str) -> int | None:
        return self.lines.get(key)


@dataclass(frozen=True)
class Turn:
    """One speaker's uninterrupted speech; ``start`` is in seconds from the recording's start."""

    speaker: str
    text: str
    start: float
    line: int


@dataclass
class FeatureFile:
    """A file read for import: its front matter and either a body in the editors' text
    format (Markdown; padded with blank lines so its line numbers are the file's) or the
    turns of a transcript."""

    path: str
    format: str
    front_matter: FrontMatter
    body_text: str = ""
    turns: list[Turn] = field(default_factory=list)


def read_feature_file(path: Path) -> FeatureFile:
    """Read and parse one file given on the command line (and its front matter file)."""
    name = str(path)
    file_format = _format_of(name)
    text = read_text(path)
    if file_format == MARKDOWN:
        return _feature_file(name, file_format, text)
    sidecar = path.with_suffix(FRONT_MATTER_SUFFIX)
    if not sidecar.is_file():
        raise _error(
            name,
            None,
            "file",
            f"A transcript needs its front matter in {sidecar.name} next to it "
            "(the headline, participants and the rest, in TOML).",
        )
    return _feature_file(name, file_format, text, (str(sidecar), read_text(sidecar)))


@dataclass(frozen=True)
class Upload:
    """A file sent through a form: its name and its bytes, not checked yet."""

    name: str
    data: bytes


def read_feature_upload(upload: Upload, front_matter: Upload | None = None) -> FeatureFile:
    """Parse one uploaded file, with a transcript's front matter uploaded beside it, through
    the checks read_feature_file makes."""
    file_format = _format_of(upload.name)
    text = decode_upload(upload)
    if file_format == MARKDOWN:
        if front_matter is not None:
            raise _error(
                front_matter.name,
                None,
                "file",
                "A Markdown file carries its front matter between its +++ lines; upload it alone.",
            )
        return _feature_file(upload.name, file_format, text)
    if front_matter is None:
        raise _error(
            upload.name,
            None,
            "file",
            f"A transcript needs its front matter in a {FRONT_MATTER_SUFFIX} file "
            "(the headline, participants and the rest, in TOML); upload it too.",
        )
    if not front_matter.name.lower().endswith(FRONT_MATTER_SUFFIX):
        message = f"The front matter file's name must end in {FRONT_MATTER_SUFFIX}."
        raise _error(front_matter.name, None, "file", message)
    return _feature_file(
        upload.name, file_format, text, (front_matter.name, decode_upload(front_matter))
    )


def _format_of(name: str) -> str:
    file_format = FORMATS.get(PurePath(name).suffix.lower())
    if file_format is None:
        known = ", ".join(FORMATS)
        raise _error(name, None, "file", f"Unknown format; the file name must end in {known}.")
    return file_format


def _feature_file(
    name: str, file_format: str, text: str, front_matter: tuple[str, str] | None = None
) -> FeatureFile:
    """Parse a file's text; a transcript's front matter is (its file's name, its text)."""
    if file_format == MARKDOWN:
        parsed, body_text = parse_markdown(text, path=name)
        return FeatureFile(name, file_format, parsed, body_text=body_text)
    front_matter_name, front_matter_text = front_matter
    parsed = parse_front_matter(front_matter_text, path=front_matter_name)
    parse = parse_webvtt if file_format == WEBVTT else parse_srt
    return FeatureFile(name, file_format, parsed, turns=parse(text, path=name))


# Reading bytes safely -----------------------------------------------------------------------


def read_text(path: Path) -> str:
    """The text of a file, refused if it is too large or not clean UTF-8 (see decode)."""
    name = str(path)
    try:
        if not path.is_file():
            raise _error(name, None, "file", "Not a file that can be read.")
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise too_large(name, size)
        with path.open("rb") as stream:
            data = stream.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        raise _error(name, None, "file", f"Cannot be read: {error.strerror}.") from error
    if len(data) > MAX_FILE_BYTES:  # it grew while we looked
        raise too_large(name, len(data))
    return decode(data, path=name)


def decode_upload(upload: Upload) -> str:
    """The text of an uploaded file, refused as read_text refuses a file on disk."""
    if len(upload.data) > MAX_FILE_BYTES:
        raise too_large(upload.name, len(upload.data))
    return decode(upload.data, path=upload.name)


def decode(data: bytes, *, path: str) -> str:
    """UTF-8 text without its byte order mark; refuses other encodings, control characters,
    markup declarations and files with nothing in them."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise _error(path, 1, "encoding", "The file is UTF-16; save it as UTF-8.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        byte = data[error.start]
        raise _error(
            path, line, "encoding", f"The file is not UTF-8 (byte 0x{byte:02X}); save it as UTF-8."
        ) from None
    if not text.strip():
        raise _error(path, None, "file", "The file is empty.")
    if match := CONTROL_CHARACTER.search(text):
        code = f"U+{ord(match[0]):04X}"
        raise _error(
            path,
            _line_at(text, match.start()),
            "file",
            f"The file contains a control character ({code}); is it really UTF-8 text?",
        )
    if match := DECLARATION.search(text):
        raise _error(
            path,
            _line_at(text, match.start()),
            "file",
            "Markup declarations (<!DOCTYPE …>, <!ENTITY …>) are not allowed.",
        )
    return text


def too_large(path: str, size: int) -> TranscriptError:
    return _error(
        path,
        None,
        "file",
        f"The file is {size:,} bytes; the limit is {MAX_FILE_BYTES:,}. Split the interview.",
    )


# Front matter ------------------------------------------------------------------------------


def parse_markdown(text: str, *, path: str) -> tuple[FrontMatter, str]:
    """The front matter and the body of a Markdown file. The body keeps its place: it is
    preceded by as many blank lines as the front matter took, so features.body reports the
    file's own line numbers."""
    lines = _lines(text)
    if lines[0].strip() == "---":
        raise _error(
            path,
            1,
            "front matter",
            "YAML front matter (---) is not read; write it in TOML between +++ lines.",
        )
    if lines[0].strip() != FRONT_MATTER_FENCE:
        raise _error(path, 1, "front matter", "The file must start with a +++ line.")
    try:
        end = next(n for n in range(1, len(lines)) if lines[n].strip() == FRONT_MATTER_FENCE)
    except StopIteration:
        raise _error(path, 1, "front matter", "The front matter has no closing +++ line.") from None
    front_matter = parse_front_matter("\n".join(lines[1:end]), path=path, first_line=2)
    body = "\n" * (end + 1) + "\n".join(lines[end + 1 :])
    return front_matter, body


def parse_front_matter(source: str, *, path: str, first_line: int = 1) -> FrontMatter:
    """The fields TOML front matter gives, checked for type; every problem at once."""
    try:
        values = tomllib.loads(source)
    except tomllib.TOMLDecodeError as error:
        found = TOML_ERROR_LINE.search(str(error))
        line = int(found[1]) + first_line - 1 if found else None
        message = TOML_ERROR_LINE.sub("", str(error)).strip()
        raise _error(path, line, "front matter", f"Not valid TOML: {message}.") from None
    except RecursionError:
        raise _error(path, None, "front matter", "The front matter is nested too deeply.") from None
    reader = _FrontMatterReader(path, source, first_line)
    return reader.read(values)


class _FrontMatterReader:
    def __init__(self, path: str, source: str, first_line: int):
        self.front_matter = FrontMatter(path=path)
        self.problems: list[Problem] = []
        self.tables: dict[str, list[int]] = {}  # [[key]] → the line of each entry
        for number, text in enumerate(source.split("\n"), start=first_line):
            if match := KEY_LINE.match(text):
                key = match["table"] or match["key"]
                self.front_matter.lines.setdefault(key, number)
                if match["table"]:
                    self.tables.setdefault(key, []).append(number)

    def read(self, values: dict) -> FrontMatter:
        front_matter = self.front_matter
        front_matter.given = frozenset(values)
        for key in values.keys() - set(KNOWN_KEYS):
            self.problem(key, f"Unknown key; the keys are {', '.join(KNOWN_KEYS)}.")
        for key in TEXT_KEYS:
            setattr(front_matter, key, self.text(values, key))
        if not front_matter.headline.strip():
            self.problem("headline", "Write a headline.")
        if not front_matter.slug:
            front_matter.slug = slugify(front_matter.headline)
            front_matter.lines.setdefault("slug", front_matter.line_of("headline"))
        front_matter.published_at = self.time(values, "published_at")
        front_matter.interviewers = self.people(values, "interviewers")
        front_matter.guests = self.people(values, "guests")
        front_matter.films = self.films(values)
        front_matter.tags = [tag for tag, _ in self.entries(values, "tags", str)]
        if self.problems:
            raise TranscriptError(self.problems)
        return front_matter

    def problem(self, key: str, message: str, line: int | None = None) -> None:
        line = line or self.front_matter.line_of(key)
        self.problems.append(Problem(self.front_matter.path, line, key, message))

    def text(self, values: dict, key: str) -> str:
        value = values.get(key, "")
        if not isinstance(value, str):
            self.problem(key, "Must be text in quotes.")
            return ""
        return value.strip()

    def time(self, values: dict, key: str) -> datetime | None:
        value = values.get(key)
        if isinstance(value, str):
            with contextlib.suppress(ValueError):
                value = datetime.fromisoformat(value)
        if value is None or isinstance(value, datetime):
            if value is not None and timezone.is_naive(value):
                value = timezone.make_aware(value)
            return value
        if isinstance(value, date):
            self.problem(key, "Give a time as well as the date, e.g. 2024-05-01T09:00:00+02:00.")
        else:
            self.problem(key, "Must be a date and time, e.g. 2024-05-01T09:00:00+02:00.")
        return None

    def entries(self, values: dict, key: str, *kinds: type) -> list[tuple[object, int | None]]:
        """The members of list ``key`` that are of one of ``kinds``, each with its line."""
        value = values.get(key, [])
        if not isinstance(value, list):
            self.problem(key, "Must be a list in square brackets.")
            return []
        lines = self.tables.get(key, [])
        found = []
        for number, member in enumerate(value):
            line = lines[number] if number < len(lines) else self.front_matter.line_of(key)
            if isinstance(member, kinds):
                found.append((member, line))
            else:
                self.problem(key, f"Entry {number + 1} is not understood.", line)
        return found

    def people(self, values: dict, key: str) -> list[PersonRef]:
        people = []
        for member, line in self.entries(values, key, str, dict):
            entry = {"name": member} if isinstance(member, str) else member
            if unknown := entry.keys() - {"name", "slug", "label"}:
                self.problem(
                    key, f"Unknown key {', '.join(sorted(unknown))}; use name, slug, label.", line
                )
            name, slug, label = (entry.get(part, "") for part in ("name", "slug", "label"))
            if not all(isinstance(part, str) for part in (name, slug, label)):
                self.problem(key, "A name, slug and label must be text in quotes.", line)
            elif not name.strip():
                self.problem(key, "Every participant needs a name.", line)
            else:
                people.append(PersonRef(name.strip(), slug.strip(), label.strip(), line))
        return people

    def films(self, values: dict) -> list[FilmRef]:
        films = []
        for member, line in self.entries(values, "films", str, dict):
            entry = {"title": member} if isinstance(member, str) else member
            if unknown := entry.keys() - {"title", "slug", "year"}:
                self.problem(
                    "films",
                    f"Unknown key {', '.join(sorted(unknown))}; use title, slug, year.",
                    line,
                )
            title, slug, year = entry.get("title", ""), entry.get("slug", ""), entry.get("year")
            if not (isinstance(title, str) and isinstance(slug, str)):
                self.problem("films", "A title and slug must be text in quotes.", line)
            elif year is not None and (isinstance(year, bool) or not isinstance(year, int)):
                self.problem("films", "A year must be a number, e.g. 2023.", line)
            elif not title.strip() and not slug.strip():
                self.problem("films", "Every film needs a title or a slug.", line)
            else:
                films.append(FilmRef(title.strip(), slug.strip(), year, line))
        return films


# Transcripts -------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Cue:
    line: int
    start: float
    end: float
    speaker: str | None  # None: the previous cue's speaker goes on
    text: str


def parse_webvtt(text: str, *, path: str) -> list[Turn]:
    """The turns of a WebVTT transcript whose cues name their speakers with ``<v Name>``.
    NOTE, STYLE and REGION blocks and cue settings are ignored, tags are dropped and
    character references (``&amp;``) read."""
    lines = _lines(text)
    if not VTT_HEADER.match(lines[0]):
        raise _error(path, 1, "transcript", "A WebVTT file starts with the line WEBVTT.")
    cues, problems = [], []
    for number, block in _blocks(lines, after_header=True):
        if re.match(r"^(?:NOTE|STYLE|REGION)(?:[ \t]|$)", block[0]):
            continue
        timing = 0 if "-->" in block[0] else 1
        try:
            if timing >= len(block) or "-->" not in block[timing]:
                raise _no_timing(path, number, VTT_EXAMPLE)
            line = number + timing
            start, end = _timing(block[timing], VTT_TIME, path=path, line=line)
            cues.append(_vtt_cue(block[timing + 1 :], start, end, path=path, line=line))
        except TranscriptError as error:
            problems += error.problems
    return _turns(cues, problems, path=path)


def _vtt_cue(payload: list[str], start: float, end: float, *, path: str, line: int) -> _Cue:
    raw = " ".join(payload)
    voices = VOICE.findall(raw)
    if len(voices) > 1:
        raise _error(path, line, "transcript", "The cue has more than one voice; split it.")
    speaker = voices[0].strip() if voices else None
    words = html.unescape(TAG.sub("", raw))
    return _Cue(line, start, end, speaker, " ".join(words.split()))


def parse_srt(text: str, *, path: str) -> list[Turn]:
    """The turns of an SRT transcript; a cue whose text starts with “Name:” starts a new
    speaker. Formatting tags (``<i>``, ``{\\an8}``) are dropped."""
    cues, problems = [], []
    for number, block in _blocks(_lines(text), after_header=False):
        timing = 1 if block[0].strip().isdigit() else 0
        try:
            if timing >= len(block) or "-->" not in block[timing]:
                raise _no_timing(path, number, SRT_EXAMPLE)
            line = number + timing
            start, end = _timing(block[timing], SRT_TIME, path=path, line=line)
            words = " ".join(SRT_STYLE.sub("", TAG.sub("", " ".join(block[timing + 1 :]))).split())
            speaker = None
            match = SPEAKER_PREFIX.match(words)
            if match and len(match["name"].split()) <= MAX_NAME_WORDS:
                speaker, words = match["name"].strip(), match["text"].strip()
            cues.append(_Cue(line, start, end, speaker, words))
        except TranscriptError as error:
            problems += error.problems
    return _turns(cues, problems, path=path)


def _turns(cues: list[_Cue], problems: list[Problem], *, path: str) -> list[Turn]:
    """Merge consecutive cues of one speaker; refuse cues that end before they start, go
    back in time, overlap, say nothing or have no speaker to continue."""
    turns = []  # (speaker, texts, start, line): texts are joined once, at the end
    previous = None

    def problem(cue, message):
        problems.append(Problem(path, cue.line, "transcript", message))

    for cue in cues:
        if cue.end <= cue.start:
            problem(cue, f"The cue ends ({clock(cue.end)}) before it starts ({clock(cue.start)}).")
        if previous and cue.start < previous.start:
            problem(
                cue,
                f"The cue starts at {clock(cue.start)}, before the cue on line {previous.line} "
                f"({clock(previous.start)}); put the cues in time order.",
            )
        elif previous and cue.start < previous.end:
            problem(
                cue,
                f"The cue starts at {clock(cue.start)}, before the cue on line "
                f"{previous.line} ends ({clock(previous.end)}); cues must not overlap.",
            )
        previous = cue
        if not cue.text:
            problem(cue, "The cue has no text.")
            continue
        if cue.speaker is None and not turns:
            problem(cue, "The first cue must name its speaker.")
            continue
        if turns and (cue.speaker is None or _same_name(cue.speaker, turns[-1][0])):
            turns[-1][1].append(cue.text)
        else:
            turns.append((cue.speaker, [cue.text], cue.start, cue.line))
    if not cues and not problems:
        problems.append(Problem(path, None, "transcript", "The transcript has no cues."))
    if problems:
        raise TranscriptError(problems)
    return [Turn(speaker, " ".join(texts), start, line) for speaker, texts, start, line in turns]


def _timing(text: str, time_format: re.Pattern, *, path: str, line: int) -> tuple[float, float]:
    match = TIMING.match(text.strip())
    times = [_seconds(match[part], time_format) for part in ("start", "end")] if match else []
    if not times or None in times:
        example = VTT_EXAMPLE if time_format is VTT_TIME else SRT_EXAMPLE
        raise _error(
            path, line, "transcript", f"“{text.strip()}” is not a cue timing such as {example}."
        )
    return times[0], times[1]


def _no_timing(path: str, line: int, example: str) -> TranscriptError:
    return _error(path, line, "transcript", f"Expected a cue timing line such as {example}.")


def _seconds(value: str, time_format: re.Pattern) -> float | None:
    match = time_format.match(value)
    if not match:
        return None
    hours = int(match["h"] or 0)
    return round(hours * 3600 + int(match["m"]) * 60 + int(match["s"]) + int(match["ms"]) / 1000, 3)


def clock(seconds: float) -> str:
    """Seconds as a cue time reads, 00:01:02.500."""
    whole, milliseconds = divmod(round(seconds * 1000), 1000)
    return f"{whole // 3600:02}:{whole % 3600 // 60:02}:{whole % 60:02}.{milliseconds:03}"


def _same_name(a: str, b: str) -> bool:
    return fold(a) == fold(b)


# Helpers ------------------------------------------------------------------------------------


def _lines(text: str) -> list[str]:
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def _blocks(lines: list[str], *, after_header: bool):
    """(first line number, lines) of each blank-line separated block; with ``after_header``
    the first block (a WebVTT file's header) is skipped."""
    current, start, skipping = [], 0, after_header
    for number, text in enumerate([*lines, ""], start=1):
        if text.strip():
            if not current:
                start = number
            current.append(text)
        elif current:
            if not skipping:
                yield start, current
            current, skipping = [], False


def _line_at(text: str, index: int) -> int:
    return text.count("\n", 0, index) + 1


def _error(path: str, line: int | None, field_name: str, message: str) -> TranscriptError:
    return TranscriptError([Problem(path, line, field_name, message)])

"""Reading interview files: front matter, WebVTT and SRT, and the files that are refused."""

import contextlib
import time
from datetime import UTC, datetime

import pytest

from features import transcripts
from features.transcripts import (
    TranscriptError,
    Turn,
    Upload,
    decode,
    parse_front_matter,
    parse_markdown,
    parse_srt,
    parse_webvtt,
    read_feature_file,
    read_feature_upload,
)


def problems(error) -> list[str]:
    return [str(problem) for problem in error.value.problems]


# Front matter --------------------------------------------------------------------------------

MARKDOWN = """+++
headline = "Back to the lighthouse"
dek = "A documentary maker returns."
series = "studio-notes"
published_at = 2024-05-01T09:00:00Z
interviewers = ["Maya Ortiz"]
films = ["The Keeper's Ledger", { title = "Fog", year = 2019 }]
tags = ["islands", "documentary"]

[[guests]]
name = "Tomás Reyes"
label = "Director"
+++

Maya Ortiz: What brought you back?

Tomás Reyes: The fog, mostly.
"""


def test_markdown_front_matter_gives_the_fields_and_the_body_keeps_its_line_numbers():
    front_matter, body_text = parse_markdown(MARKDOWN, path="a.md")
    assert front_matter.headline == "Back to the lighthouse"
    assert front_matter.slug == "back-to-the-lighthouse"  # from the headline
    assert front_matter.published_at == datetime(2024, 5, 1, 9, tzinfo=UTC)
    assert [(p.name, p.label) for p in front_matter.guests] == [("Tomás Reyes", "Director")]
    assert [p.name for p in front_matter.interviewers] == ["Maya Ortiz"]
    assert [(f.title, f.year) for f in front_matter.films] == [
        ("The Keeper's Ledger", None),
        ("Fog", 2019),
    ]
    assert front_matter.tags == ["islands", "documentary"]
    assert front_matter.line_of("dek") == 3
    assert front_matter.guests[0].line == 10
    assert body_text.split("\n")[14] == "Maya Ortiz: What brought you back?"  # line 15


def test_front_matter_in_toml_syntax_error_names_the_files_line():
    with pytest.raises(TranscriptError) as error:
        parse_markdown('+++\nheadline = "A"\ndek = = "B"\n+++\n', path="a.md")
    assert problems(error) == ["a.md:3: front matter: Not valid TOML: Invalid value."]


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ('---\nheadline: "A"\n---\n', "a.md:1: front matter: YAML front matter (---) is not"),
        ("Tomás Reyes: Hi.\n", "a.md:1: front matter: The file must start with a +++ line."),
        ('+++\nheadline = "A"\n', "a.md:1: front matter: The front matter has no closing +++"),
    ],
)
def test_front_matter_must_be_toml_between_two_fences(source, expected):
    with pytest.raises(TranscriptError) as error:
        parse_markdown(source, path="a.md")
    assert problems(error)[0].startswith(expected)


def test_every_front_matter_problem_is_listed_with_its_key_and_line():
    source = "\n".join(
        [
            'dek = ["not", "text"]',
            "colour = 'red'",
            "published_at = 2024-05-01",
            "guests = [{ name = 'Ana', role = 'x' }, 12]",
            "tags = 'one'",
        ]
    )
    with pytest.raises(TranscriptError) as error:
        parse_front_matter(source, path="x.toml")
    assert sorted(problems(error)) == sorted(
        [
            "x.toml:2: colour: Unknown key; the keys are headline, slug, dek, series, "
            "hero_image, published_at, interviewers, guests, films, tags.",
            "x.toml:1: dek: Must be text in quotes.",
            "x.toml: headline: Write a headline.",
            "x.toml:3: published_at: Give a time as well as the date, e.g. "
            "2024-05-01T09:00:00+02:00.",
            "x.toml:4: guests: Unknown key role; use name, slug, label.",
            "x.toml:4: guests: Entry 2 is not understood.",
            "x.toml:5: tags: Must be a list in square brackets.",
        ]
    )


def test_deeply_nested_front_matter_is_refused_without_a_crash():
    with pytest.raises(TranscriptError) as error:
        parse_front_matter("a = " + "[" * 100_000, path="x.toml")
    assert "nested too deeply" in problems(error)[0]


# WebVTT -------------------------------------------------------------------------------------

WEBVTT = """WEBVTT - The Keeper's Ledger interview
Kind: captions

NOTE recorded on the island

STYLE
::cue { color: white }

1
00:00:01.000 --> 00:00:04.000 align:start
<v Maya Ortiz>What brought you back?</v>

00:00:04.500 --> 00:00:07.000
<v.guest Tomás Reyes>The fog, <i>mostly</i>.

00:00:07.000 --> 00:00:09.250
<v Tomás Reyes>Fish &amp; chips, too.

00:01:02.500 --> 00:01:05.000
And the quiet.

01:00:00.000 --> 01:00:02.000
<v maya  ortiz>Thank you.
"""


def test_webvtt_merges_a_speakers_consecutive_cues_and_keeps_when_each_turn_starts():
    assert parse_webvtt(WEBVTT, path="a.vtt") == [
        Turn("Maya Ortiz", "What brought you back?", 1.0, 10),
        Turn("Tomás Reyes", "The fog, mostly. Fish & chips, too. And the quiet.", 4.5, 13),
        Turn("maya  ortiz", "Thank you.", 3600.0, 22),
    ]


@pytest.mark.parametrize(
    ("cues", "expected"),
    [
        (
            "00:00:05.000 --> 00:00:06.000\n<v A>One.\n\n00:00:02.000 --> 00:00:03.000\n<v A>Two.",
            "a.vtt:6: transcript: The cue starts at 00:00:02.000, before the cue on line 3 "
            "(00:00:05.000); put the cues in time order.",
        ),
        (
            "00:00:01.000 --> 00:00:06.000\n<v A>One.\n\n00:00:05.000 --> 00:00:08.000\n<v B>Two.",
            "a.vtt:6: transcript: The cue starts at 00:00:05.000, before the cue on line 3 "
            "ends (00:00:06.000); cues must not overlap.",
        ),
        (
            "00:00:04.000 --> 00:00:02.000\n<v A>One.",
            "a.vtt:3: transcript: The cue ends (00:00:02.000) before it starts (00:00:04.000).",
        ),
        (
            "00:00:01.000 --> 00:00:02.000\nNobody said this.",
            "a.vtt:3: transcript: The first cue must name its speaker.",
        ),
        (
            "00:00:01.000 --> 00:00:02.000\n<v A>Hi</v> <v B>Hello",
            "a.vtt:3: transcript: The cue has more than one voice; split it.",
        ),
        (
            "00:00:01.000 --> 00:00:02.000\n<v A><i></i>",
            "a.vtt:3: transcript: The cue has no text.",
        ),
        (
            "00:01.000 --> 00:61.000\n<v A>Hi.",
            "a.vtt:3: transcript: “00:01.000 --> 00:61.000” is not a cue timing such as "
            "00:01:02.000 --> 00:01:05.000.",
        ),
        (
            "intro\n<v A>Hi.",
            "a.vtt:3: transcript: Expected a cue timing line such as "
            "00:01:02.000 --> 00:01:05.000.",
        ),
        ("NOTE only a note", "a.vtt: transcript: The transcript has no cues."),
    ],
)
def test_malformed_webvtt_is_refused_at_the_cue(cues, expected):
    with pytest.raises(TranscriptError) as error:
        parse_webvtt(f"WEBVTT\n\n{cues}\n", path="a.vtt")
    assert problems(error) == [expected]


def test_webvtt_must_start_with_its_signature():
    with pytest.raises(TranscriptError) as error:
        parse_webvtt("1\n00:00:01,000 --> 00:00:02,000\nA: Hi.\n", path="a.vtt")
    assert problems(error) == ["a.vtt:1: transcript: A WebVTT file starts with the line WEBVTT."]


def test_every_bad_cue_is_reported_at_once():
    source = "WEBVTT\n\nbad\n<v A>x\n\n00:00:09.000 --> 00:00:08.000\n<v A>y\n"
    with pytest.raises(TranscriptError) as error:
        parse_webvtt(source, path="a.vtt")
    assert [problem.line for problem in error.value.problems] == [3, 6]


# SRT ----------------------------------------------------------------------------------------

SRT = """1
00:00:01,000 --> 00:00:04,000
Maya Ortiz: What brought you back?

2
00:00:04,500 --> 00:00:07,000
{\\an8}Tomás Reyes: The fog,
<i>mostly</i>.

3
00:00:07,000 --> 00:00:09,000
And the quiet.

4
00:00:10,000 --> 00:00:12,000
Maya Ortiz: Thank you.
"""


def test_srt_reads_name_prefixes_and_continues_the_speaker_otherwise():
    assert parse_srt(SRT, path="a.srt") == [
        Turn("Maya Ortiz", "What brought you back?", 1.0, 2),
        Turn("Tomás Reyes", "The fog, mostly. And the quiet.", 4.5, 6),
        Turn("Maya Ortiz", "Thank you.", 10.0, 15),
    ]


def test_srt_cues_out_of_order_are_refused():
    source = "1\n00:00:05,000 --> 00:00:06,000\nA: One.\n\n2\n00:00:01,000 --> 00:00:02,000\nTwo.\n"
    with pytest.raises(TranscriptError) as error:
        parse_srt(source, path="a.srt")
    assert "put the cues in time order" in problems(error)[0]
    assert error.value.problems[0].line == 6


# Files that are refused ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"", "a.md: file: The file is empty."),
        (b" \n\n", "a.md: file: The file is empty."),
        ("+++\ndek = 'café'\n".encode("latin-1"), "a.md:2: encoding: The file is not UTF-8 "),
        ("+++".encode("utf-16"), "a.md:1: encoding: The file is UTF-16; save it as UTF-8."),
        (b"+++\nheadline = 'a\x00'\n", "a.md:2: file: The file contains a control character"),
        (
            b'<!DOCTYPE x [<!ENTITY lol "lol">]>\n',
            "a.md:1: file: Markup declarations (<!DOCTYPE …>, <!ENTITY …>) are not allowed.",
        ),
        (
            b"WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v A><!ENTITY x SYSTEM 'file:///etc/passwd'>",
            "a.md:4: file: Markup declarations",
        ),
    ],
)
def test_hostile_or_broken_bytes_are_refused_with_a_clear_message(data, expected):
    with pytest.raises(TranscriptError) as error:
        decode(data, path="a.md")
    assert problems(error)[0].startswith(expected)


def test_a_utf8_byte_order_mark_is_fine():
    assert decode("\ufeff+++\nheadline = 'Olá'\n".encode(), path="a.md").startswith("+++")


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(tmp_path):
    huge = tmp_path / "huge.md"
    with huge.open("wb") as stream:
        stream.truncate(100 * 1024 * 1024)  # sparse: 100 MB on paper, nothing on disk
    with pytest.raises(TranscriptError) as error:
        read_feature_file(huge)
    assert problems(error) == [
        f"{huge}: file: The file is 104,857,600 bytes; the limit is "
        f"{transcripts.MAX_FILE_BYTES:,}. Split the interview."
    ]


def test_a_transcript_needs_its_front_matter_file(tmp_path):
    transcript = tmp_path / "talk.vtt"
    transcript.write_text("WEBVTT\n")
    with pytest.raises(TranscriptError) as error:
        read_feature_file(transcript)
    assert "needs its front matter in talk.toml next to it" in problems(error)[0]


@pytest.mark.parametrize("name", ["talk.docx", "talk"])
def test_unknown_formats_are_refused(tmp_path, name):
    with pytest.raises(TranscriptError) as error:
        read_feature_file(tmp_path / name)
    assert (
        "Unknown format; the file name must end in .md, .markdown, .vtt, .srt"
        in (problems(error)[0])
    )


# Uploads ------------------------------------------------------------------------------------

TALK_VTT = "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v Maya Ortiz>Why?\n"


def test_an_uploaded_transcript_reads_its_uploaded_front_matter():
    source = read_feature_upload(
        Upload("talk.vtt", TALK_VTT.encode()),
        Upload("notes.toml", b"headline = 'Talk'\ninterviewers = ['Maya Ortiz']\n"),
    )
    assert (source.path, source.front_matter.path) == ("talk.vtt", "notes.toml")
    assert source.front_matter.line_of("interviewers") == 2
    assert source.turns == [Turn("Maya Ortiz", "Why?", 1.0, 3)]


def test_an_uploaded_markdown_file_is_read_like_one_on_disk():
    source = read_feature_upload(Upload("a.md", MARKDOWN.encode()))
    assert source.front_matter.headline == "Back to the lighthouse"
    assert source.body_text == parse_markdown(MARKDOWN, path="a.md")[1]


@pytest.mark.parametrize(
    ("upload", "front_matter", "expected"),
    [
        (
            Upload("talk.vtt", TALK_VTT.encode()),
            None,
            "talk.vtt: file: A transcript needs its front matter in a .toml file",
        ),
        (
            Upload("a.md", MARKDOWN.encode()),
            Upload("a.toml", b"headline = 'A'"),
            "a.toml: file: A Markdown file carries its front matter between its +++ lines",
        ),
        (
            Upload("talk.vtt", TALK_VTT.encode()),
            Upload("talk.txt", b"headline = 'A'"),
            "talk.txt: file: The front matter file's name must end in .toml.",
        ),
        (
            Upload("talk.vtt", TALK_VTT.encode()),
            Upload("talk.toml", b"headline = '\x00'"),
            "talk.toml:1: file: The file contains a control character (U+0000)",
        ),
        (
            Upload("a.md", b"x" * (transcripts.MAX_FILE_BYTES + 1)),
            None,
            "a.md: file: The file is 5,242,881 bytes; the limit is 5,242,880.",
        ),
        (Upload("talk.docx", b"x"), None, "talk.docx: file: Unknown format"),
    ],
)
def test_uploads_are_refused_as_files_on_disk_are(upload, front_matter, expected):
    with pytest.raises(TranscriptError) as error:
        read_feature_upload(upload, front_matter)
    assert problems(error)[0].startswith(expected)


def test_a_folder_or_a_missing_file_is_refused(tmp_path):
    for path in (tmp_path / "missing.md", tmp_path / "folder.md"):
        if path.name == "folder.md":
            path.mkdir()
        with pytest.raises(TranscriptError) as error:
            read_feature_file(path)
        assert problems(error) == [f"{path}: file: Not a file that can be read."]


def cue(number: int, payload: str, separator: str = ".") -> str:
    start = f"{number // 3600:02}:{number // 60 % 60:02}:{number % 60:02}{separator}000"
    end = f"{number // 3600:02}:{number // 60 % 60:02}:{number % 60:02}{separator}500"
    return f"{start} --> {end}\n{payload}\n"


@pytest.mark.parametrize(
    ("parse", "source"),
    [
        (parse_webvtt, "WEBVTT\n\n" + "\n".join(cue(n, "<v A>words " * 2) for n in range(40_000))),
        (parse_webvtt, "WEBVTT\n\n" + "\n".join(cue(n, "<v A>one voice") for n in range(40_000))),
        (parse_webvtt, "WEBVTT\n\n" + cue(1, "<v A>" + "<v a" * 400_000)),
        (parse_webvtt, "WEBVTT\n\n" + cue(1, "<v A>" + "<" * 2_000_000)),
        (parse_srt, "1\n" + cue(1, "A: " + "{\\" * 1_000_000 + "<i" * 1_000_000, ",")),
    ],
)
def test_large_and_pathological_transcripts_are_read_in_linear_time(parse, source):
    started = time.monotonic()
    with contextlib.suppress(TranscriptError):
        parse(source, path="big")
    assert time.monotonic() - started < 5


def test_a_file_wrong_throughout_lists_its_first_problems_and_counts_the_rest():
    source = "WEBVTT\n\n" + "\n".join(cue(n, "<v A>two <v B>voices") for n in range(80))
    with pytest.raises(TranscriptError) as error:
        parse_webvtt(source, path="a.vtt")
    assert len(error.value.problems) == transcripts.MAX_PROBLEMS + 1
    assert str(error.value.problems[-1]) == "a.vtt: file: … and 30 more problems."


def test_cues_of_one_speaker_merge_whatever_the_accents_of_their_name():
    vtt = (
        "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v Tomás Reyes>The fog,\n\n"
        "00:00:02.000 --> 00:00:03.000\n<v tomas reyes>mostly.\n"
    )
    assert parse_webvtt(vtt, path="a.vtt") == [Turn("Tomás Reyes", "The fog, mostly.", 1.0, 3)]

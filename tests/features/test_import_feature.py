"""`manage.py import_feature`: files in, features out through the save path, all or nothing."""

import io
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError

from features import importing
from features.body import blocks_of
from features.models import Feature
from films.models import Film
from people.models import Person
from tests.factories import FilmFactory, ImageFactory, PersonFactory, SeriesFactory

pytestmark = pytest.mark.django_db

FRONT_MATTER = """headline = "Back to the lighthouse"
slug = "{slug}"
dek = "A documentary maker returns to the island."
series = "studio-notes"
interviewers = ["Maya Ortiz"]
films = ["The Keeper's Ledger"]
tags = ["islands", "documentary"]

[[guests]]
name = "Tomás Reyes"
label = "Director"
"""

MARKDOWN_BODY = """
The conversation took place on the island.

Maya Ortiz: What brought you back?

Tomás Reyes: The fog, mostly.
"""

WEBVTT = """WEBVTT

00:00:01.000 --> 00:00:04.000
<v Maya Ortiz>What brought you back?

00:00:04.500 --> 00:00:07.000
<v Tomás Reyes>The fog,

00:00:07.000 --> 00:00:09.000
<v Tomás Reyes>mostly.
"""

SRT = """1
00:00:01,000 --> 00:00:04,000
Maya Ortiz: What brought you back?

2
00:00:04,500 --> 00:00:07,000
Tomás Reyes: The fog,

3
00:00:07,000 --> 00:00:09,000
mostly.
"""


@pytest.fixture
def desk():
    """The people, film and series the files name."""
    SeriesFactory(slug="studio-notes", name="Studio Notes")
    FilmFactory(title="The Keeper's Ledger", slug="the-keepers-ledger")
    return PersonFactory(name="Maya Ortiz"), PersonFactory(name="Tomás Reyes")


def markdown(folder: Path, name="lighthouse.md", *, slug="back-to-the-lighthouse", body=None):
    path = folder / name
    front_matter = FRONT_MATTER.format(slug=slug)
    path.write_text(f"+++\n{front_matter}+++\n{MARKDOWN_BODY if body is None else body}")
    return path


def transcript(folder: Path, name: str, text: str, *, slug="back-to-the-lighthouse"):
    path = folder / name
    path.write_text(text)
    path.with_suffix(".toml").write_text(FRONT_MATTER.format(slug=slug))
    return path


def run(*args) -> str:
    out = io.StringIO()
    call_command("import_feature", *map(str, args), stdout=out, stderr=io.StringIO())
    return out.getvalue()


def refused(*args) -> tuple[list[str], str]:
    """The problems a refused import prints, and its closing message."""
    err = io.StringIO()
    with pytest.raises(CommandError) as error:
        call_command("import_feature", *map(str, args), stdout=io.StringIO(), stderr=err)
    return err.getvalue().splitlines(), str(error.value)


def row_counts() -> dict[str, int]:
    return {
        model._meta.label: model.objects.count()
        for app in ("people", "films", "features", "taggit")
        for model in apps.get_app_config(app).get_models()
    }


# The formats -----------------------------------------------------------------------------


def test_markdown_creates_a_draft_through_the_save_path(tmp_path, desk):
    maya, tomas = desk
    output = run(markdown(tmp_path))
    feature = Feature.objects.get(slug="back-to-the-lighthouse")
    assert feature.status == Feature.Status.DRAFT
    assert (feature.headline, feature.series.name) == ("Back to the lighthouse", "Studio Notes")
    assert [(p.person, p.role, p.label) for p in feature.participants.all()] == [
        (maya, "interviewer", ""),
        (tomas, "guest", "Director"),
    ]
    assert [film.slug for film in feature.films.all()] == ["the-keepers-ledger"]
    assert sorted(feature.tags.names()) == ["documentary", "islands"]
    assert [(b["type"], b.get("speaker")) for b in blocks_of(feature.body)] == [
        ("text", None),
        ("question", maya.pk),
        ("answer", tomas.pk),
    ]
    assert feature.revisions.get().note == "Imported from lighthouse.md"
    assert "lighthouse.md: created back-to-the-lighthouse" in output
    assert "Imported 1 file: 1 created, 0 updated, 0 unchanged." in output


@pytest.mark.parametrize(("name", "text"), [("talk.vtt", WEBVTT), ("talk.srt", SRT)])
def test_transcripts_merge_a_speakers_cues_into_one_answer_that_keeps_its_start(
    tmp_path, desk, name, text
):
    maya, tomas = desk
    run(transcript(tmp_path, name, text))
    feature = Feature.objects.get(slug="back-to-the-lighthouse")
    assert [
        (block["type"], block["speaker"], block["text"], block["start"])
        for block in blocks_of(feature.body)
    ] == [
        ("question", maya.pk, "What brought you back?", 1.0),
        ("answer", tomas.pk, "The fog, mostly.", 4.5),
    ]


def test_importing_again_updates_by_slug_and_keeps_block_ids(tmp_path, desk):
    path = transcript(tmp_path, "talk.vtt", WEBVTT)
    run(path)
    before = blocks_of(Feature.objects.get().body)
    assert "talk.vtt: unchanged back-to-the-lighthouse" in run(path)
    assert Feature.objects.get().version == 1  # nothing saved

    path.write_text(WEBVTT.replace("mostly.", "mostly, and the quiet."))
    assert "talk.vtt: updated back-to-the-lighthouse" in run(path)
    after = blocks_of(Feature.objects.get().body)
    assert [b["id"] for b in after] == [b["id"] for b in before]
    assert after[1]["text"] == "The fog, mostly, and the quiet."
    assert Feature.objects.count() == 1


def test_keys_a_file_leaves_out_keep_the_features_current_value(tmp_path, desk):
    run(markdown(tmp_path))
    hero = ImageFactory()
    Feature.objects.update(hero_image=hero)
    path = tmp_path / "short.md"
    path.write_text(
        '+++\nheadline = "Back again"\nslug = "back-to-the-lighthouse"\n+++\n\n'
        "Tomás Reyes: The fog.\n"
    )
    run(path)
    feature = Feature.objects.get()
    assert (feature.headline, feature.hero_image, feature.dek) == (
        "Back again",
        hero,
        "A documentary maker returns to the island.",
    )
    assert feature.participants.count() == 2


# Problems --------------------------------------------------------------------------------


def test_unknown_people_and_films_are_errors_with_file_and_line(tmp_path):
    SeriesFactory(slug="studio-notes")
    path = markdown(tmp_path)
    problems, message = refused(path)
    assert problems == [
        f"{path}:6: interviewers: There is no person “Maya Ortiz” in People; add it there first.",
        f"{path}:10: guests: There is no person “Tomás Reyes” in People; add it there first.",
        f"{path}:7: films: There is no film “The Keeper's Ledger” in Films; add it there first.",
    ]
    assert message == (
        "3 problems; nothing was imported. Pass --create-missing to create the people and films."
    )
    assert not Feature.objects.exists()


def test_create_missing_creates_them(tmp_path):
    SeriesFactory(slug="studio-notes")
    output = run(markdown(tmp_path), "--create-missing")
    assert "created person “Maya Ortiz”; created person “Tomás Reyes”" in output
    assert Person.objects.get(name="Tomás Reyes").slug == "tomas-reyes"
    assert Film.objects.get().slug == "the-keepers-ledger"
    assert Feature.objects.get().participants.count() == 2


def test_an_unknown_speaker_in_a_transcript_is_an_error_at_its_cue(tmp_path, desk):
    path = transcript(tmp_path, "talk.vtt", WEBVTT.replace("<v Tomás Reyes>The fog,", "<v Ana>Hi"))
    problems, _ = refused(path)
    assert problems == [
        f"{path}:6: transcript: “Ana” is not a participant of this feature (participants: "
        "Maya Ortiz, Tomás Reyes). Add them under Participants or correct the name."
    ]


def test_a_broken_transcript_names_its_cue_and_a_broken_front_matter_file_its_line(tmp_path, desk):
    broken = transcript(tmp_path, "a.vtt", WEBVTT.replace("00:00:07.000 -->", "00:00:05.000 -->"))
    other = transcript(tmp_path, "b.srt", SRT, slug="other")
    other.with_suffix(".toml").write_text('headline = "B"\ntags = [1]\n')
    problems, _ = refused(broken, other)
    assert problems == [
        f"{broken}:9: transcript: The cue starts at 00:00:05.000, before the cue on line 6 ends "
        "(00:00:07.000); cues must not overlap.",
        f"{tmp_path / 'b.toml'}:2: tags: Entry 1 is not understood.",
    ]


def test_the_save_paths_messages_come_back_at_the_files_key(tmp_path, desk):
    path = markdown(tmp_path, body="Maya Ortiz: Why?")
    path.write_text(path.read_text().replace('tags = ["islands"', f'tags = ["{"x" * 101}"'))
    problems, _ = refused(path)
    assert problems == [f"{path}:8: tags: Tags can be at most 100 characters: “{'x' * 40}…”."]


def test_an_error_in_the_last_of_fifty_files_leaves_nothing_behind(tmp_path, desk):
    before = row_counts()
    paths = [markdown(tmp_path, f"{n:02}.md", slug=f"piece-{n}") for n in range(49)]
    last = markdown(tmp_path, "49.md", slug="piece-49", body="Ana: Who am I?")
    problems, _ = refused(*paths, last)
    assert problems == [
        f"{last}:14: body: “Ana” is not a participant of this feature (participants: "
        "Maya Ortiz, Tomás Reyes). Add them under Participants or correct the name; if this "
        "paragraph is not speech, start it with a backslash (\\)."
    ]
    assert row_counts() == before


def test_an_interrupted_import_leaves_nothing_behind(tmp_path, desk, monkeypatch):
    before = row_counts()
    paths = [markdown(tmp_path, f"{n}.md", slug=f"piece-{n}") for n in range(3)]
    read = importing.read_feature_file

    def interrupted_at_the_last_file(path):
        if path == paths[-1]:
            raise KeyboardInterrupt  # Ctrl-C after two features were saved
        return read(path)

    monkeypatch.setattr(importing, "read_feature_file", interrupted_at_the_last_file)
    _, message = refused(*paths)
    assert message == "Interrupted; nothing was imported."
    assert row_counts() == before


# Options -----------------------------------------------------------------------------------


def test_dry_run_says_what_would_change_and_writes_nothing(tmp_path, desk):
    run(markdown(tmp_path, "a.md", slug="existing"))
    before = row_counts()
    output = run(
        markdown(tmp_path, "a.md", slug="existing"),
        markdown(tmp_path, "b.md", slug="new", body="Tomás Reyes: Hello."),
        transcript(tmp_path, "c.vtt", WEBVTT, slug="existing-too"),
        "--dry-run",
    )
    assert row_counts() == before
    assert f"{tmp_path / 'a.md'}: would leave unchanged existing" in output
    assert f"{tmp_path / 'b.md'}: would create new" in output
    assert "Dry run, nothing saved: 2 created, 0 updated, 1 unchanged." in output


def test_publish_by_an_editor_publishes_and_a_contributor_may_not(
    tmp_path, desk, editor, contributor
):
    hero = ImageFactory(title="Lighthouse at dusk")
    path = markdown(tmp_path)
    path.write_text(path.read_text().replace("tags = [", f'hero_image = "{hero.title}"\ntags = ['))

    _, message = refused(path, "--publish", "--user", contributor.username)
    assert message == "contributor may not publish; import without --publish for drafts."
    assert not Feature.objects.exists()

    assert "(published)" in run(path, "--publish", "--user", editor.username)
    feature = Feature.objects.get()
    assert feature.is_public and feature.created_by == editor


def test_a_contributor_imports_drafts_but_may_not_create_people(tmp_path, desk, contributor):
    run(markdown(tmp_path), "--user", contributor.username)
    feature = Feature.objects.get()
    assert (feature.status, feature.created_by) == (Feature.Status.DRAFT, contributor)
    path = markdown(tmp_path, "new.md", slug="new", body="")
    path.write_text(path.read_text().replace("Maya Ortiz", "Ana Vega"))
    problems, _ = refused(path, "--create-missing", "--user", contributor.username)
    assert problems == [
        f"{path}:6: interviewers: There is no person “Ana Vega”, and you may not add people."
    ]


def test_publishing_an_incomplete_piece_is_refused_with_the_workflows_messages(tmp_path, desk):
    path = markdown(tmp_path)
    problems, _ = refused(path, "--publish")
    assert problems == [f"{path}: feature: Cannot publish: Choose a hero image."]
    assert not Feature.objects.exists()


def test_quiet_prints_nothing_on_success(tmp_path, desk):
    assert run(markdown(tmp_path), "--quiet") == ""


def test_an_unknown_user_is_refused(tmp_path, desk):
    _, message = refused(markdown(tmp_path), "--user", "nobody")
    assert message == "There is no active user “nobody”."


# Hostile input ------------------------------------------------------------------------------


def test_hostile_files_are_refused_and_nothing_is_imported(tmp_path, desk):
    good = markdown(tmp_path)
    entities = tmp_path / "entities.vtt"
    entities.write_text('WEBVTT\n\nNOTE <!DOCTYPE x [<!ENTITY a "aaaa">]>\n')
    entities.with_suffix(".toml").write_text('headline = "X"\n')
    latin = tmp_path / "latin.md"
    latin.write_bytes("+++\nheadline = 'Café'\n+++\n".encode("cp1252"))
    huge = tmp_path / "huge.srt"
    with huge.open("wb") as stream:
        stream.truncate(100 * 1024 * 1024)
    empty = tmp_path / "empty.md"
    empty.write_bytes(b"")
    problems, _ = refused(good, entities, latin, huge, empty)
    assert problems == [
        f"{entities}:3: file: Markup declarations (<!DOCTYPE …>, <!ENTITY …>) are not allowed.",
        f"{latin}:2: encoding: The file is not UTF-8 (byte 0xE9); save it as UTF-8.",
        f"{huge}: file: The file is 104,857,600 bytes; the limit is 5,242,880. Split the "
        "interview.",
        f"{empty}: file: The file is empty.",
    ]
    assert not Feature.objects.exists()

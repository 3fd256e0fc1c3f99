"""export_content and import_content: the whole site out to a folder and back, losslessly,
all or nothing, with every problem named by file, line and field."""

import hashlib
import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from taggit.models import Tag

from features import services, transfer
from features.content import FeatureContent
from features.models import Feature, Revision, Series, StatusChange
from films.models import Credit, Film
from newsmuse.models import Image
from people.models import Person
from tests.factories import write_body
from tests.images import picture_bytes

pytestmark = pytest.mark.django_db

NEWS_X_MUSE = "jose-hernandez-alejandra-marquez-abella-a-million-miles-away"


def run(command, *args):
    output = io.StringIO()
    call_command(command, *[str(arg) for arg in args], stdout=output)
    return output.getvalue()


def files_of(directory: Path) -> dict[str, bytes]:
    return {
        path.relative_to(directory).as_posix(): path.read_bytes()
        for path in sorted(directory.rglob("*"))
        if path.is_file()
    }


def stored_files(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


@pytest.fixture
def fresh_media(settings, tmp_path):
    """Call it to move to an empty media folder, as on a new server; returns the folder."""

    def move():
        settings.MEDIA_ROOT = str(tmp_path / "fresh-media")
        return Path(settings.MEDIA_ROOT)

    return move


@pytest.fixture
def demo_with_history(editor):
    """The demo, plus what only use makes: a piece edited by a named user twice, moved
    through the workflow, renamed after going public, and a tagged image."""
    run("load_demo")
    feature = Feature.objects.get(slug=NEWS_X_MUSE)
    content = FeatureContent.of(feature)
    content.dek += " With a correction."
    feature = services.save_feature(user=editor, content=content, feature=feature)
    content.slug = f"{NEWS_X_MUSE}-2"
    services.save_feature(user=editor, content=content, feature=feature)
    Image.objects.first().tags.add("Archive")
    return feature


def wipe_site():
    Feature.objects.all().delete()
    Film.objects.all().delete()
    Person.objects.all().delete()
    Series.objects.all().delete()
    Image.objects.all().delete()
    Tag.objects.all().delete()


def test_a_round_trip_through_an_empty_site_is_byte_identical(
    demo_with_history, tmp_path, fresh_media, client
):
    run("export_content", tmp_path / "first")
    ids_before = dict(Person.objects.values_list("slug", "pk"))
    wipe_site()
    media = fresh_media()
    placeholders = [Person.objects.create(name=f"P{n}", slug=f"p{n}") for n in range(10)]

    output = run("import_content", tmp_path / "first")
    assert "created 31, updated 0, left 0 unchanged" in output
    Person.objects.filter(pk__in=[p.pk for p in placeholders]).delete()
    run("export_content", tmp_path / "second")

    first, second = files_of(tmp_path / "first"), files_of(tmp_path / "second")
    assert list(first) == list(second)
    assert [name for name in first if first[name] != second[name]] == []
    # The people came back under new ids, and the bodies follow them there.
    ids_after = dict(Person.objects.values_list("slug", "pk"))
    assert all(ids_after[slug] != pk for slug, pk in ids_before.items())
    ledger = client.get("/features/tomas-reyes-the-keepers-ledger/").content.decode()
    assert ledger.count("Tomás Reyes") > 3
    feature = Feature.objects.get(slug=f"{NEWS_X_MUSE}-2")
    page = client.get(f"/features/{NEWS_X_MUSE}/", follow=True)  # the old slug still leads
    assert page.status_code == 200
    assert "José Hernández" in page.content.decode()
    assert (
        feature.revisions.count() == 4 and feature.revisions.first().user.username == "desk-editor"
    )
    assert len(stored_files(media / "images")) == Image.objects.count() == 7


def test_the_export_is_readable_json_keyed_by_slug(demo_with_history, tmp_path):
    run("export_content", tmp_path)
    record = json.loads((tmp_path / "features" / f"{NEWS_X_MUSE}-2.json").read_text())
    assert record["participants"][1] == {
        "person": "jose-hernandez",
        "role": "guest",
        "label": "Astronaut",
    }
    assert record["old_slugs"] == [NEWS_X_MUSE]
    ledger = json.loads((tmp_path / "features" / "tomas-reyes-the-keepers-ledger.json").read_text())
    speakers = {block.get("speaker") for block in ledger["body"]["blocks"]}
    assert speakers == {None, "maya-ortiz", "tomas-reyes"}
    assert all(len(block["id"]) >= 4 for block in record["body"]["blocks"])
    assert [r["user"] for r in record["revisions"]] == [None, None, "desk-editor", "desk-editor"]
    assert json.loads((tmp_path / "newsmuse-content.json").read_text()) == {
        "format": "newsmuse-content",
        "version": 1,
    }


def test_importing_an_export_into_its_own_site_changes_nothing(demo_with_history, tmp_path):
    run("export_content", tmp_path)
    revisions = Revision.objects.count()
    assert "created 0, updated 0, left 31 unchanged" in run("import_content", tmp_path)
    assert Revision.objects.count() == revisions


def test_what_differs_is_updated_and_a_changed_feature_gains_a_revision(
    demo_with_history, tmp_path
):
    run("export_content", tmp_path)
    person_file = tmp_path / "people" / "jose-hernandez.json"
    person = json.loads(person_file.read_text())
    person["description"] = "Astronaut, engineer and author"
    person_file.write_text(json.dumps(person))
    feature_file = tmp_path / "features" / f"{NEWS_X_MUSE}-2.json"
    record = json.loads(feature_file.read_text())
    record["headline"] = "A new headline from the archive"
    feature_file.write_text(json.dumps(record))

    output = run("import_content", tmp_path)

    assert "updated   people/jose-hernandez" in output
    assert f"updated   features/{NEWS_X_MUSE}-2" in output
    assert Person.objects.get(slug="jose-hernandez").description.startswith("Astronaut, eng")
    feature = Feature.objects.get(slug=f"{NEWS_X_MUSE}-2")
    assert feature.headline == "A new headline from the archive"
    assert feature.revisions.first().note == "Imported"
    assert feature.status == Feature.Status.PUBLISHED


def test_a_dry_run_reports_and_changes_nothing(demo_with_history, tmp_path, fresh_media):
    run("export_content", tmp_path / "export")
    wipe_site()
    media = fresh_media()
    output = run("import_content", tmp_path / "export", "--dry-run")
    assert "Dry run: nothing was changed" in output
    assert "would create 31" in output
    assert Feature.objects.count() == Person.objects.count() == Image.objects.count() == 0
    assert stored_files(media) == []


def test_an_error_in_the_last_of_fifty_files_leaves_nothing_behind(tmp_path, fresh_media):
    media = fresh_media()
    export = tmp_path / "export"
    (export / "people").mkdir(parents=True)
    (export / "images").mkdir()
    (export / "newsmuse-content.json").write_text('{"format": "newsmuse-content", "version": 1}')
    original = picture_bytes(size=(40, 30))
    (export / "media" / "images" / "2026" / "11").mkdir(parents=True)
    (export / "media" / "images" / "2026" / "11" / "face-0a1b2c3d4e5f.png").write_bytes(original)
    image = {
        "file": "images/2026/11/face-0a1b2c3d4e5f.png",
        "sha256": hashlib.sha256(original).hexdigest(),
        "title": "Face",
        "alt_text": "A face",
        "is_decorative": False,
        "caption": "",
        "credit": "",
        "focal_x": 0.5,
        "focal_y": 0.5,
        "uploaded_at": "2026-11-01T10:00:00+00:00",
        "tags": [],
    }
    (export / "images" / "2026-11-face-0a1b2c3d4e5f.json").write_text(json.dumps(image))
    for number in range(50):
        person = {
            "name": f"Person {number}" if number < 49 else "",
            "slug": f"person-{number:02}",
            "description": "",
            "bio": "",
            "website": "",
            "created_at": "2026-11-01T10:00:00+00:00",
            "updated_at": "2026-11-01T10:00:00+00:00",
            "portrait": "2026-11-face-0a1b2c3d4e5f",
        }
        (export / "people" / f"person-{number:02}.json").write_text(json.dumps(person, indent=2))

    with pytest.raises(CommandError) as refused:
        run("import_content", export)

    assert "people/person-49.json: line 2: name: This field cannot be blank." in str(refused.value)
    assert Person.objects.count() == Image.objects.count() == 0
    assert stored_files(media) == []


def test_a_failure_midway_removes_the_files_already_stored(
    demo_with_history, tmp_path, fresh_media, monkeypatch
):
    run("export_content", tmp_path / "export")
    wipe_site()
    media = fresh_media()

    def interrupted(self, record):
        raise KeyboardInterrupt

    monkeypatch.setattr(transfer._Importer, "load_film", interrupted)
    with pytest.raises(CommandError, match="nothing was changed"):
        run("import_content", tmp_path / "export")
    assert Image.objects.count() == Person.objects.count() == 0
    assert stored_files(media) == []


def test_a_file_that_is_not_json_is_named_with_its_line(demo_with_history, tmp_path):
    run("export_content", tmp_path)
    broken = tmp_path / "series" / "studio-notes.json"
    broken.write_text('{\n  "name": "Studio notes",\n  "slug": \n}\n')
    with pytest.raises(CommandError, match=r"series/studio-notes\.json: line 4: Expecting value"):
        run("import_content", tmp_path)


def test_unknown_format_versions_and_folders_without_an_export_are_refused(tmp_path):
    with pytest.raises(CommandError, match="holds no export"):
        run("import_content", tmp_path)
    (tmp_path / "newsmuse-content.json").write_text('{"format": "newsmuse-content", "version": 2}')
    with pytest.raises(CommandError, match="format version 2; this newsmuse reads version 1"):
        run("import_content", tmp_path)


def test_problems_are_named_by_file_line_and_field_with_the_admins_words(
    demo_with_history, tmp_path
):
    run("export_content", tmp_path)
    film_file = tmp_path / "films" / "a-million-miles-away.json"
    film_file.write_text(film_file.read_text().replace('"year": 2023', '"year": 1500'))
    feature_file = tmp_path / "features" / f"{NEWS_X_MUSE}-2.json"
    feature_file.write_text(
        feature_file.read_text().replace('"person": "jose-hernandez"', '"person": "nobody"')
    )

    with pytest.raises(CommandError) as refused:
        run("import_content", tmp_path)

    message = str(refused.value)
    assert "films/a-million-miles-away.json" in message
    assert "Enter a release year between 1870 and 2200." in message
    assert "participants: no person “nobody” in the export or the site." in message
    assert Film.objects.get(slug="a-million-miles-away").year == 2023


@pytest.mark.parametrize(
    "damage, expected",
    [
        (lambda text: text.encode("utf-16"), "is not UTF-8"),
        (lambda text: text.replace('"focal_x": 0.5', '"focal_x": NaN').encode(), "NaN is not"),
        (lambda text: b"[1, 2]", "must hold one JSON object"),
        (
            lambda text: text.replace('"file": "images/', '"file": "images/../../').encode(),
            "file: not the name of an image in the library",
        ),
    ],
)
def test_hostile_or_damaged_files_are_refused_with_a_message(
    demo_with_history, tmp_path, fresh_media, damage, expected
):
    run("export_content", tmp_path)
    wipe_site()
    media = fresh_media()
    record = sorted((tmp_path / "images").glob("*.json"))[0]
    record.write_bytes(damage(record.read_text()))
    with pytest.raises(CommandError, match=expected):
        run("import_content", tmp_path)
    assert Image.objects.count() == 0 and stored_files(media) == []


def test_an_original_is_checked_like_an_upload(demo_with_history, tmp_path, fresh_media):
    run("export_content", tmp_path)
    wipe_site()
    fresh_media()
    record_path = sorted((tmp_path / "images").glob("*.json"))[0]
    record = json.loads(record_path.read_text())
    markup = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    (tmp_path / "media" / record["file"]).write_bytes(markup)
    record["sha256"] = hashlib.sha256(markup).hexdigest()
    record_path.write_text(json.dumps(record, indent=2))
    with pytest.raises(CommandError, match="SVG and other text or vector files are not accepted"):
        run("import_content", tmp_path)
    truncated = tmp_path / "media" / record["file"]
    truncated.write_bytes(b"")
    with pytest.raises(CommandError, match="is not the file that was exported"):
        run("import_content", tmp_path)


def test_originals_are_read_only_from_inside_the_export(demo_with_history, tmp_path, fresh_media):
    run("export_content", tmp_path / "export")
    wipe_site()
    fresh_media()
    secret = tmp_path / "secret.png"
    secret.write_bytes(picture_bytes())
    record = json.loads(sorted((tmp_path / "export" / "images").glob("*.json"))[0].read_text())
    original = tmp_path / "export" / "media" / record["file"]
    original.unlink()
    original.symlink_to(secret)
    with pytest.raises(CommandError, match="links out of the export folder are not followed"):
        run("import_content", tmp_path / "export")


def test_a_second_export_replaces_the_first_and_other_folders_are_left_alone(
    demo_with_history, tmp_path
):
    run("export_content", tmp_path / "export")
    Feature.objects.filter(slug="tomas-reyes-the-keepers-ledger").delete()
    run("export_content", tmp_path / "export")
    assert not (tmp_path / "export" / "features" / "tomas-reyes-the-keepers-ledger.json").exists()

    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "todo.txt").write_text("keep me")
    with pytest.raises(CommandError, match="not empty and holds no export"):
        run("export_content", tmp_path / "notes")
    assert (tmp_path / "notes" / "todo.txt").read_text() == "keep me"


def test_history_keeps_its_authors_as_inactive_accounts_when_they_are_missing(
    demo_with_history, tmp_path, fresh_media, django_user_model
):
    run("export_content", tmp_path)
    wipe_site()
    fresh_media()
    django_user_model.objects.filter(username="desk-editor").delete()
    output = run("import_content", tmp_path)
    assert "account   desk-editor (inactive" in output
    author = django_user_model.objects.get(username="desk-editor")
    assert not author.is_active and not author.has_usable_password()
    assert StatusChange.objects.filter(feature__slug=f"{NEWS_X_MUSE}-2").exists()


def test_quiet_prints_nothing(demo_with_history, tmp_path):
    assert run("export_content", tmp_path, "--quiet") == ""
    assert run("import_content", tmp_path, "--quiet") == ""


def test_credits_come_back_in_their_order(demo_with_history, tmp_path, fresh_media):
    film = Film.objects.get(slug="a-million-miles-away")
    before = list(film.credits.values_list("person__slug", "role", "order"))
    run("export_content", tmp_path)
    wipe_site()
    run("import_content", tmp_path)
    assert (
        list(
            Credit.objects.filter(film__slug=film.slug).values_list("person__slug", "role", "order")
        )
        == before
    )


def test_a_body_written_by_hand_in_the_export_is_checked_like_the_admins(
    demo_with_history, tmp_path, fresh_media
):
    feature = Feature.objects.get(slug="tomas-reyes-the-keepers-ledger")
    write_body(feature, "Maya Ortiz: One question.\n\nTomás Reyes: One answer.")
    run("export_content", tmp_path)
    wipe_site()
    fresh_media()
    path = tmp_path / "features" / "tomas-reyes-the-keepers-ledger.json"
    path.write_text(path.read_text().replace('"speaker": "tomas-reyes"', '"speaker": 12345'))
    with pytest.raises(CommandError, match="Block 2"):
        run("import_content", tmp_path)
    assert Feature.objects.count() == 0


def test_oversized_files_are_refused_before_they_are_read(tmp_path, monkeypatch):
    monkeypatch.setattr(transfer, "MAX_RECORD_BYTES", 1_000)
    (tmp_path / "newsmuse-content.json").write_text('{"format": "newsmuse-content", "version": 1}')
    (tmp_path / "series").mkdir()
    (tmp_path / "series" / "huge.json").write_text('{"name": "' + "x" * 2_000 + '"}')
    with pytest.raises(CommandError, match=r"series/huge\.json: the file is larger than 1,000"):
        run("import_content", tmp_path)


@pytest.mark.parametrize(
    "damage, expected",
    [
        (lambda r: r.update(version="many"), "version: must be a whole number"),
        (lambda r: r.update(created_at="yesterday"), "“yesterday” is not a date and time"),
        (lambda r: r.update(old_slugs=["<script>"]), "Enter a valid “slug”"),
        (lambda r: r["revisions"][0].update(note="n" * 500), "at most 200 characters"),
        (lambda r: r["revisions"][1].update(version=1), "Two revisions have the same version"),
        (
            lambda r: r["status_changes"][0].update(to_status="everywhere"),
            "Value 'everywhere' is not a valid choice",
        ),
        (lambda r: r["body"].update(blocks=[7]), "Block 1: the type must be one of"),
    ],
)
def test_hostile_history_is_refused_not_crashed_on(
    demo_with_history, tmp_path, fresh_media, damage, expected
):
    run("export_content", tmp_path)
    wipe_site()
    fresh_media()
    path = tmp_path / "features" / f"{NEWS_X_MUSE}-2.json"
    record = json.loads(path.read_text())
    damage(record)
    path.write_text(json.dumps(record, indent=2))
    with pytest.raises(CommandError, match=expected):
        run("import_content", tmp_path)
    assert Feature.objects.count() == 0


def test_answers_keep_their_start_times(demo_with_history, tmp_path, fresh_media):
    feature = Feature.objects.get(slug="tomas-reyes-the-keepers-ledger")
    content = FeatureContent.of(feature)
    answer = next(block for block in content.body if block["type"] == "answer")
    answer["start"] = 62.5
    services.save_feature(user=None, content=content, feature=feature)
    run("export_content", tmp_path)
    wipe_site()
    fresh_media()
    run("import_content", tmp_path)
    blocks = Feature.objects.get(slug=feature.slug).body["blocks"]
    assert [b["start"] for b in blocks if "start" in b] == [62.5]
    assert next(b for b in blocks if "start" in b)["id"] == answer["id"]

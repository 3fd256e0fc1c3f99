"""The whole site's content as a folder of JSON files: export, and import matching by key.

Format version 1, one file per record, each a JSON object written the same way every time
(two-space indents, UTF-8, keys in a fixed order, a final newline), so two exports of the
same content are byte-identical and a change shows as a readable diff::

    DIR/newsmuse-content.json      {"format": "newsmuse-content", "version": 1}
    DIR/tags/<slug>.json           a tag: name and slug
    DIR/images/<key>.json          an image's words, focal point and tags, and its file
    DIR/media/images/…             the original image files, under their stored names
    DIR/series/<slug>.json
    DIR/people/<slug>.json
    DIR/films/<slug>.json          with its credits and watch options
    DIR/features/<slug>.json       with participants, films, tags, body (block ids
                                   included), old slugs, revisions and status history

Records point at each other by key, never by database id: series, people, films, features
and tags by slug, images by their file's stored name, people who saved or moved a piece by
username. Body blocks name their speaker by the person's slug, and so do the snapshots kept
in revisions. Renditions are not exported: they are made again from the originals.
Preview links are not exported either: they are secrets signed with this site's key.

Importing creates what is missing, updates what differs and leaves the rest alone. Features
go through features.services (the checks the admin makes); the other records through their
models' validation. All of it happens in one transaction: one problem anywhere and nothing
is written, original files included.
"""

import hashlib
import json
import re
import secrets
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import DatabaseError, models, transaction
from taggit.models import Tag

from films.models import Credit, Film, WatchOption
from newsmuse.images import ImageRejected, inspect_upload
from newsmuse.models import Image
from newsmuse.services import refresh_renditions
from people.models import Person

from . import body, content, revisions, services
from .content import Cast, FeatureContent
from .models import Feature, Revision, Series, StatusChange

FORMAT = "newsmuse-content"
VERSION = 1
MARKER = "newsmuse-content.json"
MEDIA = "media"
MAX_RECORD_BYTES = 10_000_000
# An image's stored name as the library makes it (newsmuse.models.original_upload_path).
IMAGE_NAME = re.compile(r"^images/(?:[A-Za-z0-9_-]+/)*[A-Za-z0-9_-][A-Za-z0-9_.-]*$")
FOLDERS = ("tags", "images", "series", "people", "films", "features")


class TransferError(Exception):
    """What stops an export or import; ``problems`` name the file, line and field at fault."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


# Values --------------------------------------------------------------------------------------


def _out(value):
    """A field value as JSON: times in UTC to the microsecond, and objects with their keys
    sorted, as each database keeps JSON columns in its own order."""
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    return _canonical(value)


def _canonical(value):
    if isinstance(value, dict):
        return {key: _canonical(value[key]) for key in sorted(value)}
    if isinstance(value, list):
        return [_canonical(item) for item in value]
    return value


def _plain_fields(obj: models.Model, skip: set[str] = frozenset()) -> dict:
    """The row's own columns, except its id, relations and ``skip``, in declaration order.
    A column added to the model later is exported and imported without further work."""
    return {
        f.name: _out(f.value_from_object(obj))
        for f in obj._meta.concrete_fields
        if not (f.primary_key or f.is_relation or f.name in skip)
    }


def _time(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def image_key(name: str) -> str:
    """The file name of an image's record: its stored name without folder or extension."""
    return Path(name).with_suffix("").as_posix().removeprefix("images/").replace("/", "-")


@dataclass
class Keys:
    """Database ids to export keys, for one site."""

    images: dict[int, str] = field(default_factory=dict)
    people: dict[int, str] = field(default_factory=dict)
    films: dict[int, str] = field(default_factory=dict)
    series: dict[int, str] = field(default_factory=dict)
    users: dict[int, str] = field(default_factory=dict)

    @classmethod
    def of_site(cls) -> "Keys":
        return cls(
            images={pk: image_key(name) for pk, name in Image.objects.values_list("pk", "file")},
            people=dict(Person.objects.values_list("pk", "slug")),
            films=dict(Film.objects.values_list("pk", "slug")),
            series=dict(Series.objects.values_list("pk", "slug")),
            users=dict(get_user_model().objects.values_list("pk", "username")),
        )


# Revision snapshots keep ids (features.content); an export keeps keys in their place. -------


def _snapshot_ids(snapshot: dict, translate: Callable[[str, object], object]) -> dict:
    """A copy of a content snapshot with each reference passed through ``translate(kind,
    value)``; parts missing from an old snapshot stay missing."""
    out = dict(snapshot)
    for name, kind in (("series", "series"), ("hero_image", "images")):
        if out.get(name):
            out[name] = {**out[name], "id": translate(kind, out[name]["id"])}
    if "participants" in out:
        out["participants"] = [
            {**entry, "person": translate("people", entry["person"])}
            for entry in out["participants"]
        ]
    if "films" in out:
        out["films"] = [{**ref, "id": translate("films", ref["id"])} for ref in out["films"]]
    if "body" in out:
        out["body"] = _body_ids(out["body"], lambda pk: translate("people", pk))
    return out


def _body_ids(stored: dict, translate: Callable) -> dict:
    blocks = [
        {**block, "speaker": translate(block["speaker"])}
        if isinstance(block, dict) and "speaker" in block
        else block
        for block in body.blocks_of(stored)
    ]
    return {**stored, "blocks": blocks}


# Export --------------------------------------------------------------------------------------


def dump_tag(tag: Tag) -> dict:
    return {"name": tag.name, "slug": tag.slug}


def dump_image(image: Image, keys: Keys) -> dict:
    return {
        "file": image.file.name,
        "sha256": _sha256(image.file),
        **_plain_fields(image, skip={"file", "width", "height", "pictures"}),
        "tags": sorted(image.tags.names()),
    }


def dump_series(series: Series, keys: Keys) -> dict:
    return _plain_fields(series)


def dump_person(person: Person, keys: Keys) -> dict:
    return {**_plain_fields(person), "portrait": keys.images.get(person.portrait_id)}


def dump_film(film: Film, keys: Keys) -> dict:
    return {
        **_plain_fields(film),
        "poster": keys.images.get(film.poster_id),
        "credits": [
            {"person": keys.people[credit.person_id], **_plain_fields(credit)}
            for credit in film.credits.all()
        ],
        "watch_options": [_plain_fields(option) for option in film.watch_options.all()],
    }


def dump_feature(feature: Feature, keys: Keys) -> dict:
    def key(kind, pk):
        return getattr(keys, kind).get(pk)

    return {
        **_plain_fields(feature, skip={"body"}),
        "series": keys.series.get(feature.series_id),
        "hero_image": keys.images.get(feature.hero_image_id),
        "created_by": keys.users.get(feature.created_by_id),
        "participants": [
            {"person": keys.people[p.person_id], "role": p.role, "label": p.label}
            for p in feature.participants.all()
        ],
        "films": sorted(keys.films[film.pk] for film in feature.films.all()),
        "tags": sorted(feature.tags.names()),
        "body": _canonical(_body_ids(feature.body, keys.people.get)),
        "old_slugs": sorted(old.slug for old in feature.old_slugs.all()),
        "revisions": [
            {
                "user": keys.users.get(revision.user_id),
                **_plain_fields(revision, skip={"content"}),
                "content": _canonical(_snapshot_ids(revision.content, key)),
            }
            for revision in feature.revisions.order_by("version")
        ],
        "status_changes": [
            {"user": keys.users.get(change.user_id), **_plain_fields(change)}
            for change in feature.status_changes.order_by("at", "id")
        ],
    }


def export_site(directory: Path, *, progress: Callable[[int, int], None] = lambda *_: None):
    """Write the whole site to ``directory``, replacing an earlier export there. The export
    is made beside it and moved into place when complete. Returns counts per folder."""
    directory = Path(directory)
    if directory.exists() and any(directory.iterdir()) and not (directory / MARKER).exists():
        raise TransferError([f"{directory} is not empty and holds no export; choose a new folder."])
    staging = directory.with_name(f".{directory.name}.partial-{secrets.token_hex(4)}")
    keys = Keys.of_site()
    sources = {
        "tags": (Tag.objects.order_by("slug"), lambda tag, keys: dump_tag(tag), "slug"),
        "images": (Image.objects.prefetch_related("tags").order_by("file"), dump_image, None),
        "series": (Series.objects.order_by("slug"), dump_series, "slug"),
        "people": (Person.objects.order_by("slug"), dump_person, "slug"),
        "films": (
            Film.objects.prefetch_related("credits", "watch_options").order_by("slug"),
            dump_film,
            "slug",
        ),
        "features": (
            Feature.objects.prefetch_related("participants", "films", "tags", "old_slugs").order_by(
                "slug"
            ),
            dump_feature,
            "slug",
        ),
    }
    total = sum(queryset.count() for queryset, _, _ in sources.values())
    done, counts, missing = 0, {}, []
    try:
        _write(staging / MARKER, {"format": FORMAT, "version": VERSION})
        for folder, (queryset, dump, key_field) in sources.items():
            counts[folder] = 0
            for obj in queryset.iterator(chunk_size=200):
                name = getattr(obj, key_field) if key_field else image_key(obj.file.name)
                data = dump(obj, keys)
                if folder == "images" and data["sha256"] is None:
                    missing.append(f"Image “{obj}”: its file {obj.file.name} is missing.")
                    continue
                _write(staging / folder / f"{name}.json", data)
                if folder == "images":
                    _copy_original(obj, staging / MEDIA / obj.file.name)
                counts[folder] += 1
                done += 1
                progress(done, total)
        if missing:
            raise TransferError([*missing, "Upload those images again, then export."])
        if directory.exists():
            shutil.rmtree(directory)
        staging.rename(directory)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return counts


def _write(path: Path, data: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def _copy_original(image: Image, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    with image.file.open("rb") as source, target.open("wb") as copy:
        shutil.copyfileobj(source, copy)


def _sha256(file) -> str | None:
    """The digest of a stored file (a FieldFile, or a name in the default storage), or None
    if it is missing."""
    try:
        opened = default_storage.open(file, "rb") if isinstance(file, str) else file.open("rb")
    except FileNotFoundError:
        return None
    with opened:
        return _digest(opened)


def _digest(opened) -> str:
    """The digest of an open file, read from its start and left at its start."""
    digest = hashlib.sha256()
    opened.seek(0)
    for chunk in iter(lambda: opened.read(1 << 20), b""):
        digest.update(chunk)
    opened.seek(0)
    return digest.hexdigest()


# Import --------------------------------------------------------------------------------------


@dataclass
class Report:
    """What an import did (or, in a dry run, would do), as "folder/key" names."""

    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    accounts: list[str] = field(default_factory=list)  # made for history's usernames


@dataclass
class Record:
    """One file of an export, read and parsed."""

    path: Path
    name: str  # as shown in messages: relative to the export folder
    text: str
    data: dict

    @property
    def key(self) -> str:
        return self.path.stem

    def line_of(self, name: str) -> int:
        """The line where the key ``name`` first appears (1 if it does not)."""
        match = re.search(rf'^\s*"{re.escape(name)}":', self.text, re.M)
        return self.text.count("\n", 0, match.start()) + 1 if match else 1

    def problem(self, name: str, message: str) -> str:
        where = f"line {self.line_of(name)}: {name}" if name != NON_FIELD_ERRORS else "line 1"
        return f"{self.name}: {where}: {message}"


class _Refused(Exception):
    """Problems with one record; the import goes on to find the others, then stops."""

    def __init__(self, problems: list[str]):
        self.problems = problems


def import_site(directory: Path, *, dry_run: bool = False, progress=lambda *_: None) -> Report:
    """Load an export into this site. Raises TransferError listing every problem found;
    then, and after a dry run, the database and the media storage are as they were."""
    directory = Path(directory)
    records = _read_export(directory)
    importer = _Importer(directory, records, progress)
    try:
        with transaction.atomic():
            importer.run()
            if importer.problems:
                raise TransferError(importer.problems)
            if dry_run:
                transaction.set_rollback(True)
            else:
                new_images = list(importer.new_images)
                transaction.on_commit(lambda: [refresh_renditions(i) for i in new_images])
    except BaseException:
        importer.remove_written_files()
        raise
    if dry_run:
        importer.remove_written_files()
    return importer.report


def _read_export(directory: Path) -> dict[str, list[Record]]:
    if not (directory / MARKER).is_file():
        raise TransferError([f"{directory} holds no export: {MARKER} is missing."])
    marker = _read(directory, directory / MARKER)
    if marker.data.get("format") != FORMAT or not isinstance(marker.data.get("version"), int):
        raise TransferError([f"{MARKER}: this is not a newsmuse content export."])
    if marker.data["version"] != VERSION:
        raise TransferError(
            [
                f"{MARKER}: the export has format version {marker.data['version']}; this "
                f"newsmuse reads version {VERSION} only."
            ]
        )
    records, problems = {}, []
    for folder in FOLDERS:
        records[folder] = []
        for path in sorted((directory / folder).glob("*.json")):
            try:
                records[folder].append(_read(directory, path))
            except TransferError as error:
                problems += error.problems
    if problems:
        raise TransferError(problems)
    return records


def _reject_constant(name: str):
    raise ValueError(f"{name} is not a number JSON allows")


def _read(directory: Path, path: Path) -> Record:
    name = path.relative_to(directory).as_posix()
    if path.is_symlink() or not path.resolve().is_relative_to(directory.resolve()):
        raise TransferError([f"{name}: links out of the export folder are not followed."])
    if path.stat().st_size > MAX_RECORD_BYTES:
        raise TransferError([f"{name}: the file is larger than {MAX_RECORD_BYTES:,} bytes."])
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise TransferError([f"{name}: the file is not UTF-8 (byte {error.start + 1})."]) from None
    try:
        data = json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as error:
        raise TransferError([f"{name}: line {error.lineno}: {error.msg}."]) from None
    except ValueError as error:
        raise TransferError([f"{name}: {error}."]) from None
    if not isinstance(data, dict):
        raise TransferError([f"{name}: line 1: the file must hold one JSON object."])
    return Record(path=path, name=name, text=text, data=data)


class _Importer:
    def __init__(self, directory: Path, records: dict[str, list[Record]], progress):
        self.directory = directory
        self.records = records
        self.progress = progress
        self.report = Report()
        self.problems: list[str] = []
        self.written: list[str] = []  # stored file names this import wrote
        self.new_images: list[Image] = []
        self.images = {image.file.name: image for image in Image.objects.all()}
        self.series = {s.slug: s for s in Series.objects.all()}
        self.people = {p.slug: p for p in Person.objects.all()}
        self.films = {f.slug: f for f in Film.objects.all()}
        self.features = {f.slug: f for f in Feature.objects.all()}
        self.users = {u.username: u for u in get_user_model().objects.all()}
        self.image_keys: dict[str, Image] = {image_key(n): i for n, i in self.images.items()}
        self._known: tuple[Keys, dict] | None = None  # see _keys()

    def run(self) -> None:
        steps = (
            ("tags", self.load_tag),
            ("images", self.load_image),
            ("series", self.load_series),
            ("people", self.load_person),
            ("films", self.load_film),
            ("features", self.load_feature),
        )
        total = sum(len(self.records[folder]) for folder, _ in steps)
        done = 0
        for folder, load in steps:
            for record in self.records[folder]:
                try:
                    with transaction.atomic():
                        outcome = load(record)
                except _Refused as refused:
                    self.problems += refused.problems
                except ValidationError as error:
                    self.problems += _messages(record, error)
                except DatabaseError as error:  # a rule the checks above do not know of
                    self.problems.append(f"{record.name}: could not be saved: {error}")
                else:
                    getattr(self.report, outcome).append(f"{folder}/{record.key}")
                done += 1
                self.progress(done, total)

    # Lookups by key, each naming the field at fault when the key is unknown.

    def _lookup(self, record: Record, field_name: str, kind: str, key):
        """The image, person, film or series an export key names, or None for null."""
        table = {
            "image": self.image_keys,
            "person": self.people,
            "film": self.films,
            "series": self.series,
        }[kind]
        if key is None:
            return None
        if not isinstance(key, str) or key not in table:
            problem = f"no {kind} “{key}” in the export or the site."
            raise _Refused([record.problem(field_name, problem)])
        return table[key]

    def _user(self, username: str | None):
        if username is None:
            return None
        if username not in self.users:
            user = get_user_model()(username=username, is_active=False)
            user.set_unusable_password()
            user.full_clean(exclude=["password"])
            user.save()
            self.users[username] = user
            self._known = None
            self.report.accounts.append(username)
        return self.users[username]

    def _require(self, record: Record, *names: str) -> None:
        missing = [name for name in names if name not in record.data]
        if missing:
            raise _Refused([f"{record.name}: line 1: {name}: missing." for name in missing])

    def _set_fields(self, record: Record, obj: models.Model, skip: set[str] = frozenset()):
        """Set the row's own columns from the record through each field's own parsing."""
        problems = []
        for model_field in obj._meta.concrete_fields:
            name = model_field.name
            if model_field.primary_key or model_field.is_relation or name in skip:
                continue
            if name not in record.data:
                problems.append(f"{record.name}: line 1: {name}: missing.")
                continue
            try:
                setattr(obj, name, model_field.to_python(record.data[name]))
            except ValidationError as error:
                problems += [record.problem(name, message) for message in error.messages]
        if problems:
            raise _Refused(problems)

    def _save(self, obj: models.Model, **times) -> None:
        obj.full_clean()
        obj.save()
        if times:
            type(obj).objects.filter(pk=obj.pk).update(**times)

    def _times(self, record: Record, *names: str) -> dict:
        return {name: self._parse_time(record, name) for name in names}

    # One loader per folder; each returns "created", "updated" or "unchanged".

    def load_tag(self, record: Record) -> str:
        self._require(record, "name", "slug")
        name, slug = record.data["name"], record.data["slug"]
        tag = Tag.objects.filter(slug=slug).first() or Tag.objects.filter(name=name).first()
        if tag is not None and dump_tag(tag) == record.data:
            return "unchanged"
        outcome = "created" if tag is None else "updated"
        tag = tag or Tag()
        tag.name, tag.slug = name, slug
        tag.full_clean()
        tag.save()
        return outcome

    def load_image(self, record: Record) -> str:
        self._require(record, "file", "sha256", "tags")
        name = record.data["file"]
        if not (isinstance(name, str) and IMAGE_NAME.match(name) and len(name) <= 200):
            raise _Refused([record.problem("file", "not the name of an image in the library.")])
        image = self.images.get(name)
        if image is not None and dump_image(image, Keys()) == record.data:
            return "unchanged"
        outcome = "created" if image is None else "updated"
        image = image or Image()
        if image.pk is None or not default_storage.exists(name):
            self._store_original(record, image, name)
        self._set_fields(record, image, skip={"file", "width", "height", "pictures"})
        self._save(image, **self._times(record, "uploaded_at"))
        image.tags.set(record.data["tags"])
        self.images[image.file.name] = self.image_keys[record.key] = image
        self._known = None
        return outcome

    def _store_original(self, record: Record, image: Image, name: str) -> None:
        media = (self.directory / MEDIA).resolve()
        source = self.directory / MEDIA / name
        if not source.resolve().is_relative_to(media) or source.is_symlink():
            raise _Refused(
                [record.problem("file", "links out of the export folder are not followed.")]
            )
        if not source.is_file():
            raise _Refused([record.problem("file", f"{MEDIA}/{name} is missing from the export.")])
        with source.open("rb") as opened:
            upload = File(opened, name=source.name)
            if _digest(upload) != record.data["sha256"]:
                raise _Refused(
                    [record.problem("sha256", f"{MEDIA}/{name} is not the file that was exported.")]
                )
            try:
                info = inspect_upload(
                    upload,
                    max_bytes=settings.IMAGE_MAX_UPLOAD_BYTES,
                    max_pixels=settings.IMAGE_MAX_PIXELS,
                )
            except ImageRejected as rejected:
                raise _Refused([record.problem("file", str(rejected))]) from None
            if default_storage.exists(name):
                if _sha256(name) != record.data["sha256"]:
                    raise _Refused([record.problem("file", f"another file is stored as {name}.")])
                stored_name = name
            else:
                stored_name = default_storage.save(name, upload)
                self.written.append(stored_name)
        image.file.name = stored_name
        image.width, image.height = info.width, info.height
        self.new_images.append(image)

    def load_series(self, record: Record) -> str:
        series = self.series.get(record.key)
        if series is not None and dump_series(series, Keys()) == record.data:
            return "unchanged"
        outcome = "created" if series is None else "updated"
        series = series or Series()
        self._set_fields(record, series)
        self._save(series)
        self.series[series.slug] = series
        self._known = None
        return outcome

    def load_person(self, record: Record) -> str:
        self._require(record, "portrait")
        portrait = self._lookup(record, "portrait", "image", record.data["portrait"])
        person = self.people.get(record.key)
        if person is not None and dump_person(person, self._keys()) == record.data:
            return "unchanged"
        outcome = "created" if person is None else "updated"
        person = person or Person()
        self._set_fields(record, person)
        person.portrait = portrait
        self._save(person, **self._times(record, "created_at", "updated_at"))
        self.people[person.slug] = person
        self._known = None
        return outcome

    def load_film(self, record: Record) -> str:
        self._require(record, "poster", "credits", "watch_options")
        poster = self._lookup(record, "poster", "image", record.data["poster"])
        film = self.films.get(record.key)
        if film is not None and dump_film(film, self._keys()) == record.data:
            return "unchanged"
        outcome = "created" if film is None else "updated"
        film = film or Film()
        self._set_fields(record, film)
        film.poster = poster
        self._save(film)
        film.credits.all().delete()
        film.watch_options.all().delete()
        for entry in _entries(record, "credits"):
            person = self._lookup(record, "credits", "person", entry.get("person"))
            credit = Credit(film=film, person=person)
            self._set_fields(_part(record, entry), credit)
            credit.full_clean()
            credit.save()
        for entry in _entries(record, "watch_options"):
            option = WatchOption(film=film)
            self._set_fields(_part(record, entry), option)
            option.full_clean()
            option.save()
        Film.objects.filter(pk=film.pk).update(**self._times(record, "created_at", "updated_at"))
        self.films[film.slug] = film
        self._known = None
        return outcome

    def load_feature(self, record: Record) -> str:
        data = record.data
        self._require(
            record,
            *("headline", "slug", "dek", "status", "published_at", "version"),
            *("created_at", "updated_at", "series", "hero_image", "created_by"),
            *("participants", "films", "tags", "body", "old_slugs"),
            *("revisions", "status_changes"),
        )
        feature = self.features.get(record.key)
        if feature is not None and dump_feature(feature, self._keys()) == data:
            return "unchanged"
        ids = self._ids()
        casts = []
        for entry in _entries(record, "participants"):
            person = self._lookup(record, "participants", "person", entry.get("person"))
            casts.append(Cast(person, entry.get("role", ""), entry.get("label", "")))
        new_content = FeatureContent(
            headline=data["headline"],
            slug=data["slug"],
            dek=data["dek"],
            series=self._lookup(record, "series", "series", data["series"]),
            hero_image=self._lookup(record, "hero_image", "image", data["hero_image"]),
            published_at=self._parse_time(record, "published_at"),
            participants=casts,
            films=[self._lookup(record, "films", "film", slug) for slug in _list(record, "films")],
            tags=_list(record, "tags"),
            body=body.blocks_of(_body_ids(_dict(record, "body"), ids["people"].get)),
        )
        if feature is not None:
            if data["status"] == feature.status and not content.changed_parts(
                revisions.snapshot(feature), content.dump(new_content)
            ):
                return "unchanged"
            services.load_feature(self._feature_record(record, new_content), feature=feature)
            return "updated"
        exported = self._feature_record(
            record,
            new_content,
            created_by=self._user(data["created_by"]),
            revisions=[self._revision(record, e, ids) for e in _entries(record, "revisions")],
            status_changes=[
                self._status_change(record, e) for e in _entries(record, "status_changes")
            ],
        )
        feature = services.load_feature(exported)
        self.features[feature.slug] = feature
        return "created"

    def _feature_record(
        self, record: Record, new_content: FeatureContent, **history
    ) -> services.FeatureRecord:
        version = record.data["version"]
        if not isinstance(version, int) or version < 0:
            raise _Refused([record.problem("version", "must be a whole number, 0 or more.")])
        return services.FeatureRecord(
            content=new_content,
            status=record.data["status"],
            version=version,
            old_slugs=[str(slug) for slug in _list(record, "old_slugs")],
            **self._times(record, "created_at", "updated_at"),
            **{"created_by": None, "revisions": [], "status_changes": [], **history},
        )

    def _parse_time(self, record: Record, name: str):
        value = record.data.get(name)
        try:
            return _time(value)
        except (TypeError, ValueError):
            raise _Refused([record.problem(name, f"“{value}” is not a date and time.")]) from None

    def _ids(self) -> dict[str, dict[str, int]]:
        """Export keys to this site's ids, by kind (the reverse of _keys)."""
        return self._keys_and_ids()[1]

    def _revision(self, record: Record, entry: dict, ids: dict) -> Revision:
        revision = Revision(user=self._user(entry.get("user")))
        self._set_fields(_part(record, entry), revision, skip={"content"})
        snapshot = entry.get("content")
        if not isinstance(snapshot, dict):
            raise _Refused([record.problem("revisions", "a revision has no content.")])
        revision.content = _snapshot_ids(snapshot, lambda kind, key: ids[kind].get(key))
        revision.full_clean(exclude=["feature", "user"])
        return revision

    def _status_change(self, record: Record, entry: dict) -> StatusChange:
        change = StatusChange(user=self._user(entry.get("user")))
        self._set_fields(_part(record, entry), change)
        change.full_clean(exclude=["feature", "user"])
        return change

    def _keys(self) -> Keys:
        return self._keys_and_ids()[0]

    def _keys_and_ids(self) -> tuple[Keys, dict[str, dict[str, int]]]:
        """This site's ids to export keys and back, made again only when a record with a
        key has been added since: the features, the many records, all share one."""
        if self._known is None:
            keys = Keys(
                images={i.pk: image_key(n) for n, i in self.images.items()},
                people={p.pk: slug for slug, p in self.people.items()},
                films={f.pk: slug for slug, f in self.films.items()},
                series={s.pk: slug for slug, s in self.series.items()},
                users={u.pk: name for name, u in self.users.items()},
            )
            ids = {
                kind: {key: pk for pk, key in table.items()} for kind, table in vars(keys).items()
            }
            self._known = keys, ids
        return self._known

    def remove_written_files(self) -> None:
        for name in self.written:
            default_storage.delete(name)
        self.written.clear()


def _part(record: Record, entry: dict) -> Record:
    """An entry of a list in a record, read like a record of its own."""
    return Record(path=record.path, name=record.name, text=record.text, data=entry)


def _list(record: Record, name: str) -> list:
    value = record.data[name]
    if not isinstance(value, list):
        raise _Refused([record.problem(name, "must be a list.")])
    return value


def _entries(record: Record, name: str) -> list[dict]:
    entries = _list(record, name)
    if not all(isinstance(entry, dict) for entry in entries):
        raise _Refused([record.problem(name, "each entry must be a JSON object.")])
    return entries


def _dict(record: Record, name: str) -> dict:
    value = record.data[name]
    if not isinstance(value, dict):
        raise _Refused([record.problem(name, "must be a JSON object.")])
    return value


def _messages(record: Record, error: ValidationError) -> list[str]:
    if hasattr(error, "error_dict"):
        return [
            record.problem(name, message)
            for name, messages in error.message_dict.items()
            for message in messages
        ]
    return [record.problem(NON_FIELD_ERRORS, message) for message in error.messages]

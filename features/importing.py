"""Importing features from files (read by features.transcripts) through the one save path.

The import_feature command imports files on disk, the admin's import page one uploaded file
(with a transcript's front matter); both go through the same importer.

A run imports every file in one transaction: any problem in any file rolls all of them back,
so the database is left exactly as it was, and an interrupted run leaves nothing half-made.
Each file creates the feature with its slug or updates it; keys a file leaves out keep the
feature's current value. Content is checked by services.save_feature, so an import gives
the messages the admin gives, placed at the file, line and key they are about.
"""

import dataclasses
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from films.models import Film
from newsmuse.models import Image
from people.models import Person

from . import body, content, services
from .block_ids import assign_ids
from .content import Cast, FeatureContent
from .models import Feature, Participant, Series
from .transcripts import (
    MARKDOWN,
    FeatureFile,
    FilmRef,
    PersonRef,
    Problem,
    TranscriptError,
    Upload,
    read_feature_file,
    read_feature_upload,
)

CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"


@dataclass
class Imported:
    """What importing one file did (or, in a dry run, would do)."""

    path: str
    slug: str
    action: str = UNCHANGED
    published: str = ""  # "published" or "scheduled" when the import made it public
    created: list[str] = field(default_factory=list)  # people and films made for it
    content: FeatureContent | None = None  # what the feature says after the import
    feature: Feature | None = None  # in a dry run, gone with the rollback if it was created


class ImportFailed(Exception):
    """Nothing was imported; ``problems`` lists why. ``missing`` says whether some of them
    are people or films that an import allowed to create missing ones would make."""

    def __init__(self, problems: list[Problem], *, missing: bool):
        super().__init__("\n".join(str(problem) for problem in problems))
        self.problems, self.missing = problems, missing


def import_files(
    paths: Iterable[Path],
    *,
    user: AbstractBaseUser | None,
    create_missing: bool = False,
    publish: bool = False,
    dry_run: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> list[Imported]:
    """Import every file, all or nothing; raise ImportFailed listing every problem of every
    file. ``dry_run`` does all the work and checks, then rolls back. ``progress`` is called
    with (files done, files) after each file."""
    readers = [partial(read_feature_file, path) for path in paths]
    return _import(
        readers,
        user=user,
        create_missing=create_missing,
        publish=publish,
        dry_run=dry_run,
        progress=progress,
    )


def import_upload(
    upload: Upload,
    front_matter: Upload | None = None,
    *,
    user: AbstractBaseUser | None,
    create_missing: bool = False,
    publish: bool = False,
    dry_run: bool = False,
) -> Imported:
    """Import one uploaded file (a transcript with its uploaded front matter) as import_files
    imports a file on disk, with the same checks and the same ImportFailed."""
    [result] = _import(
        [partial(read_feature_upload, upload, front_matter)],
        user=user,
        create_missing=create_missing,
        publish=publish,
        dry_run=dry_run,
    )
    return result


def _import(
    readers: list[Callable[[], FeatureFile]],
    *,
    user: AbstractBaseUser | None,
    create_missing: bool,
    publish: bool,
    dry_run: bool,
    progress: Callable[[int, int], None] | None = None,
) -> list[Imported]:
    """Each reader reads and parses its file inside the file's import, so a file that cannot
    be read is one more problem of the run."""
    results, problems, missing = [], [], False
    with transaction.atomic():
        for number, read in enumerate(readers, start=1):
            importer = _FileImporter(user=user, create_missing=create_missing, publish=publish)
            try:
                with transaction.atomic():  # a file that fails leaves nothing for the next
                    results.append(importer.run(read))
            except TranscriptError as error:
                problems += error.problems
                missing |= importer.missing
            if progress is not None:
                progress(number, len(readers))
        if problems:
            raise ImportFailed(problems, missing=missing)
        if dry_run:
            transaction.set_rollback(True)
    return results


class _FileImporter:
    def __init__(self, *, user, create_missing: bool, publish: bool):
        self.user, self.create_missing, self.publish = user, create_missing, publish
        self.problems: list[Problem] = []
        self.missing = False

    def run(self, read: Callable[[], FeatureFile]) -> Imported:
        source = read()
        self.source, self.front_matter = source, source.front_matter
        front_matter = self.front_matter
        self.result = Imported(path=source.path, slug=front_matter.slug)
        feature = Feature.objects.filter(slug=front_matter.slug).first()
        current = FeatureContent.of(feature) if feature else FeatureContent()
        new = self.stated_content(current)
        self.stop_if_problems()
        self.body(new)
        self.stop_if_problems()
        if feature is None:
            self.result.action = CREATED
        elif content.changed_parts(content.dump(current), content.dump(new)):
            self.result.action = UPDATED
        if self.result.action != UNCHANGED:
            feature = self.save(new, feature)
        if self.publish and feature.status not in Feature.PUBLIC_STATUSES:
            self.go_public(feature)
        self.result.content, self.result.feature = new, feature
        return self.result

    def stop_if_problems(self) -> None:
        if self.problems:
            raise TranscriptError(self.problems)

    def problem(self, key: str, message: str, line: int | None = None) -> None:
        line = line or self.front_matter.line_of(key)
        self.problems.append(Problem(self.front_matter.path, line, key, message))

    # The content the file gives ---------------------------------------------------------

    def stated_content(self, current: FeatureContent) -> FeatureContent:
        """The content the file states; what it leaves out stays as it is."""
        front_matter, given = self.front_matter, self.front_matter.given
        new = dataclasses.replace(current)
        for name in ("headline", "slug", "dek", "published_at", "tags"):
            if name in given or name in ("headline", "slug"):
                setattr(new, name, getattr(front_matter, name))
        if "series" in given:
            new.series = self.series(front_matter.series) if front_matter.series else None
        if "hero_image" in given:
            new.hero_image = (
                self.image(front_matter.hero_image) if front_matter.hero_image else None
            )
        if given & {"interviewers", "guests"}:
            new.participants = [
                Cast(person, role, ref.label)
                for key, role in (
                    ("interviewers", Participant.Role.INTERVIEWER),
                    ("guests", Participant.Role.GUEST),
                )
                for ref in getattr(front_matter, key)
                if (person := self.person(ref, key))
            ]
        if "films" in given:
            new.films = [film for ref in front_matter.films if (film := self.film(ref))]
        return new

    def body(self, new: FeatureContent) -> None:
        """The body from the Markdown text or the transcript's turns; block ids and start
        times carry on from the saved body as they do for an editor's edit."""
        current = new.body
        try:
            if self.source.format == MARKDOWN:
                new.set_body_text(self.source.body_text)
            else:
                directory = body.SpeakerDirectory(new.speakers())
                new.body = [
                    body.speech(
                        turn.speaker, turn.text, directory, line=turn.line, start=turn.start
                    )
                    for turn in self.source.turns
                ]
        except ValidationError as error:
            for message in error.messages:
                self.body_problem(message)
        else:
            new.body = assign_ids(new.body, current)

    def body_problem(self, message: str, block_lines: list[int] = ()) -> None:
        key = "body" if self.source.format == MARKDOWN else "transcript"
        line, message = _line_in(message, block_lines)
        self.problems.append(Problem(self.source.path, line, key, message))

    def series(self, name: str) -> Series | None:
        found = Series.objects.filter(slug=name).first() or _only(
            Series.objects.filter(name__iexact=name)
        )
        if found is None:
            self.problem("series", f"There is no series “{name}”; add it under Series first.")
        return found

    def image(self, title: str) -> Image | None:
        images = list(Image.objects.filter(title=title)[:2])
        if len(images) != 1:
            self.problem(
                "hero_image",
                f"The image library has {'no' if not images else 'more than one'} image "
                f"titled “{title}”; give the title of exactly one image.",
            )
        return images[0] if len(images) == 1 else None

    def person(self, ref: PersonRef, key: str) -> Person | None:
        if ref.slug:
            person = Person.objects.filter(slug=ref.slug).first()
        else:
            people = list(Person.objects.filter(name__iexact=ref.name)[:2])
            if len(people) > 1:
                self.problem(
                    key, f"More than one person is called “{ref.name}”; add a slug.", ref.line
                )
                return None
            person = people[0] if people else None
        if person is not None:
            return person
        fields = {"name": ref.name, "slug": _free_slug(Person, ref.slug or ref.name)}
        return self.make(Person, fields, f"person “{ref.name}”", "people.add_person", key, ref.line)

    def film(self, ref: FilmRef) -> Film | None:
        if ref.slug:
            film = Film.objects.filter(slug=ref.slug).first()
        else:
            films = Film.objects.filter(title__iexact=ref.title)
            films = films.filter(year=ref.year) if ref.year else films
            films = list(films[:2])
            if len(films) > 1:
                self.problem(
                    "films",
                    f"More than one film is called “{ref.title}”; add a year or slug.",
                    ref.line,
                )
                return None
            film = films[0] if films else None
        if film is not None:
            return film
        title = ref.title or ref.slug
        fields = {"title": title, "slug": _free_slug(Film, ref.slug or title), "year": ref.year}
        return self.make(Film, fields, f"film “{title}”", "films.add_film", "films", ref.line)

    def make(self, model, fields: dict, what: str, permission: str, key: str, line):
        """A person or film the file names and the database lacks, if the import may create
        it; the same field checks as the admin."""
        plural = model._meta.verbose_name_plural
        if not self.create_missing:
            self.missing = True
            self.problem(key, f"There is no {what} in {plural.title()}; add it there first.", line)
            return None
        if not (self.user is None or self.user.has_perm(permission)):
            self.problem(key, f"There is no {what}, and you may not add {plural}.", line)
            return None
        obj = model(**fields)
        try:
            obj.full_clean()
        except ValidationError as error:
            for message in error.messages:
                self.problem(key, f"Cannot create {what}: {message}", line)
            return None
        obj.save()
        self.result.created.append(what)
        return obj

    # Saving -----------------------------------------------------------------------------

    def save(self, new: FeatureContent, feature: Feature | None) -> Feature:
        try:
            return services.save_feature(
                user=self.user,
                content=new,
                feature=feature,
                note=f"Imported from {Path(self.source.path).name}",
            )
        except PermissionDenied as error:
            self.problem("feature", str(error))
        except ValidationError as error:
            self.place(error)
        raise TranscriptError(self.problems)

    def place(self, error: ValidationError) -> None:
        """Put the save path's messages, keyed by part, at the keys of the file."""
        block_lines = [turn.line for turn in self.source.turns]
        for name, messages in error.message_dict.items():
            for message in messages:
                if name == "body":
                    self.body_problem(message, block_lines)
                elif name == "participants":
                    given = self.front_matter.given
                    self.problem("guests" if "guests" in given else "interviewers", message)
                else:
                    self.problem("feature" if name == NON_FIELD_ERRORS else name, message)

    def go_public(self, feature: Feature) -> None:
        """Publish now, or schedule for a publication time still to come."""
        scheduled = feature.published_at is not None and feature.published_at > timezone.now()
        try:
            services.move_feature(
                feature=feature,
                move="schedule" if scheduled else "publish",
                user=self.user,
                publish_at=feature.published_at,
            )
        except (PermissionDenied, ValidationError) as error:
            messages = error.messages if isinstance(error, ValidationError) else [str(error)]
            for message in messages:
                self.problem("feature", f"Cannot publish: {message}")
            raise TranscriptError(self.problems) from None
        self.result.published = "scheduled" if scheduled else "published"


def _only(queryset):
    """The one row of a queryset, or None when it has none or several (one query)."""
    rows = list(queryset[:2])
    return rows[0] if len(rows) == 1 else None


def _free_slug(model, text: str) -> str:
    """A slug for a new row: ``text`` slugified, with -2, -3… if another row has it."""
    base = slugify(text)[:190] or model._meta.model_name
    slug, number = base, 1
    while model.objects.filter(slug=slug).exists():
        number += 1
        slug = f"{base}-{number}"
    return slug


def _line_in(message: str, block_lines: list[int]) -> tuple[int | None, str]:
    """The line a message of features.body is about (“Line 12: …”, “Block 3: …”) and the
    message without that prefix."""
    head, colon, rest = message.partition(": ")
    kind, _, number = head.partition(" ")
    if colon and number.isdigit():
        if kind == "Line":
            return int(number), rest
        if kind == "Block" and int(number) <= len(block_lines):
            return block_lines[int(number) - 1], rest
    return None, message

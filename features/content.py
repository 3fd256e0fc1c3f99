"""What editors write on a feature, declared once.

``FeatureContent`` holds a feature's editable content as Python values: it is what
``services.save_feature`` takes, whoever calls it. ``PARTS`` declares each part once: what
editors call it, how a revision keeps it (JSON), what counts as a change, how it reads in a
comparison and how it comes back from a revision. Revisions, their comparison, restore and
the merge after a refused save all work from this declaration; export and import will too.

A new editable field on Feature is declared here (and shown in the admin form); the tests
fail while it is in neither PARTS nor NOT_CONTENT.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.utils import timezone
from django.utils.formats import date_format

from films.models import Film
from newsmuse.models import Image
from people.models import Person

from .body import Speaker, blocks_of, parse_body, stored
from .models import Feature, Participant, Series

# What a Feature has that is not content: bookkeeping; the status, which moves only through
# the workflow (services.move_feature); records about the feature (history, old addresses,
# preview links); and taggit's rows behind ``tags``.
NOT_CONTENT = {"id", "status", "created_by", "version", "created_at", "updated_at"}
NOT_CONTENT |= {"revisions", "status_changes", "old_slugs", "share_links", "tagged_items"}


@dataclass(frozen=True)
class Cast:
    """A participant as content: who, in which role, with which label."""

    person: Person
    role: str = Participant.Role.GUEST
    label: str = ""

    def as_speaker(self) -> Speaker:
        return Speaker(
            person_id=self.person.pk,
            name=self.person.name,
            is_interviewer=self.role == Participant.Role.INTERVIEWER,
        )


@dataclass
class FeatureContent:
    headline: str = ""
    slug: str = ""
    dek: str = ""
    series: Series | None = None
    hero_image: Image | None = None
    published_at: datetime | None = None
    participants: list[Cast] = field(default_factory=list)  # in page order
    films: list[Film] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    body: list[dict] = field(default_factory=list)  # blocks; those without an id get one

    @classmethod
    def of(cls, feature: Feature) -> "FeatureContent":
        """The content of a saved feature (costs three queries: participants, films, tags)."""
        participants = feature.participants.select_related("person")
        return cls(
            **{name: getattr(feature, name) for name in FIELD_PARTS},
            participants=[Cast(p.person, p.role, p.label) for p in participants],
            films=list(feature.films.order_by("title", "id")),
            tags=sorted(feature.tags.names()),
            body=blocks_of(feature.body),
        )

    @property
    def guest_count(self) -> int:
        return sum(cast.role == Participant.Role.GUEST for cast in self.participants)

    def speakers(self) -> list[Speaker]:
        return [cast.as_speaker() for cast in self.participants]

    def set_body_text(self, text: str) -> None:
        """Set the body from the text editors write, spoken by these participants.
        Raises ValidationError naming every line that cannot be read (see features.body)."""
        self.body = parse_body(text, self.speakers())


# Parts -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Part:
    """One part of a feature's content. ``dump`` gives its JSON for a revision, ``load``
    brings that back (dropping references to records deleted since), ``same`` is what must
    differ for it to count as changed, and ``describe`` is how it reads in a comparison."""

    name: str
    label: str
    dump: Callable[[Any], Any]
    load: Callable[[Any], Any]
    describe: Callable[[Any], str]
    same: Callable[[Any], Any] = lambda value: value
    restored: bool = True  # brought back by "restore"; the slug and time stay as they are


def _text(value: str) -> str:
    return value or "—"


def _ref(label_field: str):
    return lambda obj: {"id": obj.pk, "label": getattr(obj, label_field)} if obj else None


def _load_ref(model):
    return lambda ref: model.objects.filter(pk=ref["id"]).first() if ref else None


def _ref_id(ref):
    return ref["id"] if ref else None


def _dump_time(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _load_time(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _describe_time(value: str | None) -> str:
    if not value:
        return "—"
    return date_format(timezone.localtime(_load_time(value)), "j M Y, H:i")


def _dump_participants(casts: list[Cast]) -> list[dict]:
    return [
        {"person": c.person.pk, "name": c.person.name, "role": c.role, "label": c.label}
        for c in casts
    ]


def _load_participants(entries: list[dict]) -> list[Cast]:
    people = Person.objects.in_bulk([entry["person"] for entry in entries])
    return [
        Cast(people[entry["person"]], entry["role"], entry["label"])
        for entry in entries
        if entry["person"] in people
    ]


def _describe_participants(entries: list[dict]) -> str:
    return "\n".join(
        f"{e['name']} ({e['role']}{', ' + e['label'] if e['label'] else ''})" for e in entries
    )


def _dump_films(films: list[Film]) -> list[dict]:
    return [_ref("title")(film) for film in sorted(films, key=lambda f: (f.title, f.pk))]


def _load_films(refs: list[dict]) -> list[Film]:
    films = Film.objects.in_bulk([ref["id"] for ref in refs])
    return [films[ref["id"]] for ref in refs if ref["id"] in films]


def _without_ids(stored: dict) -> list[dict]:
    return [{k: v for k, v in block.items() if k != "id"} for block in blocks_of(stored)]


def _describe_body(stored: dict) -> str:
    count = len(blocks_of(stored))
    return f"{count} block{'s' if count != 1 else ''}"


def _label(ref) -> str:
    return ref["label"] if ref else "—"


def _reference(name: str, label: str, model, label_field: str) -> Part:
    """A part that points at one record: kept as its id and what it was called then."""
    return Part(
        name,
        label,
        dump=_ref(label_field),
        load=_load_ref(model),
        describe=_label,
        same=_ref_id,
    )


PARTS = [
    Part("headline", "Headline", dump=str, load=str, describe=_text),
    Part("slug", "Slug", dump=str, load=str, describe=_text, restored=False),
    Part("dek", "Dek", dump=str, load=str, describe=_text),
    _reference("series", "Series", Series, "name"),
    _reference("hero_image", "Hero image", Image, "title"),
    Part(
        "published_at",
        "Publication time",
        dump=_dump_time,
        load=_load_time,
        describe=_describe_time,
        same=_load_time,
        restored=False,
    ),
    Part(
        "participants",
        "Participants",
        dump=_dump_participants,
        load=_load_participants,
        describe=_describe_participants,
        same=lambda entries: [(e["person"], e["role"], e["label"]) for e in entries],
    ),
    Part(
        "films",
        "Films discussed",
        dump=_dump_films,
        load=_load_films,
        describe=lambda refs: ", ".join(_label(ref) for ref in refs) or "—",
        same=lambda refs: sorted(ref["id"] for ref in refs),
    ),
    Part("tags", "Tags", dump=sorted, load=list, describe=lambda tags: ", ".join(tags) or "—"),
    Part(
        "body",
        "Body",
        dump=stored,
        load=blocks_of,
        describe=_describe_body,
        same=_without_ids,
    ),
]
PARTS_BY_NAME = {part.name: part for part in PARTS}

# The parts that are plain fields of the Feature row; the others are written after it.
FIELD_PARTS = ["headline", "slug", "dek", "series", "hero_image", "published_at"]


def dump(content: FeatureContent) -> dict:
    """The content as JSON, the form a revision keeps (see features.revisions)."""
    return {part.name: part.dump(getattr(content, part.name)) for part in PARTS}


def load(data: dict) -> FeatureContent:
    """Content back from JSON. People, films, series and images deleted since are left out,
    and so are the blocks spoken by people who are no longer there."""
    content = FeatureContent(
        **{part.name: part.load(data[part.name]) for part in PARTS if part.name in data}
    )
    present = {cast.person.pk for cast in content.participants}
    content.body = [b for b in content.body if b.get("speaker") in (None, *present)]
    return content


def changed_parts(old: dict, new: dict) -> list[Part]:
    """The parts that differ between two dumps."""
    return [part for part in PARTS if part.same(old[part.name]) != part.same(new[part.name])]


@dataclass(frozen=True)
class Merge:
    """A three-way merge of content by part: what to take from the colleague's save, and
    what both people changed differently (this editor's version is kept for those)."""

    theirs: list[Part]
    both: list[Part]


def merge(*, base: dict, theirs: dict, mine: dict) -> Merge:
    """Compare this editor's content (``mine``) and a colleague's save (``theirs``) with the
    version both started from (``base``); all three are dumps."""
    taken, both = [], []
    for part in changed_parts(base, theirs):
        if part.same(mine[part.name]) == part.same(base[part.name]):
            taken.append(part)
        elif part.same(mine[part.name]) != part.same(theirs[part.name]):
            both.append(part)
    return Merge(theirs=taken, both=both)

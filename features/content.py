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

from . import merging
from .block_ids import assign_ids
from .body import Speaker, blocks_of, parse_body, stored, substance_and_start
from .models import Feature, Participant, Series

# What a Feature has that is not content: bookkeeping; the status, which moves only through
# the workflow (services.move_feature); records about the feature (history, old addresses,
# preview links, editors' autosaved copies of the form, reviewers' comments); and taggit's
# rows behind ``tags``.
NOT_CONTENT = {"id", "status", "created_by", "version", "created_at", "updated_at"}
NOT_CONTENT |= {"revisions", "status_changes", "old_slugs", "share_links", "tagged_items"}
NOT_CONTENT |= {"autosaves", "comments"}


@dataclass(frozen=True)
class Cast:
    """A participant as content: who, in which role, with which label."""

    person: Person
    role: str
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
        """The content of a saved feature (participants, films and tags cost a query each,
        and so do the series and hero image unless they were loaded with the feature)."""
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
    same: Callable[[Any], Any] = merging.identity
    restored: bool = True  # brought back by "restore"; the slug and time stay as they are
    merge_members: Callable[..., merging.Outcome] | None = None  # for collections

    def value_in(self, dumped: dict):
        """This part in a dump. A revision saved before the part was declared has the value
        of an empty feature, so old revisions still compare, merge and restore."""
        if self.name in dumped:
            return dumped[self.name]
        return self.dump(getattr(FeatureContent(), self.name))

    def merge(self, base, theirs, mine) -> merging.Outcome:
        """Three-way merge of this part's dumps (see features.merging)."""
        if self.merge_members is not None:
            return self.merge_members(base, theirs, mine)
        return merging.whole(base, theirs, mine, same=self.same)


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


def _to_the_second(value: str | None) -> datetime | None:
    """Forms show times to the second, so finer differences are not changes."""
    return _load_time(value).replace(microsecond=0) if value else None


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


def _substance(stored: dict) -> list[tuple]:
    return [substance_and_start(block) for block in blocks_of(stored)]


def _merge_body(base: dict, theirs: dict, mine: dict) -> merging.Outcome:
    """Blocks merge by id; this editor's blocks are matched to the ids they opened."""
    opened = blocks_of(base)
    outcome = merging.members(
        opened,
        blocks_of(theirs),
        assign_ids(blocks_of(mine), opened),
        key=lambda block: block["id"],
        same=substance_and_start,
    )
    return merging.Outcome(stored(outcome.value), outcome.took_theirs, outcome.conflict)


def _merge_set(key, sort_key):
    def merge(base, theirs, mine):
        outcome = merging.members(base, theirs, mine, key=key, same=key, ordered=False)
        value = sorted(outcome.value, key=sort_key)
        return merging.Outcome(value, outcome.took_theirs, outcome.conflict)

    return merge


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
        same=_to_the_second,
        restored=False,
    ),
    Part(
        "participants",
        "Participants",
        dump=_dump_participants,
        load=_load_participants,
        describe=_describe_participants,
        same=lambda entries: [(e["person"], e["role"], e["label"]) for e in entries],
        merge_members=lambda base, theirs, mine: merging.members(
            base,
            theirs,
            mine,
            key=lambda entry: entry["person"],
            same=lambda entry: (entry["role"], entry["label"]),
        ),
    ),
    Part(
        "films",
        "Films discussed",
        dump=_dump_films,
        load=_load_films,
        describe=lambda refs: ", ".join(_label(ref) for ref in refs) or "—",
        same=lambda refs: sorted(ref["id"] for ref in refs),
        merge_members=_merge_set(_ref_id, sort_key=lambda ref: (ref["label"], ref["id"])),
    ),
    Part(
        "tags",
        "Tags",
        dump=sorted,
        load=list,
        describe=lambda tags: ", ".join(tags) or "—",
        merge_members=_merge_set(merging.identity, sort_key=merging.identity),
    ),
    Part(
        "body",
        "Body",
        dump=stored,
        load=blocks_of,
        describe=_describe_body,
        same=_substance,
        merge_members=_merge_body,
    ),
]
PARTS_BY_NAME = {part.name: part for part in PARTS}

# The parts that are plain fields of the Feature row; the others are written after it (the
# body too: it is stored in its own schema).
FIELD_PARTS = [
    part.name
    for part in PARTS
    if part.name != "body" and part.name in {f.name for f in Feature._meta.concrete_fields}
]


def dump(content: FeatureContent) -> dict:
    """The content as JSON, the form a revision keeps (see features.revisions)."""
    return {part.name: part.dump(getattr(content, part.name)) for part in PARTS}


def load(data: dict) -> FeatureContent:
    """Content back from JSON. People, films, series and images deleted since are left out."""
    return FeatureContent(**{part.name: part.load(part.value_in(data)) for part in PARTS})


def changed_parts(old: dict, new: dict) -> list[Part]:
    """The parts that differ between two dumps."""
    return [
        part for part in PARTS if part.same(part.value_in(old)) != part.same(part.value_in(new))
    ]


@dataclass(frozen=True)
class Merge:
    """The merged content (a dump), the parts that took changes of the colleague's save, and
    the parts both people changed in the same place (this editor's version is kept there)."""

    content: dict
    taken: list[Part]
    both: list[Part]


def merge(*, base: dict, theirs: dict, mine: dict) -> Merge:
    """Merge this editor's content (``mine``) and a colleague's save (``theirs``), both made
    from ``base``; all three are dumps. Each part merges on its own; if the merged body then
    names someone the merged participants lack, this editor's participants and then body
    are kept instead, so that the merge can always be saved."""
    merged, taken, both = dict(mine), [], []
    for part in changed_parts(base, theirs):
        outcome = part.merge(*(part.value_in(dumped) for dumped in (base, theirs, mine)))
        merged[part.name] = outcome.value
        if outcome.took_theirs:
            taken.append(part)
        if outcome.conflict:
            both.append(part)
    for name in ("participants", "body"):
        if _speakers_are_participants(merged):
            break
        if merged[name] == mine[name]:
            continue
        merged[name] = mine[name]
        taken = [part for part in taken if part.name != name]
        both = [part for part in both if part.name != name] + [PARTS_BY_NAME[name]]
    return Merge(content=merged, taken=taken, both=both)


def _speakers_are_participants(dumped: dict) -> bool:
    people = {entry["person"] for entry in dumped["participants"]}
    return all(block.get("speaker") in (None, *people) for block in blocks_of(dumped["body"]))

"""Snapshots of a feature's whole content, and readable differences between two of them.

A snapshot keeps names beside ids (people, films, images), so an old revision still reads
well after those records have changed or gone.
"""

import difflib
from dataclasses import dataclass

from .body import QUOTE
from .models import Feature

SIMPLE_FIELDS = [("headline", "Headline"), ("dek", "Dek"), ("slug", "Slug")]


def snapshot(feature: Feature) -> dict:
    """Everything editors wrote on the feature (costs a few queries)."""
    participants = feature.participants.select_related("person")
    return {
        "headline": feature.headline,
        "slug": feature.slug,
        "dek": feature.dek,
        "series": _ref(feature.series, "name"),
        "hero_image": _ref(feature.hero_image, "title"),
        "published_at": feature.published_at.isoformat() if feature.published_at else None,
        "participants": [
            {
                "person": p.person_id,
                "name": p.person.name,
                "role": p.role,
                "label": p.label,
                "order": p.order,
            }
            for p in participants
        ],
        "films": [_ref(film, "title") for film in feature.films.order_by("title")],
        "tags": sorted(feature.tags.names()),
        "body": feature.body,
    }


def _ref(obj, label_field):
    return {"id": obj.pk, "label": getattr(obj, label_field)} if obj else None


@dataclass(frozen=True)
class FieldChange:
    label: str
    before: str
    after: str


@dataclass(frozen=True)
class BlockChange:
    kind: str  # "same", "added", "removed" or "changed"
    before: str
    after: str


def _label(ref) -> str:
    return ref["label"] if ref else "—"


def _participants(content) -> str:
    return "\n".join(
        f"{p['name']} ({p['role']}{', ' + p['label'] if p['label'] else ''})"
        for p in content["participants"]
    )


def field_changes(old: dict, new: dict) -> list[FieldChange]:
    """What changed outside the body, as text an editor can read."""
    readers = [
        *[(label, lambda c, key=key: c[key] or "") for key, label in SIMPLE_FIELDS],
        ("Series", lambda c: _label(c["series"])),
        ("Hero image", lambda c: _label(c["hero_image"])),
        ("Publication time", lambda c: c["published_at"] or "—"),
        ("Participants", _participants),
        ("Films", lambda c: ", ".join(_label(f) for f in c["films"]) or "—"),
        ("Tags", lambda c: ", ".join(c["tags"]) or "—"),
    ]
    changes = []
    for label, read in readers:
        before, after = read(old), read(new)
        if before != after:
            changes.append(FieldChange(label, before, after))
    return changes


def _block_text(block: dict, names: dict[int, str]) -> str:
    speaker = names.get(block.get("speaker"))
    prefix = {"question": "Q", "answer": "A", QUOTE: "Pull quote", "text": ""}[block["type"]]
    who = f" — {speaker}" if speaker else ""
    return f"{prefix}{who}: {block['text']}" if prefix else block["text"]


def body_changes(old: dict, new: dict) -> list[BlockChange]:
    """The body compared block by block, unchanged blocks included for context."""
    names = {p["person"]: p["name"] for p in old["participants"] + new["participants"]}
    before = [_block_text(b, names) for b in old["body"]]
    after = [_block_text(b, names) for b in new["body"]]
    changes = []
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            changes += [BlockChange("same", text, text) for text in before[a1:a2]]
            continue
        old_blocks, new_blocks = before[a1:a2], after[b1:b2]
        paired = min(len(old_blocks), len(new_blocks)) if op == "replace" else 0
        changes += [
            BlockChange("changed", o, n)
            for o, n in zip(old_blocks[:paired], new_blocks[:paired], strict=True)
        ]
        changes += [BlockChange("removed", o, "") for o in old_blocks[paired:]]
        changes += [BlockChange("added", "", n) for n in new_blocks[paired:]]
    return changes


def summary(old: dict, new: dict) -> list[str]:
    """One line per change, for messages such as the lost-update warning."""
    lines = [f"{change.label} changed." for change in field_changes(old, new)]
    edited = sum(change.kind != "same" for change in body_changes(old, new))
    if edited:
        lines.append(f"Body: {edited} block{'s' if edited != 1 else ''} changed.")
    return lines

"""Snapshots of a feature's whole content, and readable differences between two of them.

A snapshot is the content declared in features.content, as JSON. It keeps names beside ids
(people, films, images), so an old revision still reads well after those records have
changed or gone.
"""

import difflib
from dataclasses import dataclass

from . import content
from .body import QUOTE, blocks_of
from .models import Feature


def snapshot(feature: Feature) -> dict:
    """Everything editors wrote on the feature (costs three queries)."""
    return content.dump(content.FeatureContent.of(feature))


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


def field_changes(old: dict, new: dict) -> list[FieldChange]:
    """What changed outside the body, as text an editor can read."""
    return [
        FieldChange(
            part.label, part.describe(part.value_in(old)), part.describe(part.value_in(new))
        )
        for part in content.changed_parts(old, new)
        if part.name != "body"
    ]


def _block_text(block: dict, names: dict[int, str]) -> str:
    speaker = names.get(block.get("speaker"))
    prefix = {"question": "Q", "answer": "A", QUOTE: "Pull quote", "text": ""}[block["type"]]
    who = f" — {speaker}" if speaker else ""
    return f"{prefix}{who}: {block['text']}" if prefix else block["text"]


def body_changes(old: dict, new: dict) -> list[BlockChange]:
    """The body compared block by block, unchanged blocks included for context."""
    names = {p["person"]: p["name"] for p in old["participants"] + new["participants"]}
    before = [_block_text(b, names) for b in blocks_of(old["body"])]
    after = [_block_text(b, names) for b in blocks_of(new["body"])]
    changes = []
    matcher = difflib.SequenceMatcher(a=before, b=after)  # autojunk keeps it fast
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

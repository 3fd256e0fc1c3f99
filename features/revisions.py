"""Snapshots of a feature's whole content, and readable differences between two of them.

A snapshot is the content declared in features.content, as JSON. It keeps names beside ids
(people, films, images), so an old revision still reads well after those records have
changed or gone.
"""

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
    """The body compared block by block, unchanged blocks included for context. Blocks are
    paired by id, so an edited answer shows as changed wherever it now stands; a removed
    block shows where it stood."""
    names = {p["person"]: p["name"] for p in old["participants"] + new["participants"]}
    before, after = blocks_of(old["body"]), blocks_of(new["body"])
    old_by_id = {block["id"]: block for block in before}
    kept_ids = {block["id"] for block in after}
    position = {block["id"]: index for index, block in enumerate(before)}
    changes, next_old = [], 0

    def removed_up_to(index):
        nonlocal next_old
        for block in before[next_old:index]:
            if block["id"] not in kept_ids:
                changes.append(BlockChange("removed", _block_text(block, names), ""))
        next_old = max(next_old, index)

    for block in after:
        text = _block_text(block, names)
        if block["id"] not in old_by_id:
            changes.append(BlockChange("added", "", text))
            continue
        removed_up_to(position[block["id"]])
        was = _block_text(old_by_id[block["id"]], names)
        changes.append(BlockChange("same" if was == text else "changed", was, text))
    removed_up_to(len(before))
    return changes


def summary(old: dict, new: dict) -> list[str]:
    """One line per change, for messages such as the lost-update warning."""
    lines = [f"{change.label} changed." for change in field_changes(old, new)]
    edited = sum(change.kind != "same" for change in body_changes(old, new))
    if edited:
        lines.append(f"Body: {edited} block{'s' if edited != 1 else ''} changed.")
    return lines

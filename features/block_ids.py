"""Stable ids for body blocks, kept across edits of the text editors write.

Editors never type ids: every save parses their text into blocks without ids, and
``assign_ids`` gives each block the id of the block it continues in the previous body:

1. An unchanged block (same kind, speaker and text: see features.body.substance) keeps
   its id, where it stands or wherever it moved.
2. A changed block takes the id of an unmatched previous block of the same kind and
   speaker with the most similar text (shared words), if they share at least half their
   words. A block that took the place of another one, between the same unchanged
   neighbours, needs only a fifth: it is most likely the same answer reworded. A text
   rewritten from scratch is a new block, so an old link never points at other words.
3. Anything else is new and gets a new id, never one the previous body used.

Blocks that already carry an id (from a revision or an import) keep it.

A block that continues a previous one also keeps what the text cannot say: its start time
in the recording (``CARRIED``), unless it brings its own (a transcript imported again).
"""

import re
import secrets
from collections import defaultdict, deque
from difflib import SequenceMatcher

from .body import substance

# A previous block is continued by a new one from this likeness on (shared words over all
# words); a block in the same place needs PLACE_BONUS less.
MIN_LIKENESS = 0.5
PLACE_BONUS = 0.3
# Comparing every changed block with every unmatched one is quadratic; past this many
# pairs (a body pasted over another) the changed blocks simply get new ids.
MAX_PAIRS = 20_000
# Keys the editors' text does not show, which stay with a block as its id does.
CARRIED = ("start",)

_WORD = re.compile(r"\w+")


def new_id(taken: set[str]) -> str:
    """A fresh id, not in ``taken`` (which it joins)."""
    while (block_id := secrets.token_hex(4)) in taken:
        pass
    taken.add(block_id)
    return block_id


def assign_ids(blocks: list[dict], previous: list[dict]) -> list[dict]:
    """Copies of ``blocks``, each with an id; see the module docstring for how."""
    matcher = _Matcher([dict(block) for block in blocks], previous)
    matcher.keep_unchanged()
    matcher.continue_changed()
    return matcher.finish()


def _voice(block: dict) -> tuple:
    return substance(block)[:2]


def _words(text: str) -> frozenset[str]:
    return frozenset(_WORD.findall(text.casefold()))


def _likeness(a: frozenset, b: frozenset) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


class _Matcher:
    def __init__(self, new: list[dict], previous: list[dict]):
        self.new, self.previous = new, previous
        used = {block["id"] for block in new if block.get("id")}
        self.free = {i for i, block in enumerate(previous) if block.get("id") not in (None, *used)}
        self.pending = {j for j, block in enumerate(new) if not block.get("id")}
        self.opcodes = SequenceMatcher(
            a=[substance(b) for b in previous], b=[substance(b) for b in new]
        ).get_opcodes()  # autojunk keeps bodies of a few repeated lines fast

    def take(self, i: int, j: int) -> None:
        self.new[j]["id"] = self.previous[i]["id"]
        for key in CARRIED:
            if key in self.previous[i] and key not in self.new[j]:
                self.new[j][key] = self.previous[i][key]
        self.free.discard(i)
        self.pending.discard(j)

    def keep_unchanged(self) -> None:
        for tag, i1, i2, j1, j2 in self.opcodes:
            if tag == "equal":
                for i, j in zip(range(i1, i2), range(j1, j2), strict=True):
                    if i in self.free and j in self.pending:
                        self.take(i, j)
        moved = defaultdict(deque)
        for i in sorted(self.free):
            moved[substance(self.previous[i])].append(i)
        for j in sorted(self.pending):
            if candidates := moved[substance(self.new[j])]:
                self.take(candidates.popleft(), j)

    def continue_changed(self) -> None:
        place = {}  # block index → the stretch it stands in, for blocks in a replaced stretch
        for stretch, (tag, i1, i2, j1, j2) in enumerate(self.opcodes):
            if tag == "replace":
                place.update({("old", i): stretch for i in range(i1, i2)})
                place.update({("new", j): stretch for j in range(j1, j2)})
        old_by_voice = defaultdict(list)
        for i in self.free:
            old_by_voice[_voice(self.previous[i])].append(i)
        voice = {j: _voice(self.new[j]) for j in self.pending}
        if sum(len(old_by_voice[voice[j]]) for j in self.pending) > MAX_PAIRS:
            return
        pairs = [(i, j) for j in self.pending for i in old_by_voice[voice[j]]]
        words = {("old", i): _words(self.previous[i]["text"]) for i in self.free}
        words |= {("new", j): _words(self.new[j]["text"]) for j in self.pending}
        scored = []
        for i, j in pairs:
            same_place = place.get(("old", i), -1) == place.get(("new", j), -2)
            score = _likeness(words["old", i], words["new", j]) + PLACE_BONUS * same_place
            if score >= MIN_LIKENESS:
                scored.append((-score, abs(i - j), j, i))
        for _, _, j, i in sorted(scored):
            if i in self.free and j in self.pending:
                self.take(i, j)

    def finish(self) -> list[dict]:
        taken = {block["id"] for block in self.previous if block.get("id")}
        taken |= {block["id"] for block in self.new if block.get("id")}
        for j in sorted(self.pending):
            self.new[j]["id"] = new_id(taken)
        return self.new

"""Three-way merges of a feature's content, one part at a time (see features.content).

When a save is refused because a colleague saved first, three versions of each part meet:
what both editors started from (``base``), what the colleague saved (``theirs``) and what
this editor sent (``mine``). Whatever only one side changed takes that side's change.
Collections merge member by member (participants by person, films and tags as sets, body
blocks by id), so two people editing different members both keep their edits. Only a
member both changed differently is a conflict, and then this editor's version is kept.
"""

from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Outcome:
    value: Any
    took_theirs: bool  # the value holds something only the colleague changed
    conflict: bool  # both changed the same thing differently; this editor's version is kept


def identity(value):
    return value


def whole(base, theirs, mine, same: Callable = identity) -> Outcome:
    """A value merged as one piece."""
    if same(theirs) == same(base):
        return Outcome(mine, False, False)
    if same(mine) == same(base):
        return Outcome(theirs, True, False)
    return Outcome(mine, False, same(mine) != same(theirs))


def members(
    base: list,
    theirs: list,
    mine: list,
    *,
    key: Callable[[Any], Hashable],
    same: Callable = identity,
    ordered: bool = True,
) -> Outcome:
    """A list merged member by member; ``key`` tells members apart, ``same`` compares them.

    A member either side removed and the other left alone goes; one either side added
    comes. The order is theirs if only they reordered, otherwise this editor's, with the
    members the other side added after the member they follow there.
    """
    by_key = [{key(member): member for member in side} for side in (base, theirs, mine)]
    kept, took_theirs, conflict = {}, False, False
    for member_key in by_key[0].keys() | by_key[1].keys() | by_key[2].keys():
        versions = [side.get(member_key) for side in by_key]
        outcome = whole(*versions, same=lambda m: None if m is None else same(m))
        took_theirs |= outcome.took_theirs
        conflict |= outcome.conflict
        if outcome.value is not None:
            kept[member_key] = outcome.value
    if not ordered:
        return Outcome(list(kept.values()), took_theirs, conflict)
    keys = [[key(member) for member in side] for side in (base, theirs, mine)]
    order = merge_order(*keys, keep=kept.keys())
    return Outcome(
        [kept[member_key] for member_key in order.keys],
        took_theirs or order.took_theirs,
        conflict or order.conflict,
    )


@dataclass(frozen=True)
class Order:
    keys: list
    took_theirs: bool  # the colleague's reordering is kept
    conflict: bool  # both reordered differently; this editor's order is kept


def merge_order(base: list, theirs: list, mine: list, *, keep) -> Order:
    """The order of the kept keys: see ``members``."""
    shared = set(base) & set(theirs) & set(mine)
    base_order, their_order, my_order = (
        [k for k in side if k in shared] for side in (base, theirs, mine)
    )
    mine_reordered, theirs_reordered = my_order != base_order, their_order != base_order
    skeleton, other = (mine, theirs) if mine_reordered else (theirs, mine)
    keys = [k for k in skeleton if k in keep]
    placed = set(keys)
    for index, member_key in enumerate(other):
        if member_key in keep and member_key not in placed:
            keys.insert(_position(keys, placed, other, index), member_key)
            placed.add(member_key)
    return Order(
        keys,
        took_theirs=theirs_reordered and not mine_reordered,
        conflict=mine_reordered and theirs_reordered and my_order != their_order,
    )


def _position(keys: list, placed: set, other: list, index: int) -> int:
    """Where ``other[index]`` goes among ``keys``: after the nearest member it follows in
    ``other``, else before the nearest one it precedes, else at the end."""
    before = next((k for k in reversed(other[:index]) if k in placed), None)
    if before is not None:
        return keys.index(before) + 1
    after = next((k for k in other[index + 1 :] if k in placed), None)
    return keys.index(after) if after is not None else len(keys)

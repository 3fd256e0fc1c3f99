"""Three-way merges of lists, member by member (features.merging)."""

from features import content, merging
from features.block_ids import assign_ids
from features.body import stored


def order(base, theirs, mine):
    """merge_order, keeping what the member merge keeps: what both have, and what one added."""
    keep = (set(theirs) & set(mine)) | (set(theirs) - set(base)) | (set(mine) - set(base))
    return merging.merge_order(list(base), list(theirs), list(mine), keep=keep)


def test_an_added_member_follows_the_one_it_followed_or_precedes_the_one_it_preceded():
    assert order("ABC", "ABXC", "ABC").keys == list("ABXC")
    # The colleague rewrote everything; what the editor appended stays at the end.
    assert order("ABC", "XYZ", "ABCN").keys == list("XYZN")
    assert order("ABC", "XBC", "NABC").keys == list("XNBC")


def test_only_the_colleague_reordering_takes_their_order_and_says_so():
    result = order("ABC", "CBA", "ABC")
    assert (result.keys, result.took_theirs, result.conflict) == (list("CBA"), True, False)


def test_both_reordering_differently_keeps_the_editors_order_and_names_it():
    result = order("ABC", "CAB", "BAC")
    assert (result.keys, result.took_theirs, result.conflict) == (list("BAC"), False, True)


def test_the_same_reordering_on_both_sides_is_no_conflict():
    result = order("ABC", "CBA", "CBA")
    assert (result.keys, result.conflict) == (list("CBA"), False)


def film(pk, label):
    return {"id": pk, "label": label}


def test_a_film_renamed_since_is_still_the_same_film():
    films = content.PARTS_BY_NAME["films"]
    removed = films.merge(base=[film(1, "Old title")], theirs=[], mine=[film(1, "New title")])
    assert removed.value == []
    kept = films.merge(base=[film(1, "Old title")], theirs=[film(1, "New title")], mine=[])
    assert kept.value == [] and not kept.conflict


def test_a_role_change_is_not_a_change_of_the_blocks():
    body = content.PARTS_BY_NAME["body"]
    base = assign_ids([{"type": "question", "speaker": 1, "text": "Why?"}], [])
    theirs = [{**base[0], "type": "answer"}]  # the speaker became a guest
    mine = [{"type": "question", "speaker": 1, "text": "Why the island?"}]
    outcome = body.merge(base=stored(base), theirs=stored(theirs), mine=stored(mine))
    assert not outcome.conflict
    assert [block["text"] for block in outcome.value["blocks"]] == ["Why the island?"]

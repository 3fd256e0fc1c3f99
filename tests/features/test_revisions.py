"""The comparison of two revisions pairs blocks by their ids."""

from features.body import stored
from features.revisions import body_changes

PEOPLE = [{"person": 1, "name": "Maya Ortiz", "role": "interviewer", "label": ""}]


def version(*blocks):
    return {"participants": PEOPLE, "body": stored(list(blocks))}


def block(block_id, text):
    return {"id": block_id, "type": "question", "speaker": 1, "text": text}


def test_an_edited_block_that_moved_shows_as_changed_and_a_removed_one_where_it_stood():
    old = version(block("aaaa", "Why?"), block("bbbb", "How?"), block("cccc", "When?"))
    new = version(block("cccc", "When, exactly?"), block("aaaa", "Why?"), block("dddd", "New?"))
    changes = [(c.kind, c.before, c.after) for c in body_changes(old, new)]
    # “How?” stood right before “When?”, so that is where its removal shows.
    assert changes == [
        ("removed", "Q — Maya Ortiz: How?", ""),
        ("changed", "Q — Maya Ortiz: When?", "Q — Maya Ortiz: When, exactly?"),
        ("same", "Q — Maya Ortiz: Why?", "Q — Maya Ortiz: Why?"),
        ("added", "", "Q — Maya Ortiz: New?"),
    ]

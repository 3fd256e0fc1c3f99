"""Nothing a colleague saved is lost: after a refused save, every part of the feature they
changed and this editor did not is brought into the form, and parts both changed are named.

Each part of features.content.PARTS is changed by a colleague through the real admin form
while an editor has the feature open; the test fails for a part nobody declared here.
"""

import pytest
from django.urls import reverse

from features import content, services
from features.content import FeatureContent
from features.models import Feature, Revision
from tests.factories import FilmFactory, ImageFactory, PersonFactory, SeriesFactory
from tests.features.editing import admin_form, change_url, interview

pytestmark = pytest.mark.django_db


def relabel_and_add_a_guest(data):
    person = PersonFactory(name="Ana Lucía Vega")
    return {
        "participants-1-label": "Lighthouse keeper",
        "participants-TOTAL_FORMS": "3",
        "participants-2-person": str(person.pk),
        "participants-2-role": "guest",
        "participants-2-label": "Birdwatcher",
        "participants-2-order": "1",  # between the interviewer and the first guest
    }


def add_film(title):
    return lambda data: {"films": [*data.get("films", []), str(FilmFactory(title=title).pk)]}


# part: (the colleague's change, this editor's change to the same thing, or None where two
# changes cannot collide: films and tags are sets), as form data
CHANGES = {
    "headline": (lambda d: {"headline": "Their headline"}, lambda d: {"headline": "Mine"}),
    "slug": (lambda d: {"slug": "their-slug"}, lambda d: {"slug": "my-slug"}),
    "dek": (lambda d: {"dek": "Their dek"}, lambda d: {"dek": "My dek"}),
    "series": (
        lambda d: {"series": str(SeriesFactory(name="Theirs").pk)},
        lambda d: {"series": str(SeriesFactory(name="Mine").pk)},
    ),
    "hero_image": (
        lambda d: {"hero_image": str(ImageFactory().pk)},
        lambda d: {"hero_image": str(ImageFactory().pk)},
    ),
    "published_at": (
        lambda d: {"published_at_0": "2031-05-06", "published_at_1": "10:00:00"},
        lambda d: {"published_at_0": "2032-01-01", "published_at_1": "09:30:00"},
    ),
    "participants": (relabel_and_add_a_guest, lambda d: {"participants-1-label": "Keeper"}),
    "films": (add_film("Their film"), None),
    "tags": (lambda d: {"tags": "Sea, Fog"}, None),
    "body": (
        lambda d: {"body_source": d["body_source"].replace("The fog.", "The fog, mostly.")},
        lambda d: {"body_source": d["body_source"].replace("The fog.", "The sea.")},
    ),
}
COLLIDING = [name for name, (_, mine) in CHANGES.items() if mine is not None]


def test_every_part_of_a_feature_has_a_merge_case():
    assert set(CHANGES) == {part.name for part in content.PARTS}


def state(feature, part_name):
    """The part as saved now, in the terms the merge compares."""
    part = content.PARTS_BY_NAME[part_name]
    saved = Feature.objects.get(pk=feature.pk)
    return part.same(content.dump(FeatureContent.of(saved))[part_name])


def as_sent_again(refused):
    """What the browser sends when the editor saves the refused page again."""
    return dict(refused.context["adminform"].form.data.lists())


def other_part(part_name):
    return "dek" if part_name == "headline" else "headline"


@pytest.fixture
def two_editors(client, editor, django_user_model):
    colleague = django_user_model.objects.create_superuser("colleague", password="pw")

    def save_as(user, data):
        client.force_login(user)
        return client.post(change_url(feature), data)

    feature = interview(dek="The dek.")
    return feature, editor, colleague, save_as


@pytest.mark.parametrize("part_name", list(CHANGES))
def test_a_colleagues_change_the_editor_did_not_touch_is_brought_into_the_form(
    two_editors, part_name
):
    feature, editor, colleague, save_as = two_editors
    opened = admin_form(feature)
    theirs, _ = CHANGES[part_name]
    assert save_as(colleague, {**opened, **theirs(opened)}).status_code == 302
    their_state = state(feature, part_name)

    mine = CHANGES[other_part(part_name)][1](opened)
    refused = save_as(editor, {**opened, **mine})
    html = refused.content.decode()
    label = content.PARTS_BY_NAME[part_name].label
    assert refused.status_code == 200
    assert "colleague saved this feature" in html
    assert f"Their changes to {label} are now in the form, together with yours." in html

    # What the browser sends back from the refused page: their part, and this editor's change.
    again = save_as(editor, as_sent_again(refused))
    assert again.status_code == 302, again.context["adminform"].form.errors
    assert state(feature, part_name) == their_state
    other = other_part(part_name)
    assert getattr(Feature.objects.get(pk=feature.pk), other) == mine[other]


@pytest.mark.parametrize("part_name", COLLIDING)
def test_a_part_both_changed_is_named_and_the_editors_version_is_kept(two_editors, part_name):
    feature, editor, colleague, save_as = two_editors
    opened = admin_form(feature)
    base_state = state(feature, part_name)
    theirs, mine = CHANGES[part_name]
    assert save_as(colleague, {**opened, **theirs(opened)}).status_code == 302
    their_state = state(feature, part_name)

    refused = save_as(editor, {**opened, **mine(opened)})
    label = content.PARTS_BY_NAME[part_name].label
    html = refused.content.decode()
    assert f"You both changed {label}: the form shows your version" in html
    if part_name == "headline":
        assert "Theirs: Their headline" in html

    again = save_as(editor, as_sent_again(refused))
    assert again.status_code == 302, again.context["adminform"].form.errors
    assert state(feature, part_name) not in (their_state, base_state)


def test_a_save_after_only_a_workflow_move_is_not_refused(two_editors):
    feature, editor, colleague, save_as = two_editors
    opened = admin_form(feature)
    services.move_feature(feature=feature, move="submit", user=colleague)
    assert save_as(editor, {**opened, "headline": "Mine"}).status_code == 302
    saved = Feature.objects.get(pk=feature.pk)
    assert (saved.headline, saved.status) == ("Mine", "review")


def test_a_revision_older_than_a_part_still_merges_and_compares(client, two_editors):
    """A part declared later is missing from older revisions: they read as empty there."""
    feature, editor, colleague, save_as = two_editors
    before_tags = {k: v for k, v in feature.revisions.get().content.items() if k != "tags"}
    Revision.objects.create(feature=feature, version=2, status="draft", content=before_tags)
    Feature.objects.filter(pk=feature.pk).update(version=2)
    opened = admin_form(feature)
    assert save_as(colleague, {**opened, "tags": "Fog"}).status_code == 302
    refused = save_as(editor, {**opened, "headline": "Mine"})
    assert "Their changes to Tags are now in the form" in refused.content.decode()
    assert save_as(editor, as_sent_again(refused)).status_code == 302
    saved = Feature.objects.get(pk=feature.pk)
    assert (saved.headline, list(saved.tags.names())) == ("Mine", ["Fog"])
    compare = reverse("admin:features_feature_compare", args=[feature.pk])
    page = client.get(compare, {"a": 2, "b": 3})  # the editor is still logged in
    assert page.status_code == 200 and "Fog" in page.content.decode()


def test_the_refused_page_shows_the_colleagues_films_selected(two_editors):
    feature, editor, colleague, save_as = two_editors
    opened = admin_form(feature)
    film = FilmFactory(title="A Million Miles Away")
    save_as(colleague, {**opened, "films": [str(film.pk)]})
    html = save_as(editor, {**opened, "headline": "Mine"}).content.decode()
    assert f'<option value="{film.pk}" selected>' in html


@pytest.mark.parametrize("field", ["series", "hero_image"])
def test_a_colleague_clearing_a_choice_is_brought_in(two_editors, field):
    feature, editor, colleague, save_as = two_editors
    opened = admin_form(feature)
    assert save_as(colleague, {**opened, field: ""}).status_code == 302
    refused = save_as(editor, {**opened, "dek": "My dek"})
    assert save_as(editor, as_sent_again(refused)).status_code == 302
    saved = Feature.objects.get(pk=feature.pk)
    assert getattr(saved, f"{field}_id") is None and saved.dek == "My dek"


def saved_content(feature):
    return content.dump(FeatureContent.of(Feature.objects.get(pk=feature.pk)))


def merged_after_both_save(two_editors, theirs, mine):
    """The colleague saves ``theirs``, the editor's ``mine`` is refused, the editor saves
    the refused page again; returns that page's messages and the saved content."""
    feature, editor, colleague, save_as = two_editors
    opened = admin_form(feature)
    assert save_as(colleague, {**opened, **theirs(opened)}).status_code == 302
    refused = save_as(editor, {**opened, **mine(opened)})
    messages = refused.content.decode()
    again = save_as(editor, as_sent_again(refused))
    assert again.status_code == 302, again.context["adminform"].form.errors
    return messages, saved_content(feature)


def test_edits_to_different_participants_are_both_kept(two_editors):
    messages, saved = merged_after_both_save(
        two_editors,
        theirs=relabel_and_add_a_guest,
        mine=lambda d: {"participants-0-label": "Host", "participants-0-order": "9"},
    )
    assert "You both changed" not in messages
    people = [(p["name"], p["role"], p["label"]) for p in saved["participants"]]
    # This editor moved the host last; the colleague's new guest follows the one it
    # followed in their list.
    assert people == [
        ("Tomás Reyes", "guest", "Lighthouse keeper"),
        ("Ana Lucía Vega", "guest", "Birdwatcher"),
        ("Maya Ortiz", "interviewer", "Host"),
    ]


def test_films_and_tags_each_added_by_one_editor_are_all_kept(two_editors):
    messages, saved = merged_after_both_save(
        two_editors,
        theirs=lambda d: {**add_film("Their film")(d), "tags": "Fog"},
        mine=lambda d: {**add_film("My film")(d), "tags": "Island"},
    )
    assert "You both changed" not in messages
    assert [film["label"] for film in saved["films"]] == ["My film", "Their film"]
    assert saved["tags"] == ["Fog", "Island"]


def test_edits_to_different_answers_are_both_kept_with_their_ids(two_editors):
    feature = two_editors[0]
    ids_before = [block["id"] for block in saved_content(feature)["body"]["blocks"]]
    messages, saved = merged_after_both_save(
        two_editors,
        theirs=lambda d: {"body_source": d["body_source"].replace("The fog.", "The fog, mostly.")},
        mine=lambda d: {
            "body_source": d["body_source"].replace("Why?", "Why the island?")
            + "\n\nMaya Ortiz: And now?"
        },
    )
    assert "You both changed" not in messages
    blocks = saved["body"]["blocks"]
    assert [block["text"] for block in blocks] == [
        "Why the island?",
        "The fog, mostly.",
        "And now?",
    ]
    assert [block["id"] for block in blocks[:2]] == ids_before


# Found in review -------------------------------------------------------------------------


def test_a_participant_this_editor_deleted_stays_deleted_after_the_merge(two_editors):
    feature, editor, colleague, save_as = two_editors
    opened = admin_form(feature)
    save_as(colleague, {**opened, "headline": "Their headline"})
    mine = {"dek": "My dek", "participants-1-DELETE": "on", "body_source": "Maya Ortiz: Why?"}
    refused = save_as(editor, {**opened, **mine})
    assert "Their changes to Headline are now in the form" in refused.content.decode()
    again = save_as(editor, as_sent_again(refused))
    assert again.status_code == 302, again.context["adminform"].form.errors
    saved = Feature.objects.get(pk=feature.pk)
    assert (saved.headline, saved.dek) == ("Their headline", "My dek")
    assert [p.person.name for p in saved.participants.all()] == ["Maya Ortiz"]


def test_a_participant_a_colleague_removed_does_not_block_the_editors_save(two_editors):
    feature, editor, colleague, save_as = two_editors
    opened = admin_form(feature)
    removed = {**opened, "participants-1-DELETE": "on", "body_source": "Maya Ortiz: Why?"}
    assert save_as(colleague, removed).status_code == 302
    refused = save_as(editor, {**opened, "dek": "My dek"})
    assert "Their changes to Participants, Body are now in the form" in refused.content.decode()
    again = save_as(editor, as_sent_again(refused))
    assert again.status_code == 302, again.context["adminform"].form.errors
    saved = Feature.objects.get(pk=feature.pk)
    assert saved.dek == "My dek" and saved.participants.count() == 1


def test_an_answer_edited_by_one_and_its_speaker_removed_by_the_other_keeps_both(two_editors):
    feature, editor, colleague, save_as = two_editors
    opened = admin_form(feature)
    removed = {**opened, "participants-1-DELETE": "on", "body_source": "Maya Ortiz: Why?"}
    assert save_as(colleague, removed).status_code == 302
    edited = opened["body_source"].replace("The fog.", "The fog, mostly.")
    refused = save_as(editor, {**opened, "body_source": edited})
    html = refused.content.decode()
    assert "You both changed Body" in html and "You both changed Participants" in html
    again = save_as(editor, as_sent_again(refused))
    assert again.status_code == 302, again.context["adminform"].form.errors
    saved = Feature.objects.get(pk=feature.pk)
    assert saved.body_source() == edited and saved.participants.count() == 2


def test_a_time_the_page_did_not_send_is_kept(client, editor):
    feature = interview(dek="A dek.")
    Feature.objects.filter(pk=feature.pk).update(published_at="2023-09-20T14:00:00Z")
    data = admin_form(feature, headline="Edited")
    del data["published_at_0"], data["published_at_1"]  # read-only when the page was opened
    client.force_login(editor)
    assert client.post(change_url(feature), data).status_code == 302
    saved = Feature.objects.get(pk=feature.pk)
    assert saved.headline == "Edited" and saved.published_at.year == 2023


def test_saving_an_unpublished_piece_untouched_changes_nothing(client, editor):
    from features import revisions, services
    from tests.factories import ParticipantFactory, write_body

    feature = interview(dek="A dek.")
    ParticipantFactory(feature=feature, role="guest", order=3)
    write_body(feature, Feature.objects.get(pk=feature.pk).body_source())
    services.move_feature(feature=feature, move="publish", user=editor)
    services.move_feature(feature=feature, move="unpublish", user=editor)
    client.force_login(editor)
    assert client.post(change_url(feature), admin_form(feature)).status_code == 302
    last, before = Feature.objects.get(pk=feature.pk).revisions.all()[:2]
    assert revisions.field_changes(before.content, last.content) == []


def test_the_form_refuses_to_work_without_knowing_who_saves():
    from django.core.exceptions import ImproperlyConfigured

    from features.forms import FeatureAdminForm

    with pytest.raises(ImproperlyConfigured):
        FeatureAdminForm()

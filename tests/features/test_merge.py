"""Nothing a colleague saved is lost: after a refused save, every part of the feature they
changed and this editor did not is brought into the form, and parts both changed are named.

Each part of features.content.PARTS is changed by a colleague through the real admin form
while an editor has the feature open; the test fails for a part nobody declared here.
"""

import pytest

from features import content
from features.content import FeatureContent
from features.models import Feature
from tests.factories import FilmFactory, ImageFactory, PersonFactory, SeriesFactory
from tests.features.editing import admin_form, change_url, interview

pytestmark = pytest.mark.django_db


def add_participant(label):
    def change(data):
        person = PersonFactory(name="Ana Lucía Vega")
        return {
            "participants-TOTAL_FORMS": "3",
            "participants-2-person": str(person.pk),
            "participants-2-role": "guest",
            "participants-2-label": label,
            "participants-2-order": "1",  # between the interviewer and the first guest
        }

    return change


# part: (the colleague's change, this editor's own different change), as form data
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
    "participants": (add_participant("Birdwatcher"), lambda d: {"participants-1-label": "Keeper"}),
    "films": (
        lambda d: {"films": [str(FilmFactory(title="Their film").pk)]},
        lambda d: {"films": [str(FilmFactory(title="My film").pk)]},
    ),
    "tags": (lambda d: {"tags": "Sea, Fog"}, lambda d: {"tags": "Island"}),
    "body": (
        lambda d: {"body_source": d["body_source"] + "\n\nMaya Ortiz: And the light?"},
        lambda d: {"body_source": d["body_source"].replace("The fog.", "The sea.")},
    ),
}


def test_every_part_of_a_feature_has_a_merge_case():
    assert set(CHANGES) == {part.name for part in content.PARTS}


def state(feature, part_name):
    """The part as saved now, in the terms the merge compares."""
    part = content.PARTS_BY_NAME[part_name]
    saved = Feature.objects.get(pk=feature.pk)
    return part.same(content.dump(FeatureContent.of(saved))[part_name])


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
    assert f"Their changes to {label}, which you had not touched, are now in the form." in html

    # What the browser sends back from the refused page: their part, and this editor's change.
    again = save_as(editor, refused.context["adminform"].form.data)
    assert again.status_code == 302, again.context["adminform"].form.errors
    assert state(feature, part_name) == their_state
    other = other_part(part_name)
    assert getattr(Feature.objects.get(pk=feature.pk), other) == mine[other]


@pytest.mark.parametrize("part_name", list(CHANGES))
def test_a_part_both_changed_is_named_and_the_editors_version_is_kept(two_editors, part_name):
    feature, editor, colleague, save_as = two_editors
    opened = admin_form(feature)
    base_state = state(feature, part_name)
    theirs, mine = CHANGES[part_name]
    assert save_as(colleague, {**opened, **theirs(opened)}).status_code == 302
    their_state = state(feature, part_name)

    refused = save_as(editor, {**opened, **mine(opened)})
    label = content.PARTS_BY_NAME[part_name].label
    assert f"You both changed {label}: the form shows your version" in refused.content.decode()

    again = save_as(editor, refused.context["adminform"].form.data)
    assert again.status_code == 302, again.context["adminform"].form.errors
    assert state(feature, part_name) not in (their_state, base_state)


def test_a_save_after_only_a_workflow_move_is_not_refused(two_editors):
    feature, editor, colleague, save_as = two_editors
    opened = admin_form(feature)
    client_response = save_as(colleague, opened)  # a save that changes nothing
    assert client_response.status_code == 302
    assert save_as(editor, {**opened, "headline": "Mine"}).status_code == 302
    assert Feature.objects.get(pk=feature.pk).headline == "Mine"


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
    assert save_as(editor, refused.context["adminform"].form.data).status_code == 302
    saved = Feature.objects.get(pk=feature.pk)
    assert getattr(saved, f"{field}_id") is None and saved.dek == "My dek"

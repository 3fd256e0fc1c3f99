import re

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from features import services
from features.body import blocks_of
from features.models import Feature, StatusChange
from tests.factories import (
    CreditFactory,
    FeatureFactory,
    ImageFactory,
    ParticipantFactory,
    PersonFactory,
    WatchOptionFactory,
    make_feature,
)
from tests.features.editing import admin_form, change_url, interview

pytestmark = pytest.mark.django_db


def without_ids(stored_body):
    return [{k: v for k, v in block.items() if k != "id"} for block in blocks_of(stored_body)]


def one_of_each():
    """At least one saved row of every model the admin manages."""
    feature = FeatureFactory()
    feature.tags.add("A tag")
    Group.objects.create(name="Editors")
    ParticipantFactory(feature=feature)
    StatusChange.objects.create(feature=feature, from_status="draft", to_status="review")
    CreditFactory()
    WatchOptionFactory()
    ImageFactory()
    attempt = {"ip_address": "203.0.113.7", "username": "someone", "user_agent": "test"}
    AccessAttempt.objects.create(**attempt, failures_since_start=1)
    AccessFailureLog.objects.create(**attempt)
    AccessLog.objects.create(**attempt)


@pytest.mark.parametrize(
    "model", list(admin.site._registry), ids=lambda model: model._meta.label_lower
)
def test_every_admin_page_loads_for_a_superuser(superuser_client, model, rf, django_user_model):
    one_of_each()
    opts = model._meta
    prefix = f"admin:{opts.app_label}_{opts.model_name}"
    obj = model._default_manager.first()
    assert obj is not None
    request = rf.get("/")
    request.user = django_user_model.objects.get(username="editor")
    can_add = admin.site._registry[model].has_add_permission(request)
    for url, expected in [
        (reverse(f"{prefix}_changelist"), 200),
        (reverse(f"{prefix}_changelist") + "?q=a", 200),
        (reverse(f"{prefix}_add"), 200 if can_add else 403),
        (reverse(f"{prefix}_change", args=[obj.pk]), 200),
    ]:
        assert superuser_client.get(url).status_code == expected, url


def feature_form(**overrides):
    """The POST data of the feature admin form, with one interviewer and one guest."""
    interviewer, guest = PersonFactory(name="Maya Ortiz"), PersonFactory(name="Tomás Reyes")
    data = {
        "headline": "On the island",
        "slug": "on-the-island",
        "dek": "A year of fog.",
        "status": "draft",
        "tags": "Documentary, Sea",
        "body_source": "Maya Ortiz: Why?\n\nTomás Reyes: The fog.",
        "participants-TOTAL_FORMS": "2",
        "participants-INITIAL_FORMS": "0",
        "participants-MIN_NUM_FORMS": "0",
        "participants-MAX_NUM_FORMS": "1000",
        "participants-0-person": str(interviewer.pk),
        "participants-0-role": "interviewer",
        "participants-0-order": "0",
        "participants-1-person": str(guest.pk),
        "participants-1-role": "guest",
        "participants-1-label": "Keeper",
        "participants-1-order": "1",
    }
    data.update(overrides)
    return data, interviewer, guest


def test_editor_creates_a_feature_with_participants_and_a_body(superuser_client):
    data, interviewer, guest = feature_form()
    response = superuser_client.post(reverse("admin:features_feature_add"), data)
    assert response.status_code == 302
    feature = Feature.objects.get(slug="on-the-island")
    assert [p.person for p in feature.participants.all()] == [interviewer, guest]
    assert without_ids(feature.body) == [
        {"type": "question", "speaker": interviewer.pk, "text": "Why?"},
        {"type": "answer", "speaker": guest.pk, "text": "The fog."},
    ]
    assert sorted(feature.tags.names()) == ["Documentary", "Sea"]


def test_body_naming_a_stranger_is_refused_and_the_editors_text_is_kept(superuser_client):
    data, *_ = feature_form(body_source="Maya Ortiz: Why?\n\nJane Doe: Because.")
    response = superuser_client.post(reverse("admin:features_feature_add"), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Line 3: “Jane Doe” is not a participant of this feature" in html
    assert "Jane Doe: Because.</textarea>" in html
    assert not Feature.objects.exists()


def test_editing_a_body_against_a_removed_participant_is_refused_and_nothing_is_lost(
    superuser_client,
):
    data, interviewer, guest = feature_form()
    superuser_client.post(reverse("admin:features_feature_add"), data)
    feature = Feature.objects.get()
    saved_body = feature.body
    participants = {p.person_id: p.pk for p in feature.participants.all()}
    change = {
        **data,
        "loaded_version": str(feature.version),
        "headline": "Changed headline",
        "participants-INITIAL_FORMS": "2",
        "participants-0-id": str(participants[interviewer.pk]),
        "participants-0-feature": str(feature.pk),
        "participants-1-id": str(participants[guest.pk]),
        "participants-1-feature": str(feature.pk),
        "participants-1-DELETE": "on",
    }
    response = superuser_client.post(
        reverse("admin:features_feature_change", args=[feature.pk]), change
    )
    assert response.status_code == 200
    assert "“Tomás Reyes” is not a participant" in response.content.decode()
    feature.refresh_from_db()
    assert feature.headline == "On the island"
    assert feature.body == saved_body
    assert feature.participants.count() == 2


def test_change_form_shows_the_body_as_editable_text(superuser_client):
    data, *_ = feature_form()
    superuser_client.post(reverse("admin:features_feature_add"), data)
    feature = Feature.objects.get()
    response = superuser_client.get(reverse("admin:features_feature_change", args=[feature.pk]))
    assert "Maya Ortiz: Why?\n\nTomás Reyes: The fog.</textarea>" in response.content.decode()


def test_the_same_person_cannot_be_added_twice(superuser_client):
    data, interviewer, _ = feature_form(**{"participants-1-person": ""})
    data["participants-1-person"] = str(interviewer.pk)
    data["body_source"] = ""
    response = superuser_client.post(reverse("admin:features_feature_add"), data)
    assert response.status_code == 200
    assert "Please correct the duplicate data for person" in response.content.decode()
    assert not Feature.objects.exists()


def test_person_autocomplete_finds_people_by_name(superuser_client):
    PersonFactory(name="José Hernández")
    response = superuser_client.get(
        reverse("admin:autocomplete"),
        {
            "term": "José",
            "app_label": "features",
            "model_name": "participant",
            "field_name": "person",
        },
    )
    assert [result["text"] for result in response.json()["results"]] == ["José Hernández"]


def saved_feature(client):
    data, interviewer, guest = feature_form()
    client.post(reverse("admin:features_feature_add"), data)
    feature = Feature.objects.get()
    ids = {p.person_id: p.pk for p in feature.participants.all()}
    change_data = {
        **data,
        "loaded_version": str(feature.version),
        "participants-INITIAL_FORMS": "2",
        "participants-0-id": str(ids[interviewer.pk]),
        "participants-0-feature": str(feature.pk),
        "participants-1-id": str(ids[guest.pk]),
        "participants-1-feature": str(feature.pk),
    }
    return feature, change_data


def test_body_edit_is_saved_even_when_a_deleted_row_had_errors(superuser_client):
    feature, data = saved_feature(superuser_client)
    data.update(
        {
            "body_source": "Maya Ortiz: A new question?",
            "participants-TOTAL_FORMS": "3",
            "participants-2-person": "999999",  # a broken row the editor also deletes
            "participants-2-role": "guest",
            "participants-2-order": "2",
            "participants-2-DELETE": "on",
        }
    )
    response = superuser_client.post(
        reverse("admin:features_feature_change", args=[feature.pk]), data
    )
    assert response.status_code == 302
    feature.refresh_from_db()
    assert blocks_of(feature.body)[0]["text"] == "A new question?"


def test_an_editor_with_only_feature_permissions_still_edits_participants_and_body(
    client, django_user_model
):
    editor = django_user_model.objects.create_user("writer", password="pw", is_staff=True)
    editor.user_permissions.set(
        Permission.objects.filter(
            codename__in=["add_feature", "change_feature", "view_feature", "view_person"]
        )
    )
    client.force_login(editor)
    feature, data = saved_feature(client)
    data["body_source"] = "Maya Ortiz: Edited by the writer?"
    response = client.post(reverse("admin:features_feature_change", args=[feature.pk]), data)
    assert response.status_code == 302
    feature.refresh_from_db()
    assert blocks_of(feature.body)[0]["text"] == "Edited by the writer?"


def test_tags_without_letters_are_refused(superuser_client):
    data, *_ = feature_form(tags="!!!, Good tag")
    response = superuser_client.post(reverse("admin:features_feature_add"), data)
    assert "Tags need at least one letter or digit: “!!!”." in response.content.decode()
    assert not Feature.objects.exists()


def change_form_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_feature_change_form_costs_at_most_one_query_per_participant_row(superuser_client):
    # Django's autocomplete widget looks up its selected person: one query a row, no more.
    small, large = make_feature(guests=1), make_feature(guests=9)
    change = "admin:features_feature_change"
    change_form_queries(superuser_client, reverse(change, args=[small.pk]))  # warm caches
    extra = change_form_queries(
        superuser_client, reverse(change, args=[large.pk])
    ) - change_form_queries(superuser_client, reverse(change, args=[small.pk]))
    assert extra <= 8


# Editor traps ---------------------------------------------------------------------------


def published_interview():
    feature = interview()
    return services.move_feature(feature=feature, move="publish", user=None)


def test_participants_sit_right_above_the_body_and_its_errors_stay_at_the_body(
    superuser_client,
):
    feature = published_interview()
    response = superuser_client.post(change_url(feature), admin_form(feature, body_source=""))
    form = response.context["adminform"].form
    assert form.errors["body_source"] == ["Write the body."]
    html = response.content.decode()
    assert html.index('id="participants-group"') < html.index('id="id_body_source"')
    assert html.index('id="id_hero_image"') < html.index('id="participants-group"')


def test_a_public_piece_losing_its_guest_is_told_so_at_the_participants(superuser_client):
    feature = published_interview()
    data = admin_form(feature, body_source="Maya Ortiz: Why?", **{"participants-1-DELETE": "on"})
    response = superuser_client.post(change_url(feature), data)
    formset = response.context["inline_admin_formsets"][0].formset
    assert "Add at least one guest under Participants." in formset.non_form_errors()


def test_a_publication_time_on_a_draft_says_the_piece_stays_a_draft(superuser_client):
    feature = interview()
    data = admin_form(feature, published_at_0="2040-01-02", published_at_1="09:30:00")
    response = superuser_client.post(change_url(feature), data, follow=True)
    html = response.content.decode()
    assert "stays a draft and unseen by readers" in html
    assert reverse("admin:features_feature_move", args=[feature.pk, "schedule"]) in html
    assert Feature.objects.get(pk=feature.pk).status == "draft"


def test_a_participant_row_has_no_role_until_the_editor_chooses_one(superuser_client):
    html = superuser_client.get(reverse("admin:features_feature_add")).content.decode()
    select = re.search(r'<select name="participants-0-role".*?</select>', html, re.S)[0]
    assert '<option value="" selected>' in select
    data, *_ = feature_form(**{"participants-1-role": ""})
    response = superuser_client.post(reverse("admin:features_feature_add"), data)
    assert "Choose Interviewer or Guest." in response.content.decode()
    assert not Feature.objects.exists()


def test_saving_a_piece_without_an_interviewer_warns_that_it_has_no_byline(superuser_client):
    data, *_ = feature_form(**{"participants-0-role": "guest"}, body_source="")
    response = superuser_client.post(reverse("admin:features_feature_add"), data, follow=True)
    assert "has no interviewer, so readers see no byline" in response.content.decode()


def test_the_change_form_lists_what_is_missing_for_publication_with_links(superuser_client):
    feature = interview(dek="", hero_image=None)
    html = superuser_client.get(change_url(feature)).content.decode()
    assert '<a href="#id_dek">Write a dek' in html
    assert '<a href="#id_hero_image">Choose a hero image.</a>' in html
    published = published_interview()
    assert "Before it can be published" not in (
        superuser_client.get(change_url(published)).content.decode()
    )


@pytest.mark.parametrize("move", ["publish", "schedule"])
def test_the_confirmation_page_offers_no_button_while_something_is_missing(superuser_client, move):
    feature = interview(dek="")
    url = reverse("admin:features_feature_move", args=[feature.pk, move])
    html = superuser_client.get(url).content.decode()
    assert f'value="{services.MOVES[move].label}"' not in html
    assert f'<a href="{change_url(feature)}#id_dek">Write a dek' in html
    superuser_client.post(url, {"publish_at": "2040-01-02T09:30"})
    assert Feature.objects.get(pk=feature.pk).status == "draft"

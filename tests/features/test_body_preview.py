"""The live preview of a feature's body, rendered by the server from the form as it is."""

import json

import pytest
from django.urls import reverse

from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

URL = reverse("admin:features_feature_body_preview")


@pytest.fixture
def cast():
    return {
        "maya": PersonFactory(name="Maya Ortiz"),
        "tomas": PersonFactory(name="Tomás Reyes"),
    }


def preview(client, text, people=(), payload=None):
    payload = payload or {
        "body": text,
        "participants": [{"person": person.pk, "role": role} for person, role in people],
    }
    body = payload if isinstance(payload, bytes) else json.dumps(payload)
    return client.post(URL, body, content_type="application/json")


def test_each_paragraph_is_shown_as_readers_see_it_with_its_speaker(superuser_client, cast):
    response = preview(
        superuser_client,
        "On the island.\n\nMaya: Why?\n\nTomas Reyes: The fog.",
        [(cast["maya"], "interviewer"), (cast["tomas"], "guest")],
    )
    assert response.status_code == 200
    answer = response.json()
    assert answer["problems"] == []
    page = answer["html"]
    assert "newsmuse/site.css" in page
    assert 'class="qa qa--question"' in page and "Maya Ortiz:</strong> Why?" in page
    assert 'class="qa qa--answer"' in page and "Tomás Reyes:</strong> The fog." in page
    assert '<p id="b-line-1">On the island.</p>' in page


def test_an_unknown_speaker_is_marked_where_it_is_and_the_rest_still_shows(superuser_client, cast):
    response = preview(
        superuser_client,
        "Maya: Why?\n\nSomeone Else: Who am I?\n\nTomás: The fog.",
        [(cast["maya"], "interviewer"), (cast["tomas"], "guest")],
    )
    answer = response.json()
    assert answer["newcomers"] == [{"name": "Someone Else", "lines": [3]}]
    page = answer["html"]
    assert "Line 3: “Someone Else” is not a participant" in page
    marked = page[page.index("body-preview__problem") :]
    assert "Someone Else: Who am I?" in marked
    assert "Tomás Reyes:</strong> The fog." in page


def test_editor_text_is_escaped(superuser_client, cast):
    response = preview(
        superuser_client, "Tomás: <script>alert(1)</script>", [(cast["tomas"], "guest")]
    )
    page = response.json()["html"]
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_an_empty_body_says_where_the_preview_will_be(superuser_client):
    assert "as readers will see it" in preview(superuser_client, "").json()["html"]


def test_people_not_on_the_form_are_not_speakers(superuser_client, cast):
    response = preview(superuser_client, "Tomás: Hello.", [])
    tomas = {"id": cast["tomas"].pk, "name": "Tomás Reyes"}  # from the people list
    assert response.json()["newcomers"] == [{"name": "Tomás", "lines": [1], "person": tomas}]


def test_a_short_name_beside_the_full_one_is_the_same_newcomer(superuser_client):
    answer = preview(superuser_client, "Lena Park: Hello.\n\nAna: Hi.\n\nlena: Again.").json()
    assert answer["newcomers"] == [
        {"name": "Lena Park", "lines": [1, 5]},
        {"name": "Ana", "lines": [3]},
    ]


def test_a_name_several_people_in_the_list_could_be_is_not_offered(superuser_client, cast):
    PersonFactory(name="Maya Reyes")
    answer = preview(superuser_client, "Reyes: Hello.\n\nMaya Ortiz: Hi.").json()
    maya = {"id": cast["maya"].pk, "name": "Maya Ortiz"}
    assert answer["newcomers"] == [{"name": "Maya Ortiz", "lines": [3], "person": maya}]
    assert answer["problems"] == [
        "Line 1: “Reyes” is not a participant of this feature (participants: nobody yet). "
        "Add them under Participants or correct the name; if this paragraph is not speech, "
        "start it with a backslash (\\)."
    ]


def test_names_that_speak_but_are_nobody_on_the_form_are_offered_once_each(superuser_client, cast):
    text = "\n\n".join(
        [
            "Maya: Why?",
            "Lena Park: Because.",
            "Tomás: The fog.",
            "LENA PARK: Again.",
            "Ana Díaz: Hello.",
        ]
    )
    answer = preview(
        superuser_client, text, [(cast["maya"], "interviewer"), (cast["tomas"], "guest")]
    ).json()
    assert answer["newcomers"] == [  # in the order they first speak
        {"name": "Lena Park", "lines": [3, 7]},
        {"name": "Ana Díaz", "lines": [9]},
    ]
    assert answer["problems"] == []  # said once with each offer, not line by line
    page = answer["html"]
    assert page.count("body-preview__problem") == 3  # yet each line is marked where it is


def test_who_may_not_add_people_gets_each_line_said_and_no_offer(client, django_user_model, cast):
    from django.contrib.auth.models import Permission

    writer = django_user_model.objects.create_user("writer", password="pw", is_staff=True)
    writer.user_permissions.add(
        *Permission.objects.filter(codename__in=["add_feature", "change_feature"])
    )
    client.force_login(writer)
    answer = preview(client, "Maya: Why?\n\nLena Park: Because.", [(cast["maya"], "interviewer")])
    assert answer.json()["newcomers"] == []
    assert answer.json()["problems"][0].startswith("Line 3: “Lena Park” is not a participant")


def test_a_name_two_participants_share_is_not_offered_as_a_newcomer(superuser_client, cast):
    maya_reyes = PersonFactory(name="Maya Reyes")
    answer = preview(
        superuser_client,
        "Maya: Why?",
        [(cast["maya"], "interviewer"), (maya_reyes, "guest")],
    ).json()
    assert answer["problems"][0].startswith("Line 1: “Maya” could be more than one")
    assert answer["newcomers"] == []


def test_a_body_full_of_labels_offers_only_a_few_newcomers(superuser_client):
    from features.admin_views import PREVIEW_MAX_NEWCOMERS

    labels = [f"Note {a}{b}" for a in "ABCDE" for b in "abcdefghij"]
    text = "\n\n".join(f"{label}: words." for label in labels)
    answer = preview(superuser_client, text).json()
    assert len(answer["newcomers"]) == PREVIEW_MAX_NEWCOMERS
    assert len(answer["problems"]) == 50 - PREVIEW_MAX_NEWCOMERS  # the rest, line by line


@pytest.mark.parametrize(
    "payload",
    [
        b"not json",
        b"[]",
        b'{"body": 5, "participants": []}',
        b'{"body": "x"}',
        b'{"body": "x", "participants": [{"person": "abc"}]}',
        b'{"body": "x", "participants": ["abc"]}',
        b'{"body": "x", "participants": {"a": 1}}',
        ("[" * 50_000 + "]" * 50_000).encode(),
        b'{"body": "x", "participants": [{"person": 1e999}]}',
    ],
)
def test_bad_requests_get_a_clear_400(superuser_client, payload):
    response = preview(superuser_client, "", payload=payload)
    assert response.status_code == 400
    assert response.json()["error"]


def test_huge_or_hostile_input_is_answered(superuser_client, cast):
    people = [{"person": 2**70, "role": "guest"}, {"person": -1}, {"person": cast["tomas"].pk}]
    text = "Tomás: \x00 fog " * 50_000
    response = preview(superuser_client, "", payload={"body": text, "participants": people})
    assert response.status_code == 200


def test_only_staff_who_write_features_may_preview(client, django_user_model, cast):
    assert preview(client, "Hello").status_code == 302  # to sign in
    reader = django_user_model.objects.create_user("reader", password="pw", is_staff=True)
    client.force_login(reader)
    assert preview(client, "Hello").status_code == 403


def test_only_post(superuser_client):
    assert superuser_client.get(URL).status_code == 405


def test_the_form_carries_the_preview_address(superuser_client):
    page = superuser_client.get(reverse("admin:features_feature_add")).content.decode()
    assert f'data-url="{URL}"' in page


def test_what_the_save_would_refuse_of_the_whole_body_is_said_too(superuser_client, cast):
    from features.body import MAX_BLOCKS, MAX_SOURCE_LENGTH

    many = "\n\n".join(f"Paragraph {n}." for n in range(MAX_BLOCKS + 5))
    problems = preview(superuser_client, many).json()["problems"]
    assert problems == [f"The body has more than {MAX_BLOCKS:,} blocks, the limit."]
    long = "x" * (MAX_SOURCE_LENGTH + 1)
    assert "The body is too long" in preview(superuser_client, long).json()["problems"][0]

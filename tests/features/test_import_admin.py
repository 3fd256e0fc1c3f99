"""Importing an interview in the admin: upload, preview (nothing saved), confirm."""

import html
import re

import pytest
from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from features.admin_views import PENDING_IMPORT
from features.body import blocks_of
from features.models import Feature
from features.transcripts import MAX_FILE_BYTES
from people.models import Person
from tests.factories import FeatureFactory, FilmFactory, PersonFactory, SeriesFactory
from tests.features.test_import_feature import FRONT_MATTER, MARKDOWN_BODY, WEBVTT, row_counts

pytestmark = pytest.mark.django_db

IMPORT_URL = reverse("admin:features_feature_import")
CONFIRM_URL = reverse("admin:features_feature_import_confirm")


@pytest.fixture
def desk():
    """The people, film and series the files name."""
    SeriesFactory(slug="studio-notes", name="Studio Notes")
    FilmFactory(title="The Keeper's Ledger", slug="the-keepers-ledger", year=2023)
    return PersonFactory(name="Maya Ortiz"), PersonFactory(name="Tomás Reyes")


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


def markdown_file(*, slug="back-to-the-lighthouse", body=MARKDOWN_BODY, name="lighthouse.md"):
    text = f"+++\n{FRONT_MATTER.format(slug=slug)}+++\n{body}"
    return SimpleUploadedFile(name, text.encode())


def transcript_files(text=WEBVTT, *, slug="back-to-the-lighthouse"):
    return {
        "interview": SimpleUploadedFile("talk.vtt", text.encode()),
        "front_matter": SimpleUploadedFile("talk.toml", FRONT_MATTER.format(slug=slug).encode()),
    }


def upload(client, **data):
    data.setdefault("interview", markdown_file())
    return client.post(IMPORT_URL, data)


def confirm(client, response, **data):
    """Confirm the preview ``response`` shows."""
    return client.post(CONFIRM_URL, {"token": response.context["token"], **data})


def page_text(response) -> str:
    """The page as an editor reads it: tags dropped, spaces collapsed."""
    text = html.unescape(re.sub(r"<[^>]+>", "", response.content.decode()))
    return " ".join(text.split())


def problems(response) -> list[str]:
    return [str(problem) for problem in response.context["problems"]]


# Who may import ------------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_sign_in(client):
    for response in (client.get(IMPORT_URL), client.post(CONFIRM_URL)):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))


def test_staff_without_permission_to_add_features_are_refused(client, django_user_model):
    writer = django_user_model.objects.create_user("writer", password="pw", is_staff=True)
    client.force_login(writer)
    assert client.get(IMPORT_URL).status_code == 403
    assert upload(client).status_code == 403
    assert client.post(CONFIRM_URL, {"token": "x"}).status_code == 403


def test_the_feature_list_offers_the_import_to_those_who_may_add_features(
    editor_client, client, django_user_model
):
    changelist = reverse("admin:features_feature_changelist")
    assert f'href="{IMPORT_URL}"' in editor_client.get(changelist).content.decode()

    reader = django_user_model.objects.create_user("reader", password="pw", is_staff=True)
    reader.user_permissions.add(Permission.objects.get(codename="view_feature"))
    reader_client = Client()
    reader_client.force_login(reader)
    response = reader_client.get(changelist)
    assert response.status_code == 200
    assert IMPORT_URL not in response.content.decode()


def test_confirming_needs_the_csrf_token(editor):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(editor)
    assert strict.post(CONFIRM_URL, {"token": "x"}).status_code == 403
    assert strict.post(IMPORT_URL, {"interview": markdown_file()}).status_code == 403


# Preview -------------------------------------------------------------------------------------


def test_the_upload_page_explains_both_kinds_of_file(editor_client):
    text = page_text(editor_client.get(IMPORT_URL))
    assert "Interview file" in text and "Front matter" in text
    assert "its front matter as a separate .toml file" in text
    assert "Create missing people and films" in text  # an editor may
    assert "Publish it now" in text


def test_the_preview_shows_what_would_be_saved_and_writes_nothing(editor_client, desk):
    before = row_counts()
    response = upload(editor_client)
    assert response.status_code == 200
    assert row_counts() == before
    text = page_text(response)
    assert "This creates a new draft" in text
    for shown in [
        "Back to the lighthouse",
        "A documentary maker returns to the island.",
        "Studio Notes",
        "Maya Ortiz, interviewer",
        "Tomás Reyes, guest (Director)",
        "The Keeper's Ledger (2023)",
        "islands, documentary",
        "The interview (3 blocks)",
        "The conversation took place on the island.",
        "Maya Ortiz question What brought you back?",
        "Tomás Reyes answer The fog, mostly.",
    ]:
        assert shown in text
    assert editor_client.session[PENDING_IMPORT]["files"][0][0] == "lighthouse.md"


def test_a_transcript_preview_shows_each_answer_with_its_start(editor_client, desk):
    response = upload(editor_client, **transcript_files())
    text = page_text(response)
    assert "00:00:01.000 Maya Ortiz question What brought you back?" in text
    assert "00:00:04.500 Tomás Reyes answer The fog, mostly." in text
    assert not Feature.objects.exists()


def test_an_existing_slug_is_previewed_as_an_update(editor_client, desk):
    feature = FeatureFactory(slug="back-to-the-lighthouse", headline="The old headline")
    response = upload(editor_client)
    text = page_text(response)
    assert "This updates an existing feature" in text
    assert "The old headline" in text
    assert f'href="{reverse("admin:features_feature_change", args=[feature.pk])}"' in (
        response.content.decode()
    )
    feature.refresh_from_db()
    assert feature.headline == "The old headline"


def test_people_and_films_to_create_are_listed(editor_client):
    SeriesFactory(slug="studio-notes")
    response = upload(editor_client, create_missing="on")
    assert response.context["result"].created == [
        "person “Maya Ortiz”",
        "person “Tomás Reyes”",
        "film “The Keeper's Ledger”",
    ]
    assert "Importing also creates: the person “Maya Ortiz”" in page_text(response)
    assert not Person.objects.exists()


# Problems --------------------------------------------------------------------------------------


def test_problems_are_listed_with_their_lines_in_the_commands_words(editor_client, desk):
    response = upload(
        editor_client, **transcript_files(WEBVTT.replace("<v Tomás Reyes>The", "<v Ana>The"))
    )
    assert problems(response) == [
        "talk.vtt:6: transcript: “Ana” is not a participant of this feature (participants: "
        "Maya Ortiz, Tomás Reyes). Add them under Participants or correct the name."
    ]
    assert problems(response)[0] in page_text(response)
    assert "Nothing was imported: 1 problem." in page_text(response)
    assert PENDING_IMPORT not in editor_client.session


def test_missing_people_point_at_the_option_to_create_them(editor_client):
    SeriesFactory(slug="studio-notes")
    text = page_text(upload(editor_client))
    assert "lighthouse.md:6: interviewers: There is no person “Maya Ortiz” in People" in text
    assert "Tick “Create missing people and films” to create them." in text


def test_a_transcript_without_its_front_matter_is_refused(editor_client, desk):
    response = upload(editor_client, interview=transcript_files()["interview"])
    assert problems(response)[0].startswith(
        "talk.vtt: file: A transcript needs its front matter in a .toml file"
    )


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (
            "+++\nheadline = 'Café'\n+++\n".encode("cp1252"),
            "a.md:2: encoding: The file is not UTF-8",
        ),
        (b"+++\nheadline = 'a\x00'\n+++\n", "a.md:2: file: The file contains a control character"),
        (
            b'+++\nheadline = "A"\n+++\n<!ENTITY a "aaaa">\n',
            "a.md:4: file: Markup declarations (<!DOCTYPE …>, <!ENTITY …>) are not allowed.",
        ),
    ],
)
def test_hostile_files_get_a_clear_message_and_nothing_is_saved(editor_client, data, expected):
    response = upload(editor_client, interview=SimpleUploadedFile("a.md", data))
    assert response.status_code == 200
    assert problems(response)[0].startswith(expected)
    assert not Feature.objects.exists()


def test_a_file_over_the_limit_is_refused_on_the_form(editor_client):
    huge = SimpleUploadedFile("huge.srt", b"x" * (MAX_FILE_BYTES + 1))
    response = upload(editor_client, interview=huge)
    assert response.context["form"].errors["interview"] == [
        "The file is 5,242,881 bytes; the limit is 5,242,880. Split the interview."
    ]
    assert PENDING_IMPORT not in editor_client.session


# Confirm ---------------------------------------------------------------------------------------


def test_confirm_creates_a_draft_with_the_answers_and_their_starts(editor_client, editor, desk):
    maya, tomas = desk
    preview = upload(editor_client, **transcript_files())
    response = confirm(editor_client, preview)
    feature = Feature.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:features_feature_change", args=[feature.pk])
    assert (feature.status, feature.created_by) == (Feature.Status.DRAFT, editor)
    assert [(b["type"], b["speaker"], b["text"], b["start"]) for b in blocks_of(feature.body)] == [
        ("question", maya.pk, "What brought you back?", 1.0),
        ("answer", tomas.pk, "The fog, mostly.", 4.5),
    ]
    assert feature.revisions.get().note == "Imported from talk.vtt"
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Imported “Back to the lighthouse”: created as a draft."
    ]
    assert PENDING_IMPORT not in editor_client.session


def test_confirm_updates_the_feature_with_the_slug(editor_client, desk):
    upload_and_confirm = confirm(editor_client, upload(editor_client))
    assert upload_and_confirm.status_code == 302
    changed = MARKDOWN_BODY.replace("mostly.", "mostly, and the quiet.")
    response = confirm(editor_client, upload(editor_client, interview=markdown_file(body=changed)))
    feature = Feature.objects.get()
    assert blocks_of(feature.body)[2]["text"] == "The fog, mostly, and the quiet."
    assert feature.version == 2
    assert "updated" in [str(m) for m in get_messages(response.wsgi_request)][-1]


def test_an_editor_can_publish_and_create_people_on_import(editor_client, editor):
    SeriesFactory(slug="studio-notes")
    response = upload(editor_client, create_missing="on")
    confirm(editor_client, response)
    feature = Feature.objects.get()
    assert feature.participants.count() == 2
    assert Person.objects.get(name="Tomás Reyes").slug == "tomas-reyes"


def test_a_contributor_imports_a_draft_of_their_own_but_may_not_publish_or_create_people(
    client, contributor, desk
):
    client.force_login(contributor)
    text = page_text(client.get(IMPORT_URL))
    assert "Publish it now" not in text and "Create missing" not in text

    response = upload(client, publish="on", create_missing="on")  # not theirs to ask
    confirm(client, response)
    feature = Feature.objects.get()
    assert (feature.status, feature.created_by) == (Feature.Status.DRAFT, contributor)

    stranger = markdown_file(slug="new").read().replace(b"Maya Ortiz", b"Ana Vega")
    text = page_text(
        upload(client, interview=SimpleUploadedFile("new.md", stranger), create_missing="on")
    )
    assert "There is no person “Ana Vega” in People; add it there first." in text
    assert "Ask an editor to add them under People and Films." in text
    assert not Person.objects.filter(name="Ana Vega").exists()


def test_a_contributor_may_not_update_someone_elses_feature(client, contributor, desk):
    feature = FeatureFactory(slug="back-to-the-lighthouse", headline="Theirs")
    client.force_login(contributor)
    assert problems(upload(client)) == [f"lighthouse.md: feature: You may not change “{feature}”."]


def test_confirm_checks_everything_again(editor_client, desk):
    maya, _ = desk
    preview = upload(editor_client)
    maya.delete()
    response = confirm(editor_client, preview)
    assert response.status_code == 200
    assert problems(response)[0].startswith("lighthouse.md:6: interviewers: There is no person")
    assert not Feature.objects.exists()


def test_an_outcome_that_changed_since_the_preview_is_previewed_again(editor_client, desk):
    preview = upload(editor_client)
    FeatureFactory(slug="back-to-the-lighthouse", headline="Made meanwhile")
    response = confirm(editor_client, preview)
    assert response.status_code == 200
    assert "This updates an existing feature" in page_text(response)
    assert Feature.objects.get().headline == "Made meanwhile"  # nothing saved

    confirm(editor_client, response)
    assert Feature.objects.get().headline == "Back to the lighthouse"


def test_only_the_latest_preview_can_be_confirmed(editor_client, desk):
    first = upload(editor_client)
    upload(editor_client, interview=markdown_file(slug="another"))
    response = confirm(editor_client, first)
    assert response["Location"] == IMPORT_URL
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "That preview is out of date. Upload the file again."
    ]
    assert not Feature.objects.exists()


def test_cancel_imports_nothing_and_forgets_the_upload(editor_client, desk):
    response = confirm(editor_client, upload(editor_client), cancel="Cancel")
    assert response["Location"] == IMPORT_URL
    assert PENDING_IMPORT not in editor_client.session
    assert not Feature.objects.exists()

"""Reviewers' comments on a feature: on a part, or on one block of the body."""

import pytest
from django.urls import reverse

from features import services
from features.body import blocks_of
from features.models import Comment
from tests.features.editing import change_url, interview

pytestmark = pytest.mark.django_db


def comments_url(feature):
    return reverse("admin:features_feature_comments", args=[feature.pk])


def answer_id(feature):
    return next(b["id"] for b in blocks_of(feature.body) if b["type"] == "answer")


def test_a_reviewer_comments_on_one_answer_and_the_author_sees_it_on_the_form(
    client, editor, contributor
):
    feature = interview(created_by=contributor)
    client.force_login(editor)
    page = client.get(comments_url(feature)).content.decode()
    assert "Answer 2 by Tomás Reyes: “The fog.”" in page  # offered as a target

    response = client.post(
        comments_url(feature),
        {"target": f"block:{answer_id(feature)}", "text": "Can we have more on the fog?"},
    )
    assert response.status_code == 302
    comment = Comment.objects.get()
    assert (comment.author, comment.quote) == (editor, "The fog.")

    client.force_login(contributor)
    form = client.get(change_url(feature)).content.decode()
    assert "Open comments" in form and "Comments (1)" in form
    assert "Answer 2 by Tomás Reyes" in form and "Can we have more on the fog?" in form


def test_the_author_resolves_and_the_comment_leaves_the_form(client, contributor):
    feature = interview(created_by=contributor)
    editor_comment = services.add_comment(
        user=None, feature=feature, target="headline", text="Shorter, please."
    )
    client.force_login(contributor)
    response = client.post(comments_url(feature), {"resolve": str(editor_comment.pk)})
    assert response.status_code == 302
    editor_comment.refresh_from_db()
    assert editor_comment.resolved_by == contributor and editor_comment.resolved_at
    assert "Open comments" not in client.get(change_url(feature)).content.decode()
    assert "Resolved (1)" in client.get(comments_url(feature)).content.decode()


def test_someone_who_may_not_edit_the_piece_cannot_resolve_others_comments(
    client, contributor, editor
):
    feature = interview()  # not the contributor's own draft
    comment = services.add_comment(user=editor, feature=feature, target="dek", text="Check")
    client.force_login(contributor)
    assert client.post(comments_url(feature), {"resolve": str(comment.pk)}).status_code == 403
    assert Comment.objects.get().resolved_at is None


@pytest.mark.parametrize(
    "data, problem",
    [
        ({"target": "headline", "text": "   "}, "This field is required"),
        ({"target": "block:nope", "text": "Hi"}, "Select a valid choice"),
        ({"target": "headline", "text": "x" * 5001}, "at most 5000 characters"),
        ({"target": "headline", "text": "NUL \x00 here"}, "Null characters are not allowed"),
    ],
)
def test_bad_comments_are_refused_with_a_message_and_keep_the_text(superuser_client, data, problem):
    feature = interview()
    response = superuser_client.post(comments_url(feature), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert problem in page
    if data["text"].strip() and "\x00" not in data["text"]:
        assert data["text"] in page  # what the reviewer wrote is still in the form
    assert not Comment.objects.exists()


@pytest.mark.parametrize("chosen", ["abc", "99999999999999999999999", "-1", "12345"])
def test_resolving_a_comment_that_is_not_there_is_a_404(superuser_client, chosen):
    feature = interview()
    assert superuser_client.post(comments_url(feature), {"resolve": chosen}).status_code == 404


def test_comment_text_is_escaped(superuser_client):
    feature = interview()
    services.add_comment(
        user=None, feature=feature, target="headline", text="<script>alert(1)</script>"
    )
    for url in (comments_url(feature), change_url(feature)):
        page = superuser_client.get(url).content.decode()
        assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)" in page


def test_readers_never_see_comments(client):
    feature = services.move_feature(feature=interview(), move="publish", user=None)
    services.add_comment(user=None, feature=feature, target="dek", text="Secret desk note")
    page = client.get(feature.get_absolute_url())
    assert page.status_code == 200
    assert "Secret desk note" not in page.content.decode()
    assert "Secret desk note" not in client.get(reverse("features:feed")).content.decode()

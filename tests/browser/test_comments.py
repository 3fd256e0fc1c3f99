"""Review in place: an editor comments on one answer, the author sees it and resolves it."""

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from features.models import Comment
from tests.browser.signing_in import PASSWORD, sign_in
from tests.features.editing import change_url, interview

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_comment_on_an_answer_reaches_the_author_who_resolves_it(
    live_server, page, django_user_model
):
    call_command("setup_roles", verbosity=0)
    people = {}
    for name, group in [("writer", "Contributor"), ("desk", "Editor")]:
        people[name] = django_user_model.objects.create_user(name, password=PASSWORD, is_staff=True)
        people[name].groups.add(Group.objects.get(name=group))
    feature = interview(created_by=people["writer"])

    sign_in(page, live_server, "desk", change_url(feature))
    page.get_by_role("link", name="Comments").click()
    page.get_by_label("About").select_option(label="Answer 2 by Tomás Reyes: “The fog.”")
    page.get_by_label("Comment").fill("More on the fog, please.")
    page.get_by_role("button", name="Comment").click()
    page.get_by_text("Comment added.").wait_for()

    sign_in(page, live_server, "writer", change_url(feature))
    notes = page.locator(".open-comments")
    assert "Answer 2 by Tomás Reyes" in notes.inner_text()
    assert "More on the fog, please." in notes.inner_text()
    notes.get_by_role("link", name="Resolve…").click()
    page.get_by_role("button", name="Resolve").click()
    page.get_by_text("Comment resolved.").wait_for()
    assert Comment.objects.get().resolved_by == people["writer"]
    page.goto(f"{live_server.url}{change_url(feature)}")
    assert page.locator(".open-comments").count() == 0

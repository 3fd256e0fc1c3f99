"""History is append-only: revisions and status changes are never changed or deleted, except
with their feature."""

import pytest
from django.urls import reverse

from features import services
from features.models import Feature, HistoryIsAppendOnly, Revision, StatusChange
from tests.features.editing import interview

pytestmark = pytest.mark.django_db


@pytest.fixture
def history(editor):
    feature = interview()
    services.move_feature(feature=feature, move="submit", user=editor)
    return feature, feature.status_changes.get(), feature.revisions.first()


@pytest.mark.parametrize("who", ["superuser_client", "editor"])
def test_nobody_changes_or_deletes_a_status_change_in_the_admin(request, client, history, who):
    if who == "editor":
        client.force_login(request.getfixturevalue("editor"))
    else:
        client = request.getfixturevalue("superuser_client")
    _, change, _ = history
    delete = reverse("admin:features_statuschange_delete", args=[change.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    changelist = reverse("admin:features_statuschange_changelist")
    bulk = {"action": "delete_selected", "_selected_action": [change.pk], "post": "yes"}
    client.post(changelist, bulk)
    page = client.get(reverse("admin:features_statuschange_change", args=[change.pk]))
    assert 'name="_save"' not in page.content.decode()
    assert StatusChange.objects.filter(pk=change.pk).exists()


def test_editors_may_read_history_but_hold_no_right_to_change_it(editor):
    for model in ("revision", "statuschange"):
        assert editor.has_perm(f"features.view_{model}")
        for action in ("add", "change", "delete"):
            assert not editor.has_perm(f"features.{action}_{model}")


def test_history_rows_refuse_changes_and_deletion_in_code(history):
    _, change, revision = history
    for attempt in [
        revision.save,
        revision.delete,
        change.delete,
        lambda: Revision.objects.all().delete(),
        lambda: Revision.objects.update(note="rewritten"),
        lambda: StatusChange.objects.filter(pk=change.pk).delete(),
    ]:
        with pytest.raises(HistoryIsAppendOnly):
            attempt()
    assert Revision.objects.get(pk=revision.pk).content == revision.content


def test_deleting_the_feature_in_the_admin_removes_its_history(superuser_client, history):
    feature, _, _ = history
    delete = reverse("admin:features_feature_delete", args=[feature.pk])
    assert superuser_client.post(delete, {"post": "yes"}).status_code == 302
    assert not Feature.objects.exists()
    assert not Revision.objects.exists() and not StatusChange.objects.exists()


def test_deleting_a_user_keeps_their_history_unsigned(history, editor):
    editor.delete()
    assert StatusChange.objects.get().user is None
    assert Revision.objects.filter(user__isnull=True).count() == Revision.objects.count()

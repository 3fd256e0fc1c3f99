"""Bodies saved before block ids existed get ids, and their revisions share them."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("features", "0003_workflow")]
AFTER = [("features", "0004_body_schema_with_block_ids")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_old_bodies_get_ids_that_their_revisions_share():
    old_apps = migrate(BEFORE)
    Feature = old_apps.get_model("features", "Feature")
    Revision = old_apps.get_model("features", "Revision")
    body = [{"type": "text", "text": "Intro."}, {"type": "text", "text": "Outro."}]
    feature = Feature.objects.create(headline="Old", slug="old", body=body)
    Revision.objects.create(
        feature=feature, version=1, status="draft", content={"body": [body[0], body[0]]}
    )

    new_apps = migrate(AFTER)
    feature = new_apps.get_model("features", "Feature").objects.get()
    revision = new_apps.get_model("features", "Revision").objects.get()
    blocks = feature.body["blocks"]
    assert feature.body["schema"] == 1
    assert [b["text"] for b in blocks] == ["Intro.", "Outro."]
    assert len({b["id"] for b in blocks}) == 2
    old_blocks = revision.content["body"]["blocks"]
    assert old_blocks[0]["id"] == blocks[0]["id"]
    assert old_blocks[1]["id"] not in {b["id"] for b in blocks}

    migrate(BEFORE)
    assert Feature.objects.get().body == body
    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

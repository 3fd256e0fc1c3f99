"""Bodies become schema 1: {"schema": 1, "blocks": [...]}, every block with a stable id.

Each feature's blocks get new ids; each of its revisions reuses the id of an identical block
in the current body, so restoring an old revision keeps the ids of the blocks it shares.
Reversing drops the ids; migrating forward again gives new ones.
"""

import secrets

from django.db import migrations, models

import features.body


def _key(block):
    return block["type"], block.get("speaker"), block["text"]


def _with_ids(blocks, previous=()):
    available = {}
    for block in previous:
        available.setdefault(_key(block), []).append(block["id"])
    taken = {block["id"] for block in previous}
    result = []
    for block in blocks:
        reusable = available.get(_key(block))
        if reusable:
            block_id = reusable.pop(0)
        else:
            block_id = secrets.token_hex(4)
            while block_id in taken:
                block_id = secrets.token_hex(4)
        taken.add(block_id)
        result.append({"id": block_id, **block})
    return result


def add_block_ids(apps, schema_editor):
    Feature = apps.get_model("features", "Feature")
    Revision = apps.get_model("features", "Revision")
    for feature in Feature.objects.all().iterator():
        if isinstance(feature.body, dict):
            continue
        blocks = _with_ids(feature.body)
        Feature.objects.filter(pk=feature.pk).update(body={"schema": 1, "blocks": blocks})
        for revision in Revision.objects.filter(feature=feature).iterator():
            content = revision.content
            if isinstance(content.get("body"), list):
                content["body"] = {"schema": 1, "blocks": _with_ids(content["body"], blocks)}
                Revision.objects.filter(pk=revision.pk).update(content=content)


def remove_block_ids(apps, schema_editor):
    Feature = apps.get_model("features", "Feature")
    Revision = apps.get_model("features", "Revision")

    def plain(body):
        return [{k: v for k, v in block.items() if k != "id"} for block in body["blocks"]]

    for feature in Feature.objects.all().iterator():
        Feature.objects.filter(pk=feature.pk).update(body=plain(feature.body))
    for revision in Revision.objects.all().iterator():
        content = revision.content
        if isinstance(content.get("body"), dict):
            content["body"] = plain(content["body"])
            Revision.objects.filter(pk=revision.pk).update(content=content)


class Migration(migrations.Migration):
    dependencies = [
        ("features", "0003_workflow"),
    ]

    operations = [
        migrations.AlterField(
            model_name="feature",
            name="body",
            field=models.JSONField(
                default=features.body.empty,
                editable=False,
                help_text="Blocks with stable ids; see features.body.",
            ),
        ),
        migrations.RunPython(add_block_ids, remove_block_ids),
    ]

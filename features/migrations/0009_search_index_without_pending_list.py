from django.db import migrations

from features import search


def index_directly(apps, schema_editor):
    search.index_directly(schema_editor)


class Migration(migrations.Migration):
    """PostgreSQL's search index takes new entries at once (features.search)."""

    dependencies = [("features", "0008_participant_role_chosen")]

    operations = [migrations.RunPython(index_directly, migrations.RunPython.noop)]

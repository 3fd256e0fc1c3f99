from django.contrib.postgres.operations import UnaccentExtension
from django.db import migrations


class Migration(migrations.Migration):
    """PostgreSQL's unaccent, for searches that ignore accents (newsmuse.folding); nothing
    happens on SQLite."""

    dependencies = [
        ("newsmuse", "0004_content_version"),
    ]

    operations = [UnaccentExtension()]

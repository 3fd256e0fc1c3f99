from django.db import migrations


class Migration(migrations.Migration):
    """An index on taggit's link table that starts with the tag: the pieces with one tag
    (a tag's page and feed, related pieces) are read from it, newest id first, instead of
    from taggit's own unique index, which starts with the content type and so would walk
    the links of every tagged piece."""

    dependencies = [
        ("features", "0011_comment"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
    ]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX features_tagged_items_by_tag "
            "ON taggit_taggeditem (content_type_id, tag_id, object_id)",
            "DROP INDEX features_tagged_items_by_tag",
        )
    ]

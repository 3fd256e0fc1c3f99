"""At archive scale, lists read a page's worth of rows through an index, never the table."""

import io

import pytest
from django.core.management import call_command
from django.db import connection

from features.models import Feature
from tests.factories import write_body

pytestmark = pytest.mark.django_db


@pytest.fixture
def archive():
    call_command(
        "generate_content",
        *("--features", "1500", "--people", "200", "--films", "60", "--images", "1"),
        stdout=io.StringIO(),
    )


def newest_page_plan():
    return Feature.objects.published().for_listing()[:24].explain()


def analyze():
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # plans as on a live database, with statistics


def test_the_newest_features_come_from_an_index_not_a_scan_and_sort(archive):
    if connection.vendor == "postgresql":
        analyze()
        plan = newest_page_plan()
        assert "Seq Scan on features_feature" not in plan
        assert "feature_newest_first" in plan
    else:
        # SQLite gathers no statistics by itself: the plan must be right without them too.
        for gather_statistics in (lambda: None, analyze):
            gather_statistics()
            plan = newest_page_plan()
            assert "USING INDEX feature_newest_first" in plan
            assert "TEMP B-TREE FOR ORDER BY" not in plan


def search_plan(query):
    from features import search

    sql, params = search.search_sql(search.parse(query), person_id=None, limit=20, offset=0)
    with connection.cursor() as cursor:
        cursor.execute(
            ("EXPLAIN " if connection.vendor == "postgresql" else "EXPLAIN QUERY PLAN ") + sql,
            params,
        )
        return "\n".join(str(row[-1]) for row in cursor.fetchall())


def test_search_reads_its_index_not_the_features(archive):
    """A search for a name or a rare word, the usual kind, reads the search index and then
    only the features it found. (A word in a tenth of the archive is read faster with one
    pass over the features, and PostgreSQL rightly plans it that way.)"""
    feature = Feature.objects.first()
    write_body(feature, f"{feature.guests[0].person.name}: Zyzzyva, the last word.")
    analyze()
    plan = search_plan("zyzzyva")
    if connection.vendor == "postgresql":
        assert "Bitmap Index Scan on features_searchentry_document" in plan
        assert "Index Scan using features_feature_pkey on features_feature" in plan
        assert "Seq Scan" not in plan
    else:
        assert "SCAN features_searchentry_fts VIRTUAL TABLE INDEX" in plan
        assert "SEARCH e USING INTEGER PRIMARY KEY" in plan
        assert "SEARCH f USING INTEGER PRIMARY KEY" in plan


def test_a_tag_and_related_pieces_read_the_links_of_their_tags_only(archive):
    """A tag's page and a piece's related pieces read their tags' links through the index
    that starts with the tag, not every tagged piece of the archive."""
    from django.contrib.contenttypes.models import ContentType
    from taggit.models import Tag

    analyze()
    tag = Tag.objects.filter(taggit_taggeditem_items__isnull=False).first()
    content_type = ContentType.objects.get_for_model(Feature).pk
    plans = [
        Feature.objects.published().filter(tags=tag).for_listing()[:24].explain(),
        Feature.objects.published().related_to(Feature.objects.first().pk, content_type).explain(),
    ]
    for plan in plans:
        if connection.vendor == "postgresql":
            assert "Seq Scan on taggit_taggeditem" not in plan
        else:
            assert "features_tagged_items_by_tag (content_type_id=? AND tag_id=?)" in plan
            assert "taggit_taggeditem_1 (content_type_id=?)\n" not in plan + "\n"

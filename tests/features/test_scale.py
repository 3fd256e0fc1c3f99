"""At archive scale, lists read a page's worth of rows through an index, never the table."""

import io

import pytest
from django.core.management import call_command
from django.db import connection

from features.models import Feature

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

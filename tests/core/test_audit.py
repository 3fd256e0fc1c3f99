"""`make audit` (newsmuse/audit.py): how it finds the pages and reads the judges' reports.
The judges themselves run in `make audit` and, for axe-core, in the browser tests."""

import io
import json
import re

import pytest
from django.core.management import call_command

from newsmuse import audit
from tests.browser.axe import AXE


def test_the_browser_tests_axe_is_the_version_make_audit_pins():
    pins = json.loads((audit.ROOT / "audit" / "package.json").read_text())["devDependencies"]
    vendored = re.match(r"/\*! axe v([\d.]+)", AXE.read_text()[:100]).group(1)
    assert vendored == pins["axe-core"]


@pytest.mark.parametrize("url", ["https://newsmuse.example/", "http://10.0.0.1:8000", "file:///"])
def test_only_a_site_on_the_loopback_is_audited(url):
    with pytest.raises(audit.AuditError, match="loopback"):
        audit.loopback_url(url)


def test_the_address_keeps_its_scheme_host_and_port():
    assert audit.loopback_url("http://127.0.0.1:8001/features/") == "http://127.0.0.1:8001"
    assert audit.loopback_url("http://localhost:8000") == "http://localhost:8000"


def lighthouse_report(seo_audits):
    """A Lighthouse report with perfect scores but for these SEO audits (id: score)."""
    refs = [{"id": id, "weight": 1} for id in seo_audits]
    seo = sum(seo_audits.values()) / len(seo_audits)
    return {
        "categories": {
            "performance": {"score": 1, "auditRefs": []},
            "accessibility": {"score": 1, "auditRefs": []},
            "best-practices": {"score": 1, "auditRefs": []},
            "seo": {"score": seo, "auditRefs": refs},
        },
        "audits": {id: {"score": score, "title": id} for id, score in seo_audits.items()},
    }


def test_a_page_that_says_noindex_is_not_marked_down_for_it():
    report = lighthouse_report({"is-crawlable": 0, "meta-description": 1, "link-text": 1})
    page = audit.Page("search", "/search/?q=x", noindex=True)
    audit.judge_lighthouse(page, report)
    assert page.scores["seo"] == 100
    assert page.adjusted == {"seo"}
    assert page.notes == []


def test_an_indexed_page_that_blocks_crawlers_misses_the_target(capsys):
    report = lighthouse_report({"is-crawlable": 0, "meta-description": 1, "link-text": 1})
    page = audit.Page("home", "/", axe=0, vnu=0)
    audit.judge_lighthouse(page, report)
    assert page.scores["seo"] == 67
    assert page.notes == ["Lighthouse seo, is-crawlable: is-crawlable"]

    assert audit.report([page]) is True
    table = capsys.readouterr().out
    assert "| home | `/` | 0 | 0 | 100 | 100 | 100 | 67 ✗ |" in table
    assert "0 of 1 pages meet every target." in table


@pytest.mark.django_db(transaction=True)
def test_one_page_of_each_type_is_found_from_the_sites_own_links(live_server):
    call_command("load_demo", stdout=io.StringIO())
    pages = audit.discover(live_server.url)
    found = {page.name: page.path for page in pages}
    assert list(found) == [
        "home",
        "archive",
        "feature",
        "person",
        "film",
        "series",
        "tag",
        "search",
        "people index",
        "films index",
        "series index",
        "tags index",
        "missing page",
    ]
    assert found["archive"] == "/features/"
    assert found["person"] == "/people/alejandra-marquez-abella/"  # a guest, not the byline
    assert found["search"] == "/search/?q=Alejandra+M%C3%A1rquez+Abella"
    assert [page.status for page in pages] == [200] * 12 + [404]
    assert [page.noindex for page in pages] == [False] * 7 + [True] + [False] * 4 + [True]


def test_of_several_lighthouse_runs_the_median_by_performance_counts():
    runs = [lighthouse_report({"link-text": 1}) for _ in range(3)]
    for run, performance in zip(runs, [0.97, 0.71, 0.99], strict=True):
        run["categories"]["performance"]["score"] = performance
    assert audit.median_run(runs) is runs[0]
    assert audit.median_run(runs[1:]) is runs[1]  # of two, the lower

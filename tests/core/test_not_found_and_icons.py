"""A missing page is a calm page of the site with a way on; every page names its icon and
web app manifest; a film page with nothing to read stays out of search engines."""

import json
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders

from tests.factories import FilmFactory, make_feature

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", ["/no/such/page/", "/features/no-such-piece/", "/people/nobody/"])
def test_a_missing_page_is_the_sites_own_with_a_search_box(client, url):
    page = client.get(url)
    assert page.status_code == 404
    html = page.content.decode()
    assert "There is nothing at this address" in html
    assert 'class="site-header"' in html
    assert 'role="search" action="/search/"' in html
    assert '<meta name="robots" content="noindex">' in html
    assert "Traceback" not in html and "URLconf" not in html


def test_every_page_names_its_icon_and_manifest(client):
    html = client.get("/").content.decode()
    assert 'rel="icon" href="/static/newsmuse/icons/icon.svg" type="image/svg+xml"' in html
    assert 'rel="manifest" href="/static/newsmuse/site.webmanifest"' in html
    manifest = json.loads(Path(finders.find("newsmuse/site.webmanifest")).read_text())
    assert manifest["name"] == "newsmuse" and manifest["start_url"] == "/"
    for icon in manifest["icons"]:
        assert finders.find(f"newsmuse/{icon['src']}"), icon["src"]


def test_favicon_ico_leads_to_the_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"] == "/static/newsmuse/icons/icon-192.png"


NOINDEX = '<meta name="robots" content="noindex, follow">'


def test_a_film_with_no_synopsis_and_no_feature_is_not_indexed(client):
    bare = FilmFactory(synopsis="")
    described = FilmFactory(synopsis="A boy from Michoacán reaches space.")
    discussed = make_feature().films.get()
    discussed.synopsis = ""
    discussed.save()
    assert NOINDEX in client.get(bare.get_absolute_url()).content.decode()
    assert NOINDEX not in client.get(described.get_absolute_url()).content.decode()
    assert NOINDEX not in client.get(discussed.get_absolute_url()).content.decode()


def test_the_manifest_is_served_as_a_manifest(client):
    response = client.get("/static/newsmuse/site.webmanifest")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"

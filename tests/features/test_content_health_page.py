import pytest
from django.urls import reverse

from features.models import Feature
from tests.factories import FeatureFactory, PersonFactory

pytestmark = pytest.mark.django_db

PAGE = "/admin/content-health/"


def change_url(obj):
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(PAGE)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_contributors_neither_see_it_nor_its_link(client, contributor):
    client.force_login(contributor)
    assert client.get(PAGE).status_code == 403
    assert PAGE not in client.get(reverse("admin:index")).content.decode()


def test_editors_see_every_finding_with_its_fix_link(client, editor):
    feature = FeatureFactory(headline="Bare piece", status=Feature.Status.DRAFT, hero_image=None)
    person = PersonFactory(name="Ana Ruiz", website="http://testserver/features/gone/")
    client.force_login(editor)
    assert f'href="{PAGE}"' in client.get(reverse("admin:index")).content.decode()
    response = client.get(PAGE)
    page = response.content.decode()
    assert "Errors (1)" in page and "Warnings (3)" in page
    assert "“Bare piece” (draft) has no hero image." in page
    assert "“Ana Ruiz” has no portrait." in page
    assert page.count(f'href="{change_url(feature)}"') == 2
    assert page.count(f'href="{change_url(person)}"') == 2
    assert "no-store" in response["Cache-Control"]


def test_an_empty_report_says_so(client, editor):
    client.force_login(editor)
    page = client.get(PAGE).content.decode()
    assert "No problems found." in page
    assert "Errors" not in page


def test_a_long_report_shows_a_count_of_the_rest(client, editor, monkeypatch):
    monkeypatch.setattr("features.admin_views.CONTENT_HEALTH_ROWS", 2)
    PersonFactory.create_batch(5)
    client.force_login(editor)
    page = client.get(PAGE).content.decode()
    assert page.count("has no portrait.<br>") == 2
    assert "3 more not shown here" in page


def test_hostile_names_are_escaped(client, editor):
    PersonFactory(name="<script>alert(1)</script>")
    client.force_login(editor)
    page = client.get(PAGE).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "“&lt;script&gt;alert(1)&lt;/script&gt;” has no portrait." in page

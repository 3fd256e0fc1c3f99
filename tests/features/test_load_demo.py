import io

import pytest
from django.apps import apps
from django.core.management import call_command

from features.body import blocks_of
from features.content_checks import check_content
from features.models import Feature
from films.models import Film
from newsmuse import renditions
from newsmuse.content_checks import ERROR
from newsmuse.models import Image
from people.models import Person

pytestmark = pytest.mark.django_db

NEWS_X_MUSE = "/features/jose-hernandez-alejandra-marquez-abella-a-million-miles-away/"


def load_demo():
    output = io.StringIO()
    call_command("load_demo", stdout=output)
    return output.getvalue()


def row_counts():
    return {
        model._meta.label: model.objects.count()
        for app in ("newsmuse", "people", "films", "features", "taggit")
        for model in apps.get_app_config(app).get_models()
    }


def test_load_demo_twice_changes_nothing():
    assert "rows created" in load_demo()
    first = row_counts()
    first_feature = Feature.objects.values().get(slug=NEWS_X_MUSE.split("/")[2])
    assert "; 0 rows created." in load_demo()
    assert row_counts() == first
    assert Feature.objects.values().get(slug=NEWS_X_MUSE.split("/")[2]) == first_feature


def test_load_demo_leaves_editors_changes_alone():
    load_demo()
    Person.objects.filter(slug="jose-hernandez").update(description="Edited by an editor")
    load_demo()
    assert Person.objects.get(slug="jose-hernandez").description == "Edited by an editor"


def test_demo_feature_page_reads_like_the_news_x_muse_interview(client):
    load_demo()
    home = client.get("/").content.decode()
    assert home.index("A Million Miles Away") < home.index("lighthouse keeper")

    html = client.get(NEWS_X_MUSE).content.decode()
    for fact in [
        "NEWS x MUSE",
        "Michael Sandoval",
        "José Hernández",
        "Astronaut",
        "Alejandra Márquez Abella",
        "Director",
        "A Million Miles Away",
        "(2023)",
        "Watch on Prime Video",
        "Semana Santa",
        "(2015)",
        "Las Niñas Bien",
        "(2018)",
        "Northern Skies Over Empty Space",
        "Savage Detectives",
        "Narcos: México",
        "two episodes",
        "Skip to main content",
    ]:
        assert fact in html, fact


def test_demo_images_have_alt_text_and_real_dimensions():
    load_demo()
    film = Film.objects.select_related("poster").get(slug="a-million-miles-away")
    assert (film.poster.width, film.poster.height) == (800, 1200)
    assert film.poster.alt_text


def test_demo_qa_example_is_attributed_to_its_fictional_participants():
    load_demo()
    feature = Feature.objects.get(slug="tomas-reyes-the-keepers-ledger")
    kinds = {block["type"] for block in blocks_of(feature.body)}
    assert kinds == {"text", "question", "answer", "quote"}


def test_demo_images_go_through_the_library_with_renditions(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        load_demo()
    demo_images = Image.objects.prefetch_related("renditions")
    assert demo_images.count() == 7
    for image in demo_images:
        assert renditions.missing_crops(image) == [], image
        assert list(image.tags.names()) == ["demo"]


def test_demo_passes_the_content_check():
    load_demo()
    assert [finding.code for finding in check_content() if finding.severity == ERROR] == []

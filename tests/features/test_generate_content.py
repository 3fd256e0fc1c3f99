import io

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.utils import timezone
from taggit.models import Tag

from features import revisions
from features.body import BLOCK_ID, blocks_of, check_blocks, parse_body
from features.content import FeatureContent
from features.models import Feature, Participant, Revision, Series, StatusChange
from films.models import Credit, Film, WatchOption
from newsmuse.models import Image
from people.models import Person

pytestmark = pytest.mark.django_db

SMALL = {"features": 30, "people": 20, "films": 10, "images": 2}


def generate(**options) -> str:
    output = io.StringIO()
    call_command("generate_content", **{**SMALL, **options}, stdout=output)
    return output.getvalue()


def generated_features():
    return Feature.objects.filter(slug__startswith="gen-").order_by("slug")


def row_counts():
    return {
        model._meta.label: model.objects.count()
        for app in ("newsmuse", "people", "films", "features", "taggit")
        for model in apps.get_app_config(app).get_models()
    }


def fingerprint() -> list:
    """What the generated rows say, with people and films named by slug rather than by id
    (ids differ between two runs on PostgreSQL, whose sequences a rollback does not reset)."""
    slugs = dict(Person.objects.values_list("pk", "slug"))
    features = generated_features().prefetch_related("participants__person", "films", "tags")
    return [
        [
            {
                "fields": (f.slug, f.headline, f.dek, f.series.slug, f.hero_image.title),
                "published_at": f.published_at,
                "films": sorted(film.slug for film in f.films.all()),
                "tags": sorted(f.tags.names()),
                "participants": [
                    (p.person.slug, p.role, p.label, p.order) for p in f.participants.all()
                ],
                "body": [{**b, "speaker": slugs.get(b.get("speaker"))} for b in blocks_of(f.body)],
            }
            for f in features
        ],
        list(
            Person.objects.filter(slug__startswith="gen-")
            .order_by("slug")
            .values_list("slug", "name", "description", "bio", "website", "portrait__title")
        ),
        list(
            Film.objects.filter(slug__startswith="gen-")
            .order_by("slug")
            .values_list("slug", "title", "kind", "year", "runtime", "synopsis", "poster__title")
        ),
        list(
            Credit.objects.order_by("film__slug", "order").values_list(
                "film__slug", "person__slug", "role", "character", "note", "order"
            )
        ),
        list(
            WatchOption.objects.order_by("film__slug", "order").values_list(
                "film__slug", "provider", "kind", "region"
            )
        ),
        list(Series.objects.order_by("slug").values_list("slug", "name", "description")),
    ]


def fingerprint_of_a_run(**options) -> list:
    """Generate, take the fingerprint and roll the run back, leaving the database as before."""
    with transaction.atomic():
        generate(**options)
        result = fingerprint()
        transaction.set_rollback(True)
    return result


def test_generates_the_requested_numbers_of_published_rows():
    output = generate()
    assert "Generated 30 features" in output
    assert output.strip().splitlines()[-1].endswith(" s.")
    features = generated_features()
    assert features.count() == 30
    assert Person.objects.filter(slug__startswith="gen-").count() == 20
    assert Film.objects.filter(slug__startswith="gen-").count() == 10
    assert Image.objects.filter(tags__name="generated").count() == 2
    assert 2 <= Series.objects.filter(slug__startswith="gen-").count() <= 5
    assert features.published().count() == 30
    for feature in features.prefetch_related("participants", "films", "tags"):
        assert feature.status == Feature.Status.PUBLISHED and feature.version == 1
        assert feature.published_at < timezone.now()
        assert len(feature.interviewers) == 1 and 1 <= len(feature.guests) <= 3
        assert len(feature.films.all()) <= 3 and len(feature.tags.all()) <= 8
        assert 6 <= len(blocks_of(feature.body)) <= 30
    for film in Film.objects.filter(slug__startswith="gen-").prefetch_related(
        "credits", "watch_options"
    ):
        assert 2 <= len(film.credits.all()) <= 12
        assert len(film.watch_options.all()) <= 3


def test_the_same_arguments_give_the_same_content():
    first = fingerprint_of_a_run()
    assert first == fingerprint_of_a_run()
    assert first[0], "the fingerprint covers the features"
    assert first != fingerprint_of_a_run(seed=2)


def test_every_body_is_valid_and_spoken_by_its_participants():
    generate()
    for feature in generated_features().prefetch_related("participants__person"):
        content = FeatureContent.of(feature)
        blocks = blocks_of(feature.body)
        check_blocks(blocks, content.speakers())
        assert all(BLOCK_ID.match(block["id"]) for block in blocks)
        assert len({block["id"] for block in blocks}) == len(blocks)
        assert 100 <= sum(len(block["text"].split()) for block in blocks) <= 2000
        people = {cast.person.pk for cast in content.participants}
        assert {block["speaker"] for block in blocks if "speaker" in block} <= people
        # Editors see the body as text; reading it back gives the same blocks.
        text = feature.body_source()
        without_ids = [{k: v for k, v in block.items() if k != "id"} for block in blocks]
        assert parse_body(text, content.speakers()) == without_ids


def test_each_feature_has_the_revision_and_status_change_the_save_path_would_keep():
    generate()
    for feature in generated_features():
        revision = Revision.objects.get(feature=feature)
        assert revision.version == feature.version == 1
        assert revision.status == Feature.Status.PUBLISHED
        assert revision.content == revisions.snapshot(feature)
        change = StatusChange.objects.get(feature=feature)
        assert (change.from_status, change.to_status) == ("draft", "published")
        assert change.at == feature.published_at


def test_generated_rows_pass_model_validation():
    generate()
    for model in (Series, Person, Film, Credit, WatchOption, Feature, Participant, Tag):
        for row in model.objects.all():
            row.full_clean()


def test_people_have_bios_and_accented_names_to_search_for():
    generate(people=200)
    people = Person.objects.filter(slug__startswith="gen-")
    assert not people.filter(bio="").exists()
    assert people.filter(portrait__isnull=False).exists()
    assert any(not name.isascii() for name in people.values_list("name", flat=True))


def test_every_generated_feature_has_a_public_page(client):
    generate()
    assert client.get("/").status_code == 200
    for feature in generated_features():
        assert client.get(feature.get_absolute_url()).status_code == 200, feature.slug
    for series in Series.objects.filter(slug__startswith="gen-", features__isnull=False):
        assert client.get(series.get_absolute_url()).status_code == 200


def test_runs_after_the_demo_and_shares_its_tags():
    call_command("load_demo", stdout=io.StringIO())
    demo_tags = Tag.objects.count()
    generate()
    assert Tag.objects.filter(name="Documentary").count() == 1
    assert Tag.objects.count() > demo_tags
    assert Feature.objects.filter(slug="tomas-reyes-the-keepers-ledger").exists()


def test_dry_run_writes_nothing():
    before = row_counts()
    output = generate(dry_run=True)
    assert output.startswith("Dry run: would generate 2 images")
    assert "30 published features" in output
    assert row_counts() == before


def test_a_second_run_is_refused():
    generate()
    with pytest.raises(CommandError, match=r"already has generated content.*fresh database"):
        generate()


def test_features_need_people_and_a_hero_image():
    with pytest.raises(CommandError, match="--people 2"):
        generate(people=1)
    with pytest.raises(CommandError, match="--images 1"):
        generate(images=0)

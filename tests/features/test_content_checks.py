import io
import json
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from features.body import stored
from features.content_checks import check_content, unmatched_pull_quotes
from features.models import Feature, OldSlug, Participant
from people.models import Person
from tests.factories import (
    CreditFactory,
    FeatureFactory,
    FilmFactory,
    ImageFactory,
    ParticipantFactory,
    PersonFactory,
    WatchOptionFactory,
    make_feature,
)

pytestmark = pytest.mark.django_db


def found(code=None):
    """(severity, code, message, path) of each finding, of one code if given."""
    return [
        (finding.severity, finding.code, finding.message, finding.path)
        for finding in check_content()
        if code is None or finding.code == code
    ]


def healthy_feature(**fields):
    """A published feature with nothing to report: everyone has a portrait."""
    feature = make_feature(**fields)
    Person.objects.filter(portrait=None).update(portrait=ImageFactory())
    return feature


def change_url(obj):
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])


def run_command(*args):
    out = io.StringIO()
    call_command("check_content", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_healthy_content_has_no_findings():
    healthy_feature(guests=2, films=2)
    assert found() == []
    assert run_command().strip() == "No problems found."


def test_image_without_alt_text_is_an_error():
    image = ImageFactory(title="Harbour at dusk", alt_text="  ")
    ImageFactory(alt_text="", is_decorative=True)
    assert found("image.alt-missing") == [
        (
            "error",
            "image.alt-missing",
            "The image “Harbour at dusk” has no alt text and is not marked decorative.",
            change_url(image),
        )
    ]


def test_feature_without_hero_image_is_an_error_when_published_and_a_warning_in_draft():
    published = healthy_feature(headline="Live piece", hero_image=None)
    draft = healthy_feature(headline="Draft piece", hero_image=None, status=Feature.Status.DRAFT)
    assert found("feature.hero-missing") == [
        (
            "error",
            "feature.hero-missing",
            "“Live piece” (published) has no hero image.",
            change_url(published),
        ),
        (
            "warning",
            "feature.hero-missing",
            "“Draft piece” (draft) has no hero image.",
            change_url(draft),
        ),
    ]


def test_hero_image_without_alt_text_points_at_the_image():
    hero = ImageFactory(title="Moon", alt_text="", is_decorative=True)
    healthy_feature(headline="Moonshot", hero_image=hero)
    assert found("feature.hero-alt-missing") == [
        (
            "error",
            "feature.hero-alt-missing",
            "“Moonshot” (published): its hero image “Moon” has no alt text.",
            change_url(hero),
        )
    ]


def test_feature_without_guest_is_reported():
    feature = healthy_feature(headline="Monologue", guests=0)
    scheduled = healthy_feature(
        headline="Soon",
        guests=0,
        status=Feature.Status.SCHEDULED,
        published_at=timezone.now() + timedelta(days=1),
    )
    assert found("feature.guest-missing") == [
        (
            "error",
            "feature.guest-missing",
            "“Monologue” (published) has no guest.",
            change_url(feature),
        ),
        (
            "error",
            "feature.guest-missing",
            "“Soon” (scheduled) has no guest.",
            change_url(scheduled),
        ),
    ]


def test_unpublished_features_are_left_alone():
    healthy_feature(hero_image=None, guests=0, status=Feature.Status.UNPUBLISHED)
    assert found() == []


def with_body(feature, blocks):
    Feature.objects.filter(pk=feature.pk).update(
        body=stored([{"id": f"b{n:04d}", **block} for n, block in enumerate(blocks)])
    )


def test_pull_quote_that_no_longer_matches_its_answer_is_reported():
    feature = healthy_feature(headline="The keeper")
    guest = feature.participants.get(role=Participant.Role.GUEST).person
    Person.objects.filter(pk=guest.pk).update(name="Tomás Reyes")
    answer = {"type": "answer", "speaker": guest.pk, "text": "The ledger is the real film."}
    quote = {"type": "quote", "speaker": guest.pk, "text": "The ledger is the real film."}
    with_body(feature, [answer, quote])
    assert found("feature.pull-quote-mismatch") == []

    with_body(feature, [{**answer, "text": "The ledger is a small book."}, quote])
    assert found("feature.pull-quote-mismatch") == [
        (
            "error",
            "feature.pull-quote-mismatch",
            "“The keeper” (published): the pull quote “The ledger is the real film.” does not "
            "match anything “Tomás Reyes” says.",
            change_url(feature),
        )
    ]


def test_pull_quotes_may_cut_words_and_add_them_in_brackets():
    said = {
        "type": "answer",
        "speaker": 7,
        "text": "Every night, for forty years,\nhe wrote it down.",
    }
    narrative = {"type": "text", "text": "The island has no road."}

    def unmatched(quote):
        return unmatched_pull_quotes([said, narrative, quote])

    assert unmatched({"type": "quote", "speaker": 7, "text": "EVERY night for forty years"}) == []
    assert (
        unmatched({"type": "quote", "speaker": 7, "text": "Every night … [the keeper] wrote"}) == []
    )
    assert unmatched({"type": "quote", "text": "The island has no road"}) == []
    assert unmatched({"type": "quote", "speaker": 8, "text": "Every night"}) == [("Every night", 8)]
    assert unmatched({"type": "quote", "speaker": 7, "text": "he wrote... every night"}) == [
        ("he wrote... every night", 7)
    ]


def test_expired_watch_options_are_warnings():
    now = timezone.now()
    film = FilmFactory(title="Away", year=2023)
    CreditFactory(film=film, person__portrait=ImageFactory())
    expired = WatchOptionFactory(
        film=film, provider="Prime Video", available_until=now - timedelta(days=1)
    )
    WatchOptionFactory(film=film, available_until=now + timedelta(days=1))
    WatchOptionFactory(film=film, available_from=now + timedelta(days=1))
    [(severity, _code, message, path)] = found("watch-option.expired")
    assert (severity, path) == ("warning", change_url(expired))
    assert message.startswith("“Watch on Prime Video” for “Away (2023)” ended on ")


def test_people_without_portraits_and_films_without_credits_are_warnings():
    person = PersonFactory(name="Ana Ruiz")
    film = FilmFactory(title="Untold", year=None)
    assert found() == [
        ("warning", "film.credits-missing", "“Untold” has no credits.", change_url(film)),
        ("warning", "person.portrait-missing", "“Ana Ruiz” has no portrait.", change_url(person)),
    ]


def test_links_into_the_site_must_lead_to_pages_readers_can_open(settings):
    settings.SITE_URL = "https://newsmuse.example"
    site = settings.SITE_URL
    feature = healthy_feature(tags=1)
    OldSlug.objects.create(feature=feature, slug="the-old-address")
    draft = healthy_feature(status=Feature.Status.DRAFT)
    hidden_film = draft.films.get()
    draft.tags.add("Only in drafts")
    tag = feature.tags.get()
    working = [
        f"{site}/features/{feature.slug}/",
        f"{site}/features/the-old-address/#b-1234",
        f"{site}/series/{feature.series.slug}/",
        f"{site}/tags/{tag.slug}/",
        f"{site}/people/{feature.participants.first().person.slug}/",
        f"{site}/films/{feature.films.get().slug}/?from=elsewhere",
        f"{site}/",
        "https://elsewhere.example/features/gone/",
    ]
    broken = [
        f"{site}/features/{draft.slug}/",
        f"{site}/series/{draft.series.slug}/",
        f"{site}/tags/no-such-tag/",
        f"{site}/tags/only-in-drafts/",
        f"{site}/films/{hidden_film.slug}/",
        f"{site}/people/nobody/",
        "http://NEWSMUSE.example/no/such/page/",
    ]
    people = [
        PersonFactory(name=f"Linked {n}", website=url, portrait=ImageFactory())
        for n, url in enumerate(working + broken)
    ]
    messages = {message: path for _s, _c, message, path in found("link.broken")}
    assert messages == {
        f"The website of “Linked {n}” leads to “{url}”, which readers cannot open.": change_url(
            people[n]
        )
        for n, url in enumerate(working + broken)
        if url in broken
    }
    assert {severity for severity, *_ in found("link.broken")} == {"error"}


def test_watch_option_and_trailer_links_are_checked_too(settings):
    settings.SITE_URL = "https://newsmuse.example"
    film = FilmFactory(title="Away", year=None, trailer_url="https://newsmuse.example/gone/")
    CreditFactory(film=film, person__portrait=ImageFactory())
    option = WatchOptionFactory(
        film=film, provider="Cinema", url="https://newsmuse.example/films/nope/"
    )
    assert [(message, path) for _s, _c, message, path in found("link.broken")] == [
        (
            "The link of “Watch on Cinema” for “Away” leads to “https://newsmuse.example/films/"
            "nope/”, which readers cannot open.",
            change_url(option),
        ),
        (
            "The trailer link of “Away” leads to “https://newsmuse.example/gone/”, which readers "
            "cannot open.",
            change_url(film),
        ),
    ]


def test_fix_links_are_absolute_when_the_site_url_is_set(settings):
    person = PersonFactory()
    assert json.loads(run_command("--format", "json"))["findings"][0]["url"] == change_url(person)
    settings.SITE_URL = "https://newsmuse.example"
    assert json.loads(run_command("--format", "json"))["findings"][0]["url"] == (
        f"https://newsmuse.example{change_url(person)}"
    )


def test_command_groups_findings_by_severity_and_fails_on_errors():
    healthy_feature(headline="Live piece", hero_image=None)
    PersonFactory(name="Ana Ruiz")
    out = io.StringIO()
    with pytest.raises(CommandError, match="1 error, 1 warning") as failure:
        call_command("check_content", stdout=out)
    assert failure.value.returncode == 1
    assert out.getvalue().splitlines() == [
        "Errors (1)",
        "  “Live piece” (published) has no hero image.",
        f"    feature.hero-missing · fix: {change_url(Feature.objects.get())}",
        "",
        "Warnings (1)",
        "  “Ana Ruiz” has no portrait.",
        f"    person.portrait-missing · fix: {change_url(Person.objects.get(name='Ana Ruiz'))}",
        "",
        "1 error, 1 warning.",
    ]


def test_warnings_fail_only_when_asked():
    PersonFactory()
    assert run_command().endswith("0 errors, 1 warning.\n")
    with pytest.raises(CommandError) as failure:
        run_command("--fail-on", "warning")
    assert failure.value.returncode == 1


def test_json_report_has_a_stable_shape():
    FeatureFactory(headline="Bare", status=Feature.Status.DRAFT, hero_image=None)
    report = json.loads(run_command("--format", "json"))
    assert report == {
        "errors": 0,
        "warnings": 2,
        "findings": [
            {
                "severity": "warning",
                "code": "feature.guest-missing",
                "message": "“Bare” (draft) has no guest.",
                "url": change_url(Feature.objects.get()),
            },
            {
                "severity": "warning",
                "code": "feature.hero-missing",
                "message": "“Bare” (draft) has no hero image.",
                "url": change_url(Feature.objects.get()),
            },
        ],
    }


HOSTILE = '<script>alert(1)</script>\n"Errors (0)"\x1b[2J\u2028end'


def failing_run(*args):
    """The output of a run that finds errors (and so fails)."""
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("check_content", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_hostile_names_cannot_break_the_reports():
    healthy_feature(headline=HOSTILE, hero_image=None)
    PersonFactory(name=HOSTILE)
    text = failing_run()
    assert "\x1b" not in text and "\u2028" not in text
    lines = text.splitlines()
    assert lines[:2] == [
        "Errors (1)",
        '  “<script>alert(1)</script> "Errors (0)" [2J end” (published) has no hero image.',
    ]
    assert lines.count("Warnings (1)") == 1

    report = json.loads(failing_run("--format", "json"))
    assert [finding["code"] for finding in report["findings"]] == [
        "feature.hero-missing",
        "person.portrait-missing",
    ]
    assert report["findings"][1]["message"].startswith("“<script>alert(1)</script> ")


def test_checks_take_the_same_queries_whatever_the_amount_of_content(
    django_assert_num_queries, settings
):
    settings.SITE_URL = "https://newsmuse.example"
    for count in (1, 6):
        while Feature.objects.count() < count:
            feature = make_feature(guests=2, films=2, hero_image=None)
            ParticipantFactory(
                feature=feature,
                person__website=f"https://newsmuse.example/features/{feature.slug}/",
            )
            PersonFactory(website="https://newsmuse.example/people/nobody/")
            FilmFactory(trailer_url="https://newsmuse.example/films/nothing/")
            WatchOptionFactory(url="https://newsmuse.example/tags/nothing/")
            WatchOptionFactory(url="https://newsmuse.example/series/nothing/")
            ImageFactory(alt_text=" ")
        # images, people, films with a credit or not, watch options with films,
        # participants with people, features with heroes; then the pages links lead to:
        # features and old slugs, series, tags, people, films
        with django_assert_num_queries(11):
            findings = check_content()
        assert len([f for f in findings if f.code == "feature.hero-missing"]) == count
        assert len([f for f in findings if f.code == "link.broken"]) == 4 * count

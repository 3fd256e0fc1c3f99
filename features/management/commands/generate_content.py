"""A large, deterministic data set for benchmarks and scale tests.

Saving ten thousand features one by one through features.services.save_feature (a
permission check, a revision and several queries per save) would take far too long, so the
rows are written with bulk_create in one transaction. They are what that path would write:
every body in schema 1 with unique block ids, checked with features.body.check_blocks and
spoken by participants; the feature fields taken from the content as commit_feature_save
takes them; one revision holding features.content.dump of the content and the status
change that published it; and their search entries (features.search.reindex).

Everything comes from ``random.Random`` seeded with ``--seed`` and the phase's name, and
publication times are counted back from a fixed date, so the same arguments give the same
rows on any database. Images go through newsmuse.services.create_image like uploads.
"""

import argparse
import random
import re
import time
from collections import defaultdict
from datetime import UTC, datetime, timedelta

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.text import slugify
from taggit.models import Tag, TaggedItem

from features import body, search
from features.content import FIELD_PARTS, Cast, FeatureContent, dump
from features.management.commands.load_demo import draw_placeholder
from features.models import Feature, Participant, Revision, Series, StatusChange
from features.services import publish_problems
from films.models import Credit, Film, WatchOption
from newsmuse import pagecache
from newsmuse.services import create_image
from people.models import Person

PREFIX = "gen-"
REFERENCE_TIME = datetime(2026, 11, 30, tzinfo=UTC)
SPREAD_MINUTES = 8 * 365 * 24 * 60  # publication times reach back eight years
BATCH_SIZE = 500
MIN_WORDS, MAX_WORDS = 100, 2000
NOTE = "Generated content"
# “a” before a word that starts with a vowel, which the templates cannot know in advance.
A_BEFORE_VOWEL = re.compile(r"\b([Aa]) (?=[aeiouAEIOU])")
IMAGE_KINDS = (("hero", (1600, 900)), ("portrait", (800, 800)), ("poster", (800, 1200)))


def non_negative(value: str) -> int:
    number = int(value)
    if number < 0:
        raise argparse.ArgumentTypeError(f"{value} is negative; give 0 or more.")
    return number


class Command(BaseCommand):
    help = (
        "Fill an empty database with a large, deterministic set of published features, "
        "people, films and images for benchmarks and scale tests. The same arguments give "
        "the same rows every time; slugs start with “gen-”."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--features", type=non_negative, required=True, help="Published features to make."
        )
        parser.add_argument(
            "--people", type=non_negative, required=True, help="People (1 in 40 interviews)."
        )
        parser.add_argument("--films", type=non_negative, required=True, help="Films and series.")
        parser.add_argument(
            "--images",
            type=non_negative,
            default=24,
            help="Library images, shared as heroes, portraits and posters (default: 24).",
        )
        parser.add_argument("--seed", type=int, default=1, help="Another seed, other content.")
        parser.add_argument("--dry-run", action="store_true", help="Say what, write nothing.")

    def handle(self, *args, features, people, films, images, seed, dry_run, **options):
        if (features or films) and people < 2:
            raise CommandError(
                "Features and films need at least two people (an interviewer and a guest, "
                "two credits per film): pass --people 2 or more."
            )
        if features and not images:
            raise CommandError("Published features need a hero image: pass --images 1 or more.")
        refuse_generated_rows()
        generator = Generator(
            seed=seed, features=features, people=people, films=films, images=images
        )
        if dry_run:
            self.stdout.write(generator.plan())
            return
        started = time.monotonic()
        try:
            with transaction.atomic():
                for phase in (
                    generator.make_images,
                    generator.make_series,
                    generator.make_people,
                    generator.make_films,
                    generator.make_tags,
                    generator.make_features,
                ):
                    line = phase()
                    self.stdout.write(f"{line} ({time.monotonic() - started:.1f} s)")
                pagecache.content_changed()  # bulk writes send no model signals
        except ValidationError as error:
            raise CommandError(
                f"Generated content is invalid: {' '.join(error.messages)}"
            ) from error
        seconds = time.monotonic() - started
        self.stdout.write(self.style.SUCCESS(f"{generator.summary()} in {seconds:.1f} s."))


def refuse_generated_rows() -> None:
    found = [
        f"{number} {model._meta.verbose_name_plural}"
        for model in (Feature, Person, Film, Series)
        if (number := model.objects.filter(slug__startswith=PREFIX).count())
    ]
    if found:
        raise CommandError(
            f"This database already has generated content ({', '.join(found)} with slugs "
            f"starting with “{PREFIX}”). generate_content fills a fresh database: point "
            "DATABASE_URL at a new one, or empty this one with `manage.py flush`."
        )


class Slugs:
    """Unique slugs with the generated prefix: gen-jose-garcia, then gen-jose-garcia-2."""

    def __init__(self):
        self.taken: set[str] = set()

    def __call__(self, text: str) -> str:
        base = PREFIX + (slugify(text)[:180].strip("-") or "untitled")
        slug, number = base, 1
        while slug in self.taken:
            number += 1
            slug = f"{base}-{number}"
        self.taken.add(slug)
        return slug


class Prose:
    """Sentences for one text (a feature, a bio, a synopsis) from tuples of templates. Each
    ``{slot}`` gets a random word, from the context's choices when it has them and from
    VOCABULARY otherwise; no template comes back before the others of its tuple have been
    used, so a text does not repeat itself."""

    def __init__(self, rng: random.Random, context: dict[str, list[str]] | None = None):
        self.rng, self.context = rng, context or {}
        self.decks: dict[tuple[str, ...], list[str]] = {}

    def __getitem__(self, slot: str) -> str:
        return self.rng.choice(self.context.get(slot) or VOCABULARY[slot])

    def sentence(self, templates: tuple[str, ...]) -> str:
        deck = self.decks.get(templates)
        if not deck:
            deck = self.decks[templates] = self.rng.sample(templates, len(templates))
        text = A_BEFORE_VOWEL.sub(r"\1n ", deck.pop().format_map(self))
        return text[0].upper() + text[1:]

    def sentences(self, templates: tuple[str, ...], words: float) -> list[str]:
        """At least one sentence, and as many as it takes to reach ``words`` words."""
        made, total = [], 0
        while total < words or not made:
            made.append(self.sentence(templates))
            total += len(made[-1].split())
        return made


def block_id(rng: random.Random, taken: set[str]) -> str:
    """Like features.block_ids.new_id, but drawn from the seeded generator."""
    while (new := f"{rng.getrandbits(32):08x}") in taken:
        pass
    taken.add(new)
    return new


class Generator:
    def __init__(self, *, seed: int, features: int, people: int, films: int, images: int):
        self.seed = seed
        self.numbers = {"features": features, "people": people, "films": films, "images": images}
        self.rows: dict[str, int] = defaultdict(int)
        self.images: dict[str, list] = {kind: [] for kind, _ in IMAGE_KINDS}

    def rng(self, phase: str) -> random.Random:
        """Each phase has its own generator, so that, say, --features does not change the
        people."""
        return random.Random(f"{self.seed}:{phase}")

    def plan(self) -> str:
        series = self.rng("series").randint(2, 5)
        existing = {name.casefold() for name in Tag.objects.values_list("name", flat=True)}
        new_tags = sum(name.casefold() not in existing for name in TAGS)
        return (
            f"Dry run: would generate {self.numbers['images']} images, {series} series, "
            f"{self.numbers['people']} people, {self.numbers['films']} films with 2–12 credits "
            f"and 0–3 watch options each, {new_tags} new tags (of a vocabulary of {len(TAGS)}) "
            f"and {self.numbers['features']} published features, each with its participants, "
            "films, tags, a revision and a status change. Nothing was written."
        )

    def summary(self) -> str:
        rows = self.rows
        return (
            f"Generated {rows['features']} features ({rows['participants']} participants, "
            f"{rows['revisions']} revisions), {rows['people']} people, {rows['films']} films "
            f"({rows['credits']} credits, {rows['watch options']} watch options), "
            f"{rows['series']} series, {rows['tags']} tags and {rows['images']} images"
        )

    def make_images(self) -> str:
        rng = self.rng("images")
        number = self.numbers["images"]
        for index in range(number):
            kind, size = IMAGE_KINDS[index % len(IMAGE_KINDS)]
            (top_name, top), (bottom_name, bottom) = rng.sample(PALETTE, 2)
            label = f"{kind.title()} {index + 1}"
            picture = draw_placeholder({"size": size, "colours": (top, bottom), "label": label})
            image = create_image(
                file=ContentFile(picture, name=f"generated-{kind}-{index + 1}.png"),
                title=f"Generated {kind} {index + 1}",
                alt_text=f"A {top_name} field fading into {bottom_name}, labelled “{label}”.",
                caption=f"Placeholder {kind} artwork." if kind == "hero" else "",
                credit="Illustration: generated content",
                focal_x=round(rng.uniform(0.3, 0.7), 2),
                focal_y=round(rng.uniform(0.3, 0.7), 2),
                tags=["generated"],
            )
            self.images[kind].append(image)
        self.rows["images"] = number
        kinds = ", ".join(f"{len(made)} {kind}" for kind, made in self.images.items())
        return f"Images: {number} ({kinds})."

    def make_series(self) -> str:
        rng = self.rng("series")
        prose = Prose(rng)
        names = rng.sample(SERIES_NAMES, rng.randint(2, 5))
        self.series = Series.objects.bulk_create(
            Series(name=name, slug=PREFIX + slugify(name), description=prose.sentence(SERIES_ABOUT))
            for name in names
        )
        self.rows["series"] = len(self.series)
        return f"Series: {len(self.series)}."

    def make_people(self) -> str:
        """People with bios, half of them with portraits. One in forty interviews (the first
        ones); the others are guests and the people credited on films."""
        rng = self.rng("people")
        number = self.numbers["people"]
        interviewers = max(1, number // 40) if number else 0
        slugs, people, self.profession = Slugs(), [], {}
        portraits = self.images["portrait"]
        for index, name in enumerate(unique_names(rng, number)):
            if index < interviewers:
                profession = rng.choice(INTERVIEWER_TITLES)
                description = f"{profession} and interviewer"
            else:
                profession = rng.choice(PROFESSIONS)
                if rng.random() < 0.5:
                    description = f"{rng.choice(NATIONALITIES)} {profession.lower()}"
                else:
                    description = f"{profession} based in {rng.choice(VOCABULARY['place'])}"
            prose = Prose(
                rng,
                {"name": [name], "first": [name.split()[0]], "profession": [profession.lower()]},
            )
            bio = "\n\n".join(
                " ".join(prose.sentences(BIO, rng.randint(15, 30)))
                for _ in range(rng.randint(1, 3))
            )
            slug = slugs(name)
            people.append(
                Person(
                    name=name,
                    slug=slug,
                    description=description,
                    bio=bio,
                    portrait=rng.choice(portraits) if portraits and rng.random() < 0.5 else None,
                    website=f"https://people.example/{slug}/" if rng.random() < 0.3 else "",
                )
            )
            self.profession[slug] = profession
        self.people = Person.objects.bulk_create(people, batch_size=BATCH_SIZE)
        self.interviewers, self.guests = self.people[:interviewers], self.people[interviewers:]
        self.rows["people"] = len(self.people)
        return f"People: {len(self.people)} ({interviewers} interviewers)."

    def make_films(self) -> str:
        """Films and series, each with a director (or creator) and 1 to 11 more credits,
        given to guests whose profession has a credit role, and now and then a guest who
        is the subject of the story; 0 to 3 watch options."""
        rng = self.rng("films")
        slugs, films, credits, options = Slugs(), [], [], []
        credited = self.guests if len(self.guests) >= 2 else self.people
        crews = [p for p in credited if self.profession[p.slug] in CREDIT_ROLES]
        if len(crews) < 2:
            crews = credited
        in_crews = {p.pk for p in crews}
        subjects = [p for p in credited if p.pk not in in_crews]
        directors = [
            p for p in crews if CREDIT_ROLES.get(self.profession[p.slug]) == Credit.Role.DIRECTOR
        ]
        posters = self.images["poster"]
        self.filmography: dict[int, list[Film]] = defaultdict(list)
        for _ in range(self.numbers["films"]):
            prose = Prose(rng)
            title = prose.sentence(FILM_TITLES)
            prose.context = {"title": [title], "place": [rng.choice(VOCABULARY["place"])]}
            is_series = rng.random() < 0.15
            year = rng.randint(1965, 2026)
            film = Film(
                title=title,
                slug=slugs(f"{title} {year}"),
                kind=Film.Kind.SERIES if is_series else Film.Kind.FILM,
                year=year,
                runtime=None if is_series else rng.randint(72, 190),
                synopsis=" ".join(prose.sentences(SYNOPSIS, rng.randint(25, 60))),
                poster=rng.choice(posters) if posters and rng.random() < 0.8 else None,
                studio=rng.choice(STUDIOS),
            )
            if rng.random() < 0.4:
                film.trailer_url = f"https://video.example/trailers/{film.slug}/"
            films.append(film)
            size = rng.randint(2, 12)
            subject = rng.choice(subjects) if subjects and rng.random() < 0.25 else None
            crew = rng.sample(crews, min(size - (subject is not None), len(crews)))
            director = rng.choice(directors or crews)
            crew = [director, *(p for p in crew if p.pk != director.pk)][: len(crew)]
            for order, person in enumerate([*crew, subject] if subject else crew):
                role = CREDIT_ROLES.get(self.profession[person.slug], Credit.Role.SUBJECT)
                if order == 0:
                    role = Credit.Role.CREATOR if is_series else Credit.Role.DIRECTOR
                elif role == Credit.Role.CREATOR and not is_series:
                    role = Credit.Role.PRODUCER
                credit = Credit(film=film, person=person, role=role, order=order)
                if role == Credit.Role.CAST:
                    credit.character = prose.sentence(CHARACTERS)
                if is_series and rng.random() < 0.3:
                    credit.note = f"{rng.randint(2, 10)} episodes"
                credits.append(credit)
                self.filmography[person.pk].append(film)
            offers = rng.sample(PROVIDERS, rng.randint(0, 3))
            for order, (provider, url, kinds) in enumerate(offers):
                options.append(
                    WatchOption(
                        film=film,
                        provider=provider,
                        url=url,
                        kind=rng.choice(kinds),
                        region=rng.choice(REGIONS),
                        order=order,
                    )
                )
        self.films = Film.objects.bulk_create(films, batch_size=BATCH_SIZE)
        Credit.objects.bulk_create(credits, batch_size=BATCH_SIZE)
        WatchOption.objects.bulk_create(options, batch_size=BATCH_SIZE)
        self.rows.update(films=len(films), credits=len(credits), **{"watch options": len(options)})
        return f"Films: {len(films)} ({len(credits)} credits, {len(options)} watch options)."

    def make_tags(self) -> str:
        """The vocabulary's tags; a tag that exists under the same name (in any case, as
        taggit matches them) is used as it is."""
        existing = {tag.name.casefold(): tag for tag in Tag.objects.all()}
        slugs = set(Tag.objects.values_list("slug", flat=True))
        new = []
        for name in TAGS:
            if name.casefold() in existing:
                continue
            tag, number = Tag(name=name), None
            while (slug := tag.slugify(name, number)) in slugs:
                number = (number or 0) + 1
            tag.slug = slug
            slugs.add(slug)
            new.append(tag)
            existing[name.casefold()] = tag
        Tag.objects.bulk_create(new, batch_size=BATCH_SIZE)
        self.tags = {existing[name.casefold()].name: existing[name.casefold()] for name in TAGS}
        self.tag_names = list(self.tags)
        self.rows["tags"] = len(new)
        return f"Tags: {len(TAGS)} ({len(new)} new)."

    def make_features(self) -> str:
        rng = self.rng("features")
        slugs = Slugs()
        feature_type = ContentType.objects.get_for_model(Feature)
        number = self.numbers["features"]
        for start in range(0, number, BATCH_SIZE):
            contents = [
                self.feature_content(rng, slugs) for _ in range(min(BATCH_SIZE, number - start))
            ]
            features = Feature.objects.bulk_create(
                Feature(
                    **{name: getattr(content, name) for name in FIELD_PARTS},
                    body=body.stored(content.body),
                    status=Feature.Status.PUBLISHED,
                    version=1,
                )
                for content in contents
            )
            pairs = list(zip(features, contents, strict=True))
            Participant.objects.bulk_create(
                Participant(
                    feature=feature,
                    person=cast.person,
                    role=cast.role,
                    label=cast.label,
                    order=order,
                )
                for feature, content in pairs
                for order, cast in enumerate(content.participants)
            )
            Feature.films.through.objects.bulk_create(
                Feature.films.through(feature=feature, film=film)
                for feature, content in pairs
                for film in content.films
            )
            TaggedItem.objects.bulk_create(
                TaggedItem(content_type=feature_type, object_id=feature.pk, tag=self.tags[name])
                for feature, content in pairs
                for name in content.tags
            )
            Revision.objects.bulk_create(
                Revision(
                    feature=feature,
                    version=1,
                    status=Feature.Status.PUBLISHED,
                    content=dump(content),
                    note=NOTE,
                    created_at=content.published_at,
                )
                for feature, content in pairs
            )
            StatusChange.objects.bulk_create(
                StatusChange(
                    feature=feature,
                    from_status=Feature.Status.DRAFT,
                    to_status=Feature.Status.PUBLISHED,
                    at=content.published_at,
                )
                for feature, content in pairs
            )
            search.reindex(feature.pk for feature in features)
            self.rows["participants"] += sum(len(content.participants) for content in contents)
        self.rows["features"] = self.rows["revisions"] = number
        return f"Features: {number} ({self.rows['participants']} participants)."

    def feature_content(self, rng: random.Random, slugs: Slugs) -> FeatureContent:
        """One published feature's content, checked as save_feature and publishing would."""
        interviewer = rng.choice(self.interviewers)
        guests = rng.sample(self.guests, min(rng.randint(1, 3), len(self.guests)))
        films = self.films_discussed(rng, guests)
        names = [guest.name for guest in guests]
        prose = Prose(
            rng,
            {
                "guest": names,
                "guests": [", ".join(names[:-1]) + " and " + names[-1] if names[1:] else names[0]],
                "interviewer": [interviewer.name],
                "film": [film.title for film in films] or [rng.choice(VOCABULARY["project"])],
                "profession": [self.profession[guest.slug].lower() for guest in guests],
            },
        )
        headline = prose.sentence(HEADLINES if films else HEADLINES_WITHOUT_FILM)
        content = FeatureContent(
            headline=headline,
            slug=slugs(headline),
            dek=prose.sentence(DEKS),
            series=rng.choice(self.series),
            hero_image=rng.choice(self.images["hero"]),
            published_at=REFERENCE_TIME - timedelta(minutes=rng.randrange(60, SPREAD_MINUTES)),
            participants=[
                Cast(person, role, self.profession[person.slug])
                for person, role in [
                    (interviewer, Participant.Role.INTERVIEWER),
                    *((guest, Participant.Role.GUEST) for guest in guests),
                ]
            ],
            films=films,
            tags=rng.sample(self.tag_names, rng.randint(0, 8)),
        )
        content.body = interview(prose, content)
        body.check_blocks(content.body, content.speakers())
        if problems := publish_problems(content):
            raise ValidationError(problems)
        return content

    def films_discussed(self, rng: random.Random, guests: list[Person]) -> list[Film]:
        """Up to three films, the guests' own work first."""
        wanted = rng.randint(0, 3)
        own = list(
            {film.pk: film for guest in guests for film in self.filmography[guest.pk]}.values()
        )
        films = rng.sample(own, min(wanted, len(own)))
        others = rng.sample(self.films, min(wanted, len(self.films)))
        return films + [film for film in others if film not in films][: wanted - len(films)]


def interview(prose: Prose, content: FeatureContent) -> list[dict]:
    """6 to 30 blocks: an introduction, then questions and answers with now and then a pull
    quote or a passage of narrative text; MIN_WORDS to MAX_WORDS words in all."""
    rng = prose.rng
    interviewer, *guests = (cast.person.pk for cast in content.participants)
    while True:
        kinds = block_kinds(rng, rng.randint(6, 30), several_guests=len(guests) > 1)
        words = rng.randint(max(150, len(kinds) * 15), min(1600, len(kinds) * 55))
        weights = [WEIGHTS[kind] * rng.uniform(0.5, 1.5) for kind in kinds]
        share = words / sum(weights)
        blocks, answers = [], []
        for kind, weight in zip(kinds, weights, strict=True):
            if kind == body.QUESTION:
                block = {
                    "type": kind,
                    "speaker": interviewer,
                    "text": question(prose, weight * share),
                }
            elif kind == body.ANSWER:
                said = prose.sentences(ANSWERS, weight * share)
                block = {"type": kind, "speaker": rng.choice(guests), "text": in_lines(rng, said)}
                answers.append((block["speaker"], said))
            elif kind == body.QUOTE:
                speaker, said = rng.choice(answers)
                block = {"type": kind, "text": rng.choice(said)}
                if rng.random() < 0.7:
                    block["speaker"] = speaker
            else:
                block = {"type": kind, "text": " ".join(prose.sentences(NARRATIVE, weight * share))}
            blocks.append(block)
        if MIN_WORDS <= sum(len(block["text"].split()) for block in blocks) <= MAX_WORDS:
            break
    taken: set[str] = set()
    return [{"id": block_id(rng, taken), **block} for block in blocks]


def question(prose: Prose, words: float) -> str:
    """A question, led in by a remark when there are words to spare."""
    asked = prose.sentence(QUESTIONS)
    if words - len(asked.split()) > 8:
        return f"{prose.sentence(QUESTION_LEADS)} {asked}"
    return asked


def in_lines(rng: random.Random, said: list[str]) -> str:
    """Sentences as a block's text, with a line break (a new paragraph on the page) every
    three to six sentences."""
    lines = []
    while said:
        cut = rng.randint(3, 6)
        lines.append(" ".join(said[:cut]))
        said = said[cut:]
    return "\n".join(lines)


def unique_names(rng: random.Random, number: int) -> list[str]:
    """Distinct full names; one in five has two surnames, as in “Márquez Abella”."""
    names: dict[str, None] = {}
    while len(names) < number:
        surnames = rng.sample(LAST_NAMES, 2 if rng.random() < 0.2 else 1)
        names[" ".join([rng.choice(FIRST_NAMES), *surnames])] = None
    return list(names)


def block_kinds(rng: random.Random, number: int, *, several_guests: bool) -> list[str]:
    """An introduction, then questions, each followed by an answer (now and then a second
    guest's, a pull quote or narrative text); never ending on a question."""
    kinds = [body.TEXT]
    while len(kinds) < number:
        previous = kinds[-1]
        if previous == body.QUESTION:
            kinds.append(body.ANSWER)
            continue
        roll = rng.random()
        if previous == body.ANSWER and several_guests and roll < 0.12:
            kinds.append(body.ANSWER)
        elif previous == body.ANSWER and roll < 0.22:
            kinds.append(body.QUOTE)
        elif roll < 0.3:
            kinds.append(body.TEXT)
        else:
            kinds.append(body.QUESTION)
    if kinds[-1] == body.QUESTION:
        kinds[-1] = body.TEXT
    return kinds


# Vocabulary ---------------------------------------------------------------------------------
#
# Plain lists, one entry per line or comma-separated, so they stay easy to read and extend.


def _words(text: str) -> list[str]:
    return [word.strip() for word in text.split(",") if word.strip()]


def _lines(text: str) -> tuple[str, ...]:
    return tuple(line.strip() for line in text.strip().splitlines() if line.strip())


FIRST_NAMES = _words("""
    José, María, Tomás, Inés, Sofía, Martín, Lucía, Andrés, Zoë, Chloé, Björn, Søren, Ana,
    Joaquín, Héctor, Ramón, Rubén, Elif, Çağla, Łukasz, Małgorzata, François, Hélène, Renée,
    Noémie, Jürgen, Anaïs, João, Gonçalo, Ngozi, Chidi, Amara, Kwame, Aiko, Hiroshi, Mei, Wei,
    Priya, Arjun, Ananya, Rohan, Leila, Omar, Yusuf, Fatima, Amir, Dina, Sara, Noah, Liam,
    Emma, Olivia, Isabel, Mateo, Valentina, Camila, Diego, Gabriel, Rafael, Elena, Nikolai,
    Irina, Dmitri, Oskar, Freya, Astrid, Ingrid, Lars, Siobhán, Niamh, Ciarán, Seán, Aoife,
    Mairéad, Hannah, Ruth, Miriam, David, Samuel, Jonah, Grace, Iris, Nora, Ada, Felix, Hugo,
    Leo, Milo, Theo, Rosa, Pilar, Begoña, Íñigo, Agustín, Cecilia, Julián, Ximena, Renata,
    Mariana, Emilia, Bruno, Marco, Giulia, Chiara, Niccolò, Beatriz, Thiago, Kaito, Yuna,
    Minh, Linh, Tariq, Zainab, Kofi, Abena, Alejandra, Michael, Maya, Teresa, Ángel, Adrián
""")

LAST_NAMES = _words("""
    Hernández, Márquez, García, Martínez, Rodríguez, López, González, Pérez, Sánchez, Ramírez,
    Torres, Flores, Rivera, Gómez, Díaz, Reyes, Cruz, Morales, Ortiz, Gutiérrez, Chávez, Ramos,
    Ruiz, Álvarez, Jiménez, Muñoz, Castillo, Núñez, Peña, Ibáñez, Abella, Sandoval, Okafor,
    Mensah, Adeyemi, Nakamura, Tanaka, Sato, Kim, Park, Nguyen, Tran, Chen, Wang, Singh,
    Patel, Sharma, Iyer, Haddad, Khalil, Nasser, Cohen, Levi, Friedman, Müller, Schröder,
    Weiß, Köhler, Böhm, Dubois, Lefèvre, Moreau, Girard, Rossi, Bianchi, Conti, Esposito,
    Ferreira, Gonçalves, Simões, Araújo, Kowalski, Wójcik, Nowak, Dvořák, Novák, Horváth,
    Nagy, Kovács, Yılmaz, Öztürk, Şahin, Andersson, Lindqvist, Søndergaard, Johansson,
    Nielsen, Virtanen, Mäkinen, O’Brien, Ó Súilleabháin, MacLeod, Walsh, Murphy, Byrne,
    Smith, Johnson, Brown, Taylor, Wilson, Clarke, Hughes, Evans, Thompson, Walker, Wright,
    Hall, Green, Baker, Adams, Campbell, Mitchell, Carter, Bennett, Brooks, Price, Ellis
""")

INTERVIEWER_TITLES = _words("Host, Critic, Film critic, Staff writer, Editor, Correspondent")

PROFESSIONS = _words("""
    Director, Director, Actor, Actor, Actor, Actor, Actor, Actor, Screenwriter, Screenwriter,
    Producer, Producer, Showrunner, Cinematographer, Film editor, Composer, Production designer,
    Costume designer, Sound designer, Documentary maker, Animator, Astronaut, Novelist,
    Photographer, Journalist, Historian, Chef, Boxer, Marine biologist, Architect,
    Choreographer, Dancer, Poet, Activist, Musician, Singer, Stunt coordinator,
    Casting director
""")

CREDIT_ROLES = {
    "Director": Credit.Role.DIRECTOR,
    "Documentary maker": Credit.Role.DIRECTOR,
    "Actor": Credit.Role.CAST,
    "Singer": Credit.Role.CAST,
    "Dancer": Credit.Role.CAST,
    "Screenwriter": Credit.Role.WRITER,
    "Novelist": Credit.Role.WRITER,
    "Producer": Credit.Role.PRODUCER,
    "Casting director": Credit.Role.PRODUCER,
    "Showrunner": Credit.Role.CREATOR,
}

NATIONALITIES = _words("""
    Mexican, Argentine, Chilean, Colombian, Peruvian, Brazilian, Cuban, Spanish, Portuguese,
    French, Italian, German, Polish, Czech, Hungarian, Turkish, Nigerian, Ghanaian, Japanese,
    Korean, Vietnamese, Indian, Lebanese, Irish, Scottish, Swedish, Danish, Finnish,
    Canadian, American, Australian
""")

VOCABULARY = {
    "place": _words("""
        Michoacán, Bogotá, São Paulo, Montréal, Córdoba, Kraków, Reykjavík, Medellín, Málaga,
        Zürich, Lisbon, Oaxaca, Valparaíso, Mérida, Cádiz, Porto, Naples, Marseille, Tangier,
        Istanbul, Lagos, Accra, Nairobi, Seoul, Osaka, Hanoi, Manila, Mumbai, Beirut, Tbilisi,
        Helsinki, Tromsø, Glasgow, Galway, Detroit, New Orleans, El Paso, Tijuana, Havana, Quito
    """),
    "noun": _words("""
        script, camera, village, river, harbour, kitchen, rehearsal, archive, ledger, island,
        train, studio, letter, photograph, garden, border, market, festival, premiere, first cut,
        soundtrack, storm, lighthouse, desert, mountain road, night shift, classroom, hospital,
        newsroom, radio, apartment, family table, wedding, boxing gym, dance hall, fishing boat,
        orchard, factory, observatory, launch pad, notebook, song, map, rooftop, ferry,
        bus station, bakery, cantina, plaza, library
    """),
    "adj": _words("""
        quiet, stubborn, generous, strange, fragile, difficult, tender, restless,
        patient, lonely, crowded, familiar, unexpected, beautiful, brutal, funny, slow, small,
        enormous, bright, cold, warm, loud, careful, messy, simple, complicated, ordinary,
        private, hidden, open, gentle, furious, candid
    """),
    "abstract": _words("""
        memory, grief, home, luck, failure, patience, silence, distance, faith, ambition,
        belonging, work, time, courage, doubt, family, language, the truth, the audience,
        the ending, friendship, forgiveness, money, fear, joy
    """),
    "people": _words("""
        my mother, my father, my grandmother, my brother, the crew, the producers,
        my co-writer, the actors, a neighbour, an old teacher, the fishermen,
        the kids in the village, my editor, the composer, the festival programmers, my agent
    """),
    "time": _words("""
        that first winter, on the last day, during the shoot, after the premiere,
        before we started, at three in the morning, in the edit, the week we wrapped,
        the summer I turned twenty
    """),
    "task": _words("""
        finding the light, casting the children, waiting for the weather, recording the sound,
        learning the language, earning their trust, cutting three hours down to ninety minutes,
        raising the money, building the set, working with animals, shooting at night,
        getting the permits
    """),
    "number": _words("two, three, four, five, six, seven, ten, twelve, fifteen, twenty"),
    "project": _words("the film, this project, the series, this story"),
    "your_people": _words("""
        your mother, your father, your family, the crew, the producers, your co-writer,
        the actors, your editor, the people who lived there
    """),
    "title_noun": _words("""
        Harbour, Ledger, Orchard, Lighthouse, Border, River, Winter, Summer, Island, Letters,
        Tides, Fields, Mountains, Streets, Kingdom, Garden, Signal, Night, Silence, Voices,
        Ferry, Market, Crossing, Season, Daughters, Brothers, Strangers, Saints, Horses, Rain
    """),
    "title_adj": _words("""
        Quiet, Last, Northern, Hidden, Long, Distant, Small, Broken, Golden, Silent, Wild,
        Empty, Burning, Second, Lost, Bright, Restless, Gentle, Cold, Invisible
    """),
    "spanish_title": _words("""
        Días de Lluvia, El Último Verano, Las Niñas del Río, Noche de Ánimas, Tierra Baja,
        La Frontera, Los Años Dorados, Camino Largo, El Faro, Canción de Invierno,
        Mañana Será Otro Día, La Huída, Corazón de Piedra, Los Árboles, Niña Azul
    """),
}

FILM_TITLES = _lines("""
    The {title_adj} {title_noun}
    {title_noun} of {place}
    {title_adj} {title_noun}
    {spanish_title}
    The {title_noun} and the {title_noun}
    {title_noun} at {place}
    After the {title_noun}
""")

STUDIOS = _words("""
    Northlight Pictures, Casa Bruma, Estudio Ámbar, Tidewater Films, Gato Negro Cine,
    Polar Kino, Saltmarsh Studios, Linterna Films, Quince Pictures, Ferrum Film,
    Colibrí Producciones, Bright Hour Media, Ocre Films, Harbour Lane Pictures
""")

PROVIDERS = [
    ("Lumen+", "https://www.lumenplus.example/", ("stream",)),
    ("CineClub", "https://cineclub.example/", ("stream", "rent")),
    ("Reelhouse", "https://reelhouse.example/", ("rent", "buy")),
    ("Marquee", "https://marquee.example/", ("buy", "rent")),
    ("Faro TV", "https://farotv.example/", ("stream",)),
    ("Cinépolis Norte", "https://cinepolis-norte.example/", ("theatres",)),
    ("Kinopolis", "https://kinopolis.example/", ("theatres",)),
]

REGIONS = ["", "", "", "US", "GB", "MX", "ES", "FR", "DE", "BR", "AR", "CA", "JP"]

PALETTE = [
    ("navy", "#1b2a4a"),
    ("teal", "#1f6f6b"),
    ("amber", "#d9902b"),
    ("plum", "#5b1a36"),
    ("coral", "#e0705b"),
    ("sage", "#8aa37b"),
    ("slate", "#4a5563"),
    ("rust", "#a4442a"),
    ("ochre", "#c7a23a"),
    ("forest green", "#24452f"),
    ("sky blue", "#6fa3d8"),
    ("charcoal", "#2d2d2d"),
    ("sand", "#d8c99b"),
    ("crimson", "#8f1d2c"),
    ("lavender", "#9b8ec4"),
    ("ink", "#0b1d3a"),
]

SERIES_NAMES = _words("""
    Close-Up, Second Take, Long Shot, Field Notes, The Long Conversation, Reel Lives,
    First Person, Cutting Room, Night Screening, Both Sides of the Camera
""")

SERIES_ABOUT = _lines("""
    Conversations with the people behind the stories on screen.
    Long interviews about how a film or a life gets made.
    Filmmakers and the people who inspired them, in their own words.
    Talks with people whose work you have seen but whose names you may not know.
""")

TAGS = list(
    {
        name.casefold(): name
        for name in _words("""
            Film, Documentary, Drama, Comedy, Horror, Science fiction, Ciencia ficción,
            Animation, Western, Thriller, Musical, Romance, Noir, Biopic, Coming of age,
            Road movie, Short film, Experimental, Silent film, War film, Period drama, Satire,
            Mockumentary, Fantasy, Crime, Mystery, Family, Sports, Adventure, Anthology,
            Miniseries, Telenovela, Sitcom, Docuseries, True crime, Nature, Melodrama, Heist,
            Slow cinema, Essay film, Directing, Screenwriting, Cinematography, Editing,
            Sound design, Production design, Costume design, Casting, Acting, Music, Score,
            Visual effects, Stunts, Makeup, Lighting, Colour grading, Location scouting,
            Archival footage, Improvisation, Rehearsal, Adaptation, Producing, Distribution,
            Festivals, Streaming, Independent film, Financing, First features, Remakes,
            Sequels, Restoration, Film criticism, Film school, Subtitles, Dubbing, Box office,
            Awards, Premieres, Space, Science, Migration, Childhood, Grief, Memory, Politics,
            Climate, Ocean, Islands, Labour, Food, Farming, Religion, Football, Boxing, Dance,
            Photography, Architecture, Cities, Rural life, Languages, Translation, Journalism,
            History, War, Exile, Friendship, Love, Ageing, Youth, Education, Medicine,
            Technology, Artificial intelligence, Social media, Fame, Money, Justice, Prisons,
            Borders, Identity, Gender, Queer cinema, Disability, Mental health, Addiction,
            Faith, Folklore, Myth, Animals, Horses, Mountains, Deserts, Rivers, Weather, Night,
            Trains, Cars, Aviation, Astronauts, Lighthouses, Radio, Television, Theatre,
            Literature, Poetry, Comics, Painting, Fashion, Archives, Heritage,
            Indigenous stories, Diaspora, Workers, Protest, Revolution, Utopia, Dystopia,
            Time travel, Robots, Ghosts, Vampires, Monsters, Cannes, Berlinale, Venice,
            Sundance, TIFF, San Sebastián, Morelia, Guadalajara, Locarno, Rotterdam,
            Karlovy Vary, Busan, Tribeca, Telluride, Annecy, México, Bogotá, São Paulo,
            Québec, Montréal, Zürich, Kraków, Reykjavík, Córdoba, Medellín, Málaga, Lisbon,
            Berlin, Paris, Tokyo, Seoul, Lagos, Nairobi, Cairo, Istanbul, Mumbai,
            Buenos Aires, Havana, Los Angeles, New York, Toronto, Marseille, Naples, Sevilla,
            Oaxaca, Michoacán, Patagonia, Amazonia, Arctic, Cooking, Gardening, Sailing,
            Surfing, Climbing, Chess, Jazz, Hip-hop, Opera, Cumbia, Flamenco, Salsa, Tango,
            Punk, Folk music, Classical music, Electronic music, Video games, Podcasts,
            Street art, Murals, Ceramics, Textiles, Puppetry, Circus, Stand-up, Carnival,
            Día de Muertos, Weddings, Funerals, Motherhood, Fatherhood, Siblings, Adoption,
            Neighbours, Small towns, Suburbs, Road trips, Volcanoes, Earthquakes, Floods,
            Wildfires, Forests, Birds, Whales, Dogs, Cats, Stars, The Moon, Mars, Physics,
            Mathematics, Engineering, Elections, Democracy, Human rights, Refugees, Housing,
            Unions, Strikes, Class, Wealth, Poverty
        """)
        + [f"{nationality} cinema" for nationality in NATIONALITIES]
    }.values()
)

WEIGHTS = {body.QUESTION: 1.0, body.ANSWER: 5.0, body.TEXT: 3.0, body.QUOTE: 1.0}

HEADLINES = _lines("""
    {guests} on {film}
    {guest} on making {film}
    {guest} looks back on {film}
    How {guest} made {film}
    {guest}: “It was always about {abstract}”
    {guest} and the {adj} world of {film}
    {film}, according to {guest}
""")

HEADLINES_WITHOUT_FILM = _lines("""
    In conversation with {guests}
    {guest} on {abstract} and {abstract}
    {guest}: “I went back to {place}”
    A {adj} life: {guest} in conversation
    {guests} on {abstract}
""")

DEKS = _lines("""
    The {profession} talks with {interviewer} about {film}, {abstract} and a {adj} year in {place}.
    {guests} sat down with {interviewer} to talk about {abstract}, {task} and {film}.
    From {place} to the screen: {guests} on {film} and why {abstract} still matters.
    {interviewer} meets the {profession} behind {film} to talk about {abstract} and {task}.
""")

QUESTIONS = _lines("""
    What brought you to {film}?
    How did {your_people} react when they first saw it?
    Where did the idea of the {noun} come from?
    Was {abstract} always part of the story?
    What was the hardest day of the shoot?
    Why {place}?
    How much of {film} is your own life?
    What did you learn about {abstract} while making it?
    Did you ever want to give up?
    How do you work with {your_people}?
    What do you hope audiences take from the {noun}?
    Tell me about the {adj} scene with the {noun}.
    What are you working on next?
    How long did it take to write?
    What was it like to go back to {place}?
    Was {task} as hard as it sounds?
    What would you tell someone starting out today?
    When did you know {film} was finished?
""")

QUESTION_LEADS = _lines("""
    You spent {number} years in {place}.
    There is a {adj} quality to the whole thing.
    Many people mention the {noun} first.
    I want to go back to something you said earlier.
    The reviews talked a lot about {abstract}.
    You have said {task} nearly broke you.
""")

ANSWERS = _lines("""
    I think {abstract} was always the real subject.
    {people} kept telling me the {noun} was too {adj} to film.
    We shot most of it in {place}, and you can feel it on screen.
    Honestly, I was scared of the {noun} for a long time.
    It took {number} years before anyone wanted to hear about {abstract}.
    There is a {adj} moment near the end where everything depends on the {noun}.
    {people} taught me more about {abstract} than any film school.
    You cannot plan a {adj} {noun}; you can only be ready when it happens.
    I wrote the first draft at a {noun} in {place}.
    The hardest part was {task}, because nobody on the crew had done it before.
    When I saw the first cut, I understood it was about {abstract} and not about the {noun}.
    We lost the {noun} {time}, and that accident became the best scene.
    I wanted the audience to feel how {adj} {abstract} can be.
    My family is from {place}, so the {noun} was never just a location for me.
    Every version of the script had the {noun} in it somewhere.
    I still think about the {noun} we found {time}.
    It is a story about {abstract}, but it is also very funny, which surprises people.
    I kept a notebook of every {adj} thing {people} said.
    The studio wanted something {adj}; we made something {adj}.
    {people} read every draft and never once said it was good.
    I said yes before I had read the whole script.
    Some days we had {number} people and one camera, and that was enough.
    The {noun} is where the story started.
    I do not believe in {abstract} the way I used to.
    What I wanted was a {adj} film that still trusts its audience.
    People in {place} recognise themselves in it, and that matters more to me than reviews.
    We spent {number} weeks on {task} alone.
    It is {adj}, and it should be.
    There were {number} versions of the ending, and the last one is the simplest.
    Without {people} none of this would exist.
""")

NARRATIVE = _lines("""
    {guests} met {interviewer} on a {adj} afternoon in {place}.
    The conversation has been edited for length and clarity.
    {guest} spent {number} years working in {place} before {film} found its audience.
    Outside, the {noun} was {adj} and nearly empty.
    {film} is the result of {number} years of work and, by all accounts, a great deal of {abstract}.
    We talked for {number} hours, mostly about {abstract} and {task}.
    Earlier that week, {guest} had been back to {place} for the first time in {number} years.
    {film} premiered to a {adj} reception in {place}.
    The interview took place over two long evenings, with a break for dinner.
    {guest} answered every question slowly, as if weighing each word.
    Few people outside {place} had heard of {guest} until recently.
    The {noun} in {film} is not invented; it still stands in {place}.
    Some answers have been shortened.
    There is a {noun} in almost every frame of {film}.
""")

BIO = _lines("""
    {name} grew up in {place} and started out as a {profession} there.
    {first} has worked in {place} and {place} for more than {number} years.
    Their work returns again and again to {abstract} and {abstract}.
    {first} is known for a {adj} way of working.
    Before that, {first} spent {number} years on {task}.
    {name} lives between {place} and {place}.
    Critics have called the work {adj}, and {first} does not disagree.
    {first} teaches now and then, mostly in {place}.
    {name} has been interviewed about {abstract} more often than they would like.
    Outside work, {first} collects old maps of {place}.
    {first} still keeps the {noun} from their first job.
""")

SYNOPSIS = _lines("""
    In {place}, a {adj} {noun} changes the lives of everyone around it.
    {title} follows {number} strangers over one {adj} year.
    What begins as a story about {abstract} becomes a story about {abstract}.
    Shot over {number} years, it is a {adj} portrait of {place}.
    A family returns to the {noun} where everything began.
    At its heart is a question of {abstract}.
    Nobody in {place} expected the {noun} to matter this much.
    Over one long season, old friends learn what {abstract} costs.
    The {noun} keeps a secret that the whole town shares.
    Told in {number} chapters, it moves between {place} and the sea.
""")

CHARACTERS = _lines("""
    {first_name}
    {first_name} {last_name}
    Captain {last_name}
    Old {first_name}
    Doctor {last_name}
""")
VOCABULARY["first_name"], VOCABULARY["last_name"] = FIRST_NAMES, LAST_NAMES

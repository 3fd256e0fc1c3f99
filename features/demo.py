"""The demo content that `manage.py load_demo` puts in an empty site.

The NEWS x MUSE piece carries only facts (names, titles, years, platforms) about real
people, told in our own words; no quotes are put in their mouths. The Q&A example is a
second, clearly fictional conversation between invented people.
"""

from datetime import UTC, datetime

SERIES = [
    {
        "slug": "news-x-muse",
        "name": "NEWS x MUSE",
        "description": "Conversations with the people behind the stories on screen, and "
        "with the people whose lives inspired them.",
    },
    {
        "slug": "studio-notes",
        "name": "Studio Notes",
        "description": "Sample interviews that show how a newsmuse Q&A reads. "
        "The people and films in this series are invented.",
    },
]

IMAGES = {
    "hero-news-x-muse": {
        "title": "Demo hero: A Million Miles Away",
        "size": (1600, 900),
        "colours": ("#0b1d3a", "#c2552b"),
        "label": "A Million Miles Away",
        "alt_text": "A deep blue night sky fading into an orange horizon, "
        "with the title A Million Miles Away.",
        "caption": "José Hernández’s journey from the fields of Michoacán to orbit "
        "is the story of A Million Miles Away.",
        "credit": "Illustration: newsmuse demo",
    },
    "portrait-jose-hernandez": {
        "title": "Demo portrait: José Hernández",
        "size": (800, 800),
        "colours": ("#163a5f", "#6fa3d8"),
        "label": "JH",
        "alt_text": "Placeholder portrait of José Hernández: his initials on a blue field.",
        "credit": "Illustration: newsmuse demo",
    },
    "portrait-alejandra-marquez-abella": {
        "title": "Demo portrait: Alejandra Márquez Abella",
        "size": (800, 800),
        "colours": ("#5b1a36", "#e08a6b"),
        "label": "AMA",
        "alt_text": "Placeholder portrait of Alejandra Márquez Abella: "
        "her initials on a plum field.",
        "credit": "Illustration: newsmuse demo",
    },
    "portrait-michael-sandoval": {
        "title": "Demo portrait: Michael Sandoval",
        "size": (800, 800),
        "colours": ("#2d2d2d", "#9a9a9a"),
        "label": "MS",
        "alt_text": "Placeholder portrait of Michael Sandoval: his initials on a grey field.",
        "credit": "Illustration: newsmuse demo",
    },
    "poster-a-million-miles-away": {
        "title": "Demo poster: A Million Miles Away",
        "size": (800, 1200),
        "colours": ("#08142b", "#d9772b"),
        "label": "A Million\nMiles Away",
        "alt_text": "Poster artwork for A Million Miles Away: the title over a night sky "
        "that turns to dawn.",
        "credit": "Illustration: newsmuse demo",
    },
    "hero-lighthouse": {
        "title": "Demo hero: The Keeper's Ledger",
        "size": (1600, 900),
        "colours": ("#1f3b3a", "#d8c99b"),
        "label": "The Keeper’s Ledger",
        "alt_text": "A sea-green field fading into sand, with the title The Keeper’s Ledger.",
        "caption": "A fictional documentary, invented for this sample interview.",
        "credit": "Illustration: newsmuse demo",
    },
    "poster-keepers-ledger": {
        "title": "Demo poster: The Keeper's Ledger",
        "size": (800, 1200),
        "colours": ("#1f3b3a", "#e7dcb8"),
        "label": "The Keeper’s\nLedger",
        "alt_text": "Poster artwork for the fictional film The Keeper’s Ledger.",
        "credit": "Illustration: newsmuse demo",
    },
}

PEOPLE = [
    {
        "slug": "jose-hernandez",
        "name": "José Hernández",
        "description": "NASA flight engineer and astronaut",
        "portrait": "portrait-jose-hernandez",
        "bio": "José Hernández grew up the son of migrant farm workers and set his sights on "
        "space. Money was short, English was a second language, and NASA turned down his "
        "application twelve times before it said yes.\n\n"
        "He flew as a flight engineer on the STS-128 space shuttle mission, which helped "
        "build the International Space Station. Today he encourages young people to aim "
        "high, above all in the Hispanic community.",
    },
    {
        "slug": "alejandra-marquez-abella",
        "name": "Alejandra Márquez Abella",
        "description": "Mexican film director and writer",
        "portrait": "portrait-alejandra-marquez-abella",
        "bio": "Alejandra Márquez Abella is a Mexican filmmaker of a new generation, drawn to "
        "stories of people who find their strength against the odds.\n\n"
        "In more than ten years behind the camera she has made the features Semana Santa "
        "(2015), Las Niñas Bien (2018) and Northern Skies Over Empty Space for Amazon Prime. "
        "On television she has written and directed for HBO’s Savage Detectives and "
        "directed two episodes of Netflix’s Narcos: México.",
    },
    {
        "slug": "michael-sandoval",
        "name": "Michael Sandoval",
        "description": "Host of NEWS x MUSE",
        "portrait": "portrait-michael-sandoval",
        "bio": "Michael Sandoval talks with filmmakers and the people their films are about "
        "for the NEWS x MUSE series.",
    },
    {
        "slug": "maya-ortiz",
        "name": "Maya Ortiz",
        "description": "Fictional film critic (sample content)",
        "bio": "Maya Ortiz is an invented critic who appears in newsmuse’s sample interview.",
    },
    {
        "slug": "tomas-reyes",
        "name": "Tomás Reyes",
        "description": "Fictional documentary maker (sample content)",
        "bio": "Tomás Reyes is an invented documentary maker who appears in newsmuse’s "
        "sample interview.",
    },
]

FILMS = [
    {
        "slug": "a-million-miles-away",
        "title": "A Million Miles Away",
        "kind": "film",
        "year": 2023,
        "poster": "poster-a-million-miles-away",
        "synopsis": "Drawn from the life of NASA flight engineer José Hernández, the film "
        "follows him over decades: from a farming village in Michoacán, Mexico, to the "
        "International Space Station, more than 200 miles above the Earth. His family stands "
        "behind him all the way, and his persistence carries him to a goal that looked "
        "out of reach.",
        "credits": [
            ("alejandra-marquez-abella", "director", ""),
            ("jose-hernandez", "subject", ""),
        ],
        "watch": [("Prime Video", "https://www.primevideo.com/", "stream")],
    },
    {
        "slug": "semana-santa",
        "title": "Semana Santa",
        "kind": "film",
        "year": 2015,
        "credits": [("alejandra-marquez-abella", "director", "")],
    },
    {
        "slug": "las-ninas-bien",
        "title": "Las Niñas Bien",
        "kind": "film",
        "year": 2018,
        "credits": [("alejandra-marquez-abella", "director", "")],
    },
    {
        "slug": "northern-skies-over-empty-space",
        "title": "Northern Skies Over Empty Space",
        "kind": "film",
        "credits": [("alejandra-marquez-abella", "director", "")],
        "watch": [("Prime Video", "https://www.primevideo.com/", "stream")],
    },
    {
        "slug": "savage-detectives",
        "title": "Savage Detectives",
        "kind": "series",
        "studio": "HBO",
        "credits": [("alejandra-marquez-abella", "director", "also writer")],
        "watch": [("HBO", "https://www.hbo.com/", "stream")],
    },
    {
        "slug": "narcos-mexico",
        "title": "Narcos: México",
        "kind": "series",
        "studio": "Netflix",
        "credits": [("alejandra-marquez-abella", "director", "two episodes")],
        "watch": [("Netflix", "https://www.netflix.com/", "stream")],
    },
    {
        "slug": "the-keepers-ledger",
        "title": "The Keeper’s Ledger",
        "kind": "film",
        "year": 2024,
        "poster": "poster-keepers-ledger",
        "synopsis": "A fictional documentary invented for newsmuse’s sample interview: a year "
        "on a small island with the last keeper of its lighthouse.",
        "credits": [("tomas-reyes", "director", "")],
    },
]

NEWS_X_MUSE_BODY = """\
A Million Miles Away, now streaming on Prime Video, tells the true story of José Hernández: \
a boy from a family of migrant farm workers in Michoacán, Mexico, who grew up to fly to the \
International Space Station.

For NEWS x MUSE, Michael Sandoval sat down with Hernández and with Alejandra Márquez Abella, \
who directed the film, to talk about turning a life of setbacks and second chances into a \
movie.

Hernández applied to NASA twelve times before he was accepted, and went on to serve as a \
flight engineer on the STS-128 shuttle mission. Márquez Abella came to the project after a \
decade of films and television about people who refuse to give up.

A Million Miles Away is streaming now on Prime Video."""

KEEPERS_LEDGER_BODY = """\
This conversation is invented. It shows how newsmuse lays out a speaker-attributed \
interview: questions, answers, narrative text and a pull quote.

Maya Ortiz: You spent a whole year on the island. Why that long?

Tomás Reyes: Because the island changes its mind every season.
In winter the keeper barely sleeps; in summer he has time to talk. I needed both.

Maya Ortiz: What surprised you most?

Tomás Reyes: The ledger. Every night for forty years he wrote down the weather, the ships \
and one sentence about his day. The ledger is the real film. I only had to turn the pages.

> Tomás Reyes: The ledger is the real film. I only had to turn the pages.

Reyes edited the film on the mainland over the following spring.

Maya Ortiz: Will you go back?

Tomás Reyes: Every summer, for as long as the light is lit."""

FEATURES = [
    {
        "slug": "jose-hernandez-alejandra-marquez-abella-a-million-miles-away",
        "series": "news-x-muse",
        "headline": "José Hernández and Alejandra Márquez Abella on A Million Miles Away",
        "dek": "The astronaut and the director who brought his story to the screen talk with "
        "Michael Sandoval about the film, now streaming on Prime Video.",
        "hero_image": "hero-news-x-muse",
        "published_at": datetime(2023, 9, 20, 14, 0, tzinfo=UTC),
        "participants": [
            ("michael-sandoval", "interviewer", "Host"),
            ("jose-hernandez", "guest", "Astronaut"),
            ("alejandra-marquez-abella", "guest", "Director"),
        ],
        "films": ["a-million-miles-away"],
        "tags": ["Film", "Space", "Prime Video", "Mexican cinema"],
        "body": NEWS_X_MUSE_BODY,
    },
    {
        "slug": "tomas-reyes-the-keepers-ledger",
        "series": "studio-notes",
        "headline": "A year with the last lighthouse keeper (a sample interview)",
        "dek": "A fictional conversation between two invented people, written to show how an "
        "interview reads in newsmuse.",
        "hero_image": "hero-lighthouse",
        "published_at": datetime(2023, 9, 1, 9, 0, tzinfo=UTC),
        "participants": [
            ("maya-ortiz", "interviewer", "Critic"),
            ("tomas-reyes", "guest", "Documentary maker"),
        ],
        "films": ["the-keepers-ledger"],
        "tags": ["Film", "Documentary", "Sample"],
        "body": KEEPERS_LEDGER_BODY,
    },
]

"""The floor: a bare Django view that renders a feature-like page from a Python dict.

It has what the demo feature page has — headline, dek, a hero picture, about 1,500 words of
Q&A, a film box, two guest bios and tags — but no database and no code of ours, so the
difference between the two is what our data layer and templates cost.
"""

from django.shortcuts import render

TEXT = (
    "the film took years to make and every scene had to carry the weight of a life "
    "lived between two countries so we listened to the family first and wrote later "
    "light fog orbit field harvest letter mission launch engineer story screen"
)
WORDS = TEXT.split()


def _sentence(seed: int, length: int) -> str:
    words = [WORDS[(seed * 7 + i * 3) % len(WORDS)] for i in range(length)]
    return " ".join(words).capitalize() + "."


def _picture(name: str, widths: tuple[int, ...], ratio: float) -> dict:
    def srcset(extension):
        return ", ".join(f"/media/{name}-{w}.{extension} {w}w" for w in widths)

    return {
        "sources": [("image/avif", srcset("avif")), ("image/webp", srcset("webp"))],
        "src": f"/media/{name}-{widths[-1]}.jpg",
        "srcset": srcset("jpg"),
        "width": widths[-1],
        "height": round(widths[-1] / ratio),
        "alt": f"A picture for {name}",
    }


def _page() -> dict:
    interviewer = {"name": "Maya Ortiz", "url": "/people/maya-ortiz/"}
    guests = [
        {
            "name": name,
            "url": f"/people/{slug}/",
            "label": label,
            "bio": _sentence(n, 40),
            "portrait": _picture(f"portrait-{slug}", (160, 320, 640), 1.0),
            "work": [{"title": f"Earlier film {n}", "url": f"/films/early-{n}/", "year": 2015}],
        }
        for n, (name, slug, label) in enumerate(
            [("José Hernández", "jose", "Astronaut"), ("Alejandra Márquez", "ale", "Director")]
        )
    ]
    blocks = []
    for n in range(12):
        speaker = interviewer if n % 2 == 0 else guests[n // 2 % 2]
        kind = "question" if n % 2 == 0 else "answer"
        blocks.append(
            {
                "id": f"{n:08x}",
                "type": kind,
                "speaker": speaker["name"],
                "paragraphs": [_sentence(n, 30 if kind == "question" else 110)]
                + ([_sentence(n + 1, 110)] if kind == "answer" else []),
            }
        )
    return {
        "series": {"name": "NEWS x MUSE", "url": "/series/news-x-muse/"},
        "headline": "José Hernández and Alejandra Márquez Abella on A Million Miles Away",
        "dek": _sentence(3, 30),
        "published": "1 December 2026",
        "interviewers": [interviewer],
        "hero": _picture("hero", (480, 800, 1200, 1600), 16 / 9),
        "caption": _sentence(4, 15),
        "credit": "Illustration: newsmuse demo",
        "blocks": blocks,
        "film": {
            "title": "A Million Miles Away",
            "url": "/films/a-million-miles-away/",
            "year": 2023,
            "synopsis": _sentence(5, 60),
            "poster": _picture("poster", (240, 480, 800), 2 / 3),
            "credits": [("Director", "Alejandra Márquez Abella"), ("Cast", "Michael Peña")],
            "watch": [("Watch on Prime Video", "https://www.primevideo.com/")],
        },
        "guests": guests,
        "tags": [(name, f"/tags/{name}/") for name in ("space", "biopic", "prime-video")],
    }


PAGE = _page()


def floor(request):
    return render(request, "bench/floor.html", {"page": PAGE})

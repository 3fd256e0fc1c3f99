"""Text as readers type it: without accents, case or extra spacing."""

import unicodedata

# Letters that do not decompose into a plain letter and an accent, but that PostgreSQL's
# unaccent still maps to plain letters: Python and SQL must agree (newsmuse.folding).
PLAIN_LETTERS = str.maketrans(
    {
        "ø": "o",
        "Ø": "O",
        "ł": "l",
        "Ł": "L",
        "đ": "d",
        "Đ": "D",
        "ß": "ss",
        "æ": "ae",
        "Æ": "AE",
        "œ": "oe",
        "Œ": "OE",
        "þ": "th",
        "Þ": "TH",
        "ı": "i",
    }
)


def unaccent(text: str) -> str:
    """“Øster Márquez” as “Oster Marquez”: compatibility-decomposed and accents dropped,
    as PostgreSQL's unaccent does it."""
    decomposed = unicodedata.normalize("NFKD", text.translate(PLAIN_LETTERS))
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def fold(text: str) -> str:
    """“José  HERNÁNDEZ” as “jose hernandez”: accents dropped, case folded and runs of
    whitespace made one space."""
    return " ".join(unaccent(text).casefold().split())

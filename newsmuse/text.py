"""Text as readers type it: without accents, case or extra spacing."""

import unicodedata


def fold(text: str) -> str:
    """“José  HERNÁNDEZ” as “jose hernandez”: compatibility-decomposed, accents dropped,
    case folded and runs of whitespace made one space. The result never has more
    characters than the input has code points after decomposition."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(stripped.casefold().split())

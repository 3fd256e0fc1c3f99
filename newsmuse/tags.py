"""The rules a list of tags follows, for features and images alike."""

from django.utils.text import slugify
from taggit.models import Tag

MAX_TAGS = 50
TAG_MAX_LENGTH = Tag._meta.get_field("name").max_length


def tag_problems(tags: list[str], *, holder: str) -> list[str]:
    """What is wrong with these tags, as sentences for an editor; [] when nothing is.
    ``holder`` names what carries them, e.g. "A feature"."""
    if not isinstance(tags, list) or not all(isinstance(tag, str) for tag in tags):
        return ["Tags must be a list of words."]
    problems = []
    if unusable := [tag for tag in tags if not slugify(tag, allow_unicode=True)]:
        problems.append(
            "Tags need at least one letter or digit: "
            + ", ".join(f"“{tag}”" for tag in unusable)
            + "."
        )
    if too_long := [tag for tag in tags if len(tag) > TAG_MAX_LENGTH]:
        problems.append(
            f"Tags can be at most {TAG_MAX_LENGTH} characters: "
            + ", ".join(f"“{tag[:40]}…”" for tag in too_long)
            + "."
        )
    if len(tags) > MAX_TAGS:
        problems.append(f"{holder} can have at most {MAX_TAGS} tags; it has {len(tags)}.")
    return problems

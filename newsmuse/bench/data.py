"""Reads and writes on the bench's scratch database, for `newsmuse.bench.run`.

    python -m newsmuse.bench.data closest WORDS         the published feature whose body is
                                                        closest to WORDS words, as JSON
    python -m newsmuse.bench.data headline SLUG TEXT    give a feature a new headline through
                                                        the editors' save path; prints the
                                                        Unix time right after the commit

Both run in a process of their own with the app's environment, like the servers.
"""

import json
import os
import sys
import time


def closest_feature(words: int) -> dict:
    """{"path": …, "words": …} of the published feature whose body blocks hold the number
    of words nearest to `words` (the first by id on a tie)."""
    from features.body import blocks_of
    from features.models import Feature

    best_words, best = None, None
    for feature in Feature.objects.published().only("slug", "body").order_by("pk").iterator():
        count = sum(len(block["text"].split()) for block in blocks_of(feature.body))
        if best_words is None or abs(count - words) < abs(best_words - words):
            best_words, best = count, feature
    if best is None:
        raise SystemExit("No published feature in this database.")
    return {"path": best.get_absolute_url(), "words": best_words}


def change_headline(slug: str, headline: str) -> float:
    """Save the feature with a new headline as an editor's save does; the Unix time after
    the commit (save_feature is atomic: when it returns, readers see the change)."""
    from features.content import FeatureContent
    from features.models import Feature
    from features.services import save_feature

    feature = Feature.objects.get(slug=slug)
    content = FeatureContent.of(feature)
    content.headline = headline
    save_feature(user=None, content=content, feature=feature)
    return time.time()


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsmuse.bench.settings")
    import django

    django.setup()
    command, *arguments = sys.argv[1:]
    if command == "closest":
        print(json.dumps(closest_feature(int(arguments[0]))))
    elif command == "headline":
        print(change_headline(*arguments))
    else:
        raise SystemExit(f"Unknown command {command!r}: closest or headline.")

"""The production settings with the floor view's URL added, for `make bench` only."""

from newsmuse.settings import *  # noqa: F403

ROOT_URLCONF = "newsmuse.bench.urls"
PAGE_CACHE_SKIP_PATHS = (*PAGE_CACHE_SKIP_PATHS, "/bench/")  # noqa: F405  the floor is bare

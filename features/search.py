"""Site search: which public features match what a reader typed, best first, with snippets.

Each feature has a SearchEntry row (and one per person for what that person said), holding
its text folded so that accents and case never matter: “jose hernandez” finds José
Hernández. The databases index those rows in their own way, installed by migration 0007:

- PostgreSQL: a generated ``tsvector`` column with the headline and names weighted A, the
  dek, films and tags B, the body C, in a GIN index; queries use ``websearch_to_tsquery``
  and rank with ``ts_rank_cd``.
- SQLite: an FTS5 table over the same columns (kept in step by triggers), with Porter
  stemming like PostgreSQL's English configuration; the reader's query is turned into FTS5
  syntax here, with the same rules as ``websearch_to_tsquery`` (quotes for phrases, ``or``,
  ``-word`` to exclude, English stop words ignored), and ranked with column-weighted bm25.

Both answer the same queries with the same features. Snippets are cut and highlighted here
in Python from the feature's own text, so they read the same on both databases.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connection
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from newsmuse.text import fold

from .body import blocks_of

MAX_QUERY_LENGTH = 200
BATCH_SIZE = 500
SNIPPET_WORDS = 36

# PostgreSQL's English stop words (tsearch_data/english.stop): its queries ignore them, so
# the SQLite translation drops them too.
_ENGLISH_STOP_WORDS = """
    i me my myself we our ours ourselves you your yours yourself yourselves he him his
    himself she her hers herself it its itself they them their theirs themselves what which
    who whom this that these those am is are was were be been being have has had having do
    does did doing a an the and but if or because as until while of at by for with about
    against between into through during before after above below to from up down in out on
    off over under again further then once here there when where why how all any both each
    few more most other some such no nor not only own same so than too very s t can will
    just don should now"""
STOP_WORDS = frozenset(_ENGLISH_STOP_WORDS.split())

_WORD = re.compile(r"[^\W_]+")
_TERM = re.compile(r'(-?)"([^"]*)"?|(-?)(\S+)')
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_query(text: str) -> str:
    """The query as searched and shown: control characters dropped, whitespace collapsed,
    cut to MAX_QUERY_LENGTH characters."""
    return " ".join(_CONTROL.sub("", text).split())[:MAX_QUERY_LENGTH]


def words_of(text: str) -> str:
    """Text as both databases index it: folded words (letters and digits) and single
    spaces, nothing else, so that neither database's own reading of punctuation, markup
    or addresses makes their results differ."""
    return " ".join(_WORD.findall(fold(text)))


@dataclass(frozen=True)
class ParsedQuery:
    """A reader's query read the way websearch_to_tsquery reads one: every group must
    match, a group matches when any of its terms does (``or``), and no excluded term may
    (``-``). A term is a word, or the words of a "quoted phrase" in order."""

    groups: tuple[tuple[str, ...], ...]
    excluded: tuple[str, ...]

    @property
    def words(self) -> list[str]:
        """The words looked for (not the excluded ones), for highlighting."""
        return [word for group in self.groups for term in group for word in term.split()]


def parse(query: str) -> ParsedQuery:
    groups: list[list[str]] = []
    excluded: list[str] = []
    join_next = False
    for negated, phrase, negated_word, word in _TERM.findall(fold(query)):
        if not phrase and word == "or":
            join_next = bool(groups)
            continue
        words = [w for w in _WORD.findall(phrase or word) if w not in STOP_WORDS]
        if not words:
            continue
        term = " ".join(words)
        if negated or negated_word:
            excluded.append(term)
        elif join_next:
            groups[-1].append(term)
        else:
            groups.append([term])
        join_next = False
    return ParsedQuery(tuple(tuple(group) for group in groups), tuple(excluded))


# Keeping the entries ------------------------------------------------------------------------


def reindex(feature_ids: Iterable[int]) -> None:
    """Make the search entries of these features again (three queries per 500 features,
    plus the writes)."""
    from .models import Feature, Participant, SearchEntry

    feature_ids = list(feature_ids)
    for start in range(0, len(feature_ids), BATCH_SIZE):
        batch = feature_ids[start : start + BATCH_SIZE]
        features = Feature.objects.filter(pk__in=batch).prefetch_related(
            Prefetch("participants", queryset=Participant.objects.select_related("person")),
            "films",
            "tags",
        )
        entries = [entry for feature in features for entry in _entries(feature)]
        SearchEntry.objects.filter(feature_id__in=batch).delete()
        SearchEntry.objects.bulk_create(entries)


def _entries(feature) -> list:
    from .models import SearchEntry

    people = [participant.person for participant in feature.participants.all()]
    blocks = blocks_of(feature.body)
    title = words_of(" ".join([feature.headline, *(person.name for person in people)]))
    summary = words_of(
        " ".join(
            [
                feature.dek,
                *(film.title for film in feature.films.all()),
                *(tag.name for tag in feature.tags.all()),
            ]
        )
    )
    entries = [
        SearchEntry(
            feature=feature,
            title=title,
            summary=summary,
            body=words_of(" ".join(block["text"] for block in blocks)),
        )
    ]
    for person in people:
        said = [block["text"] for block in blocks if block.get("speaker") == person.pk]
        if said:
            entries.append(
                SearchEntry(
                    feature=feature,
                    person=person,
                    title=words_of(f"{feature.headline} {person.name}"),
                    summary="",
                    body=words_of(" ".join(said)),
                )
            )
    return entries


def reindex_involving(*, people=(), films=(), tags=()) -> None:
    """Make the entries of every feature that names these people, films or tags again."""
    from .models import Feature

    ids = set()
    if people:
        ids |= set(
            Feature.objects.filter(participants__person__in=people).values_list("pk", flat=True)
        )
    if films:
        ids |= set(Feature.objects.filter(films__in=films).values_list("pk", flat=True))
    if tags:
        ids |= set(Feature.objects.filter(tags__in=tags).values_list("pk", flat=True))
    reindex(sorted(ids))


def fill_if_empty(using: str = "default") -> None:
    """Index every feature when there are features and no entries yet (after migrating a
    database that had features before search existed)."""
    from .models import Feature, SearchEntry

    if Feature.objects.using(using).exists() and not SearchEntry.objects.using(using).exists():
        reindex(Feature.objects.using(using).values_list("pk", flat=True))


# The index each database keeps (installed and removed by migration 0007) -------------------

# New entries go straight into the index rather than into GIN's pending list, which each
# search would read through and which makes the planner prefer a scan after a bulk load.
POSTGRESQL_INDEX_DIRECT = [
    "ALTER INDEX features_searchentry_document SET (fastupdate = off)",
    "SELECT gin_clean_pending_list('features_searchentry_document')",
]
POSTGRESQL_INDEX = [
    """ALTER TABLE features_searchentry ADD COLUMN document tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('english', title), 'A')
        || setweight(to_tsvector('english', summary), 'B')
        || setweight(to_tsvector('english', body), 'C')
    ) STORED""",
    # Searches of everything read the whole-feature entries; those of what one person said
    # find that person's few entries by person_id.
    "CREATE INDEX features_searchentry_document ON features_searchentry USING GIN (document)"
    " WHERE person_id IS NULL",
    *POSTGRESQL_INDEX_DIRECT,
]
POSTGRESQL_INDEX_REMOVAL = ["ALTER TABLE features_searchentry DROP COLUMN document"]

_FTS_ROW = "(rowid, title, summary, body) VALUES (new.id, new.title, new.summary, new.body)"
_FTS_DELETE = (
    "(features_searchentry_fts, rowid, title, summary, body)"
    " VALUES ('delete', old.id, old.title, old.summary, old.body)"
)
SQLITE_INDEX = [
    """CREATE VIRTUAL TABLE features_searchentry_fts USING fts5(
        title, summary, body, content='features_searchentry', content_rowid='id',
        tokenize='porter unicode61 remove_diacritics 2'
    )""",
    f"""CREATE TRIGGER features_searchentry_fts_insert AFTER INSERT ON features_searchentry
        BEGIN INSERT INTO features_searchentry_fts {_FTS_ROW}; END""",
    f"""CREATE TRIGGER features_searchentry_fts_delete AFTER DELETE ON features_searchentry
        BEGIN INSERT INTO features_searchentry_fts {_FTS_DELETE}; END""",
    f"""CREATE TRIGGER features_searchentry_fts_update AFTER UPDATE ON features_searchentry
        BEGIN
            INSERT INTO features_searchentry_fts {_FTS_DELETE};
            INSERT INTO features_searchentry_fts {_FTS_ROW};
        END""",
]
SQLITE_INDEX_REMOVAL = [
    "DROP TRIGGER features_searchentry_fts_update",
    "DROP TRIGGER features_searchentry_fts_delete",
    "DROP TRIGGER features_searchentry_fts_insert",
    "DROP TABLE features_searchentry_fts",
]


def install_index(schema_editor) -> None:
    statements = {"postgresql": POSTGRESQL_INDEX, "sqlite": SQLITE_INDEX}
    for statement in statements.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement)


def index_directly(schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        for statement in POSTGRESQL_INDEX_DIRECT:
            schema_editor.execute(statement)


def remove_index(schema_editor) -> None:
    statements = {"postgresql": POSTGRESQL_INDEX_REMOVAL, "sqlite": SQLITE_INDEX_REMOVAL}
    for statement in statements.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement)


# Searching ----------------------------------------------------------------------------------


def to_fts5(parsed: ParsedQuery) -> str:
    """The query in FTS5 syntax, every term quoted so that nothing a reader types is FTS5
    syntax; empty when nothing is left to look for."""

    def quoted(term):
        return f'"{term}"'

    required = " AND ".join(
        f"({' OR '.join(map(quoted, group))})" if len(group) > 1 else quoted(group[0])
        for group in parsed.groups
    )
    if not required:
        return ""
    return " NOT ".join(
        [f"({required})" if parsed.excluded else required, *map(quoted, parsed.excluded)]
    )


def to_websearch(parsed: ParsedQuery) -> str:
    """The query as websearch_to_tsquery reads it, every term quoted (a phrase)."""
    return " ".join(
        [
            *(" or ".join(f'"{term}"' for term in group) for group in parsed.groups),
            *(f'-"{term}"' for term in parsed.excluded),
        ]
    )


@dataclass(frozen=True)
class Hits:
    """One page of matching features, best first, and how many match in all."""

    feature_ids: list[int]
    total: int


def find(query: str, *, person_id: int | None = None, limit: int, offset: int = 0) -> Hits:
    """The public features matching ``query`` (in what ``person_id`` said, if given): one
    query on either database."""
    parsed = parse(query)
    if not parsed.groups:
        return Hits([], 0)
    with connection.cursor() as cursor:
        cursor.execute(*search_sql(parsed, person_id=person_id, limit=limit, offset=offset))
        rows = cursor.fetchall()
    return Hits([feature_id for feature_id, _ in rows], rows[0][1] if rows else 0)


def search_sql(parsed: ParsedQuery, *, person_id: int | None, limit: int, offset: int):
    """The SQL and parameters of find() for this database: (feature id, number of matches)
    rows, best first."""
    public = "f.status IN ('published', 'scheduled') AND f.published_at <= %s AND e.person_id "
    public += "= %s" if person_id is not None else "IS NULL"
    public_params = [timezone.now(), *([person_id] if person_id is not None else [])]
    if connection.vendor == "postgresql":
        sql = f"""
            SELECT e.feature_id, count(*) OVER ()
            FROM features_searchentry e
            JOIN features_feature f ON f.id = e.feature_id,
                 websearch_to_tsquery('english', %s) AS q
            WHERE e.document @@ q AND {public}
            ORDER BY ts_rank_cd(e.document, q) DESC, f.published_at DESC, f.id DESC
            LIMIT %s OFFSET %s"""
        return sql, [to_websearch(parsed), *public_params, limit, offset]
    # bm25() works only right over the FTS5 table, so it is ranked in a subquery.
    sql = f"""
        SELECT feature_id, count(*) OVER () FROM (
            SELECT e.feature_id, f.published_at, f.id AS newest,
                   bm25(features_searchentry_fts, 10.0, 4.0, 1.0) AS score
            FROM features_searchentry_fts
            JOIN features_searchentry e ON e.id = features_searchentry_fts.rowid
            JOIN features_feature f ON f.id = e.feature_id
            WHERE features_searchentry_fts MATCH %s AND {public}
        )
        ORDER BY score, published_at DESC, newest DESC
        LIMIT %s OFFSET %s"""
    return sql, [to_fts5(parsed), *public_params, limit, offset]


# Snippets -----------------------------------------------------------------------------------


def snippet(texts: Iterable[str], words: list[str]) -> SafeString:
    """About SNIPPET_WORDS words from the first of ``texts`` that holds a query word, with
    each matching word in <mark>; the start of the first text when none does."""
    texts = [text for text in texts if text.strip()]
    if not texts:
        return mark_safe("")
    for text in texts:
        tokens = text.split()
        hits = [i for i, token in enumerate(tokens) if _matches(token, words)]
        if hits:
            start = max(0, hits[0] - SNIPPET_WORDS // 3)
            return _marked(tokens, start, words)
    return _marked(texts[0].split(), 0, words)


def _marked(tokens: list[str], start: int, words: list[str]) -> SafeString:
    shown = tokens[start : start + SNIPPET_WORDS]
    parts = [
        f"<mark>{escape(token)}</mark>" if _matches(token, words) else escape(token)
        for token in shown
    ]
    before = "… " if start else ""
    after = " …" if start + SNIPPET_WORDS < len(tokens) else ""
    return mark_safe(before + " ".join(parts) + after)


def _matches(token: str, words: list[str]) -> bool:
    """Whether a word of the text is one the reader looked for, or a form of it
    (“astronauts” for “astronaut”, “films” for “film”)."""
    for part in _WORD.findall(fold(token)):
        for word in words:
            stem = word if len(word) <= 4 else word[: len(word) - 2]
            if part == word or (part.startswith(stem) and len(part) - len(word) <= 3):
                return True
    return False

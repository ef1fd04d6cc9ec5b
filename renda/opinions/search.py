"""Chinese search: overlapping character bigrams, so a 2-character query (停车, 路灯) is one indexed token.

`search_text` holds the bigrams of a text. A *run* is a maximal stretch of CJK characters, ASCII letters and digits
(lowercased); everything else (punctuation, spaces, full-width forms, other scripts) separates runs. A run of two or
more characters becomes its overlapping bigrams, a run of one character stays one token:
"5号楼WiFi坏了！" → "5号 号楼 楼w wi if fi i坏 坏了". Latin and digits are cut into bigrams like CJK, so "5号" and
"Fi" are found inside "15号楼WiFi" exactly as a substring search would find them.

What a query means (docs/performance.md repeats it for users of the API):
- Whitespace separates terms; an opinion matches when its text contains every term (AND).
- A term matches as an exact substring of the text; ASCII letters ignore case. Punctuation inside a term is matched
  literally ("5号楼,3单元" needs the comma). A term without any letter, digit or CJK character is ignored; a query
  with no term left matches nothing.
- A term goes through the index when it has at least two adjacent letters/digits/CJK characters: its bigrams must
  appear as a phrase (adjacent, in order). A term of exactly two such characters (停车, 5号, wi) is one bigram and
  the index alone is exact; for anything longer the database re-checks the substring on the rows the index found
  (a phrase can straddle punctuation, and a lone character at a term's edge is not indexed). A term of one
  character ("车", "5") has no bigram: it is an unindexed substring scan (honest, slower; the UI asks for two).
- Queries mixing CJK with Latin or digits ("5号楼", "WiFi密码") are one phrase of bigrams like any other term.

The index is database-specific (migration 0002). PostgreSQL: a GIN expression index on
to_tsvector('simple', search_text), queried with plainto_tsquery over all tokens of a term (the expression must stay
identical to the index's for the planner to use it; `_PgAllOf` says why not the phrase). SQLite: a contentless FTS5
table `opinions_search` (rowid = opinion id), queried with the phrase and written by `index()` in the opinion's
transaction. Contentless means FTS5 cannot delete or update a row by itself: to change an indexed text, first send
the old tokens back with
`INSERT INTO opinions_search(opinions_search, rowid, search_text) VALUES('delete', <id>, <old search_text>)`
(see `reindex`), then insert the new ones. Deleted opinions may stay in the table: ids are AUTOINCREMENT and never
reused, so a stale entry matches no row. `rebuild()` recomputes everything after a tokenizer change.
"""

import re
from datetime import UTC, datetime

from django.conf import settings
from django.db import connection
from django.db.models import BooleanField, F, Func, Q, Subquery, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce

CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
RUN = re.compile(rf"[{CJK}0-9a-zA-Z]+")


def _runs(text: str) -> list[str]:
    return [run.lower() for run in RUN.findall(text or "")]


def _run_tokens(run: str) -> list[str]:
    return [run] if len(run) == 1 else [run[i : i + 2] for i in range(len(run) - 1)]


def tokens(text: str) -> list[str]:
    """The index tokens of a text, in order (see the module docstring)."""
    return [token for run in _runs(text) for token in _run_tokens(run)]


def bigrams(text: str) -> str:
    """The value of `Opinion.search_text` for `text`."""
    return " ".join(tokens(text))


def terms(query: str) -> list[str]:
    """The terms of a query: split on whitespace, keeping only terms with something searchable in them."""
    return [term for term in (query or "").split() if RUN.search(term)]


def term_phrase(term: str) -> tuple[list[str], bool]:
    """(tokens that must appear as a phrase in the text, whether that phrase alone is exact for the term).

    A run touching an edge of the term may continue in the text ("5号" inside "15号楼"), so such a run counts only
    by its bigrams, and a one-character edge run not at all; inner runs are whole runs of the text and keep their
    tokens. The phrase is exact only for a term of exactly two letters/digits/CJK characters (one bigram): a longer
    phrase may straddle two runs of the text ("停车，车难" holds 停车 and 车难 side by side, not 停车难), so it
    needs the substring re-check.
    """
    spans = [(m.start(), m.end()) for m in RUN.finditer(term)]
    phrase: list[str] = []
    for start, end in spans:
        run = term[start:end].lower()
        at_edge = start == 0 or end == len(term)
        if at_edge and len(run) == 1:
            continue
        phrase.extend(_run_tokens(run))
    exact = spans == [(0, 2)] and len(term) == 2
    return phrase, exact


class _PgAllOf(Func):
    """to_tsvector('simple', search_text) @@ plainto_tsquery('simple', tokens): the GIN index's own expression.

    All tokens, not the phrase: a phrase (<->) needs positions, which GIN does not store, so PostgreSQL would rebuild
    to_tsvector for every candidate row (≈ a second for 7,500 rows in bench/opinions.py). The AND of lexemes is
    answered by the index alone, and the substring re-check that every multi-token term has anyway (see
    `term_phrase`) restores order and adjacency on the few rows left.
    """

    output_field = BooleanField()

    def as_sql(self, compiler, connection, **extra):
        column, column_params = compiler.compile(self.source_expressions[0])
        phrase, phrase_params = compiler.compile(self.source_expressions[1])
        sql = f"to_tsvector('simple'::regconfig, {column}) @@ plainto_tsquery('simple'::regconfig, {phrase})"
        return sql, [*column_params, *phrase_params]


# The substring check on PostgreSQL, one spelling for the ORM expression and the capped count's raw statement.
PG_CONTAINS = "strpos(upper({column}), upper({term})) > 0"


class _PgContains(Func):
    """strpos(upper(text), upper(term)) > 0: the substring re-check, as `icontains` would do it, but without LIKE.

    PostgreSQL estimates `LIKE '%…%'` on free text as matching almost nothing; multiplied with the (already low)
    estimate of the index condition, the planner then expects one row and joins the inbox's small tables with nested
    loops of sequential scans (0.4 s for 7,500 hits). A function comparison gets the default one-third selectivity.
    """

    output_field = BooleanField()

    def as_sql(self, compiler, connection, **extra):
        column, column_params = compiler.compile(self.source_expressions[0])
        term, term_params = compiler.compile(self.source_expressions[1])
        return PG_CONTAINS.format(column=column, term=term), [*column_params, *term_params]


def _fts5_phrase(phrase: list[str]) -> str:
    # A double-quoted FTS5 string is a phrase; tokens are [0-9a-z] and CJK only, so no quote can occur in them.
    return '"' + " ".join(phrase) + '"'


def matching_q(query: str) -> Q:
    """Opinions whose text contains every term of `query` (see the module docstring), through the index."""
    q = Q()
    fts: list[str] = []
    found = False
    for term in terms(query):
        found = True
        phrase, exact = term_phrase(term)
        if not exact:
            if connection.vendor == "postgresql":
                q &= Q(_PgContains(F("text"), Value(term)))
            else:
                q &= Q(text__icontains=term)
        if not phrase:
            continue  # one character: the substring check above is all there is
        if connection.vendor == "postgresql":
            q &= Q(_PgAllOf(F("search_text"), Value(" ".join(phrase))))
        else:
            fts.append(_fts5_phrase(phrase))
    if not found:
        return Q(pk__in=[])
    if fts:
        match = " AND ".join(fts)
        q &= Q(pk__in=RawSQL("SELECT rowid FROM opinions_search WHERE opinions_search MATCH %s", [match]))
    return q


def substring_q(query: str) -> Q:
    """The same opinions as `matching_q`, without the index: every term as a substring of the text (ASCII letters
    ignoring case). Cheap per row; for a scan of a few thousand rows (`recent_first`), not for a whole table."""
    q = Q()
    found = False
    for term in terms(query):
        found = True
        if connection.vendor == "postgresql":
            q &= Q(_PgContains(F("text"), Value(term)))
        else:
            q &= Q(text__icontains=term)
    return q if found else Q(pk__in=[])


def recent_first(opinions, query: str, page, limit=None):
    """The first rows of `opinions` (scoped and filtered, not searched) matching `query`, newest first.

    `page(queryset)` returns up to `limit` (PAGE_SIZE) + 1 rows of a queryset in the list's order (-created, -id).
    A frequent term (加装电梯 in 7.5% of opinions) matches hundreds of thousands of rows at 10 M; through the index,
    PostgreSQL fetches and sorts them all (its estimate multiplies the bigrams' frequencies as if independent, so it
    expects a handful), and reading a frequent lexeme's posting list from the GIN index alone takes a second. So the
    page is first looked for among the newest SEARCH_WINDOW rows in scope, a bounded scan: if they hold more than a
    page, that page is exact (every newer match lies inside the window). If not, among ten times as many (a small scope,
    such as one station's, is then read whole); only then, for a term that is rare in scope, the index.
    """
    for window in (settings.SEARCH_WINDOW, 10 * settings.SEARCH_WINDOW) if settings.SEARCH_WINDOW else ():
        rows = page(_newest(opinions, window).filter(substring_q(query)))
        if len(rows) > (limit or settings.PAGE_SIZE):
            return rows
    return page(opinions.filter(matching_q(query)))


def _newest(opinions, window: int):
    """`opinions` from the window's oldest row on (the beginning of time when the scope holds fewer rows).

    The bound is computed inside the statement, so the scan runs newest first through the scope's own index and stops
    as soon as it has enough. (`pk IN (the window's ids)` let PostgreSQL check the substring on every row in scope
    first and join afterwards.) Rows sharing the boundary's `created` only widen the window."""
    oldest = opinions.order_by("-created").values("created")[window - 1 : window]
    return opinions.filter(created__gte=Coalesce(Subquery(oldest), Value(datetime(1970, 1, 1, tzinfo=UTC))))


def capped_count(opinions, query: str, cap: int) -> int:
    """How many of `opinions` match `query`, counted up to cap + 1 ("1000+" is all a list shows).

    A frequent term passes the cap within the newest 20 × SEARCH_WINDOW rows in scope (a scan newest first that stops
    at cap + 1 matches), and a scope smaller than that window is counted whole there; only a rarer term in a bigger
    scope is counted through the index, where its posting lists are short."""
    if settings.SEARCH_WINDOW:
        window = 20 * settings.SEARCH_WINDOW
        if connection.vendor == "postgresql":
            count = _count_in_newest(opinions, query, window, cap)
        else:
            count = _newest(opinions, window).filter(substring_q(query)).order_by()[: cap + 1].count()
        if count > cap or not opinions.order_by().values_list("pk", flat=True)[window - 1 : window]:
            return count  # over the cap, or the window held the whole scope (a station's, a deputy's): exact
    return opinions.filter(matching_q(query)).order_by()[: cap + 1].count()


def _count_in_newest(opinions, query: str, window: int, cap: int) -> int:
    """Matches among the newest `window` rows of `opinions`, counted up to cap + 1, in one statement that stops at
    the cap (PostgreSQL): the newest rows in scope as a derived table, the substring check (`substring_q`'s) on top.
    Without a boundary to find first, a district's count walks the `created` index once, only as far as its
    1,001st match (docs/performance.md, "Second pass")."""
    found = terms(query)
    if not found:
        return 0
    newest = opinions.order_by("-created", "-id").values_list("text")[:window]
    sql, params = newest.query.sql_with_params()
    checks = " AND ".join([PG_CONTAINS.format(column="newest.text", term="%s")] * len(found))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT COUNT(*) FROM (SELECT 1 FROM ({sql}) newest (text) WHERE {checks} LIMIT %s) matches",  # noqa: S608
            [*params, *found, cap + 1],
        )
        return cursor.fetchone()[0]


def index(opinion) -> None:
    """Put an opinion into the full-text index. PostgreSQL indexes the column itself (a GIN expression index);
    SQLite keeps an FTS5 table beside it, written here in the same transaction as the opinion."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO opinions_search(rowid, search_text) VALUES (%s, %s)", [opinion.pk, opinion.search_text]
            )


def index_range(first_id: int, last_id: int) -> None:
    """Index opinions first_id..last_id in one statement (bulk loads: the demo, benchmarks)."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO opinions_search(rowid, search_text) "
                "SELECT id, search_text FROM opinions_opinion WHERE id BETWEEN %s AND %s",
                [first_id, last_id],
            )


def reindex(opinion, old_search_text: str) -> None:
    """After `opinion.text` changed: recompute its search_text and swap its index entry (caller saves nothing else;
    call inside the transaction that changes the text)."""
    from .models import Opinion

    opinion.search_text = bigrams(opinion.text)
    Opinion.objects.filter(pk=opinion.pk).update(search_text=opinion.search_text)
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO opinions_search(opinions_search, rowid, search_text) VALUES ('delete', %s, %s)",
                [opinion.pk, old_search_text],
            )
        index(opinion)


def rebuild(batch: int = 2000) -> int:
    """Recompute every search_text and rebuild the SQLite index (after a tokenizer change); returns the count."""
    from .models import Opinion

    count = 0
    last = 0
    while True:
        rows = list(Opinion.objects.filter(pk__gt=last).order_by("pk").only("pk", "text", "search_text")[:batch])
        if not rows:
            break
        for row in rows:
            row.search_text = bigrams(row.text)
        Opinion.objects.bulk_update(rows, ["search_text"])
        last = rows[-1].pk
        count += len(rows)
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO opinions_search(opinions_search) VALUES ('delete-all')")
            cursor.execute(
                "INSERT INTO opinions_search(rowid, search_text) SELECT id, search_text FROM opinions_opinion"
            )
    return count

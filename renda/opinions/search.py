"""Chinese search: overlapping character bigrams, so a 2-character query (停车, 路灯) is one indexed token.

`search_text` holds the bigrams of a text ("小区停车难" → "小区 区停 停车 车难"); Latin words and numbers stay whole,
lowercased. A query becomes the same tokens and must match them as a phrase (adjacent, in order), which is exactly
"the text contains the query" for queries of two or more CJK characters. The index behind it is database-specific
(see migrations and `matching_ids`).
"""

import re

from django.db import connection
from django.db.models import Q
from django.db.models.expressions import RawSQL

CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
RUN = re.compile(rf"[{CJK}]+|[0-9a-zA-Z]+")


def tokens(text: str) -> list[str]:
    out: list[str] = []
    for run in RUN.findall(text or ""):
        if re.match(rf"[{CJK}]", run):
            if len(run) == 1:
                out.append(run)
            else:
                out.extend(run[i : i + 2] for i in range(len(run) - 1))
        else:
            out.append(run.lower())
    return out


def bigrams(text: str) -> str:
    return " ".join(tokens(text))


def index(opinion) -> None:
    """Put an opinion into the full-text index. PostgreSQL indexes the column itself (a GIN expression index);
    SQLite keeps an FTS5 table beside it, written here in the same transaction as the opinion."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO opinions_search(rowid, search_text) VALUES (%s, %s)", [opinion.pk, opinion.search_text]
            )


def matching_q(query: str) -> Q:
    """Opinions whose text contains `query` (two or more characters), through the database's index."""
    phrase = " ".join(tokens(query))
    if not phrase:
        return Q(pk__in=[])
    if len(tokens(query)) == 1 and len(phrase) == 1:
        # One CJK character is no bigram: an unindexed substring match is the honest answer.
        return Q(text__contains=query.strip())
    if connection.vendor == "postgresql":
        sql = (
            "SELECT id FROM opinions_opinion WHERE to_tsvector('simple', search_text) @@ phraseto_tsquery('simple', %s)"
        )
        return Q(pk__in=RawSQL(sql, [phrase]))
    # FTS5: a double-quoted string is a phrase; quotes inside are doubled.
    fts = '"' + phrase.replace('"', '""') + '"'
    return Q(pk__in=RawSQL("SELECT rowid FROM opinions_search WHERE opinions_search MATCH %s", [fts]))

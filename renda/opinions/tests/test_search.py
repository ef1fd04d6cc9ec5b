"""Chinese search against the substring truth, on whichever database the suite runs on (SQLite and PostgreSQL).

The truth, written here independently of search.py: whitespace splits the query into terms; terms without a
letter, digit or CJK character are dropped; an opinion matches when its text contains every remaining term (ASCII
letters ignoring case); no term left → nothing matches.
"""

import itertools
import re

from django.db import connection, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from renda.opinions import search
from renda.opinions.models import Category, Opinion

# A small alphabet, so that bigrams collide, runs touch punctuation and Latin sits next to CJK.
CJK_CHARS = "停车路灯难小区号楼"
ALPHABET = CJK_CHARS + "WiFi5z" + "，。,!%_ \n"
SEARCHABLE = re.compile(r"[\u4e00-\u9fff0-9A-Za-z]")
_serial = itertools.count()


def truth(text: str, query: str) -> bool:
    terms = [term for term in query.split() if SEARCHABLE.search(term)]
    return bool(terms) and all(term.lower() in text.lower() for term in terms)


def make(world, texts) -> list[Opinion]:
    """Opinions with the given texts, written the way bulk loads write them (bulk_create + index_range)."""
    category = Category.objects.first()
    rows = [
        Opinion(
            tracking_code=f"S{next(_serial):09d}",
            region=world.mudu,
            category=category,
            text=text,
            search_text=search.bigrams(text),
        )
        for text in texts
    ]
    made = Opinion.objects.bulk_create(rows)
    ids = [row.pk for row in made] or list(Opinion.objects.order_by("-pk").values_list("pk", flat=True)[: len(rows)])
    search.index_range(min(ids), max(ids))
    return list(Opinion.objects.filter(pk__in=ids))


def found(query: str) -> set[int]:
    return set(Opinion.objects.filter(search.matching_q(query)).values_list("pk", flat=True))


def expected(opinions, query: str) -> set[int]:
    return {opinion.pk for opinion in opinions if truth(opinion.text, query)}


def test_tokens_cut_runs_of_cjk_latin_and_digits_into_bigrams():
    assert search.bigrams("5号楼WiFi坏了！") == "5号 号楼 楼w wi if fi i坏 坏了"
    assert search.bigrams("小区停车难") == "小区 区停 停车 车难"
    assert search.bigrams("车。路") == "车 路"
    assert search.bigrams("，。！ ") == ""
    assert search.terms("  停车  ，  WiFi ") == ["停车", "WiFi"]


def test_term_phrases_drop_lone_edge_characters():
    assert search.term_phrase("停车") == (["停车"], True)
    assert search.term_phrase("停车难") == (["停车", "车难"], False)
    assert search.term_phrase("5号") == (["5号"], True)
    # "号楼" followed by a lone "5" at the end: the 5 may go on in the text ("5号楼5单元"), only the bigram counts.
    assert search.term_phrase("号楼5") == (["号楼", "楼5"], False)
    assert search.term_phrase("车，路灯") == (["路灯"], False)
    # An inner lone character is a whole run of the text: it keeps its token.
    assert search.term_phrase("停车，路，灯坏") == (["停车", "路", "灯坏"], False)
    assert search.term_phrase("车") == ([], False)


def test_named_cases_equal_the_truth(world):
    opinions = make(
        world,
        [
            "小区停车难，晚上没有车位",
            "5号楼电梯坏了",
            "15号楼的WiFi信号差",
            "停车，车难找",
            "路灯不亮 wifi 也断了",
            "车",
            "请问5号",
            "百分之50%的车位",
            "a_b",
        ],
    )
    for query in [
        "停车",
        "停车难",
        "车难",
        "5号楼",
        "5号",
        "号楼",
        "WiFi",
        "wifi",
        "Fi",
        "车",
        "5",
        "停车 车位",
        "停车难 车位",
        "路灯 wifi",
        "，",
        "",
        "   ",
        "50%",
        "%",
        "a_b",
        "_",
        "车，",
        "，车难",
        "号楼的",
    ]:
        assert found(query) == expected(opinions, query), query
    by_text = {opinion.text: opinion.pk for opinion in opinions}
    # The cases the bigram phrase alone gets wrong, made right by the re-check and the edge rule:
    assert by_text["停车，车难找"] not in found("停车难")  # the phrase straddles punctuation
    assert by_text["15号楼的WiFi信号差"] in found("5号")  # "5" continues as "15" in the text
    assert found("WiFi") == found("wifi") == {by_text["15号楼的WiFi信号差"], by_text["路灯不亮 wifi 也断了"]}


TEXTS = st.lists(st.text(alphabet=ALPHABET, min_size=0, max_size=24), min_size=5, max_size=40)


@st.composite
def queries(draw, texts):
    """Substrings of the corpus (so most queries hit something), random strings, and two-term queries."""

    def piece():
        text = draw(st.sampled_from(texts))
        if not text:
            return draw(st.text(alphabet=ALPHABET, min_size=1, max_size=4))
        start = draw(st.integers(0, len(text) - 1))
        return text[start : start + draw(st.integers(1, 4))]

    kind = draw(st.sampled_from(["substring", "two", "random", "bigram"]))
    if kind == "substring":
        return piece()
    if kind == "two":
        return piece() + " " + piece()
    if kind == "bigram":
        return draw(st.text(alphabet=CJK_CHARS, min_size=2, max_size=3))
    return draw(st.text(alphabet=ALPHABET, min_size=1, max_size=5))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_results_equal_substring_truth(world, data):
    texts = data.draw(TEXTS)
    with transaction.atomic():
        opinions = make(world, texts)
        for query in data.draw(st.lists(queries(texts), min_size=5, max_size=15)):
            assert found(query) == expected(opinions, query), (query, texts)
        transaction.set_rollback(True)


def _plan(queryset) -> str:
    if connection.vendor == "postgresql":
        with transaction.atomic(), connection.cursor() as cursor:
            # Few rows: force the planner's hand, as the point is that the GIN index *can* answer the query.
            cursor.execute("SET LOCAL enable_seqscan = off")
            return queryset.explain()
    return queryset.explain()


def test_two_and_three_character_queries_use_the_index(world):
    make(world, ["小区停车难", "路灯坏了", "5号楼WiFi"])
    for query in ["停车", "停车难", "5号楼", "WiFi"]:
        plan = _plan(Opinion.objects.filter(search.matching_q(query)).order_by("-created")[:50])
        if connection.vendor == "postgresql":
            assert "opinions_search_gin" in plan, plan
        else:
            assert "VIRTUAL TABLE INDEX" in plan and "opinions_search" in plan, plan
    # One character has no bigram: no index, an honest substring scan.
    plan = _plan(Opinion.objects.filter(search.matching_q("车")))
    assert "opinions_search" not in plan, plan


def test_postgres_expression_is_the_index_expression(world):
    """The GIN index is on to_tsvector('simple', search_text): the query must use that very expression."""
    sql = str(Opinion.objects.filter(search.matching_q("停车")).query)
    if connection.vendor == "postgresql":
        assert 'to_tsvector(\'simple\'::regconfig, "opinions_opinion"."search_text")' in sql
        assert "LIKE" not in sql  # a two-character term is exact through the index alone
    else:
        assert "opinions_search MATCH" in sql and "LIKE" not in sql


def test_reindex_swaps_the_entry_and_rebuild_recomputes(world):
    (opinion,) = make(world, ["路灯坏了"])
    old = opinion.search_text
    opinion.text = "停车难"
    opinion.save(update_fields=["text"])
    search.reindex(opinion, old)
    assert found("停车") == {opinion.pk} and found("路灯") == set()
    Opinion.objects.filter(pk=opinion.pk).update(search_text="")
    assert search.rebuild() == Opinion.objects.count()
    assert found("停车") == {opinion.pk} and found("路灯") == set()
    opinion.refresh_from_db()
    assert opinion.search_text == "停车 车难"

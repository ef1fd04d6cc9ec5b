"""Everything under a region, or in a zone, is one query over index ranges of `path`."""

import csv

import pytest
from django.db import connection

from renda.regions.importing import DATA_DIR, load_shipped_regions
from renda.regions.models import Region


@pytest.fixture
def shipped(db):
    load_shipped_regions()
    with open(DATA_DIR / "jiangsu.csv", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_wuzhong_subtree_is_one_query(shipped, django_assert_num_queries):
    wuzhong = Region.objects.get(code="320506000000")
    expected = {"320506000000"} | {row["code"] for row in shipped if row["parent_code"] == "320506000000"}
    with django_assert_num_queries(1):
        codes = set(Region.objects.filter(wuzhong.subtree_q()).values_list("code", flat=True))
    assert codes == expected
    assert len(codes) == 18


def test_resort_zone_subtree_is_one_query(shipped, django_assert_num_queries):
    resort = Region.objects.prefetch_related("zone_members").get(code="320590000000")
    with django_assert_num_queries(1):
        names = set(Region.objects.filter(resort.subtree_q()).values_list("name", flat=True))
    assert names == {"苏州太湖国家旅游度假区", "金庭镇", "东山镇", "光福镇", "香山街道"}


def test_subtree_of_a_foreign_key_column_is_one_query(world, django_assert_num_queries):
    from renda.stations.models import Station

    park = Region.objects.prefetch_related("zone_members").get(pk=world.park.pk)
    with django_assert_num_queries(1):
        names = set(Station.objects.filter(park.subtree_q("region__path")).values_list("name", flat=True))
    assert names == {"斜塘街道代表联络站", "唯亭街道代表联络站"}


def test_the_path_range_is_served_by_an_index(shipped):
    wuzhong = Region.objects.get(code="320506000000")
    resort = Region.objects.prefetch_related("zone_members").get(code="320590000000")
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ANALYZE regions_region")
            # 1,356 rows fit in a few pages, where a sequential scan is cheapest; forbid it to prove the index serves.
            cursor.execute("SET LOCAL enable_seqscan = off")
    for region in (wuzhong, resort):
        # Unordered, as counts and joins use it; ordered by path, SQLite may walk the whole index instead of sorting.
        plan = Region.objects.filter(region.subtree_q()).order_by().explain()
        if connection.vendor == "postgresql":
            assert "Index Cond" in plan and "regions_region_path" in plan, plan
            assert "Seq Scan" not in plan, plan
        else:
            searches = [line for line in plan.splitlines() if "SEARCH regions_region USING INDEX" in line]
            assert searches and all("(path>? AND path<?)" in line for line in searches), plan
            assert "SCAN regions_region" not in plan, plan

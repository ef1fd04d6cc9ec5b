from renda.accounts.scope import scope_for
from renda.regions.models import Region
from renda.stations.access import stations_for


def names(qs):
    return sorted(qs.values_list("name", flat=True))


def test_region_grant_reaches_subtree_only(world):
    regions = Region.objects.filter(scope_for(world.wuzhong_staff).region_q("path"))
    assert names(regions) == sorted(["吴中区", "唯亭街道", "木渎镇", "金庭镇", "木渎镇示范村"])


def test_zone_grant_reaches_managed_towns_of_other_districts(world):
    regions = Region.objects.filter(scope_for(world.park_staff).region_q("path"))
    assert names(regions) == sorted(["苏州工业园区", "斜塘街道", "唯亭街道"])
    assert names(stations_for(world.park_staff)) == sorted(["斜塘街道代表联络站", "唯亭街道代表联络站"])


def test_no_grant_sees_nothing(world):
    assert not Region.objects.filter(scope_for(world.outsider).region_q("path")).exists()
    assert not stations_for(world.outsider).exists()


def test_keeper_sees_own_station(world):
    assert names(stations_for(world.keeper)) == ["木渎镇代表之家"]

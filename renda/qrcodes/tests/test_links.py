"""The staff pages offer the poster and code downloads where they make sense."""

import pytest

pytestmark = pytest.mark.django_db


def test_station_page_links_poster_and_codes(world):
    html = world.client(world.keeper).get(f"/staff/stations/{world.mudu_home.pk}/").content.decode()
    assert f'href="/staff/stations/{world.mudu_home.pk}/poster.pdf"' in html
    assert 'href="/s/MUDU01/qr.png"' in html
    assert 'href="/s/MUDU01/qr.svg"' in html
    assert "海报（PDF）" in html


def test_inactive_station_page_offers_no_poster(world):
    world.mudu_home.is_active = False
    world.mudu_home.save(update_fields=["is_active"])
    html = world.client(world.wuzhong_staff).get(f"/staff/stations/{world.mudu_home.pk}/").content.decode()
    assert "poster.pdf" not in html and "qr.png" not in html


def test_region_page_links_the_batch_when_it_has_stations(world):
    client = world.client(world.wuzhong_staff)
    html = client.get(f"/staff/regions/{world.wuzhong.code}/").content.decode()
    assert f'href="/staff/regions/{world.wuzhong.code}/posters.pdf"' in html
    assert "全部站点海报（PDF）" in html
    html = client.get(f"/staff/regions/{world.jinting.code}/").content.decode()
    assert "posters.pdf" not in html

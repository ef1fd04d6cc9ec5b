"""A deputy's public page shows where to meet them: the published receptions they are on duty at, next two weeks."""

import datetime as dt

import time_machine

from renda.receptions.models import Duty, Reception

NOW = dt.datetime(2026, 11, 26, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))


def _sitting(station, day, deputies, *, published=True, status="scheduled"):
    reception = Reception.objects.create(
        station=station,
        date=day,
        starts=dt.time(9),
        ends=dt.time(11),
        kind="one_off",
        status=status,
        published_at=NOW - dt.timedelta(days=3) if published else None,
    )
    for deputy in deputies:
        Duty.objects.create(reception=reception, deputy=deputy)
    return reception


@time_machine.travel(NOW, tick=False)
def test_the_deputy_page_lists_their_coming_published_receptions(world, client, django_assert_num_queries):
    shown = _sitting(world.mudu_home, dt.date(2026, 11, 30), [world.deputy_wz, world.deputy_city])
    _sitting(world.mudu_home, dt.date(2026, 12, 2), [world.deputy_wz], published=False)  # not public yet
    _sitting(world.mudu_home, dt.date(2026, 11, 20), [world.deputy_wz])  # past
    _sitting(world.mudu_home, dt.date(2026, 12, 30), [world.deputy_wz])  # beyond two weeks
    _sitting(world.canglang_home, dt.date(2026, 11, 30), [world.deputy_gs])  # someone else's
    # deputy, stations served, receptions, deputies on duty; the performance section's reports and figures
    with django_assert_num_queries(6):
        html = client.get(f"/d/{world.deputy_wz.public_code}/").content.decode()
    section = html.split('id="deputy-receptions"', 1)[1].split("</section>", 1)[0]
    assert section.count('data-reception="') == 1 and f'data-reception="{shown.pk}"' in section
    assert "2026-11-30" in section and "木渎镇代表之家" in section
    assert "苏测试" in section  # who else is there that day
    assert "沧浪街道代表之家" not in section


@time_machine.travel(NOW, tick=False)
def test_a_deputy_with_nothing_published_says_so(world, client):
    html = client.get(f"/d/{world.deputy_gs.public_code}/").content.decode()
    assert 'id="deputy-receptions"' in html and 'data-reception="' not in html

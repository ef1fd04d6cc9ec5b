"""Breaking in: arbitrary query strings on the public schedule and arbitrary forms on the staff and deputy pages
never cause a 5xx, and a refused form writes nothing."""

from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from renda.receptions.models import Campaign, Duty, Reception, RosterSlot, Visit
from renda.receptions.rules import china_today

from .helpers import on_duty, reception_day, sitting

FUZZ = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
text = st.text(max_size=60) | st.sampled_from(["", "320506000000", "2026-12-09", "31.26", "-1", "9:00", "25:61"])
SCHEDULE_KEYS = ["q", "region", "date", "lat", "lng", "page"]


def _counts():
    return tuple(model.objects.count() for model in (Campaign, Reception, Duty, RosterSlot, Visit))


@FUZZ
@given(params=st.dictionaries(st.sampled_from(SCHEDULE_KEYS), text, max_size=6))
def test_the_public_schedule_survives_any_query(world, params):
    response = world.client(None).get("/receptions/", params)
    assert response.status_code in (200, 400), (params, response.status_code)


@FUZZ
@given(
    data=st.dictionaries(
        st.sampled_from(["title", "theme", "region", "date", "starts", "ends", "version"]), text, max_size=7
    )
)
def test_campaign_forms_survive_anything_and_write_nothing_when_refused(world, data):
    client = world.client(world.wuzhong_staff)
    before = _counts()
    response = client.post(reverse("receptions:campaign_create"), data)
    assert response.status_code in (200, 302, 400), response.status_code
    if response.status_code != 302:
        assert _counts() == before


@FUZZ
@given(
    data=st.dictionaries(
        st.sampled_from(["latitude", "longitude", "count", "topics", "category", "text", "phone", "consent", "reason"]),
        text,
        max_size=9,
    ),
    path=st.sampled_from(["check_in", "record_visit", "record_opinion", "cannot_come"]),
)
def test_the_deputys_forms_survive_anything(world, data, path):
    campaign = reception_day(world.wuzhong, title="吴中区接待日", date=china_today(), status="published")
    duty = on_duty(sitting(campaign, world.mudu_home, published_at=campaign.created), world.deputy_wz)[0]
    response = world.client(world.deputy_user).post(reverse(f"receptions:{path}", args=[duty.pk]), data)
    assert response.status_code in (200, 302, 400), (path, data, response.status_code)

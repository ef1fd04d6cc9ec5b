"""Reveal: congress staff of the region may see a masked phone in full, by POST, never cached, each time audited."""

from renda.audit.models import AuditEvent
from renda.opinions import actions
from renda.opinions.models import Category
from renda.testing import assert_statuses

GRID = {
    "anonymous": 302,
    "outsider": 404,
    "wuzhong_staff": 200,
    "city_staff": 200,
    "gusu_staff": 404,
    "keeper": 404,
    "unit_user": 404,
    "deputy_user": 404,
}


def _opinion(world, **contact):
    category = Category.objects.get(name="交通出行")
    return actions.submit(station=world.mudu_home, category=category, text="路灯坏了很久", **contact).opinion


def test_reveal_opinion_phone_grid_and_audit(world):
    opinion = _opinion(world, name="张三", phone="13912345678", consent=True)
    url = f"/staff/reveal/opinion/{opinion.pk}/"
    assert_statuses(world, url, GRID, method="post")
    assert AuditEvent.objects.filter(action="pii.reveal", object_id=str(opinion.pk)).count() == 2
    assert_statuses(world, url, {"wuzhong_staff": 405}, method="get")  # a link or a prefetch never reveals

    response = world.client(world.wuzhong_staff).post(url, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "13912345678" in html and "<html" not in html  # the htmx fragment replaces the button
    assert "no-store" in response["Cache-Control"]
    event = AuditEvent.objects.filter(action="pii.reveal").latest("pk")
    assert event.actor == world.wuzhong_staff and event.object_type == "opinions.opinion"
    assert event.changes == {"field": "submitter_phone"} and "13912345678" not in str(event.changes)


def test_detail_page_offers_the_button_only_to_who_may_reveal(world):
    opinion = _opinion(world, name="张三", phone="13912345678", consent=True)
    staff_page = world.client(world.wuzhong_staff).get(f"/staff/opinions/{opinion.pk}/").content.decode()
    assert f"/staff/reveal/opinion/{opinion.pk}/" in staff_page and "13912345678" not in staff_page
    assert "139****5678" in staff_page
    keeper_page = world.client(world.keeper).get(f"/staff/opinions/{opinion.pk}/")
    assert keeper_page.status_code == 200 and "/staff/reveal/" not in keeper_page.content.decode()
    assert not AuditEvent.objects.filter(action="pii.reveal").exists()  # looking at the page reveals nothing


def test_anonymous_opinion_has_nothing_to_reveal(world):
    opinion = _opinion(world)
    assert_statuses(world, f"/staff/reveal/opinion/{opinion.pk}/", {"wuzhong_staff": 404}, method="post")
    assert not AuditEvent.objects.filter(action="pii.reveal").exists()


def test_reveal_deputy_phone(world):
    url = f"/staff/reveal/deputy/{world.deputy_wz.pk}/"
    assert_statuses(
        world,
        url,
        {"anonymous": 302, "outsider": 404, "wuzhong_staff": 200, "gusu_staff": 404, "keeper": 404},
        method="post",
    )
    assert AuditEvent.objects.filter(action="pii.reveal", object_type="people.deputy").count() == 1
    page = world.client(world.wuzhong_staff).get(f"/staff/people/deputies/{world.deputy_wz.pk}/").content.decode()
    assert url in page and "13800138000" not in page
    response = world.client(world.wuzhong_staff).post(url)
    assert "13800138000" in response.content.decode() and "<html" in response.content.decode()
    # deputy_gs has no phone: nothing to reveal.
    assert_statuses(world, f"/staff/reveal/deputy/{world.deputy_gs.pk}/", {"city_staff": 404}, method="post")

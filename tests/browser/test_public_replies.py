"""Phone, 360 px: a constituent searches the published replies (答复公开) by words and a lead unit, and reads one."""

import pytest

from renda.suggestions.models import Category, Disclosure, Suggestion
from renda.suggestions.tests.helpers import make_suggestion
from renda.suggestions.workflow import Kind, State

pytestmark = pytest.mark.browser


def test_search_published_replies_by_words_and_unit_on_a_phone(phone, live_server, world):
    # A live server's test empties the tables after it, so the categories a migration seeds may be gone.
    Category.objects.get_or_create(kind=Kind.CONGRESS, name="城乡建设")
    lift = make_suggestion(world, State.CLOSED, title="关于老旧小区加装电梯的建议")
    other = make_suggestion(world, State.CLOSED, title="关于增加停车位的建议")
    for s, title, reply in ((lift, "关于老旧小区加装电梯的建议", "已出台加装电梯补贴办法，今年完成改造二十台。"),
                            (other, "关于增加停车位的建议", "已新增车位200个。")):  # fmt: skip
        Suggestion.objects.filter(pk=s.pk).update(
            disclosure=Disclosure.PUBLISHED, public_title=title, public_text="建议。", public_reply=reply,
            lead_unit=world.wuzhong_unit,
        )  # fmt: skip

    phone.goto(f"{live_server.url}/suggestions/public/")
    phone.locator('input[name="q"]').fill("电梯")
    phone.locator('select[name="unit"]').select_option(str(world.wuzhong_unit.pk))
    phone.locator('form[role="search"] button[type="submit"]').click()
    phone.wait_for_url("**q=*")
    assert phone.get_by_text(lift.number).is_visible()
    assert phone.get_by_text(other.number).count() == 0
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    phone.get_by_text(lift.number).click()
    assert phone.get_by_text("已出台加装电梯补贴办法").is_visible()

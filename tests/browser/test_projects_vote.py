"""A deputy votes on livelihood projects from a phone (390 × 844, touch): logs in, opens the session from "my
votes", chooses "for" within the places (the page counts them), casts in one press, sees the confirmation and the
receipt; after voting closes, finds the receipt code with the same commitment on the published ballot list. The
page never scrolls sideways. Then the database: one ballot, one receipt, the roll entry marked voted."""

import pytest

from renda.projects.actions import sessions
from renda.projects.ballots import canonical, commitment
from renda.projects.models import Ballot, Receipt, RollEntry
from renda.projects.phases import Phase
from renda.projects.tests.helpers import STAFF, add_candidates, make_deputies, make_round, voting_session
from renda.testing import PASSWORD

pytestmark = pytest.mark.browser

WIDTH = 390


def assert_fits(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= WIDTH, f"{page.url} scrolls sideways: {width}px"


def test_deputy_votes_and_finds_the_receipt(browser, live_server, world):
    round_ = make_round(world, phase=Phase.VOTING, places=2)
    a, b, c = add_candidates(world, round_, 3)
    make_deputies(world, 2)
    session = voting_session(world, round_)

    context = browser.new_context(viewport={"width": WIDTH, "height": 844}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(60_000)  # a loaded CI machine
    try:
        base = live_server.url
        page.goto(f"{base}/accounts/login/")
        page.fill("#id_username", "deputy_user")
        page.fill("#id_password", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(f"{base}/staff/")

        page.goto(f"{base}/staff/projects/mine/")
        page.click(f"#my-sessions a[href$='/mine/{session.pk}/']")
        page.wait_for_selector("#ballot-form")
        assert_fits(page)
        secret = page.input_value("#secret")
        assert len(secret) == 32, "the phone made the secret"
        page.check(f"input[name=p{a.pk}][value=for]")
        page.check(f"input[name=p{b.pk}][value=for]")
        page.check(f"input[name=p{c.pk}][value=for]")
        page.wait_for_function("document.getElementById('for-count').textContent === '3/2'")
        assert page.is_disabled("#cast"), "more 'for' than places cannot be cast"
        page.check(f"input[name=p{c.pk}][value=against]")
        page.wait_for_function("document.getElementById('for-count').textContent === '2/2'")
        assert not page.is_disabled("#cast")
        page.click("#cast")
        page.wait_for_selector("#confirmation")
        assert_fits(page)
        code = page.text_content("#receipt-code").strip()
        shown = page.text_content("#commitment").strip()
        assert page.text_content("#secret").strip() == secret

        sessions.close_voting(world.wuzhong_staff, session, STAFF)
        page.click("a[href*='/ballots/']")
        page.wait_for_selector("#found")
        assert_fits(page)
        assert code in page.text_content("#found") and shown in page.text_content("#found")
    finally:
        context.close()

    choices = {str(a.pk): "for", str(b.pk): "for", str(c.pk): "against"}
    assert Receipt.objects.get().commitment == shown == commitment(choices, secret)
    assert [canonical(ballot.choices) for ballot in Ballot.objects.all()] == [canonical(choices)]
    assert RollEntry.objects.get(session=session, deputy=world.deputy_wz).voted

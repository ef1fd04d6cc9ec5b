"""The back-office menu shows each role its own entries only (renda/accounts/menu.py), as a role × entry grid
through HTTP on the staff home; every entry shown opens for that user."""

import re

import pytest
from django.urls import reverse

from renda.accounts.models import Grant, Role, User
from renda.testing import PASSWORD

LINKS = {
    "regions": "regions:list",
    "deputies": "people:deputy_list",
    "members": "people:member_list",
    "stations": "stations:list",
    "opinions": "opinions:list",
    "receptions": "receptions:home",
    "suggestions_office": "suggestions:inbox",
    "suggestions_unit": "suggestions:unit_inbox",
    "suggestions_my": "suggestions_my:list",
    "projects_office": "projects:home",
    "projects_mine": "projects:my_sessions",
    "activities_office": "activities:list",
    "activities_my": "activities_my:list",
    "calendar_mine": "calendars:mine",
    "calendar_region": "calendars_staff:region",
    "jointmeetings": "jointmeetings:home",
    "jointmeetings_unit": "jointmeetings_unit:list",
    "consultation": "consultation:home",
    "consultation_unit": "consultation_unit:list",
    "records_office": "records:office",
    "records_my": "records:my",
    "units": "people:unit_list",
    "coverage": "stations:coverage",
    "dashboards": "dashboards:home",
    "imports": "imports:list",
    "exports": "exports:list",
    "open311_keys": "open311_staff:keys",
    "messages": "notifications:list",
    "api_tokens": "api_tokens:list",
    "accounts": "accounts:user_list",
    "locks": "accounts:locks",
    "audit": "audit:list",
}
CONGRESS = {
    "regions",
    "deputies",
    "members",
    "stations",
    "opinions",
    "receptions",
    "suggestions_office",
    "projects_office",
    "activities_office",
    "calendar_region",
    "jointmeetings",
    "consultation",
    "records_office",
    "units",
    "coverage",
    "dashboards",
    "imports",
    "exports",
    "open311_keys",
    "messages",
    "api_tokens",
}
GRID = {
    "city_staff": CONGRESS,
    "wuzhong_staff": CONGRESS,
    "gusu_staff": CONGRESS,
    "park_staff": CONGRESS,
    "resort_staff": CONGRESS,
    # A keeper works for one station: no handling units, no region-wide pages.
    "keeper": {"deputies", "stations", "opinions", "receptions", "activities_office", "messages", "api_tokens"},
    "unit_user": {
        "opinions",
        "suggestions_unit",
        "projects_mine",
        "jointmeetings_unit",
        "consultation_unit",
        "units",
        "messages",
        "api_tokens",
    },
    # A deputy on the phone: own record, stations served, inbox, duties, messages — no units, no API tokens.
    "deputy_user": {
        "deputies",
        "stations",
        "opinions",
        "receptions",
        "suggestions_my",
        "projects_mine",
        "activities_my",
        "calendar_mine",
        "records_my",
        "messages",
    },
    "sysadmin": {"accounts", "messages"},
    # 三员: the security admin grants roles on the account pages and unlocks accounts.
    "security_admin": {"accounts", "locks", "messages"},
    "audit_admin": {"audit", "messages"},
    # The superuser only sets up the three administrators: no business page, no audit log.
    "superuser": {"accounts", "messages"},
}
NAV = re.compile(r'<nav class="staff-nav"[^>]*>(.*?)</nav>', re.S)


def _user(world, name):
    if hasattr(world, name):
        return getattr(world, name)
    if name == "superuser":
        return User.objects.create_superuser(username=name, password=PASSWORD, display_name=name)
    user = User.objects.create_user(username=name, password=PASSWORD, display_name=name)
    role = {"security_admin": Role.SECURITY_ADMIN, "audit_admin": Role.AUDIT_ADMIN}[name]
    Grant.objects.create(user=user, role=role, region=world.suzhou)
    return user


@pytest.mark.parametrize("name", sorted(GRID))
def test_menu_grid(world, name):
    client = world.client(_user(world, name))
    response = client.get(reverse("backoffice:home"))
    assert response.status_code == 200
    nav = NAV.search(response.content.decode()).group(1)
    hrefs = set(re.findall(r'href="([^"]+)"', nav))
    shown = {key for key, url_name in LINKS.items() if reverse(url_name) in hrefs}
    assert hrefs == {reverse(LINKS[key]) for key in shown}, "a link the grid does not know"
    assert shown == GRID[name]
    # The menu offers nothing that would be missing for this user.
    missing = [key for key in shown if client.get(reverse(LINKS[key])).status_code != 200]
    assert not missing, missing


def test_no_menu_without_a_role(world):
    assert world.client(world.outsider).get(reverse("backoffice:home")).status_code == 404
    page = world.client(None).get(reverse("public:home")).content.decode()
    assert 'class="staff-nav"' not in page

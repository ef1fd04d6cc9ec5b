"""The reception models are in the Django admin for superusers to repair data: every list and change page opens."""

import datetime as dt

from renda.accounts.models import User
from renda.receptions.models import Absence, Unavailability

from .helpers import on_duty, reception_day, sitting


def test_every_reception_admin_page_opens(world):
    campaign = reception_day(world.wuzhong, title="吴中区接待日", date=dt.date(2026, 12, 9))
    reception = sitting(campaign, world.mudu_home)
    duty = on_duty(reception, world.deputy_wz)[0]
    unavailable = Unavailability.objects.create(campaign=campaign, deputy=world.deputy_city, reason="出差")
    absence = Absence.objects.create(deputy=world.deputy_gs, starts=campaign.date, ends=campaign.date, reason="学习")
    client = world.client(User.objects.create_superuser(username="root", password="Test-password-1"))
    objects = {
        "campaign": campaign,
        "reception": reception,
        "duty": duty,
        "unavailability": unavailable,
        "absence": absence,
        "rosterslot": None,
    }
    for model, obj in objects.items():
        listing = client.get(f"/admin/receptions/{model}/")
        assert listing.status_code == 200, model
        if obj is not None:
            assert client.get(f"/admin/receptions/{model}/{obj.pk}/change/").status_code == 200, model

"""The demo's performance records: weights for this year and last, records computed, a published annual report and
an open dispute for deputy.demo, and a second load that changes nothing. One load per module, rolled back."""

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from renda.accounts.models import User
from renda.demo.generate import load_demo
from renda.demo.receptions import load_demo_receptions
from renda.demo.records import load_demo_records
from renda.records.models import Dispute, Line, Report, Score, WeightTable


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        with transaction.atomic():
            load_demo()
            load_demo_receptions()
            summary = load_demo_records()
            yield summary
            transaction.set_rollback(True)


def test_weights_records_report_and_dispute(demo, db):
    year = timezone.localdate().year
    assert not demo.skipped, demo.lines()
    assert WeightTable.objects.filter(year=year - 1).exists() and WeightTable.objects.filter(year=year).exists()
    assert Score.objects.filter(year=year).exists() and Line.objects.exists()
    user = User.objects.get(username="deputy.demo")
    report = Report.objects.get(deputy=user.deputy, status="published")
    assert Dispute.objects.filter(deputy=user.deputy, status="open").count() == 1
    public = Client().get(reverse("public:deputy", args=[user.deputy.public_code])).content.decode()
    assert reverse("records_public:report_pdf", args=[report.pk]) in public
    # idempotent
    counts = (WeightTable.objects.count(), Line.objects.count(), Report.objects.count(), Dispute.objects.count())
    again = load_demo_records()
    assert again.tables == 0
    assert counts == (
        WeightTable.objects.count(),
        Line.objects.count(),
        Report.objects.count(),
        Dispute.objects.count(),
    )

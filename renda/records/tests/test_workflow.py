"""Disputes and reports: the transition tables as role × state × action grids, then the flows through HTTP."""

import json

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from renda.records.compute import refresh_person
from renda.records.models import Dispute, Evaluation, Line, Report, Score
from renda.records.workflow import (
    NEW,
    DisputeAction,
    DisputeState,
    ReportAction,
    ReportState,
    Role,
    dispute_allowed,
    report_allowed,
)

from .helpers import make_events, make_table

pytestmark = pytest.mark.django_db
YEAR = timezone.localdate().year
PERSON, OFFICE = Role.PERSON, Role.OFFICE

# (action, state, closed year?) → roles allowed
DISPUTE_GRID = {
    (DisputeAction.FILE, NEW, False): {PERSON, OFFICE},
    (DisputeAction.FILE, NEW, True): {OFFICE},
    (DisputeAction.WITHDRAW, DisputeState.OPEN, False): {PERSON},
    (DisputeAction.ACCEPT, DisputeState.OPEN, False): {OFFICE},
    (DisputeAction.REJECT, DisputeState.OPEN, False): {OFFICE},
}
REPORT_GRID = {
    (ReportAction.EDIT, ReportState.DRAFT): {PERSON},
    (ReportAction.SUBMIT, ReportState.DRAFT): {PERSON},
    (ReportAction.RETURN, ReportState.SUBMITTED): {OFFICE},
    (ReportAction.PUBLISH, ReportState.SUBMITTED): {OFFICE},
    (ReportAction.CLOSE, ReportState.PUBLISHED): {OFFICE},
}


@pytest.mark.parametrize("closed", [False, True])
@pytest.mark.parametrize("state", [NEW, *DisputeState.values])
@pytest.mark.parametrize("action", DisputeAction.values)
def test_dispute_grid(action, state, closed):
    for role in Role.values:
        expected = role in DISPUTE_GRID.get((action, state, closed if action == DisputeAction.FILE else False), set())
        assert dispute_allowed(action, state, role, closed_year=closed) == expected, (action, state, role, closed)


@pytest.mark.parametrize("state", ReportState.values)
@pytest.mark.parametrize("action", ReportAction.values)
def test_report_grid(action, state):
    for role in Role.values:
        assert report_allowed(action, state, role) == (role in REPORT_GRID.get((action, state), set()))


def _absent_line(world, year):
    make_events(world, year)
    make_table(world.wuzhong, year, {"duty_absent": ("-5", None), "duty_attended": ("2", None)})
    refresh_person(world.deputy_wz, year)
    return Line.objects.get(deputy=world.deputy_wz, year=year, kind="duty_absent")


def test_a_deputy_disputes_a_line_and_the_office_accepts_it(world):
    line = _absent_line(world, YEAR)
    assert Score.objects.get(deputy=world.deputy_wz, year=YEAR).total == -3
    deputy = world.client(world.deputy_user)
    deputy.post(reverse("records:dispute_line", args=[line.pk]), {"text": "那天已请假"})
    dispute = Dispute.objects.get()
    assert (dispute.status, dispute.line_key, dispute.deputy) == ("open", line.key, world.deputy_wz)
    # the deputy cannot decide; 姑苏区's office cannot even see it
    deputy.post(reverse("records:dispute_act", args=[dispute.pk, "accept"]), {"reason": "x"})
    assert (
        world.client(world.gusu_staff)
        .post(reverse("records:dispute_act", args=[dispute.pk, "accept"]), {"reason": "x"})
        .status_code
        == 404
    )
    office = world.client(world.wuzhong_staff)
    office.post(reverse("records:dispute_act", args=[dispute.pk, "accept"]), {"reason": ""})  # a reason is needed
    dispute.refresh_from_db()
    assert dispute.status == "open"
    office.post(reverse("records:dispute_act", args=[dispute.pk, "accept"]), {"reason": "请假条已核实"})
    dispute.refresh_from_db()
    assert (dispute.status, dispute.reason, dispute.decided_by) == ("accepted", "请假条已核实", world.wuzhong_staff)
    # the line stays as computed; it no longer counts
    assert Line.objects.get(pk=line.pk).kind == "duty_absent"
    assert Score.objects.get(deputy=world.deputy_wz, year=YEAR).total == 2
    page = office.get(reverse("records:deputy", args=[world.deputy_wz.pk]), {"year": YEAR}).content.decode()
    assert "请假条已核实" in page


def test_a_closed_year_needs_the_office(world):
    last = YEAR - 1
    line = _absent_line(world, last)
    world.client(world.deputy_user).post(reverse("records:dispute_line", args=[line.pk]), {"text": "错了"})
    assert not Dispute.objects.exists()
    world.client(world.wuzhong_staff).post(reverse("records:dispute_line", args=[line.pk]), {"text": "代表来函"})
    dispute = Dispute.objects.get()
    world.client(world.wuzhong_staff).post(
        reverse("records:dispute_act", args=[dispute.pk, "reject"]), {"reason": "无据"}
    )
    dispute.refresh_from_db()
    assert dispute.status == "rejected"


def test_annual_report_edited_approved_published_with_pdf(world):
    _absent_line(world, YEAR)
    deputy = world.client(world.deputy_user)
    deputy.post(reverse("records:report_start", args=[world.deputy_wz.pk]), {"year": YEAR, "kind": "annual"})
    report = Report.objects.get()
    act = lambda client, action, **data: client.post(reverse("records:report_act", args=[report.pk, action]), data)  # noqa: E731
    act(deputy, "edit", introduction="一年来我坚持接待选民。")
    act(deputy, "submit")
    act(deputy, "publish")  # not the deputy's to approve
    report.refresh_from_db()
    assert (report.status, report.introduction) == ("submitted", "一年来我坚持接待选民。")
    office = world.client(world.wuzhong_staff)
    act(office, "publish")
    report.refresh_from_db()
    assert report.status == "published" and report.published_at
    pdf = world.client(None).get(reverse("records_public:report_pdf", args=[report.pk]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF") and pdf["Content-Type"] == "application/pdf"
    public = world.client(None).get(reverse("public:deputy", args=[world.deputy_wz.public_code])).content.decode()
    assert reverse("records_public:report_pdf", args=[report.pk]) in public
    assert 'id="public-record"' in public


def test_a_draft_report_is_not_public(world):
    report = Report.objects.create(deputy=world.deputy_wz, year=YEAR, first_year=YEAR)
    assert world.client(None).get(reverse("records_public:report_pdf", args=[report.pk])).status_code == 404
    assert world.client(world.gusu_staff).get(reverse("records:report", args=[report.pk])).status_code == 404


@override_settings(LIMIT_EVALUATE_PER_IP_HOUR=2)
def test_voters_evaluate_a_term_report_once_per_phone(world):
    report = Report.objects.create(
        deputy=world.deputy_wz, year=YEAR, first_year=YEAR - 2, kind="term", status="published"
    )
    url = reverse("records_public:evaluate", args=[report.pk])
    voter = world.client(None)
    assert voter.post(url, {"verdict": "satisfied", "phone": "13800138001"}).status_code == 302
    voter.post(url, {"verdict": "dissatisfied", "phone": "138 0013 8001"})  # the same number, spaced
    voter.post(url, {"verdict": "basically", "phone": "13800138002"})
    assert sorted(Evaluation.objects.values_list("verdict", flat=True)) == ["basically", "satisfied"]
    assert "13800138001" not in json.dumps(list(Evaluation.objects.values("voter")))
    # the limit per address (a refused duplicate gives its hit back): the third verdict within the hour is refused
    voter.post(url, {"verdict": "basically", "phone": "13800138003"})
    assert Evaluation.objects.count() == 2
    page = voter.get(url).content.decode()
    assert 'id="evaluation-counts"' in page
    # the office closes the evaluation: no more verdicts
    world.client(world.wuzhong_staff).post(reverse("records:report_act", args=[report.pk, "close"]))
    report.refresh_from_db()
    assert report.status == "closed"


def test_an_annual_report_takes_no_evaluation(world):
    report = Report.objects.create(deputy=world.deputy_wz, year=YEAR, first_year=YEAR, status="published")
    assert world.client(None).get(reverse("records_public:evaluate", args=[report.pk])).status_code == 404

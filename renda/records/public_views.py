"""Public pages: a published report's PDF and, for a term report (述职), the voters' evaluation on the phone:
满意 / 基本满意 / 不满意, one per phone number or WeChat identity (a keyed hash), counts published. Submissions count
against LIMIT_EVALUATE_PER_IP_HOUR per address (renda/core/ratelimit.py)."""

from django import forms
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _

from renda.audit.actions import client_ip
from renda.core.ratelimit import Limit
from renda.opinions.public_forms import clean_mobile
from renda.opinions.wechat_session import wechat_openid_from_session

from . import actions
from .models import Report, ReportKind, Verdict
from .views import _evaluation_counts, _pdf_response
from .workflow import PUBLIC_REPORT_STATES, ReportState

EVALUATE_PER_IP = Limit("records-evaluate-ip", "LIMIT_EVALUATE_PER_IP_HOUR", 3600)


def _public_report(pk) -> Report:
    report = (
        Report.objects.filter(pk=pk, status__in=PUBLIC_REPORT_STATES)
        .filter(Q(deputy__is_active=True) | Q(member__is_active=True))
        .select_related("deputy__electoral_region", "member__region")
        .first()
    )
    if report is None:
        raise Http404("no such report")
    return report


def report_pdf(request, pk):
    return _pdf_response(_public_report(pk))


class EvaluationForm(forms.Form):
    verdict = forms.ChoiceField(label=_("Your evaluation"), choices=Verdict.choices, widget=forms.RadioSelect)
    phone = forms.CharField(label=_("Mobile phone"), max_length=20, required=False)

    def __init__(self, *args, openid="", **kwargs):
        super().__init__(*args, **kwargs)
        self.openid = openid

    def clean_phone(self):
        phone = clean_mobile(self.cleaned_data.get("phone"))
        if not phone and not self.openid:
            raise forms.ValidationError(_("Enter your mobile phone number: one evaluation per number."))
        return phone


def evaluate(request, pk):
    report = _public_report(pk)
    if report.kind != ReportKind.TERM:
        raise Http404("not a term report")
    openid = wechat_openid_from_session(request)
    form = EvaluationForm(request.POST or None, openid=openid)
    is_open = report.status == ReportState.PUBLISHED
    if request.method == "POST" and is_open and form.is_valid():
        ip = client_ip(request) or "unknown"
        if not EVALUATE_PER_IP.hit(ip):
            form.add_error(None, _("Too many evaluations from this address; try again later."))
        else:
            voter = actions.voter_key(
                phone=form.cleaned_data["phone"], openid="" if form.cleaned_data["phone"] else openid
            )
            try:
                actions.evaluate(report, voter, form.cleaned_data["verdict"])
                return redirect("records_public:evaluate", report.pk)
            except actions.RecordError as error:
                EVALUATE_PER_IP.undo(ip)
                form.add_error(None, str(error))
    context = {
        "report": report,
        "form": form,
        "counts": _evaluation_counts(report),
        "is_open": is_open,
        "in_wechat": bool(openid),
    }
    return render(request, "records/public_evaluate.html", context)

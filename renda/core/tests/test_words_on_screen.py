"""The words a Chinese user reads where one English string meant two things (issue 11, item 12)."""

from io import BytesIO
from types import SimpleNamespace

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from renda.imports.models import ImportJob
from renda.receptions.workflow import CampaignStatus


def test_opinion_export_heads_the_submission_time_column_as_a_time(world):
    response = world.client(world.wuzhong_staff).get(reverse("opinions:export"))
    header = next(load_workbook(BytesIO(response.content), read_only=True).active.iter_rows(values_only=True))
    assert header[1] == "提交时间"


def test_each_app_keeps_its_own_meaning():
    with translation.override("zh-hans"):
        changed = SimpleNamespace(status="scheduled", changed_at=timezone.now())
        assert "有变更" in render_to_string("receptions/_reception_badges.html", {"reception": changed})
        assert str(CampaignStatus.FINISHED.label) == "已结束"
        assert str(ImportJob._meta.get_field("finished").verbose_name) == "完成时间"
        assert "验证码" in render_to_string("accounts/otp.html", {})
        assert "代码" == str(translation.gettext("Code"))

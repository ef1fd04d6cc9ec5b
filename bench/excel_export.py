"""Time a 50,000-row Excel export (14 columns shaped like the opinions export) through renda/core/excel.py.

    .venv/bin/python bench/excel_export.py                      # the helper in this checkout
    .venv/bin/python bench/excel_export.py /tmp/old_excel.py    # and another version of it, for a before/after

Nothing touches the database; the figure is the helper's own cost (building and zipping the workbook).
"""

import datetime
import importlib.util
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "renda.test_settings")
import django  # noqa: E402

django.setup()
from django.utils import timezone  # noqa: E402

ROWS = 50_000
HEADERS = ["编号", "提交时间", "区域", "联络站", "代表", "类别", "内容", "地点", "状态", "承办单位", "期限", "序号"]


def load(path: Path, name: str):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def rows(typed: bool):
    """Dates as real dates (typed) or as the text the old exports wrote."""
    start = timezone.now()
    for i in range(ROWS):
        at = start - datetime.timedelta(minutes=i)
        yield [
            f"YJ2026{i:06d}",
            at if typed else timezone.localtime(at).strftime("%Y-%m-%d %H:%M"),
            "吴中区",
            "东山镇代表联络站",
            "张三",
            "城乡建设",
            "小区门口的路灯坏了很久，晚上出行不方便，希望尽快修好。" * 2,
            "东山镇",
            "办理中",
            "区住建局",
            timezone.localdate(at) if typed else timezone.localdate(at).strftime("%Y-%m-%d"),
            i,
            i / ROWS,
            "138****0000",
        ]


def measure(label: str, module) -> None:
    typed = hasattr(module, "percent")
    headers = [*HEADERS, module.percent("比例") if typed else "比例", "电话"]
    started = time.perf_counter()
    response = module.xlsx_response("x.xlsx", "意见", headers, rows(typed))
    took = time.perf_counter() - started
    size = len(response.content) / 1e6
    print(f"{label}: {ROWS:,} rows in {took:.1f} s ({took / ROWS * 1e6:.0f} µs a row), {size:.1f} MB")


if __name__ == "__main__":
    measure("this checkout", load(ROOT / "renda/core/excel.py", "excel_now"))
    for other in sys.argv[1:]:
        measure(other, load(Path(other), "excel_other"))

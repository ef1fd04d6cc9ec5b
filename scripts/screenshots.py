"""The README's screenshots: the main pages of the Suzhou demo, taken by headless Chromium through Playwright.

    make screenshots            # or: .venv/bin/python scripts/screenshots.py [--out docs/screenshots]

A fresh SQLite database in a temporary directory is migrated and the demo loaded (2,000 opinions), the development
server started on a free port, and each page opened as the demo login that sees it (phone pages at 360×740, desk
pages at 1280×800, the same Chromium as the browser tests: tests/browser/conftest.py). The PNGs are reduced to a
256-colour palette so that each stays small. The server and the temporary files are removed at the end.
"""

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PYTHON = str(ROOT / ".venv" / "bin" / "python") if (ROOT / ".venv" / "bin" / "python").exists() else sys.executable
PHONE = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True, "device_scale_factor": 1}
DESK = {"viewport": {"width": 1280, "height": 800}, "device_scale_factor": 1}

# (file name, who logs in (None: a constituent), page, device). {station}, {opinion}: found in the demo below.
SHOTS = [
    ("public-home", None, "/", PHONE),
    ("public-station", None, "/s/{station}/", PHONE),
    ("opinion-form", None, "/s/{station}/opinion/", PHONE),
    ("tracking", None, "/t/{opinion}/", PHONE),
    ("deputy-duties", "deputy.demo", "/staff/receptions/mine/", PHONE),
    ("keeper-inbox", "keeper.mudu", "/staff/opinions/", PHONE),
    ("staff-home", "suzhou", "/staff/", DESK),
    ("opinion-inbox", "wuzhong", "/staff/opinions/", DESK),
    ("opinion-statistics", "suzhou", "/staff/opinions/stats/", DESK),
    ("receptions", "wuzhong", "/staff/receptions/", DESK),
]

FIND = """
import json
from django.db.models import Count
from renda.opinions.models import Opinion
from renda.stations.models import Station
station = Station.objects.get(name="木渎镇人大代表之家")
opinion = Opinion.objects.filter(station=station).annotate(n=Count("events")).order_by("-n", "id").first()
print(json.dumps({"station": station.public_code, "opinion": opinion.tracking_code}))
"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _run(argv, env) -> str:
    child = subprocess.run(argv, cwd=ROOT, env=env, capture_output=True, text=True)
    if child.returncode:
        sys.exit(f"screenshots: {' '.join(argv)} failed:\n{child.stdout}\n{child.stderr}")
    return child.stdout


def _wait(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)  # noqa: S310 (our own local server)
            return
        except OSError:
            time.sleep(0.5)
    sys.exit(f"screenshots: the server did not answer at {url}")


def _small_png(path: Path) -> None:
    from PIL import Image

    with Image.open(path) as image:
        small = image.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    small.save(path, optimize=True)


def _fonts_conf(workdir: Path) -> Path:
    """A fontconfig file adding the project's Noto Sans SC (the PDF font, renda/core/fonts.py) to the system's fonts:
    a server without CJK fonts would otherwise draw every Chinese character as a box."""
    from renda.core.fonts import font_path

    conf = workdir / "fonts.conf"
    conf.write_text(
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
        '<include ignore_missing="yes">/etc/fonts/fonts.conf</include>'
        f"<dir>{Path(font_path()).parent}</dir><cachedir>{workdir / 'fontcache'}</cachedir></fontconfig>"
    )
    return conf


def take(base: str, codes: dict, out: Path, password: str, workdir: Path) -> list[Path]:
    from playwright.sync_api import sync_playwright

    from tests.browser.conftest import CHROMIUM, FLAGS

    if not CHROMIUM:
        sys.exit("screenshots: Chromium is not installed (apt-get install chromium)")
    written = []
    env = dict(os.environ, FONTCONFIG_FILE=str(_fonts_conf(workdir)))
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True, env=env)
        for name, login, path, device in SHOTS:
            context = browser.new_context(locale="zh-CN", **device)
            page = context.new_page()
            if login:
                page.goto(f"{base}/accounts/login/")
                page.fill("#id_username", login)
                page.fill("#id_password", password)
                page.click("button[type=submit]")
                page.wait_for_load_state("networkidle")
            page.goto(base + path.format(**codes))
            page.wait_for_load_state("networkidle")
            target = out / f"{name}.png"
            page.screenshot(path=str(target))
            _small_png(target)
            written.append(target)
            context.close()
        browser.close()
    return written


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", default=str(ROOT / "docs" / "screenshots"))
    parser.add_argument("--opinions", type=int, default=2000)
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    password = "Screenshots-2026!"
    with tempfile.TemporaryDirectory(prefix="renda-shots-") as workdir:
        env = dict(
            os.environ,
            DEBUG="1",
            DATABASE_URL=f"sqlite:///{Path(workdir) / 'shots.sqlite3'}",
            MEDIA_ROOT=str(Path(workdir) / "media"),
            TASKS_BACKEND="django_tasks.backends.immediate.ImmediateBackend",
            CACHE_URL="locmem://",
            DEMO_PASSWORD=password,
            PYTHONPATH=str(ROOT),
        )
        print("migrate and load the demo …", flush=True)
        _run([PYTHON, "manage.py", "migrate", "--noinput", "-v0"], env)
        _run([PYTHON, "manage.py", "load_demo", "--opinions", str(args.opinions)], env)
        codes = json.loads(_run([PYTHON, "manage.py", "shell", "-c", FIND], env).strip().splitlines()[-1])
        port = _free_port()
        server = subprocess.Popen(
            [PYTHON, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            _wait(base + "/")
            written = take(base, codes, out, password, Path(workdir))
        finally:
            server.terminate()
            server.wait(timeout=20)
    for path in written:
        print(f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}  {path.stat().st_size / 1024:.0f} KB")


if __name__ == "__main__":
    main()

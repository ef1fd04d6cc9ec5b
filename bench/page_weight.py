"""Page weight: what a phone downloads for each public page on a first visit, compressed as production serves it.

    .venv/bin/python bench/page_weight.py [--budget-kb 60] [--level 6]
    make page-weight

A fresh SQLite database in a temporary directory is migrated and the Suzhou demo loaded (500 opinions); then, in a
Django process with production settings (DEBUG off), each public page is fetched through Django's test client and
every file it loads by itself is added: stylesheets, scripts, icons and images named in the HTML (<link>, <script
src>, <img src>) and the url(...) inside those stylesheets. Text (HTML, CSS, JS, SVG) is counted gzip-compressed at
--level (nginx's `gzip_comp_level`; deploy with gzip on for these types), images as they are. A file loaded by
several tags counts once per page (a first visit, empty cache). Requests to another host are counted separately
and must be zero. HTTP headers (about 0.3 KB a response) are not included. Figures: docs/performance.md.
"""

import argparse
import gzip
import json
import re
import subprocess
import sys
import tempfile
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import bench_env  # noqa: E402

PYTHON = sys.executable
TEXT_SUFFIXES = (".css", ".js", ".svg", ".html", ".json", ".txt", ".map")
CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]+)['\"]?\s*\)")


class Assets(HTMLParser):
    """The URLs a browser fetches by itself while loading the page (not links, not htmx requests)."""

    def __init__(self):
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "link" and attrs.get("href"):
            rel = (attrs.get("rel") or "").lower().split()
            if {"stylesheet", "icon", "preload", "modulepreload", "manifest"} & set(rel):
                self.urls.append(attrs["href"])
        elif tag == "script" and attrs.get("src"):
            self.urls.append(attrs["src"])
        elif tag in ("img", "source") and (attrs.get("src") or attrs.get("srcset")):
            if attrs.get("loading") != "lazy":
                self.urls.append(attrs.get("src") or attrs["srcset"].split()[0])


def public_pages() -> list[tuple[str, str]]:
    """Every public page of the demo, with its heaviest case where there is a choice (the station with the most
    deputies, a tracking page with the longest history)."""
    from django.db.models import Count
    from django.urls import reverse

    from renda.opinions.models import Opinion
    from renda.people.models import Deputy, Member
    from renda.regions.models import Region
    from renda.stations.models import Station

    station = Station.objects.filter(is_active=True).annotate(n=Count("assignments")).order_by("-n", "id").first()
    deputy = Deputy.objects.filter(is_active=True, assignments__isnull=False).order_by("id").first()
    member = Member.objects.filter(is_active=True).order_by("id").first()
    city = Region.objects.filter(code="320500000000").first()
    opinion = Opinion.objects.annotate(n=Count("events")).order_by("-n", "id").first()
    pages = [
        ("home", reverse("public:home")),
        ("search", reverse("public:search") + "?q=木渎"),
        ("nearest", reverse("public:nearest") + "?lat=31.26&lng=120.51"),
        ("region (苏州市)", reverse("public:region", args=[city.code])),
        (f"station ({station.name}, {station.n} deputies)", reverse("public:station", args=[station.public_code])),
        ("deputy", reverse("public:deputy", args=[deputy.public_code])),
        ("opinion form (station)", reverse("opinions_public:station_submit", args=[station.public_code])),
        ("opinion form (deputy)", reverse("opinions_public:deputy_submit", args=[deputy.public_code])),
        ("tracking search", reverse("opinions_public:track")),
        ("reception schedule", reverse("receptions_public:schedule")),
        ("livelihood projects", reverse("projects_public:rounds")),
        ("suggestions (public)", reverse("suggestions_my:public_search")),
    ]
    if member is not None:
        pages.append(("CPPCC member", reverse("public:member", args=[member.public_code])))
    if opinion is not None:
        pages.append(("tracking page", reverse("opinions_public:tracking", args=[opinion.tracking_code])))
    return pages


def _file_bytes(path: str) -> bytes | None:
    """The bytes a local URL serves: static files through the finders (as collectstatic would copy them), uploads
    from MEDIA_ROOT."""
    from django.conf import settings
    from django.contrib.staticfiles import finders

    static = "/" + settings.STATIC_URL.strip("/") + "/"
    media = "/" + settings.MEDIA_URL.strip("/") + "/"
    if path.startswith(static):
        found = finders.find(path[len(static) :])
        return Path(found).read_bytes() if found else None
    if path.startswith(media):
        file = Path(settings.MEDIA_ROOT) / path[len(media) :]
        return file.read_bytes() if file.exists() else None
    return None


def _size(name: str, data: bytes, level: int) -> int:
    text = name.endswith(TEXT_SUFFIXES) or name.endswith("/")
    return len(gzip.compress(data, compresslevel=level)) if text else len(data)


def measure(level: int) -> list[dict]:
    import django

    django.setup()
    from django.test import Client

    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    results = []
    for label, url in public_pages():
        response = client.get(url)
        if response.status_code != 200:
            results.append({"page": label, "url": url, "status": response.status_code})
            continue
        html = b"".join(response.streaming_content) if response.streaming else response.content
        parser = Assets()
        parser.feed(html.decode("utf-8", "replace"))
        files = {"(html)": _size("page.html", html, level)}
        raw = len(html)
        external, missing = [], []
        queue = [urljoin(url, asset) for asset in parser.urls]
        while queue:
            asset = queue.pop(0)
            parts = urlsplit(asset)
            if parts.netloc and parts.netloc not in ("testserver",):
                external.append(asset)
                continue
            path = parts.path
            if path in files:
                continue
            data = _file_bytes(path)
            if data is None:
                missing.append(path)
                continue
            files[path] = _size(path, data, level)
            raw += len(data)
            if path.endswith(".css"):
                for ref in CSS_URL.findall(data.decode("utf-8", "replace")):
                    if not ref.startswith("data:"):
                        queue.append(urljoin(path, ref))
        results.append(
            {
                "page": label,
                "url": url,
                "status": 200,
                "html": files["(html)"],
                "total": sum(files.values()),
                "raw": raw,
                "requests": len(files),
                "files": files,
                "external": external,
                "missing": missing,
            }
        )
    return results


def _run(argv, env) -> str:
    child = subprocess.run(argv, cwd=ROOT, env=env, capture_output=True, text=True)
    if child.returncode:
        sys.exit(f"bench: {' '.join(argv)} failed:\n{child.stdout}\n{child.stderr}")
    return child.stdout


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--budget-kb", type=float, default=60)
    parser.add_argument("--level", type=int, default=6, help="gzip level (nginx gzip_comp_level)")
    parser.add_argument("--details", action="store_true", help="list every file of every page")
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.level)))
        return
    with tempfile.TemporaryDirectory(prefix="renda-bench-") as workdir:
        env = bench_env(f"sqlite:///{Path(workdir) / 'page-weight.sqlite3'}", MEDIA_ROOT=str(Path(workdir) / "media"))
        print("migrate and load the demo …", flush=True)
        _run([PYTHON, "manage.py", "migrate", "--noinput", "-v0"], env)
        _run([PYTHON, "manage.py", "load_demo", "--opinions", "500"], env)
        results = json.loads(_run([PYTHON, __file__, "--measure", "--level", str(args.level)], env).splitlines()[-1])
    budget = args.budget_kb * 1024
    width = max(len(r["page"]) for r in results) + 2
    print(f"\n{'page':<{width}}{'HTML':>9}{'total':>10}{'files':>7}{'uncompressed':>14}  other hosts")
    over = []
    for r in results:
        if r["status"] != 200:
            print(f"{r['page']:<{width}}  HTTP {r['status']} ({r['url']})")
            continue
        flag = " OVER" if r["total"] > budget else ""
        print(
            f"{r['page']:<{width}}{r['html'] / 1024:>7.1f}KB{r['total'] / 1024:>8.1f}KB{r['requests']:>7}"
            f"{r['raw'] / 1024:>12.1f}KB  {len(r['external'])}{flag}"
        )
        if args.details:
            for name, size in sorted(r["files"].items(), key=lambda item: -item[1]):
                print(f"    {size / 1024:>7.1f} KB  {name}")
        if r["missing"]:
            print(f"    missing: {', '.join(r['missing'])}")
        if r["total"] > budget or r["external"]:
            over.append(r["page"])
    verdict = f"FAILED {over}" if over else "met"
    print(f"\nbudget {args.budget_kb:.0f} KB per page, 0 requests to other hosts: {verdict}")
    sys.exit(1 if over else 0)


if __name__ == "__main__":
    main()

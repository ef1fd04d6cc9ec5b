"""Headless Chromium (Debian's package, never a downloaded browser) driven by Playwright.

Without Chromium, browser tests are skipped with a loud notice at the end of the run; under CI (CI=true) a missing
Chromium is an error instead, so CI can never pass without running them.
"""

import os
import shutil

import pytest

# Playwright's sync API runs an event loop in the test thread; the ORM calls made by fixtures are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SKIPPED: list[str] = []


def pytest_collection_modifyitems(config, items):
    if CHROMIUM:
        return
    if os.environ.get("CI"):
        return  # the `browser` fixture fails each test: CI must install Chromium
    for item in items:
        if "browser" in item.keywords:
            SKIPPED.append(item.nodeid)
            item.add_marker(pytest.mark.skip(reason="Chromium is not installed (apt-get install chromium)"))


def pytest_terminal_summary(terminalreporter):
    if SKIPPED:
        terminalreporter.section("BROWSER TESTS SKIPPED", sep="!", red=True, bold=True)
        terminalreporter.write_line(
            f"{len(SKIPPED)} browser tests did not run because Chromium is missing "
            "(install it with: apt-get install chromium). They were:"
        )
        for nodeid in SKIPPED:
            terminalreporter.write_line(f"  {nodeid}")


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM:
        if os.environ.get("CI"):
            pytest.fail("CI requires Chromium: .ci/run installs it with apt-get install chromium")
        pytest.skip("Chromium is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def phone(browser, live_server):
    """A 360 px phone; every request it makes is recorded in `phone.requests`."""
    context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.requests = []
    page.on("request", lambda request: page.requests.append(request.url))
    yield page
    context.close()


@pytest.fixture
def desktop(browser, live_server):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    yield page
    context.close()

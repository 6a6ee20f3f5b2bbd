# SPDX-License-Identifier: EUPL-1.2
"""Browser tests: Playwright (sync API) drives Debian's chromium, headless, never a downloaded one.

The browser comes from ``WMO_SLA_CHROMIUM`` (default ``/usr/bin/chromium``). Without it the tests
are skipped, except on CI (``CI=true``), where a missing browser is an error.
axe-core is vendored in ``tests/e2e/vendor/axe.min.js``; nothing is loaded from a CDN.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

# Playwright's sync API runs an event loop in this thread; pytest-django's ORM access from the
# same thread would otherwise raise SynchronousOnlyOperation.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from playwright.sync_api import Browser, Page, sync_playwright

AXE_PATH = Path(__file__).parent / "vendor" / "axe.min.js"
AXE_OPTIONS: dict[str, Any] = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"],
    }
}
SERIOUS_IMPACTS = frozenset({"serious", "critical"})
# Sub-resources (CSS, JS, images) that answered with an error, and stylesheets without rules.
BROKEN_RESOURCES_JS = """() => [
  ...performance.getEntriesByType('resource')
    .filter((e) => e.initiatorType !== 'other' && e.responseStatus >= 400)
    .map((e) => `${e.responseStatus} ${e.name}`),
  ...Array.from(document.querySelectorAll('link[rel=stylesheet]'))
    .filter((link) => !link.sheet || link.sheet.cssRules.length === 0)
    .map((link) => `empty stylesheet ${link.href}`),
]"""

# This machine has no network: keep Chromium from phoning home (or it floods refused connections).
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
DEFAULT_TIMEOUT_MS = 15_000


def chromium_path() -> Path:
    return Path(os.environ.get("WMO_SLA_CHROMIUM", "/usr/bin/chromium"))


def _browser_unavailable(reason: str) -> None:
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"E2E-browser ontbreekt op CI: {reason}", pytrace=False)
    pytest.skip(f"E2E-browser ontbreekt: {reason}")


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    path = chromium_path()
    if not (path.is_file() and os.access(path, os.X_OK)):
        _browser_unavailable(
            f"{path} bestaat niet of is niet uitvoerbaar. Installeer Debian's chromium "
            "(apt-get install chromium) of zet WMO_SLA_CHROMIUM op het pad van de browser."
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(path), headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(locale="nl-NL")
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    page = context.new_page()
    try:
        yield page
    finally:
        context.close()


def login(page: Page, live_server: Any, username: str, password: str) -> None:
    """Log in through the real form, as a person would."""
    page.goto(f"{live_server.url}/inloggen/")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_load_state()


@pytest.fixture(name="login")
def login_fixture() -> Callable[[Page, Any, str, str], None]:
    return login


def _slug(value: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", value).strip("-") or "page"


def _page_name(page: Page) -> str:
    path = re.sub(r"^https?://[^/]+", "", page.url).split("?")[0].strip("/")
    return _slug(path or "start")


def _selector(target: list[Any]) -> str:
    # axe gives a list of selectors: one per frame/shadow root on the way to the element.
    return " >> ".join(" >> ".join(t) if isinstance(t, list) else str(t) for t in target)


def format_violations(violations: list[dict[str, Any]], url: str) -> str:
    lines = [f"axe vond {len(violations)} ernstige toegankelijkheidsfout(en) op {url}:"]
    for violation in violations:
        targets = [_selector(node["target"]) for node in violation["nodes"][:3]]
        lines.append(
            f"- [{violation['impact']}] {violation['id']}: {violation['help']}"
            f" ({len(violation['nodes'])}x) – {', '.join(targets)}"
        )
    return "\n".join(lines)


def run_axe(page: Page) -> list[dict[str, Any]]:
    """Inject the vendored axe-core and return its violations for the current page."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_PATH))
    result = page.evaluate("async (options) => await axe.run(document, options)", AXE_OPTIONS)
    return result["violations"]


@pytest.fixture
def screenshot_dir(request: pytest.FixtureRequest) -> Path:
    directory = request.config.rootpath / "test-artifacts" / "screenshots"
    directory.mkdir(parents=True, exist_ok=True)
    return directory


@pytest.fixture
def assert_no_serious_axe_violations(
    request: pytest.FixtureRequest, screenshot_dir: Path
) -> Callable[..., None]:
    """``assert_no_serious_axe_violations(page, name=None)``: screenshot the page, check that its
    stylesheets loaded, run axe and fail on violations with impact serious or critical.
    ``name`` (for the screenshot file) defaults to the URL path."""
    test_name = _slug(request.node.name)

    def check(page: Page, name: str | None = None) -> None:
        page.wait_for_load_state()
        page.screenshot(
            path=str(screenshot_dir / f"{test_name}-{_slug(name or _page_name(page))}.png"),
            full_page=True,
        )
        broken = page.evaluate(BROKEN_RESOURCES_JS)
        # axe on an unstyled page measures the browser defaults, not our design: fail first.
        assert not broken, f"stylesheets/resources did not load on {page.url}: {broken}"
        serious = [v for v in run_axe(page) if v.get("impact") in SERIOUS_IMPACTS]
        if serious:
            pytest.fail(format_violations(serious, page.url), pytrace=False)

    return check

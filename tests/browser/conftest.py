"""Browser tests: Debian's chromium driven by Playwright against the real `accord serve` (`live_server`).

Reuse: take the `browser_page` fixture (a fresh context and page; everything off this machine is blocked and
recorded in `offsite_requests`) and `live_server`; call coroutines with `tests.conftest.run_async`, not
`asyncio.run` (see `playwright` below). A screenshot of every page is kept, pass or fail, in
test-artifacts/screenshots/<test>.png (gitignored). `make browser` installs chromium; never run
`playwright install` (it downloads its own browsers, which fails here)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, Playwright, Response, Route, sync_playwright

from tests.conftest import REPO_ROOT

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = REPO_ROOT / "test-artifacts" / "screenshots"
# Quiet, offline, as root: no sandbox (root), no GPU, nothing phoning home.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
_LOOPBACK = {"127.0.0.1", "localhost", "::1"}


@dataclass
class BrowserPage:
    """A page plus what it tried to fetch from elsewhere (blocked) and what its console reported."""

    page: Page
    offsite_requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)


# Package scope, not session: while the sync API is open it marks its own event loop as running on the main
# thread, so `asyncio.run` there fails. It closes when the last browser test is done; inside browser tests,
# use `tests.conftest.run_async` (as the shared fixtures do) instead of `asyncio.run`.
@pytest.fixture(scope="package")
def playwright() -> Iterator[Playwright]:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: `make browser` installs Debian's chromium (as root)")
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="package")
def browser(playwright: Playwright) -> Iterator[Browser]:
    browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    yield browser
    browser.close()


def _screenshot_name(nodeid: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", nodeid.split("::", 1)[-1]).strip("_") + ".png"


@pytest.fixture
def browser_page(browser: Browser, request: pytest.FixtureRequest) -> Iterator[BrowserPage]:
    """A fresh page (own cookies) that can reach only this machine; screenshotted when the test ends."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    result = BrowserPage(page)

    def only_loopback(route: Route) -> None:
        if urlsplit(route.request.url).hostname in _LOOPBACK or route.request.url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            result.offsite_requests.append(route.request.url)
            route.abort("blockedbyclient")

    def note_console_error(message: ConsoleMessage) -> None:
        if message.type == "error":
            result.console_errors.append(message.text)

    def note_failed_response(response: Response) -> None:
        if response.status >= 400:
            result.failed_requests.append(f"{response.status} {response.url}")

    context.route("**/*", only_loopback)
    page.on("console", note_console_error)
    page.on("response", note_failed_response)
    try:
        yield result
    finally:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        try:
            page.screenshot(path=str(SCREENSHOTS / _screenshot_name(request.node.nodeid)), full_page=False)
        finally:
            context.close()

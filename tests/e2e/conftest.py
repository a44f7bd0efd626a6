"""A real headless Chromium (Debian's, never a downloaded one) driven by Playwright."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session", autouse=True)
def _static_served_by_whitenoise() -> Iterator[None]:
    """Serve static files the production way in the live server.

    pytest-django wraps the live server in Django's StaticFilesHandler, which looks files up by
    their source names and so 404s the hashed names the manifest storage puts in pages. Letting
    the request through means whitenoise (in MIDDLEWARE) serves the collected, hashed files.
    """
    from django.contrib.staticfiles.handlers import StaticFilesHandler

    original = StaticFilesHandler._should_handle
    StaticFilesHandler._should_handle = lambda self, path: False
    yield
    StaticFilesHandler._should_handle = original


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not shutil.which(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: run `make test`, which installs Debian's chromium.")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Iterator[object]:
    """Keep each phase's report on the test, so fixtures can tell that the test failed."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


def _shoot_on_failure(request: pytest.FixtureRequest, page, name: str) -> None:
    """A failed test leaves the page as it last was: ``failed-<fixture>.png`` in its folder."""
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        _Shots.folder.mkdir(parents=True, exist_ok=True)
        with contextlib.suppress(Exception):
            page.screenshot(path=str(_Shots.folder / f"failed-{name}.png"), full_page=True)


@pytest.fixture
def page(browser, request: pytest.FixtureRequest) -> Iterator[object]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.js_errors = errors
    yield page
    _shoot_on_failure(request, page, "page")
    context.close()


@pytest.fixture
def phone_page(browser, request: pytest.FixtureRequest) -> Iterator[object]:
    context = browser.new_context(
        viewport={"width": 375, "height": 740}, is_mobile=True, bypass_csp=True
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    _shoot_on_failure(request, page, "phone_page")
    context.close()


AXE = Path(__file__).parent / "vendor" / "axe.min.js"


def axe_violations(page) -> list[str]:
    """Run axe-core on the current page; returns one line per serious or critical violation."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} x{len(v['nodes'])}"
        f" e.g. {v['nodes'][0]['html'][:120]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def sign_in(page, base_url: str, email: str, password: str) -> None:
    """Sign in through the real form and wait for the home page."""
    page.goto(base_url + "/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(base_url + "/")


ROOT = Path(__file__).resolve().parents[2]

#: Screenshots for a person to look at, one folder per test: ``var/screenshots/<test name>/``
#: (git-ignored; ``PATCHWISE_SHOTS`` moves them elsewhere).
SHOTS = Path(os.environ.get("PATCHWISE_SHOTS") or ROOT / "var" / "screenshots")
PHONE = {"width": 375, "height": 740}
DESKTOP = {"width": 1280, "height": 900}


class _Shots:
    """The running test's screenshot folder and how many steps it has shot so far."""

    folder: Path = SHOTS
    steps: int = 0


@pytest.fixture(autouse=True)
def _shots_folder(request: pytest.FixtureRequest) -> None:
    """Name the folder after the test and empty it, so a rerun never mixes old shots with new."""
    _Shots.folder = SHOTS / re.sub(r"[^\w.-]+", "-", request.node.name).strip("-")
    _Shots.steps = 0
    shutil.rmtree(_Shots.folder, ignore_errors=True)


def shot(page, name: str) -> None:
    """Save the whole page, and what shows without scrolling (``*-view.png``)."""
    _Shots.folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(_Shots.folder / name), full_page=True)
    page.screenshot(path=str(_Shots.folder / name.replace(".png", "-view.png")))


def shots(page, step: str, *, phone: Callable[[object], object] | None = None) -> None:
    """Save one step of a journey as a phone and a desktop show it, then restore the page's size.

    Files are numbered in the order the test takes them: ``01-signup-375.png`` and
    ``01-signup-1280.png``. ``phone`` prepares the small screen (say, opens the tab that holds
    what the step is about). A step fails when its page scrolls sideways at 375 px.
    """
    _Shots.steps += 1
    _Shots.folder.mkdir(parents=True, exist_ok=True)
    original = page.viewport_size
    scrolled = page.evaluate("[window.scrollX, window.scrollY]")
    try:
        for size in (PHONE, DESKTOP):
            page.set_viewport_size(size)
            if size is PHONE:
                if phone is not None:
                    phone(page)
                # Charts and editors follow a new width a frame or two later.
                with contextlib.suppress(PlaywrightTimeoutError):
                    page.wait_for_function(f"() => ({OVERFLOW})() <= 0", timeout=2_000)
                assert overflow(page) <= 0, f"{step!r} scrolls sideways at 375 px"
            # The lab workspace fills the window from 1024 px: its shot is the window. Any other
            # page (and the workspace on a phone, where it is tabs) is shot from top to bottom.
            workspace = size is DESKTOP and page.locator(".ws-on").count() > 0
            if workspace:
                page.evaluate("window.scrollTo(0, 0)")
            name = f"{_Shots.steps:02d}-{step}-{size['width']}.png"
            path = str(_Shots.folder / name)
            page.screenshot(path=path, full_page=not workspace, animations="disabled")
    finally:
        page.set_viewport_size(original)
        page.evaluate("([x, y]) => window.scrollTo(x, y)", scrolled)


def show_tab(name: str) -> Callable[[object], None]:
    """For ``shots(phone=...)``: on a phone the lab workspace is tabs; open the one called
    ``name``, which holds what the step is about. A page without that tab is left as it is."""

    def open_tab(page) -> None:
        tab = page.get_by_role("tab", name=name, exact=True)
        if tab.count() and tab.is_visible():
            tab.click()

    return open_tab


OVERFLOW = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"


def overflow(page) -> int:
    """How many pixels the page is wider than its viewport (0 or less: no sideways scroll)."""
    return page.evaluate(OVERFLOW)


def replace_editor_text(page, textarea_id: str, text: str) -> None:
    """Replace the text of the CodeMirror editor that enhances ``textarea_id``, as typing would."""
    area = page.locator(f"#{textarea_id}")
    content = area.locator("xpath=..").locator(".cm-content")
    if not content.count():  # editors are made as they come into view: bring this one there
        area.evaluate("el => el.scrollIntoView({block: 'center'})")
    content.click()
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    page.keyboard.insert_text(text)

"""A real headless Chromium (Debian's, never a downloaded one) driven by Playwright."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

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


@pytest.fixture
def page(browser) -> Iterator[object]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.js_errors = errors
    yield page
    context.close()


@pytest.fixture
def phone_page(browser) -> Iterator[object]:
    context = browser.new_context(
        viewport={"width": 375, "height": 740}, is_mobile=True, bypass_csp=True
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
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


#: Screenshots for a person to look at, outside the repository (``PATCHWISE_SHOTS`` to move them).
SHOTS = Path(os.environ.get("PATCHWISE_SHOTS", "/tmp/shots"))


def shot(page, name: str) -> None:
    """Save the whole page, and what shows without scrolling (``*-view.png``)."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / name), full_page=True)
    page.screenshot(path=str(SHOTS / name.replace(".png", "-view.png")))


def overflow(page) -> int:
    """How many pixels the page is wider than its viewport (0 or less: no sideways scroll)."""
    return page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )


def replace_editor_text(page, textarea_id: str, text: str) -> None:
    """Replace the text of the CodeMirror editor that enhances ``textarea_id``, as typing would."""
    content = page.locator(f"#{textarea_id}").locator("xpath=..").locator(".cm-content")
    content.click()
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    page.keyboard.insert_text(text)

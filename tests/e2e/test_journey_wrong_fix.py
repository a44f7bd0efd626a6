"""Journey 2 (issue 13): a known wrong fix is still exploitable, the learner sees which checks
failed and why, fixes it properly and passes; the history keeps both tries, each with its diff.
Graded by a real worker in the sandbox, in Chromium; each step is shot at 375 and 1280 px.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import overflow, replace_editor_text, shots, show_tab, sign_in
from tests.factories import LABS

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.worker,
    pytest.mark.sandbox,
    pytest.mark.django_db(transaction=True),
]

LAB = LABS / "flask-debug-console"
BAD_FIX = "hide-console-route"


def _files(folder: Path) -> dict[str, str]:
    """Every file under ``folder``, by its path in the app."""
    return {
        path.relative_to(folder).as_posix(): path.read_text()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def _overlay(page, files: dict[str, str]) -> None:
    """Open each file from the tree and type its new text into the editor, then let it autosave."""
    for path, text in files.items():
        label = page.locator("label.file-label").filter(
            has_text=re.compile(rf"^{re.escape(path)}$")
        )
        number = label.get_attribute("for").removeprefix("file-input-")
        page.locator(f'[data-file-link="{number}"]').click()
        replace_editor_text(page, f"file-input-{number}", text)
    page.get_by_text("Draft saved at").wait_for(timeout=15_000)


def _guidance_on_a_phone(page) -> None:
    """On a phone the verdict and its guidance are in the Results tab."""
    show_tab("Results")(page)
    assert page.locator("#results .wrong-fix").is_visible()


def _submit(page, previous_run: str | None) -> str:
    """Submit the fix and wait in place for its verdict; returns the run's id."""
    page.get_by_role("button", name="Submit fix").click()
    finished = '#results #submission-status[data-run-kind="submit"][data-run-finished]'
    if previous_run:
        finished += f':not([data-run-id="{previous_run}"])'
    page.locator(finished).wait_for(timeout=60_000)
    return page.locator("#results #submission-status").get_attribute("data-run-id")


def test_a_wrong_fix_then_the_right_one(
    live_server, page, start_worker, alice, password, flask_lab
) -> None:
    start_worker()
    bad_fix = next(
        fix
        for fix in tomllib.loads((LAB / "lab.toml").read_text())["bad_fixes"]
        if fix["name"] == BAD_FIX
    )
    sign_in(page, live_server.url, alice.email, password)
    lab_url = live_server.url + flask_lab.get_absolute_url()
    page.goto(lab_url)

    # The known wrong fix: the debugger stays mounted, only its /console page is gone.
    _overlay(page, _files(LAB / "bad_fixes" / BAD_FIX))
    first = _submit(page, None)
    results = page.locator("#results")
    verdict = {"still_exploitable": "Still exploitable", "broken": "Broken"}[bad_fix["expect"]]
    assert results.locator(".verdict-title").inner_text() == verdict
    failed = results.locator(".check-failed")
    assert failed.count() >= 1
    security = [
        c["title"] for c in flask_lab.published_version.checks if c.get("kind") == "security"
    ]
    assert all(title in security for title in failed.locator(".check-title").all_inner_texts())
    assert results.locator(".check-passed").count() >= 1, "the functional checks still pass"
    # The guidance: this code is the known wrong fix, and why it is wrong.
    guidance = results.locator(".wrong-fix")
    expect(guidance).to_contain_text("matches a known wrong fix")
    expect(guidance).to_contain_text(bad_fix["why"].split(".")[0])
    assert page.url == lab_url, "the verdict is not shown in place"
    shots(page, "wrong-fix", phone=_guidance_on_a_phone)

    # The real fix, on top of the wrong one: debug mode off, and the crashes handled.
    page.wait_for_timeout(1500)  # a run may not start while the previous one is in flight
    _overlay(page, _files(LAB / "solution"))
    second = _submit(page, first)
    assert results.locator(".verdict-title").inner_text() == "Passed"
    assert results.locator(".check-failed").count() == 0
    assert results.locator(".check-passed").count() == len(flask_lab.published_version.checks)
    assert results.locator(".wrong-fix").count() == 0
    shots(page, "passed", phone=show_tab("Results"))

    # The history lists both tries, newest first, and each opens its page with its diff.
    rows = page.locator("#history tbody tr")
    expect(rows).to_have_count(2)
    assert "Passed" in rows.nth(0).inner_text()
    assert verdict in rows.nth(1).inner_text()
    links = [row.get_by_role("link", name="Details and diff").get_attribute("href") for row in
             rows.all()]  # fmt: skip
    assert [link.rstrip("/").rsplit("/", 1)[-1] for link in links] == [second, first]
    expected = {first: ["standup/__init__.py"], second: ["settings.py", "standup/api.py"]}
    for link, run in zip(links, (second, first), strict=True):
        page.goto(live_server.url + link)
        diffs = " ".join(page.locator(".diff").all_inner_texts())
        for path in expected[run]:
            assert path in diffs, f"{path} missing from the diff of run {run}"
        assert overflow(page) <= 0, f"run {run}'s page scrolls sideways"
        shots(page, "passed-details" if run == second else "wrong-fix-details")
    assert page.js_errors == []

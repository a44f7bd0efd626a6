"""The lab page as a workspace (issue 13), in Chromium: two resizable panes at 1280 px, tabs on a
375 px phone, runs shown in place with keyboard shortcuts, and one column without JavaScript.
"""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from labs.models import ExploitAttempt, JobStatus, LabSession, Submission
from labs.services import lab_session_start
from tests.e2e.conftest import axe_violations, overflow, replace_editor_text, shot, sign_in
from tests.factories import LABS

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _box(page, selector: str) -> dict:
    box = page.locator(selector).first.bounding_box()
    assert box is not None, f"{selector} is not drawn"
    return box


def test_desktop_workspace_has_side_by_side_panes_that_resize_by_keyboard(
    live_server, page, alice, password, flask_lab
) -> None:
    sign_in(page, live_server.url, alice.email, password)
    page.goto(live_server.url + flask_lab.get_absolute_url())

    brief, editor = _box(page, "#ws-brief"), _box(page, "#fix .cm-editor")
    console = _box(page, "#exploit")
    assert brief["x"] + brief["width"] <= editor["x"], "the brief is not beside the editor"
    assert editor["y"] + editor["height"] <= console["y"], "the console is not below the editor"
    assert console["y"] + console["height"] <= 900 + 1, "the workspace is taller than the window"
    assert page.get_by_role("heading", name="Step 1: exploit it").is_visible()
    assert not page.get_by_role("tab", name="Brief").is_visible(), "phone tabs on a desktop"
    # The console and the test output share the bottom panel, as tabs.
    output_tab = page.get_by_role("tab", name="Test output")
    assert page.get_by_role("tab", name="Exploit console").get_attribute("aria-selected") == "true"
    output_tab.click()
    assert page.locator("#results").is_visible() and not page.locator("#exploit").is_visible()
    assert page.get_by_text("No runs yet").is_visible()
    page.keyboard.press("ArrowLeft")
    assert page.locator("#exploit").is_visible(), "arrow keys do not move between tabs"
    # The files opened from the tree become tabs above the editor.
    assert page.get_by_role("tab", name="app.py").get_attribute("aria-selected") == "true"
    page.locator("[data-file-link]", has_text="settings.py").first.click()
    assert page.get_by_role("tab", name="settings.py").get_attribute("aria-selected") == "true"
    page.get_by_role("tab", name="app.py").click()
    assert page.locator("#file-1").is_visible() and not page.locator("#file-2").is_visible()

    # The shortcuts are shown, and announced.
    submit = page.get_by_role("button", name="Submit fix")
    assert submit.get_attribute("aria-keyshortcuts").startswith("Control+Shift+Enter")
    assert "Ctrl+Shift+Enter" in submit.inner_text()
    assert "Ctrl+Enter" in page.get_by_role("button", name="Run public tests").inner_text()
    assert page.get_by_text("Shortcuts:").is_visible()

    # The split between the panes moves with the arrow keys, and is remembered.
    split = page.get_by_role("separator", name="Resize the brief and the code panes")
    before = int(split.get_attribute("aria-valuenow"))
    split.focus()
    for _ in range(5):
        page.keyboard.press("ArrowRight")
    assert int(split.get_attribute("aria-valuenow")) == before + 10
    wider = _box(page, "#ws-brief")["width"]
    assert wider > brief["width"] + 0.08 * 1280
    height = page.get_by_role("separator", name="Resize the editor and the console panel")
    height.focus()
    editor_before = _box(page, "#fix")["height"]
    page.keyboard.press("Shift+ArrowUp")
    assert _box(page, "#fix")["height"] < editor_before - 50
    page.reload()
    assert int(split.get_attribute("aria-valuenow")) == before + 10
    assert abs(_box(page, "#ws-brief")["width"] - wider) < 2

    assert overflow(page) <= 0
    assert page.js_errors == []
    shot(page, "workspace-1280.png")


def test_a_link_to_a_section_selects_its_pane(live_server, page, alice, password, flask_lab):
    sign_in(page, live_server.url, alice.email, password)
    page.goto(live_server.url + flask_lab.get_absolute_url() + "#explanation")
    heading = page.get_by_role("heading", name="Explanation")
    heading.wait_for()
    box, pane = heading.bounding_box(), _box(page, "#ws-brief")
    assert pane["y"] <= box["y"] <= pane["y"] + pane["height"], "#explanation is out of sight"
    page.get_by_role("button", name="Run public tests").focus()
    page.locator("#lab-progress").get_by_role("link", name="1. Exploit").click()
    assert page.locator("#exploit").is_visible()
    assert page.get_by_role("tab", name="Exploit console").get_attribute("aria-selected") == "true"


def test_on_a_phone_the_panes_are_tabs(live_server, phone_page, alice, password, django_lab):
    page = phone_page
    sign_in(page, live_server.url, alice.email, password)
    page.goto(live_server.url + django_lab.get_absolute_url())
    names = ["Brief", "Code", "Console", "Results"]
    tabs = [page.get_by_role("tab", name=name, exact=True) for name in names]
    assert all(tab.is_visible() for tab in tabs)
    assert tabs[0].get_attribute("aria-selected") == "true"
    assert page.get_by_role("heading", name="Brief", exact=True).is_visible()
    assert not page.locator("#fix").is_visible()
    assert not page.get_by_role("separator").first.is_visible()
    shot(page, "workspace-375-brief.png")
    panes = {"Code": "#fix", "Console": "#exploit", "Results": "#results"}
    for name, selector in panes.items():
        page.get_by_role("tab", name=name, exact=True).click()
        assert page.locator(selector).is_visible(), name
        assert not page.locator("#ws-brief").is_visible(), name
        assert overflow(page) <= 0, f"the {name} tab scrolls sideways"
        shot(page, f"workspace-375-{name.lower()}.png")
    # Arrow keys move between the tabs, as in any tab list.
    page.get_by_role("tab", name="Results").focus()
    page.keyboard.press("ArrowRight")
    assert tabs[0].get_attribute("aria-selected") == "true"
    assert page.locator("#ws-brief").is_visible()
    # In the Code tab the file tree folds away: the editor comes first.
    page.get_by_role("tab", name="Code", exact=True).click()
    expect(page.locator("#fix .cm-editor").first).to_be_visible()  # made when first shown
    assert not page.locator(".file-tree").is_visible()
    page.get_by_role("button", name="All files").click()
    page.locator(".file-tree a", has_text="views.py").first.click()
    assert not page.locator(".file-tree").is_visible()
    assert page.get_by_role("tab", name="views.py").get_attribute("aria-selected") == "true"
    assert page.locator(".file-pane:not([hidden]) label").inner_text() == "catalogue/views.py"
    assert page.get_by_role("button", name="Submit fix").is_visible()
    assert overflow(page) <= 0


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_workspace_passes_axe(
    live_server, page, phone_page, alice, password, flask_lab, scheme
) -> None:
    for view in (page, phone_page):
        view.emulate_media(color_scheme=scheme)
        sign_in(view, live_server.url, alice.email, password)
        view.goto(live_server.url + flask_lab.get_absolute_url())
        assert axe_violations(view) == [], view.viewport_size
        view.get_by_role("tab", name="Test output").or_(
            view.get_by_role("tab", name="Results", exact=True)
        ).first.click()
        assert axe_violations(view) == [], view.viewport_size
    shot(page, f"workspace-1280-{scheme}.png")
    shot(phone_page, f"workspace-375-{scheme}.png")


def test_without_javascript_the_page_is_one_column(
    live_server, browser, alice, password, flask_lab
) -> None:
    context = browser.new_context(
        java_script_enabled=False, viewport={"width": 1280, "height": 900}
    )
    page = context.new_page()
    sign_in(page, live_server.url, alice.email, password)
    page.goto(live_server.url + flask_lab.get_absolute_url())
    for selector in ("#brief", "#exploit-step", "#fix", "#exploit", "#results", "#explanation"):
        assert page.locator(selector).is_visible(), selector
    assert not page.get_by_role("tab").first.is_visible()
    assert not page.get_by_text("Shortcuts:").is_visible(), "shortcuts shown that cannot work"
    brief, editor = _box(page, "#brief"), _box(page, "#fix")
    assert editor["y"] > brief["y"] + brief["height"], "not one column"
    assert overflow(page) <= 0
    shot(page, "workspace-nojs-1280.png")
    context.close()


@pytest.mark.worker
@pytest.mark.sandbox
def test_shortcuts_run_the_tests_and_submit_with_the_verdict_in_place(
    live_server, page, start_worker, alice, password, flask_lab
) -> None:
    start_worker()
    sign_in(page, live_server.url, alice.email, password)
    lab_url = live_server.url + flask_lab.get_absolute_url()
    page.goto(lab_url)
    page.locator("[data-file-link]", has_text="settings.py").first.click()
    pane = page.locator(".file-pane", has=page.locator("label", has_text="settings.py")).first
    textarea_id = pane.locator("textarea").get_attribute("id")

    # Ctrl+Enter in the editor runs the public tests: the output shows up in place, live.
    page.locator(f"#{textarea_id}").locator("xpath=..").locator(".cm-content").click()
    page.keyboard.press("Control+Enter")
    expect(page.get_by_role("tab", name="Test output")).to_have_attribute("aria-selected", "true")
    title = page.locator("#results .verdict-title")
    title.wait_for(timeout=60_000)
    assert title.inner_text().startswith("Public tests")
    assert "hidden checks decide" in page.locator("#results .verdict-banner").inner_text()
    assert page.locator("#results .test-output").is_visible()
    assert page.url == lab_url, "the run left the workspace"
    shot(page, "workspace-public-tests-1280.png")

    # Ctrl+Shift+Enter submits the fix: the verdict and each check, in place.
    fixed = (LABS / "flask-debug-console/solution/settings.py").read_text()
    replace_editor_text(page, textarea_id, fixed)
    page.wait_for_timeout(1500)  # a run may not start while the previous one is in flight
    page.keyboard.press("Control+Shift+Enter")
    finished = '#results #submission-status[data-run-kind="submit"][data-run-finished]'
    page.locator(finished).wait_for(timeout=60_000)
    assert page.locator("#results .verdict-title").inner_text() == "Passed"
    checks = len(flask_lab.published_version.checks)
    assert page.locator("#results .check-passed").count() == checks
    assert page.url == lab_url
    # The page's sections follow: progress, history, the explanation.
    page.locator("#lab-progress").get_by_text("Score:").wait_for()
    assert page.locator("#history tbody tr").count() == 1
    page.locator("#results").get_by_role("link", name="Read the explanation").click()
    explanation = page.locator("#explanation .markdown")
    explanation.wait_for()
    assert explanation.inner_text().strip() != ""
    assert page.get_by_role("heading", name="Explanation").is_visible()
    shot(page, "workspace-passed-1280.png")
    page.locator("#results").get_by_role("link", name="Details and diff").click()
    assert "settings.py" in page.locator(".diff").first.inner_text()
    assert page.js_errors == []


def test_a_run_in_flight_is_shown_live_in_the_output_panel(
    live_server, page, alice, password, django_lab
) -> None:
    session = lab_session_start(user=alice, lab=django_lab)
    sub = Submission.objects.create(
        session=session, version=session.version, files=session.draft_files
    )
    sign_in(page, live_server.url, alice.email, password)
    page.goto(live_server.url + django_lab.get_absolute_url())
    assert page.get_by_role("tab", name="Test output").get_attribute("aria-selected") == "true"
    assert "Queued" in page.locator("#results .status-line").inner_text()
    # The grader finishes it: the panel follows without a reload, as the run's own page does.
    sub.status, sub.verdict = JobStatus.FINISHED, "still_exploitable"
    sub.save()
    sub.checks.create(position=0, test="a", title="Sorting is safe", kind="security",
                      outcome="failed")  # fmt: skip
    page.locator("#results .verdict-title").wait_for(timeout=10_000)
    assert page.locator("#results .check-failed").count() == 1
    assert "1 security check failed" in page.locator("#results .verdict-banner").inner_text()
    page.locator("#history tbody tr").first.wait_for()  # the history follows too
    assert page.js_errors == []


@pytest.mark.parametrize("width", [800, 1024])
def test_between_phone_and_desktop_nothing_spills(
    live_server, browser, alice, password, django_lab, width
) -> None:
    context = browser.new_context(viewport={"width": width, "height": 800}, bypass_csp=True)
    page = context.new_page()
    sign_in(page, live_server.url, alice.email, password)
    page.goto(live_server.url + django_lab.get_absolute_url())
    side_by_side = width >= 1024
    assert page.get_by_role("separator").first.is_visible() == side_by_side
    assert page.get_by_role("tab", name="Code", exact=True).is_visible() != side_by_side
    if not side_by_side:
        page.get_by_role("tab", name="Code", exact=True).click()
    expect(page.locator("#fix .cm-editor").first).to_be_visible()  # made when first shown
    assert overflow(page) <= 0
    shot(page, f"workspace-{width}.png")
    context.close()


def test_the_console_shows_the_last_attack_without_spilling(
    live_server, page, phone_page, alice, password, flask_lab
) -> None:
    long_url = "/search?q=" + "%27%20UNION%20SELECT%20name%2C%20value%20FROM%20secrets--" * 20
    session = lab_session_start(user=alice, lab=flask_lab)
    exchange = {
        "method": "GET", "url": long_url, "status": 200, "headers": [["X-Flag", "a1b2" * 80]],
        "body": "<p>" + "x" * 3000 + "</p>", "body_truncated": False,
    }  # fmt: skip
    ExploitAttempt.objects.create(
        session=session, version=session.version, mode="request",
        request={"method": "GET", "path": long_url, "headers": [], "body": ""},
        status=JobStatus.FINISHED, finished_at=timezone.now(), flag_found=True,
        result={"status": "completed", "exchanges": [exchange], "stdout": "", "stderr": ""},
    )  # fmt: skip
    for view, width in ((page, 1280), (phone_page, 375)):
        sign_in(view, live_server.url, alice.email, password)
        view.goto(live_server.url + flask_lab.get_absolute_url())
        if width == 375:
            view.get_by_role("tab", name="Console", exact=True).click()
        console = view.locator("#exploit")
        assert console.get_by_text("Flag captured").is_visible()
        assert console.get_by_role("link", name="what was sent").is_visible()
        assert overflow(view) <= 0, f"the page scrolls sideways at {width} px"
        spill = console.evaluate(
            # An editor's lines scroll inside it: they are clipped, not spilled.
            """card => Math.max(...[...card.querySelectorAll('*')]
                .filter(el => !el.closest('.cm-scroller'))
                .map(el => el.getBoundingClientRect().right
                           - card.getBoundingClientRect().right))"""
        )
        assert spill <= 1, f"the last attack spills {spill}px out of the console at {width} px"
        shot(view, f"workspace-console-{width}.png")
    # "On to the fix" stays on the page and opens the editor.
    phone_page.get_by_role("link", name="On to the fix").click()
    assert phone_page.locator("#fix").is_visible()
    assert (
        phone_page.get_by_role("tab", name="Code", exact=True).get_attribute("aria-selected")
        == "true"
    )


# --- The exploit console sends in place, against the starter or the learner's own code -----------


@pytest.mark.worker
@pytest.mark.sandbox
def test_an_attack_runs_in_place_then_against_my_fixed_code(
    live_server, page, start_worker, alice, password, flask_lab
) -> None:
    start_worker()
    sign_in(page, live_server.url, alice.email, password)
    lab_url = live_server.url + flask_lab.get_absolute_url()
    page.goto(lab_url)
    console = page.locator("#exploit")
    send = console.get_by_role("button", name="Send the attack")
    solve = (LABS / "flask-debug-console/exploit/solve.py").read_text()
    page.locator("#ex-script").scroll_into_view_if_needed()  # its editor is made when seen
    replace_editor_text(page, "ex-script", solve)
    assert page.get_by_label("The vulnerable app (starter)").is_checked()

    send.click()
    expect(send).to_be_disabled()  # while the attack is in flight
    console.get_by_text("Flag captured").wait_for(timeout=60_000)
    expect(send).to_be_enabled()
    assert page.url == lab_url, "sending the attack left the workspace"
    assert "the vulnerable app" in console.locator(".attack-target").inner_text()
    # The steps follow: step 1 is done, without a reload.
    expect(page.locator("#lab-progress li").first).to_have_class("done")
    page.locator("#exploit-step .alert-success").wait_for()
    assert "print(" in page.locator("#ex-script").input_value(), "the script was lost"
    # The script's long lines scroll inside its editor: the workspace stays in the window.
    assert overflow(page) <= 0
    shot(page, "workspace-attack-flag-1280.png")

    # Fix the code in the editor (not saved yet), and attack "my code": no flag comes back.
    page.locator("[data-file-link]", has_text="settings.py").first.click()
    pane = page.locator(".file-pane", has=page.locator("label", has_text="settings.py")).first
    textarea_id = pane.locator("textarea").get_attribute("id")
    replace_editor_text(
        page, textarea_id, (LABS / "flask-debug-console/solution/settings.py").read_text()
    )
    page.get_by_role("tab", name="Exploit console").click()
    page.get_by_label("My code (current draft)").check()
    send.click()
    verdict = console.locator(".verdict-title")
    expect(verdict).to_have_text(
        "No flag came back from your code for this attack (the hidden checks still decide)",
        timeout=60_000,
    )
    assert "your code" in console.locator(".attack-target").inner_text()
    assert "hole is closed" not in console.inner_text()
    assert page.url == lab_url
    attempt = ExploitAttempt.objects.order_by("-pk").first()
    assert attempt.target == "workspace" and "DEBUG" in attempt.files["settings.py"]
    assert attempt.files["settings.py"] == LabSession.objects.get().draft_files["settings.py"]
    assert overflow(page) <= 0
    shot(page, "workspace-attack-my-code-1280.png")
    assert page.js_errors == []


def test_a_refused_attack_is_drawn_beside_send(
    live_server, page, alice, password, django_lab
) -> None:
    sign_in(page, live_server.url, alice.email, password)
    lab_url = live_server.url + django_lab.get_absolute_url()
    page.goto(lab_url)
    page.get_by_label("Path and query").fill("/search?q=books")
    page.get_by_label("Headers").fill("X Forwarded: 1")
    page.get_by_role("button", name="Send the attack").click()
    problems = page.locator("#exploit-actions .exploit-problems")
    expect(problems).to_contain_text("Header lines look like")
    assert page.url == lab_url and not ExploitAttempt.objects.exists()
    assert page.get_by_label("Path and query").input_value() == "/search?q=books"

    # An attack still in flight (sent from another tab, say): the next one is refused in place.
    session = LabSession.objects.get()
    ExploitAttempt.objects.create(session=session, version=session.version, mode="request")
    page.get_by_label("Headers").fill("")
    page.get_by_role("button", name="Send the attack").click()
    expect(problems).to_contain_text("still running")
    box, send = _box(page, "#exploit-refused"), _box(page, "[data-send-attack]")
    assert 0 <= send["y"] - (box["y"] + box["height"]) < 80, "the refusal is not beside Send"
    assert ExploitAttempt.objects.count() == 1
    assert axe_violations(page) == []
    assert page.js_errors == []


def test_the_file_tree_groups_folders_and_tabs_close_and_reopen(
    live_server, page, alice, password, flask_lab
) -> None:
    sign_in(page, live_server.url, alice.email, password)
    page.goto(live_server.url + flask_lab.get_absolute_url())
    tree = page.locator("#file-tree")
    standup = tree.locator("details", has=page.locator("summary", has_text="standup/")).first
    assert standup.get_attribute("open") is not None
    assert standup.get_by_role("list", name="Folder standup/templates/", exact=True).is_visible()
    assert standup.locator("[data-file-link]", has_text="api.py").is_visible()
    # No name is broken over two lines.
    heights = tree.locator("[data-file-link]").evaluate_all(
        "links => links.map(a => a.getBoundingClientRect().height)"
    )
    assert max(heights) < 2 * min(heights), heights
    assert tree.locator("[aria-current='true']").inner_text().endswith("app.py")

    # Open two more files; an unsaved edit in one of them.
    tree.locator("[data-file-link]", has_text="settings.py").first.click()
    pane = page.locator(".file-pane", has=page.locator("label", has_text="settings.py")).first
    settings_id = pane.locator("textarea").get_attribute("id")
    page.locator(f"#{settings_id}").locator("xpath=..").locator(".cm-content").click()
    page.keyboard.press("Control+End")
    page.keyboard.insert_text("\n# not saved yet\n")
    standup.locator("[data-file-link]", has_text="api.py").click()
    tabs = page.get_by_role("tablist", name="Open files").get_by_role("tab")
    expect(tabs).to_have_text(["app.py", "settings.py", "api.py"])
    assert tree.locator("[aria-current='true']").inner_text().endswith("api.py")

    # Delete on the focused tab closes it; its left neighbour takes over.
    page.get_by_role("tab", name="api.py").focus()
    page.keyboard.press("Delete")
    expect(tabs).to_have_text(["app.py", "settings.py"])
    expect(page.get_by_role("tab", name="settings.py")).to_have_attribute("aria-selected", "true")
    expect(page.get_by_role("tab", name="settings.py")).to_be_focused()
    # The close button: closing the current tab selects a neighbour; the edit is kept.
    page.get_by_role("button", name="Close settings.py").click()
    expect(page.get_by_role("tab", name="app.py")).to_have_attribute("aria-selected", "true")
    assert "# not saved yet" in page.locator(f"#{settings_id}").input_value()
    page.get_by_role("button", name="Close app.py").click()
    expect(tabs).to_have_count(0)
    assert page.get_by_text("Open a file from the tree").is_visible()
    assert tree.locator("[aria-current]").count() == 0
    assert axe_violations(page) == []
    shot(page, "workspace-tabs-closed-1280.png")

    # Opening from the tree reopens a tab, with the unsaved edit still there.
    tree.locator("[data-file-link]", has_text="settings.py").first.click()
    expect(tabs).to_have_text(["settings.py"])
    assert not page.get_by_text("Open a file from the tree").is_visible()
    assert "# not saved yet" in page.locator(f"#{settings_id}").locator("xpath=..").inner_text()
    assert page.js_errors == []


def test_the_tree_and_tabs_fit_a_phone(live_server, phone_page, alice, password, flask_lab):
    page = phone_page
    sign_in(page, live_server.url, alice.email, password)
    page.goto(live_server.url + flask_lab.get_absolute_url())
    page.get_by_role("tab", name="Code", exact=True).click()
    page.get_by_role("button", name="All files").click()
    page.locator(".file-tree a", has_text="dashboard.html").first.click()
    page.get_by_role("button", name="Close dashboard.html").click()
    page.get_by_role("button", name="Close app.py").click()
    # With every tab closed the tree unfolds, so the next file is one tap away.
    assert page.get_by_text("Open a file from the tree").is_visible()
    assert page.locator(".file-tree").is_visible()
    assert overflow(page) <= 0
    shot(page, "workspace-375-tree.png")

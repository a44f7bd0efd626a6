"""What a new learner ran into on the lab pages (issue 13), each checked in Chromium as they saw it:
at 1280 px and on a 375 px phone. No worker is needed: runs are queued, or their results stored.
"""

from __future__ import annotations

import pytest
from django.utils import timezone

from labs.models import ExploitAttempt, JobStatus, LabSession, Submission
from labs.services import lab_session_start
from tests.e2e.conftest import axe_violations, overflow, shot, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

LONG_URL = "/search?q=" + "%27%20UNION%20SELECT%20name%2C%20value%20FROM%20secrets--" * 20


def _in_viewport(page, selector: str) -> bool:
    box = page.locator(selector).first.bounding_box()
    height = page.viewport_size["height"]
    return box is not None and box["y"] >= -1 and box["y"] + min(box["height"], 40) <= height


def _editor(page, textarea_id: str):
    return page.locator(f"#{textarea_id}").locator("xpath=..").locator(".cm-content")


def test_a_bad_request_is_refused_beside_the_form_and_spaces_are_encoded(
    live_server, page, alice, password, django_lab
) -> None:
    sign_in(page, live_server.url, alice.email, password)
    page.goto(live_server.url + django_lab.get_absolute_url())
    page.get_by_label("Path and query").fill("/search?q=O'Reilly books")
    page.get_by_label("Headers").fill("X Forwarded: 1")
    page.get_by_role("button", name="Send the attack").click()

    problems = page.locator(".exploit-problems")
    problems.wait_for()
    assert "Header lines look like" in problems.inner_text()
    assert _in_viewport(page, ".exploit-problems"), "the error is drawn out of sight"
    assert page.get_by_label("Path and query").input_value() == "/search?q=O'Reilly books"
    assert not ExploitAttempt.objects.exists()
    assert "sandbox had a problem" not in page.content()
    assert axe_violations(page) == []
    shot(page, "exploit-refused-1280.png")

    page.get_by_label("Headers").fill("X-Forwarded: 1")
    page.get_by_role("button", name="Send the attack").click()
    page.locator("#last-attack #exploit-status").wait_for()  # shown in place, in the console
    attempt = ExploitAttempt.objects.get()
    assert attempt.request["path"] == "/search?q=O'Reilly%20books"
    page.locator("#last-attack").get_by_role("link", name="what was sent").click()
    assert "/search?q=O'Reilly%20books" in page.locator(".attack-source").inner_text()


def test_the_rate_limit_shows_where_the_learner_clicked_with_the_wait(
    live_server, page, alice, password, django_lab, settings
) -> None:
    settings.LAB_SUBMISSIONS_PER_MINUTE = 1
    sign_in(page, live_server.url, alice.email, password)
    page.goto(live_server.url + django_lab.get_absolute_url())
    page.get_by_role("button", name="Run public tests").click()
    page.locator("#results #submission-status").wait_for()  # shown in place
    Submission.objects.update(status=JobStatus.FINISHED, verdict="passed")

    page.goto(live_server.url + django_lab.get_absolute_url())
    page.get_by_role("button", name="Submit fix").click()
    refused = page.locator("#fix-refused")
    refused.wait_for()
    assert _in_viewport(page, "#fix-refused"), "the message is drawn out of sight"
    assert "You can run again in" in refused.inner_text()
    assert "Next run allowed in" in refused.locator(".countdown").inner_text()
    assert Submission.objects.count() == 1
    assert axe_violations(page) == []
    shot(page, "rate-limit-1280.png")


def test_typing_an_exploit_script_neither_autosaves_nor_asks_to_leave(
    live_server, page, alice, password, flask_lab
) -> None:
    sign_in(page, live_server.url, alice.email, password)
    saves: list[str] = []
    dialogs: list[str] = []
    page.on("request", lambda r: saves.append(r.url) if r.method == "POST" else None)
    page.on("dialog", lambda d: (dialogs.append(d.type), d.accept()))
    page.goto(live_server.url + flask_lab.get_absolute_url())

    # This lab takes several requests, so the form offers the script first and says why.
    assert page.get_by_label("A Python script").is_checked()
    assert page.get_by_text("it cannot succeed here").is_visible()

    page.locator("#ex-script").scroll_into_view_if_needed()  # its editor is made when seen
    _editor(page, "ex-script").click()
    page.keyboard.insert_text("\nprint(client.get('/console').status_code)\n")
    page.wait_for_timeout(2000)  # longer than the autosave delay
    assert saves == []
    assert page.locator("[data-save-state]").inner_text() == ""

    page.get_by_role("button", name="Send the attack").click()
    page.locator("#last-attack #exploit-status").wait_for()
    assert dialogs == []
    assert "print(client.get('/console')" in ExploitAttempt.objects.get().script


def test_revealing_a_hint_asks_first(live_server, page, alice, password, flask_lab) -> None:
    sign_in(page, live_server.url, alice.email, password)
    page.goto(live_server.url + flask_lab.get_absolute_url())
    asked: list[str] = []
    page.once("dialog", lambda d: (asked.append(d.message), d.dismiss()))
    page.get_by_role("button", name="Reveal hint 1").click()
    page.wait_for_timeout(300)
    assert asked and "lowers the score" in asked[0]
    # Dismissed: nothing was revealed (opening the lab started nothing either).
    assert all(s.hints_revealed == [] for s in LabSession.objects.all())

    page.once("dialog", lambda d: d.accept())
    page.get_by_role("button", name="Reveal hint 1").click()
    page.wait_for_url("**#hints")
    assert LabSession.objects.get().hints_revealed == [0]


def _finished_attempt(session: LabSession) -> ExploitAttempt:
    exchange = {
        "method": "GET", "url": LONG_URL, "status": 200,
        "headers": [["Set-Cookie", "session=" + "a1b2c3d4" * 60]],
        "body": "<p>" + "x" * 3000 + "</p>", "body_truncated": False,
    }  # fmt: skip
    return ExploitAttempt.objects.create(
        session=session, version=session.version, mode="request",
        request={"method": "GET", "path": LONG_URL, "headers": [], "body": ""},
        status=JobStatus.FINISHED, finished_at=timezone.now(), flag_found=False,
        result={"status": "completed", "exchanges": [exchange] * 2, "stdout": "", "stderr": ""},
    )  # fmt: skip


def test_exploit_results_with_long_urls_stay_inside_their_card(
    live_server, page, phone_page, alice, password, flask_lab
) -> None:
    attempt = _finished_attempt(lab_session_start(user=alice, lab=flask_lab))
    for view, width in ((page, 1280), (phone_page, 375)):
        sign_in(view, live_server.url, alice.email, password)
        view.goto(live_server.url + attempt.get_absolute_url())
        view.get_by_text("No flag yet").wait_for()
        assert overflow(view) <= 0, f"the page scrolls sideways at {width} px"
        spill = view.evaluate(
            """() => Math.max(...[...document.querySelectorAll('.card')].map(card => {
                const right = card.getBoundingClientRect().right;
                return Math.max(...[...card.querySelectorAll('*')].map(
                    el => el.getBoundingClientRect().right - right));
            }))"""
        )
        assert spill <= 1, f"something spills {spill}px out of its card at {width} px"
        shot(view, f"exploit-result-{width}.png")


def test_diffs_are_single_spaced_and_checks_are_heard_once(
    live_server, page, alice, password, django_lab
) -> None:
    session = lab_session_start(user=alice, lab=django_lab)
    path = "catalogue/search.py"
    files = {**session.draft_files}
    files[path] = files[path].replace("PENNY = ", "# a change\nPENNY = ")
    sub = Submission.objects.create(
        session=session, version=session.version, files=files,
        status=JobStatus.FINISHED, verdict="still_exploitable", finished_at=timezone.now(),
    )  # fmt: skip
    sub.checks.create(position=0, test="a", title="Sorting is safe", kind="security",
                      outcome="failed")  # fmt: skip
    sign_in(page, live_server.url, alice.email, password)
    page.goto(live_server.url + sub.get_absolute_url())

    lines = page.locator(".diff-line")
    assert lines.count() >= 3
    line_height = lines.first.evaluate("el => parseFloat(getComputedStyle(el).lineHeight)")
    body = page.locator(".diff-body").first.evaluate(
        "el => el.getBoundingClientRect().height - parseFloat(getComputedStyle(el).paddingTop)"
        " - parseFloat(getComputedStyle(el).paddingBottom)"
    )
    per_line = body / page.locator(".diff-body").first.locator(".diff-line").count()
    assert per_line < line_height * 1.3, f"diff lines are {per_line:.0f}px apart"
    heard = page.locator(".check-failed").first.evaluate("el => el.textContent")
    assert heard.count("Failed") == 1
    assert "1 security check failed" in page.locator(".verdict-banner").inner_text()
    shot(page, "submission-1280.png")


def test_the_file_tree_breaks_paths_only_after_a_folder(
    live_server, page, phone_page, alice, password, django_lab
) -> None:
    for view in (page, phone_page):
        sign_in(view, live_server.url, alice.email, password)
        view.goto(live_server.url + django_lab.get_absolute_url())
        if view is phone_page:  # on a phone the editor is in its own tab, the tree folded
            view.get_by_role("tab", name="Code", exact=True).click()
            view.get_by_role("button", name="All files").click()
        assert view.locator(".file-tree a", has_text="0001_initial.py").is_visible()
        assert view.locator(".file-tree a", has_text="0001_initial.py").count() == 1
        # Where a link's text wraps, the character before the break must be a folder's slash.
        broken = view.evaluate(
            """() => [...document.querySelectorAll('.file-tree a')].filter(link => {
                const chars = [];
                const walker = document.createTreeWalker(link, NodeFilter.SHOW_TEXT);
                for (let node = walker.nextNode(); node; node = walker.nextNode()) {
                    for (let i = 0; i < node.length; i++) {
                        const range = document.createRange();
                        range.setStart(node, i);
                        range.setEnd(node, i + 1);
                        const rect = range.getBoundingClientRect();
                        if (rect.width) chars.push([node.data[i], rect.top]);
                    }
                }
                return chars.some((c, i) => i && c[1] > chars[i - 1][1] + 2
                                             && chars[i - 1][0] !== '/');
            }).map(link => link.textContent.trim())"""
        )
        assert broken == []
        assert overflow(view) <= 0
    shot(page, "lab-1280.png")
    shot(phone_page, "lab-375.png")


def test_the_catalogue_is_styled(live_server, page, phone_page, flask_lab, django_lab) -> None:
    page.goto(live_server.url + "/labs/")
    grid = page.locator(".lab-grid")
    assert grid.evaluate("el => getComputedStyle(el).listStyleType") == "none"
    select = page.get_by_label("Framework").bounding_box()
    assert select["width"] < 0.4 * 1280, "filter selects span the page"
    chips = page.locator(".lab-card").first.locator(".chips li")
    first, second = chips.nth(0).bounding_box(), chips.nth(1).bounding_box()
    assert second["x"] >= first["x"] + first["width"] + 2 or second["y"] > first["y"]
    shot(page, "labs-1280.png")
    phone_page.goto(live_server.url + "/labs/")
    assert overflow(phone_page) <= 0
    shot(phone_page, "labs-375.png")


def test_follow_up_requests_go_to_the_same_app(
    live_server, page, alice, password, django_lab
) -> None:
    sign_in(page, live_server.url, alice.email, password)
    page.goto(live_server.url + django_lab.get_absolute_url())
    page.get_by_text("Then send more requests to the same app").click()
    page.get_by_label("Follow-up requests").fill("GET /api/books/?q=x\n---\n/books/1/")
    page.get_by_role("button", name="Send the attack").click()
    page.locator("#last-attack #exploit-status").wait_for()
    then = ExploitAttempt.objects.get().request["then"]
    assert [step["path"] for step in then] == ["/api/books/?q=x", "/books/1/"]
    page.locator("#last-attack").get_by_role("link", name="what was sent").click()
    assert page.get_by_text("Then request 3, to the same app").is_visible()

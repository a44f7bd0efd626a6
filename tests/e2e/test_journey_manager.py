"""Journey 3 (issues 11 and 13) in Chromium with a real worker: Bob invites a new person and
assigns a lab with a due date; Alice solves it in the sandbox; Bob's dashboard and chart move, he
reviews her diff and reads the exported CSV; Charlie meets a 404 on every team page he tries.
Each step is shot at 375 and 1280 px (see ``shots``)."""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from tests.e2e.conftest import replace_editor_text, shots, show_tab, sign_in
from tests.factories import LABS, make_team

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _figure(page, label: str) -> str:
    """The number shown under a summary figure's label on the dashboard."""
    figure = page.locator(".dash-figure", has=page.locator("dt", has_text=label))
    return figure.locator("dd").inner_text().split("\n")[0].strip()


def _labs_solved_in_chart(page, base: str, slug: str) -> int:
    """The chart's own data: what the browser draws, summed over the weeks."""
    data = page.request.get(f"{base}/teams/{slug}/dashboard/activity.json").json()
    series = {s["key"]: s["data"] for s in data["datasets"]}
    return sum(series["labs_solved"])


@pytest.mark.worker
@pytest.mark.sandbox
def test_manager_sees_a_member_solve_an_assigned_lab_end_to_end(
    live_server, browser, page, start_worker, alice, bob, charlie, password, flask_lab
) -> None:
    start_worker()
    base = live_server.url
    team = make_team(name="Payments squad", managers=[bob], members=[alice])

    # Bob invites a new person from the Members page.
    sign_in(page, base, bob.email, password)
    page.goto(f"{base}/teams/{team.slug}/members/")
    page.get_by_label("Email").fill("newcomer@example.com")
    page.get_by_role("button", name="Send invitation").click()
    assert page.get_by_text("Invitation sent to newcomer@example.com").is_visible()
    assert mail.outbox[-1].to == ["newcomer@example.com"]
    assert re.search(r"/teams/join/\S+/", mail.outbox[-1].body)
    shots(page, "invitation-sent")

    # He assigns the lab to the team, due tomorrow.
    page.goto(f"{base}/teams/{team.slug}/assignments/")
    page.get_by_label("What to assign").select_option(label=flask_lab.title)
    due = timezone.localtime() + timedelta(days=1)
    page.get_by_label("Due").fill(due.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_role("button", name="Assign").click()
    assert page.get_by_text(f"Assigned {flask_lab.title}.").is_visible()
    shots(page, "assigned")

    # Before: nothing solved, on the page and in the chart's data.
    page.goto(f"{base}/teams/{team.slug}/dashboard/")
    assert _figure(page, "Labs solved") == "0"
    assert _figure(page, "Assignments completed").startswith("0%")
    assert _labs_solved_in_chart(page, base, team.slug) == 0
    shots(page, "dashboard-before")

    # Alice fixes the lab in the editor and a real worker grades it.
    hers = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
    alice_page = hers.new_page()
    alice_page.set_default_timeout(15_000)
    sign_in(alice_page, base, alice.email, password)
    alice_page.goto(f"{base}/teams/{team.slug}/")
    alice_page.get_by_role("link", name=flask_lab.title).first.click()
    alice_page.locator("[data-file-link]", has_text="settings.py").first.click()
    pane = alice_page.locator(
        ".file-pane", has=alice_page.locator("label", has_text="settings.py")
    ).first
    fixed = (LABS / "flask-debug-console/solution/settings.py").read_text()
    replace_editor_text(alice_page, pane.locator("textarea").get_attribute("id"), fixed)
    alice_page.get_by_text("Draft saved at").wait_for(timeout=15_000)
    alice_page.get_by_role("button", name="Submit fix").click()
    alice_page.locator(".verdict-title").wait_for(timeout=60_000)
    assert alice_page.locator(".verdict-title").inner_text() == "Passed"
    shots(alice_page, "member-passed", phone=show_tab("Results"))
    hers.close()

    # After: the figures, the assignment's progress and the chart have moved.
    page.reload()
    assert _figure(page, "Labs solved") == "1"
    assert _figure(page, "Assignments completed").startswith("100%")
    assert _labs_solved_in_chart(page, base, team.slug) == 1
    shots(page, "dashboard-after")

    # Bob reviews Alice's fix: the diff shows what she changed in settings.py.
    page.goto(f"{base}/teams/{team.slug}/members/{alice.pk}/")
    page.get_by_role("link", name="Review").first.click()
    assert page.get_by_text("Passed").first.is_visible()
    assert "settings.py" in page.locator(".diff").first.inner_text()
    shots(page, "review-diff")

    # The CSV export has Alice's row for the lab, completed, with the same figures.
    page.goto(f"{base}/teams/{team.slug}/dashboard/")
    with page.expect_download() as download:
        page.get_by_role("link", name="Export CSV").click()
    text = open(download.value.path(), encoding="utf-8-sig").read()  # noqa: SIM115
    rows = list(csv.DictReader(io.StringIO(text)))
    mine = [r for r in rows if alice.email in r.values() and flask_lab.title in r.values()]
    assert len(mine) == 1
    assert mine[0]["status"] == "completed" and mine[0]["overdue"] == "no"
    assert page.js_errors == []

    # Charlie, signed in but not in the team, gets a 404 on every team page he tries.
    outsider = browser.new_context(viewport={"width": 375, "height": 740})
    his = outsider.new_page()
    sign_in(his, base, charlie.email, password)
    for path in ("", "dashboard/", "members/", "assignments/", f"members/{alice.pk}/"):
        response = his.goto(f"{base}/teams/{team.slug}/{path}")
        assert response.status == 404, path
        assert his.get_by_role("heading", name="We could not find that page").is_visible()
    shots(his, "outsider-404")
    response = his.goto(f"{base}/teams/{team.slug}/dashboard/export.csv")
    assert response.status == 404
    outsider.close()

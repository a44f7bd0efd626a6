"""Lab pages as Alice (learner), Bob (manager) and Charlie (outsider) see them."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from labs.models import Difficulty, ExploitAttempt, JobStatus, Lab, LabSession, Submission
from labs.selectors import lab_catalogue
from labs.services import lab_session_start, lab_unpublish

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_queue(monkeypatch) -> None:
    """View tests check what the web process stores; grading itself is tested elsewhere."""
    monkeypatch.setattr("labs.tasks.grade_submission.delay", lambda pk: None)
    monkeypatch.setattr("labs.tasks.run_exploit_attempt.delay", lambda pk: None)


def test_catalogue_lists_published_labs_for_everyone(client: Client, flask_lab: Lab) -> None:
    html = client.get(reverse("labs:lab-list")).content.decode()
    assert flask_lab.title in html
    assert "Flask" in html and "CWE-" in html


def test_catalogue_filters_and_marks_solved(
    alice_client: Client, alice, flask_lab, django_lab
) -> None:
    html = alice_client.get(reverse("labs:lab-list") + "?framework=django").content.decode()
    assert django_lab.title in html and flask_lab.title not in html
    session = lab_session_start(user=alice, lab=flask_lab)
    LabSession.objects.filter(pk=session.pk).update(solved_at="2026-01-01T00:00:00Z")
    assert "Solved" in alice_client.get(reverse("labs:lab-list")).content.decode()


def test_catalogue_lists_the_easiest_labs_first_then_by_title(
    client: Client, flask_lab: Lab
) -> None:
    version = flask_lab.published_version
    for title, difficulty in [
        ("Alpha advanced", Difficulty.ADVANCED),
        ("Zeta beginner", Difficulty.BEGINNER),
        ("Beta beginner", Difficulty.BEGINNER),
        ("Mid intermediate", Difficulty.INTERMEDIATE),
    ]:
        Lab.objects.create(
            slug=title.lower().replace(" ", "-"), title=title, framework=flask_lab.framework,
            difficulty=difficulty, published_version=version,
        )  # fmt: skip
    expected = [
        "Beta beginner",
        "Zeta beginner",
        flask_lab.title,  # intermediate: "Debug mode in production"
        "Mid intermediate",
        "Alpha advanced",
    ]

    assert [card.lab.title for card in lab_catalogue(user=AnonymousUser())] == expected
    html = client.get(reverse("labs:lab-list")).content.decode()
    assert [html.index(f">{title}</a>") for title in expected] == sorted(
        html.index(f">{title}</a>") for title in expected
    )


def test_catalogue_ignores_unknown_filters(client: Client, flask_lab) -> None:
    response = client.get(reverse("labs:lab-list") + "?framework=<script>&difficulty=x")
    assert response.status_code == 200
    assert "<script>" not in response.content.decode()


def test_lab_page_needs_sign_in(client: Client, flask_lab: Lab) -> None:
    response = client.get(flask_lab.get_absolute_url())
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_lab_page_shows_brief_editor_and_hints_but_no_hidden_tests(
    alice_client: Client, flask_lab: Lab
) -> None:
    html = alice_client.get(flask_lab.get_absolute_url()).content.decode()
    version = flask_lab.published_version
    assert version.exploit_goal[:40] in html
    assert 'name="file:app.py"' in html or any(f'name="file:{p}"' in html for p in version.editable)
    assert "Reveal hint 1" in html
    assert "test_error_pages_show_no_debugger" not in html  # hidden test names stay hidden
    assert version.manifest["hints"][0]["text"] not in html  # hints stay hidden until revealed
    assert version.explanation_html[:80] not in html


def test_lab_page_names_its_owasp_2025_category_and_marks_older_ids_secondary(
    alice_client: Client, flask_lab: Lab
) -> None:
    html = alice_client.get(flask_lab.get_absolute_url()).content.decode()
    assert ">A02:2025 Security Misconfiguration<" in html
    assert "badge-owasp-older" in html and "Earlier edition: </span>A05:2021" in html
    assert "OWASP A05:2021" not in html  # an old id never looks like a current category


def test_unpublished_lab_is_not_found(alice_client: Client, flask_lab: Lab) -> None:
    lab_unpublish(lab=flask_lab)
    assert alice_client.get(flask_lab.get_absolute_url()).status_code == 404


def test_autosave_returns_json_and_keeps_the_draft(alice_client: Client, alice, flask_lab) -> None:
    url = reverse("labs:workspace-update", args=[flask_lab.slug])
    path = flask_lab.published_version.editable[0]
    response = alice_client.post(
        url, {"action": "save", f"file:{path}": "# my draft\n"}, HTTP_ACCEPT="application/json"
    )
    assert response.json() == {"saved": True}
    assert LabSession.objects.get(user=alice).draft_files[path] == "# my draft\n"


def test_saving_a_read_only_file_is_refused_with_a_message(
    alice_client: Client, alice, flask_lab
) -> None:
    url = reverse("labs:workspace-update", args=[flask_lab.slug])
    response = alice_client.post(
        url,
        {"action": "save", "file:standup/static/style.css": "x"},
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 400
    assert "not a file you can change" in response.json()["error"]
    page = alice_client.post(url, {"action": "submit", "file:../evil.py": "x"}, follow=True)
    assert "not a file you can change" in page.content.decode()
    assert not Submission.objects.exists()


def test_submit_creates_a_queued_submission_and_shows_its_status(
    alice_client: Client, flask_lab
) -> None:
    url = reverse("labs:workspace-update", args=[flask_lab.slug])
    response = alice_client.post(url, {"action": "submit"})
    submission = Submission.objects.get()
    assert response["Location"] == submission.get_absolute_url()
    page = alice_client.get(submission.get_absolute_url())
    assert "Queued" in page.content.decode()
    partial = alice_client.get(submission.get_absolute_url(), HTTP_HX_REQUEST="true")
    assert 'hx-trigger="every 500ms"' in partial.content.decode()
    second = alice_client.post(url, {"action": "submit"}, follow=True)
    assert "still being graded" in second.content.decode()


def test_a_finished_submission_stops_polling(alice_client: Client, alice, flask_lab) -> None:
    session = lab_session_start(user=alice, lab=flask_lab)
    sub = Submission.objects.create(
        session=session, version=session.version, files=session.draft_files,
        status=JobStatus.FINISHED, verdict="broken",
    )  # fmt: skip
    html = alice_client.get(sub.get_absolute_url(), HTTP_HX_REQUEST="true").content.decode()
    assert "hx-trigger" not in html
    assert "Broken" in html and "a feature stopped working" in html


@pytest.mark.parametrize("who", ["bob", "charlie"])
def test_nobody_else_sees_alices_submission_or_exploit(who, request, alice, flask_lab) -> None:
    session = lab_session_start(user=alice, lab=flask_lab)
    sub = Submission.objects.create(session=session, version=session.version, files={})
    attempt = ExploitAttempt.objects.create(
        session=session, version=session.version, mode="request"
    )
    other = Client()
    other.force_login(request.getfixturevalue(who))
    assert other.get(sub.get_absolute_url()).status_code == 404
    assert other.get(attempt.get_absolute_url()).status_code == 404
    # ...and their own lab page shows their own (fresh) draft, not Alice's.
    draft_marker = "# alice's private draft"
    LabSession.objects.filter(pk=session.pk).update(
        draft_files={p: draft_marker for p in session.version.editable}
    )
    assert draft_marker not in other.get(flask_lab.get_absolute_url()).content.decode()


def test_submission_of_another_lab_slug_is_not_found(
    alice_client, alice, flask_lab, django_lab
) -> None:
    session = lab_session_start(user=alice, lab=flask_lab)
    sub = Submission.objects.create(session=session, version=session.version, files={})
    url = reverse("labs:submission-detail", args=[django_lab.slug, sub.pk])
    assert alice_client.get(url).status_code == 404


def test_exploit_request_is_validated_and_queued(alice_client: Client, flask_lab) -> None:
    url = reverse("labs:exploit-create", args=[flask_lab.slug])
    bad = alice_client.post(url, {"mode": "request", "method": "BREW", "path": "/"}, follow=True)
    assert "BREW is not a method" in bad.content.decode()
    ok = alice_client.post(
        url, {"mode": "request", "method": "GET", "path": "/?page=x", "headers": "X-A: 1"}
    )
    attempt = ExploitAttempt.objects.get()
    assert ok["Location"] == attempt.get_absolute_url()
    assert attempt.request == {
        "method": "GET",
        "path": "/?page=x",
        "headers": [["X-A", "1"]],
        "body": "",
    }


def test_hints_cost_points_and_solution_reveal_scores_zero(
    alice_client: Client, alice, flask_lab
) -> None:
    alice_client.post(reverse("labs:hint-reveal", args=[flask_lab.slug]), {"index": 0})
    session = LabSession.objects.get(user=alice)
    cost = int(session.version.hints[0]["cost"])
    html = alice_client.get(flask_lab.get_absolute_url()).content.decode()
    assert session.version.hints[0]["text"][:30] in html
    assert f"<strong>{100 - cost}</strong> / 100" in html
    bad = alice_client.post(
        reverse("labs:hint-reveal", args=[flask_lab.slug]), {"index": 99}, follow=True
    )
    assert "no such hint" in bad.content.decode()
    alice_client.post(reverse("labs:solution-reveal", args=[flask_lab.slug]))
    html = alice_client.get(flask_lab.get_absolute_url()).content.decode()
    assert "The reference fix" in html
    assert "Score: <strong>0</strong>" in html


def test_lab_pages_refuse_get_on_post_endpoints(alice_client: Client, flask_lab) -> None:
    for name in (
        "workspace-update",
        "workspace-reset",
        "exploit-create",
        "hint-reveal",
        "solution-reveal",
    ):
        assert alice_client.get(reverse(f"labs:{name}", args=[flask_lab.slug])).status_code == 405


def test_no_secret_reaches_the_page_source(alice_client: Client, flask_lab) -> None:
    html = alice_client.get(flask_lab.get_absolute_url()).content.decode()
    for line in json.dumps(flask_lab.published_version.solution_files).split("\\n"):
        if "DEBUG" in line and "False" in line:
            assert line not in html


# --- Issue 13: what the learner sees when a run is refused or finished --------------------------


def test_a_path_with_spaces_is_percent_encoded_and_queued(alice_client: Client, flask_lab) -> None:
    url = reverse("labs:exploit-create", args=[flask_lab.slug])
    response = alice_client.post(
        url, {"mode": "request", "method": "get", "path": '/search?q=a b&name=Brontë"#x'}
    )
    attempt = ExploitAttempt.objects.get()
    assert response["Location"] == attempt.get_absolute_url()
    assert attempt.request["method"] == "GET"
    assert attempt.request["path"] == "/search?q=a%20b&name=Bront%C3%AB%22%23x"


@pytest.mark.parametrize(
    ("fields", "says"),
    [
        ({"path": "search"}, "The path must start with /"),
        ({"path": "http://evil.example/"}, "Give only the path and query"),
        ({"headers": "Bad Header: 1"}, "Header lines look like `Name: value`"),
        ({"headers": "no colon here"}, "Header lines look like `Name: value`"),
        ({"method": "BREW"}, "BREW is not a method you can send here"),
    ],
)
def test_a_bad_request_is_refused_at_once_beside_its_field(
    alice_client: Client, flask_lab, fields: dict[str, str], says: str
) -> None:
    url = reverse("labs:exploit-create", args=[flask_lab.slug])
    posted = {"mode": "request", "method": "GET", "path": "/", "headers": "", **fields}
    response = alice_client.post(url, posted)
    html = response.content.decode()
    assert response.status_code == 400  # the lab page again, not a redirect
    assert not ExploitAttempt.objects.exists()  # nothing queued, nothing retried
    assert "Nothing was sent" in html and says in html
    assert 'class="field-error"' in html
    assert "sandbox had a problem" not in html
    # What was typed stays in the form.
    for name in ("path", "headers"):
        if fields.get(name):
            assert escape(fields[name]) in html


def test_a_request_the_sandbox_cannot_send_finishes_at_once_without_blame(
    alice, flask_lab, settings, monkeypatch
) -> None:
    """A request stored before the form checked it: reported to the learner, never retried as a
    grader error (the sandbox is never even started)."""
    from labs.services import exploit_attempt_run

    monkeypatch.setattr(
        "labs.services.exploits.job_workspace",
        lambda *a, **k: pytest.fail("the sandbox must not start for an invalid request"),
    )
    settings.GRADING_MAX_ATTEMPTS = 3
    session = lab_session_start(user=alice, lab=flask_lab)
    attempt = ExploitAttempt.objects.create(
        session=session, version=session.version, mode="request",
        request={"method": "GET", "path": "/a b", "headers": [], "body": ""},
    )  # fmt: skip
    outcome = exploit_attempt_run(attempt_id=attempt.pk)
    attempt.refresh_from_db()
    assert str(outcome.state) == "graded"
    assert attempt.status == JobStatus.FINISHED and attempt.attempts == 1
    assert "could not be sent" in attempt.reason and "no spaces" in attempt.reason
    assert "sandbox had a problem" not in attempt.reason
    client = Client()
    client.force_login(alice)
    html = client.get(attempt.get_absolute_url()).content.decode()
    assert "Request not sent" in html and "No flag yet" not in html


def test_the_rate_limit_is_shown_beside_the_buttons_with_the_wait(
    alice_client: Client, flask_lab, settings
) -> None:
    settings.LAB_SUBMISSIONS_PER_MINUTE = 1
    url = reverse("labs:workspace-update", args=[flask_lab.slug])
    first = alice_client.post(url, {"action": "public_tests"})
    Submission.objects.update(status=JobStatus.FINISHED, verdict="passed")
    assert first.status_code == 302
    session = LabSession.objects.get()
    path = session.version.editable[0]
    refused = alice_client.post(url, {"action": "submit", f"file:{path}": "# my typing\n"})
    html = refused.content.decode()
    assert refused.status_code == 429
    assert Submission.objects.count() == 1
    # Inside the fix form, just above its buttons, with the seconds to wait; the typing is kept.
    fix = html[html.index('id="fix-actions"') : html.index(">Submit fix</button>")]
    assert "You can run again in 60 seconds" in fix or "You can run again in 59 seconds" in fix
    assert 'data-retry-after="' in fix
    assert "# my typing" in html
    session.refresh_from_db()
    assert session.draft_files[path] == "# my typing\n"


def test_public_tests_never_say_the_hole_is_closed(alice_client: Client, alice, flask_lab) -> None:
    session = lab_session_start(user=alice, lab=flask_lab)
    sub = Submission.objects.create(
        session=session, version=session.version, files=session.draft_files,
        kind="public_tests", status=JobStatus.FINISHED, verdict="passed",
    )  # fmt: skip
    for n in range(5):
        sub.checks.create(position=n, test=f"t{n}", title=f"Check {n}", kind="functional",
                          outcome="passed")  # fmt: skip
    html = alice_client.get(sub.get_absolute_url()).content.decode()
    assert "5 public checks passed; the hidden checks decide" in html
    assert "the hole is closed and" not in html


def test_a_failed_fix_without_a_known_wrong_fix_is_explained_from_its_checks(
    alice_client: Client, alice, flask_lab
) -> None:
    session = lab_session_start(user=alice, lab=flask_lab)
    sub = Submission.objects.create(
        session=session, version=session.version, files=session.draft_files,
        status=JobStatus.FINISHED, verdict="still_exploitable",
    )  # fmt: skip
    sub.checks.create(position=0, test="a", title="The console is off", kind="security",
                      outcome="failed")  # fmt: skip
    sub.checks.create(position=1, test="b", title="Pages load", kind="functional",
                      outcome="passed")  # fmt: skip
    html = alice_client.get(sub.get_absolute_url()).content.decode()
    assert "1 security check failed, so an attack still gets through: The console is off." in html
    assert "wrong fix" not in html
    # Screen readers hear the outcome once, not "Failed Failed".
    item = html[html.index("The console is off") :].split("</li>")[0]
    assert item.count("Failed") == 1


def test_a_lab_that_takes_several_requests_offers_the_script_first(
    alice_client: Client, flask_lab, django_lab
) -> None:
    html = alice_client.get(flask_lab.get_absolute_url()).content.decode()
    script, request = html.index('value="script"'), html.index('value="request"')
    assert script < request and 'value="script" checked' in html
    assert "so it cannot succeed here: write a script" in html
    # A lab solved with one request keeps the one-request form first.
    html = alice_client.get(django_lab.get_absolute_url()).content.decode()
    assert html.index('value="request"') < html.index('value="script"')
    assert 'value="request" checked' in html


def test_follow_up_requests_make_a_session_against_one_app(alice_client: Client, flask_lab) -> None:
    url = reverse("labs:exploit-create", args=[flask_lab.slug])
    more = (
        "POST /login\nContent-Type: application/x-www-form-urlencoded\n\nuser=a&pw=b\n---\n/notes 2"
    )
    response = alice_client.post(
        url, {"mode": "request", "method": "GET", "path": "/", "more": more}
    )
    attempt = ExploitAttempt.objects.get()
    assert response["Location"] == attempt.get_absolute_url()
    assert attempt.request["then"] == [
        {
            "method": "POST",
            "path": "/login",
            "headers": [["Content-Type", "application/x-www-form-urlencoded"]],
            "body": "user=a&pw=b",
        },
        {"method": "GET", "path": "/notes%202", "headers": [], "body": ""},
    ]
    html = alice_client.get(attempt.get_absolute_url()).content.decode()
    assert "Then request 2, to the same app" in html and "POST /login" in html

    ExploitAttempt.objects.all().delete()
    bad = alice_client.post(
        url, {"mode": "request", "method": "GET", "path": "/", "more": "/a\n---\nBREW /pot"}
    )
    assert bad.status_code == 400 and not ExploitAttempt.objects.exists()
    assert "Request 3 (first line `BREW /pot`)" in bad.content.decode()

"""The staff operations page in Chromium: a busy hour (a long grader error, several workers, a
queue) fits a phone and a desktop, and axe finds nothing serious in light or dark."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.e2e.conftest import DESKTOP, PHONE, axe_violations, overflow, shot, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

LONG_REASON = "OSError: [Errno 28] No space left on device: '/var/lib/patchwise/lab-work/" + (
    "sub1234-abcdefgh/" * 12
)


@pytest.fixture
def busy_hour(alice, flask_lab) -> None:
    from labs.models import ExploitAttempt, JobStatus, Submission, SubmissionKind, Verdict
    from tests.factories import make_graded_fix

    fix = make_graded_fix(alice, flask_lab)
    now = timezone.now()
    for i in range(12):
        created = now - timedelta(minutes=30, seconds=i)
        Submission.objects.create(
            session=fix.session, version=fix.version, files={}, status=JobStatus.FINISHED,
            kind=SubmissionKind.PUBLIC_TESTS if i % 3 else SubmissionKind.SUBMIT,
            verdict=Verdict.GRADER_ERROR if i == 0 else Verdict.PASSED, attempts=1 + (i == 0) * 2,
            worker=f"worker{i % 2}@grader-{i % 2}.internal.example.com", created_at=created,
            started_at=created + timedelta(milliseconds=80 + i * 10),
            finished_at=created + timedelta(milliseconds=600 + i * 40),
            grader_log=LONG_REASON if i == 0 else "",
        )  # fmt: skip
    Submission.objects.create(session=fix.session, version=fix.version, files={})
    ExploitAttempt.objects.create(
        session=fix.session, version=fix.version, mode="request", status=JobStatus.FINISHED,
        started_at=now, finished_at=now, flag_found=True, result={"status": "completed"},
    )  # fmt: skip


def test_staff_see_the_operations_page_on_a_phone_and_a_desktop(
    live_server, page, busy_hour, password
) -> None:
    from tests.factories import UserFactory

    olga = UserFactory(email="olga@example.com", is_staff=True, is_superuser=True)
    sign_in(page, live_server.url, olga.email, password)
    page.get_by_text(olga.name).first.click()  # the account menu names the page for staff
    page.get_by_role("link", name="Operations").click()
    page.wait_for_url(live_server.url + "/labs/operations/")
    assert page.get_by_role("heading", name="Operations", level=1).is_visible()
    assert "No space left on device" in page.inner_text("body")
    assert "Last grading finished" in page.inner_text("body")

    problems = []
    for size in (PHONE, DESKTOP):
        page.set_viewport_size(size)
        for scheme in ("light", "dark"):
            page.emulate_media(color_scheme=scheme)
            page.reload()
            if (extra := overflow(page)) > 0:
                problems.append(f"{size['width']} px {scheme}: {extra} px too wide")
            problems += [f"{size['width']} px {scheme}: {p}" for p in axe_violations(page)]
            shot(page, f"operations-{size['width']}-{scheme}.png")
    assert problems == []

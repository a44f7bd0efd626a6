"""Every page type of the site, as each kind of person sees it: no sideways scroll at 375 px, and
axe-core finds no serious or critical problem at 1280 px (nor sideways scroll) in the light and
the dark scheme.

One test per person (signed out, learner, manager, author, a non-invitee) walks that person's
pages with one phone and one desktop browser context, so the module stays quick; a failure lists
every page that failed, by name.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from django.utils import timezone

from tests.e2e.conftest import axe_violations, overflow, shot, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.layout, pytest.mark.django_db(transaction=True)]

#: A long, unbroken URL as a learner's exploit would send: it must wrap, not widen the page.
LONG_URL = "/search?q=" + "%27%20UNION%20SELECT%20flag%20FROM%20secrets--" * 12
#: What a page must show for its width check to mean something (the long content that once spilled).
MUST_SHOW = {"exploit": "UNION%20SELECT", "quiz attempt": "cursor.execute(sql)"}


@dataclass
class Site:
    """The pages of one fully populated site, by the name a failure should show."""

    public: dict[str, str] = field(default_factory=dict)
    learner: dict[str, str] = field(default_factory=dict)
    manager: dict[str, str] = field(default_factory=dict)
    author: dict[str, str] = field(default_factory=dict)


@pytest.fixture
def site(alice, bob, charlie, author, path_with_steps, flask_lab, django_lab) -> Site:
    """A path, quiz, labs with graded work, an exploit, a team, an assignment, invitations."""
    from courses.services import answer_submit, quiz_attempt_finish, quiz_attempt_start
    from labs.models import ExploitAttempt, JobStatus
    from teams.models import Assignment, AssignmentKind, Invitation, Role, token_digest
    from tests.factories import make_graded_fix, make_quiz, make_team

    now = timezone.now()
    quiz = make_quiz()
    spot = quiz.questions.get(kind="spot_line")
    finished = quiz_attempt_start(user=alice, quiz=quiz)
    answer_submit(attempt=finished, question=spot, line=3)
    quiz_attempt_finish(attempt=finished)
    attempt = quiz_attempt_start(user=alice, quiz=quiz)
    answer_submit(attempt=attempt, question=spot, line=2)

    failed = make_graded_fix(
        alice, flask_lab, verdict="failed", security=("failed", "passed"), at=now - timedelta(1)
    )
    passed = make_graded_fix(alice, flask_lab)
    make_graded_fix(alice, django_lab, verdict="failed", security=("failed",))
    exploit = ExploitAttempt.objects.create(
        session=failed.session, version=failed.version, mode="request", status=JobStatus.FINISHED,
        started_at=now, finished_at=now, reason="",
        request={"method": "GET", "path": LONG_URL},
        result={"exchanges": [{"method": "GET", "url": "http://app" + LONG_URL, "status": 200,
                               "headers": [["Content-Type", "text/html"]],
                               "body": "<p>" + "x" * 600 + "</p>"}]},
    )  # fmt: skip

    team = make_team(name="Blue team", managers=[bob], members=[alice])
    assignment = Assignment.objects.create(
        team=team, kind=AssignmentKind.LAB, lab=flask_lab, due_at=now + timedelta(days=7),
        created_by=bob, note="Before the sprint review.",
    )  # fmt: skip
    valid_token, expired_token = "valid-token-" + "a" * 20, "expired-token-" + "b" * 20
    invitations = [
        Invitation.objects.create(
            team=team,
            email=email,
            role=Role.MEMBER,
            token_hash=token_digest(token),
            invited_by=bob,
            expires_at=expires,
        )
        for email, token, expires in (
            ("dave@example.com", valid_token, now + timedelta(days=7)),
            ("eve@example.com", expired_token, now - timedelta(days=1)),
        )
    ]

    # frank signed up but has not confirmed his address yet: his confirmation link's page.
    from allauth.account.models import EmailAddress, EmailConfirmationHMAC

    from tests.factories import UserFactory

    frank = UserFactory(email="frank@example.com")
    EmailAddress.objects.filter(user=frank).update(verified=False)
    address, _ = EmailAddress.objects.get_or_create(
        user=frank, email=frank.email, defaults={"verified": False, "primary": True}
    )
    confirm_key = EmailConfirmationHMAC(address).key

    shared = {
        "home": "/",
        "learn": "/learn/",
        "path": path_with_steps.get_absolute_url(),
        "article": "/articles/first-article/",
        "quiz intro": quiz.get_absolute_url(),
        "labs": "/labs/",
        "compare index": "/labs/compare/",
        "compare detail": f"/labs/compare/{django_lab.vulnerability_class}/",
        "search": "/search/?q=article",
        "404": "/no-such-page/",
    }
    site = Site()
    site.public = shared | {
        "login": "/accounts/login/",
        "signup": "/accounts/signup/",
        "password reset": "/accounts/password/reset/",
        "password reset sent": "/accounts/password/reset/done/",
        "email confirm sent": "/accounts/confirm-email/",
        "email confirm": f"/accounts/confirm-email/{confirm_key}/",
        "email confirm (bad link)": "/accounts/confirm-email/no-such-key/",
        "password reset (bad link)": "/accounts/password/reset/key/0-no-such-key/",
        "password reset complete": "/accounts/password/reset/key/done/",
        "invitation (valid)": f"/teams/join/{valid_token}/",
        "invitation (expired)": f"/teams/join/{expired_token}/",
    }
    site.learner = shared | {
        "lab": flask_lab.get_absolute_url(),
        "quiz attempt": attempt.get_absolute_url(),
        "quiz result": f"/quizzes/{quiz.slug}/attempts/{finished.pk}/result/",
        "submission (failed)": failed.get_absolute_url(),
        "submission (passed)": passed.get_absolute_url(),
        "exploit": exploit.get_absolute_url(),
        "my progress": "/me/progress/",
        "teams": "/teams/",
        "team": f"/teams/{team.slug}/",
        "leave team": f"/teams/{team.slug}/leave/",
        "account emails": "/accounts/email/",
        "password change": "/accounts/password/change/",
        "sign out": "/accounts/logout/",
        "reauthenticate": "/accounts/reauthenticate/",
        "two-factor": "/accounts/2fa/",
    }
    base = f"/teams/{team.slug}"
    site.manager = {
        "teams": "/teams/",
        "new team": "/teams/new/",
        "team": f"{base}/",
        "dashboard": f"{base}/dashboard/",
        "weakness": f"{base}/dashboard/weaknesses/{flask_lab.vulnerability_class}/",
        "members": f"{base}/members/",
        "assignments": f"{base}/assignments/",
        "settings": f"{base}/settings/",
        "member detail": f"{base}/members/{alice.pk}/",
        "member submission": f"{base}/members/{alice.pk}/submissions/{failed.pk}/",
        "remove member": f"{base}/members/{alice.pk}/remove/",
        "edit assignment": f"{base}/assignments/{assignment.pk}/edit/",
        "delete assignment": f"{base}/assignments/{assignment.pk}/delete/",
        "revoke invitation": f"{base}/invitations/{invitations[0].pk}/revoke/",
    }
    site.author = {
        "article preview frame": "/articles/preview/frame/",
        "quiz preview": f"/quizzes/{quiz.slug}/preview/",
        "operations": "/labs/operations/",
    }
    return site


def _check_pages(browser, base_url: str, pages: dict[str, str], who: str, email: str = "") -> None:
    """Each page at 375 px (overflow) and 1280 px (axe, both schemes); fails naming them all."""
    from tests.factories import DEFAULT_PASSWORD

    desktop = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
    page = desktop.new_page()
    page.set_default_timeout(15_000)
    if email:
        sign_in(page, base_url, email, DEFAULT_PASSWORD)
    phone = browser.new_context(
        viewport={"width": 375, "height": 740}, is_mobile=True, bypass_csp=True,
        storage_state=desktop.storage_state(),
    )  # fmt: skip
    small = phone.new_page()
    small.set_default_timeout(15_000)
    failures: list[str] = []
    try:
        for name, url in pages.items():
            response = small.goto(base_url + url)
            expected = {"404": 404, "invitation (expired)": 410}.get(name, 200)
            if response is None or response.status != expected:
                failures.append(f"{who} {name} {url}: HTTP {response and response.status}")
                continue
            if small.url != base_url + url:  # e.g. sent to sign in: not the page meant
                failures.append(f"{who} {name} {url}: landed on {small.url}")
                continue
            if (text := MUST_SHOW.get(name)) and text not in small.inner_text("body"):
                failures.append(f"{who} {name} {url}: does not show {text!r}")
            if (extra := overflow(small)) > 0:
                failures.append(f"{who} {name} {url}: {extra} px wider than 375 px")
            # The account pages (allauth's, in the site's shell) are shot for a person to look at.
            slug = "-".join(name.replace("(", "").replace(")", "").split())
            if url.startswith("/accounts/"):
                shot(small, f"{slug}-375.png")
            for scheme in ("light", "dark"):
                page.emulate_media(color_scheme=scheme)
                page.goto(base_url + url)
                if url.startswith("/accounts/"):
                    shot(page, f"{slug}-1280-{scheme}.png")
                if scheme == "light" and (extra := overflow(page)) > 0:
                    failures.append(f"{who} {name} {url}: {extra} px wider than 1280 px")
                for problem in axe_violations(page):
                    failures.append(f"{who} {name} {url} ({scheme}): {problem}")
    finally:
        phone.close()
        desktop.close()
    assert failures == [], "\n".join(failures)


def test_signed_out_pages(live_server, browser, site: Site) -> None:
    _check_pages(browser, live_server.url, site.public, "signed out")


def test_learner_pages(live_server, browser, site: Site, alice) -> None:
    _check_pages(browser, live_server.url, site.learner, "alice", alice.email)


def test_manager_pages(live_server, browser, site: Site, bob) -> None:
    _check_pages(browser, live_server.url, site.manager, "bob", bob.email)


def test_author_pages(live_server, browser, site: Site, author) -> None:
    _check_pages(browser, live_server.url, site.author, "erin", author.email)


def test_invitee_sees_the_invitation(live_server, browser, site: Site, charlie) -> None:
    """Signed in as someone else than the invited address, the invitation pages still hold up."""
    pages = {k: v for k, v in site.public.items() if k.startswith("invitation")}
    _check_pages(browser, live_server.url, pages, "charlie", charlie.email)

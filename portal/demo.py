"""The demo scenario, in one place: who is in the demo team, how each person works, what they do.

``manage.py seed_demo`` hands this plan to each app's own seed command (called by name, so portal
imports no app): labs grades the members' fixes in the sandbox, courses records their quiz
attempts and reading, teams builds the team and its assignments. Every choice is derived from the
person's e-mail address, so two runs of the seed (or two apps) agree on who does what without
sharing any state, and the dashboard looks the same on every machine.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass
from datetime import datetime, timedelta

#: The team bob manages in the demo; seed_demo skips its parts when the team already exists.
DEMO_TEAM_NAME = "Payments squad"
DEMO_TEAM_SLUG = "payments-squad"
DEMO_TEAM_DESCRIPTION = (
    "The people who build and run checkout and payouts. This quarter: the secure development "
    "path, the web security quiz, and two labs on holes we have had in review."
)
DEMO_MANAGER_EMAIL = "bob@example.com"
#: Someone invited but not signed up yet: the members page shows a pending invitation.
DEMO_INVITED_EMAIL = "noah.williams@example.com"
#: History is spread over this many past weeks, so the activity chart has a shape.
DEMO_WEEKS = 6


@dataclass(frozen=True)
class DemoMember:
    """A member of the demo team.

    ``diligence`` (0 to 1) is how much of the work they get to and how carefully: it drives how
    many labs they try, whether they persist after a wrong fix, their quiz scores and reading.
    ``weak_classes`` are vulnerability classes (lab.toml's ``vulnerability_class``) whose labs
    they first get wrong with a fix that still lets the exploit through: the weakness map.
    """

    email: str
    display_name: str
    diligence: float
    weak_classes: tuple[str, ...] = ()
    #: Slugs of labs or quizzes they have not touched, whatever their diligence: Alice leaves the
    #: lab due soon for whoever shows the demo to solve it and watch bob's dashboard change.
    untouched: tuple[str, ...] = ()

    def random(self, topic: str) -> random.Random:
        """A generator of this person's choices about ``topic``, the same on every run."""
        return demo_random(self.email, topic)

    def moment(self, *, topic: str, fraction: float, now: datetime) -> datetime:
        """When something this person did happened: ``fraction`` 0 is when they started on
        the team's work (two to six weeks ago), 1 is a few hours ago; ``topic`` adds jitter."""
        rng = self.random("start")
        start = now - timedelta(days=rng.uniform(12, 7 * DEMO_WEEKS - 1))
        span = (now - timedelta(hours=3)) - start
        jitter = self.random(f"when:{topic}").uniform(-0.03, 0.03)
        return start + span * min(1.0, max(0.0, fraction + jitter))


def demo_random(email: str, topic: str) -> random.Random:
    digest = hashlib.sha256(f"{email}|{topic}".encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))  # noqa: S311 (demo data, not secrets)


SQLI = "sql-injection"
XSS = "cross-site-scripting"
DEBUG = "debug-exposure"

#: Alice (the demo learner) first, then a dozen colleagues: a spread from keen to barely started.
DEMO_MEMBERS: tuple[DemoMember, ...] = (
    DemoMember("alice@example.com", "Alice Learner", 0.75, (XSS,), ("flask-sqli-order-tracker",)),
    DemoMember("priya.nair@example.com", "Priya Nair", 0.95),
    DemoMember("tomasz.kowalski@example.com", "Tomasz Kowalski", 0.85, (SQLI,)),
    DemoMember("amara.okafor@example.com", "Amara Okafor", 0.9, (DEBUG,)),
    DemoMember("mei.chen@example.com", "Mei Chen", 0.8, (SQLI,)),
    DemoMember("sofia.rossi@example.com", "Sofia Rossi", 0.7, (XSS,)),
    DemoMember("yuki.tanaka@example.com", "Yuki Tanaka", 0.65, (SQLI, DEBUG)),
    DemoMember("lucas.martin@example.com", "Lucas Martin", 0.6, (XSS, SQLI)),
    DemoMember("hannah.schmidt@example.com", "Hannah Schmidt", 0.55),
    DemoMember("jonas.berg@example.com", "Jonas Berg", 0.45, (DEBUG, XSS)),
    DemoMember("diego.alvarez@example.com", "Diego Álvarez", 0.35, (SQLI,)),
    DemoMember("kwame.mensah@example.com", "Kwame Mensah", 0.25, (DEBUG,)),
    DemoMember("omar.haddad@example.com", "Omar Haddad", 0.1),
)

#: Labs the members practise on, most tried first (the first two are assigned; see below).
DEMO_LABS: tuple[str, ...] = (
    "flask-debug-console",
    "flask-sqli-order-tracker",
    "flask-xss-guestbook",
    "django-raw-sql-search",
)
#: Quizzes the members take, most taken first (the first is assigned).
DEMO_QUIZZES: tuple[str, ...] = ("web-security-essentials", "api-security-pitfalls")
#: Articles they read, in the order a keen reader gets to them (those of the assigned path first).
DEMO_ARTICLES: tuple[str, ...] = (
    "flask-security",
    "fastapi-security",
    "django-security",
    "one-vulnerability-three-frameworks",
    "security-headers-and-csp",
    "server-side-template-injection",
)


@dataclass(frozen=True)
class DemoAssignment:
    """Work bob assigned: ``kind`` is "path", "quiz" or "lab" (the teams app's AssignmentKind
    values), ``due_in_days`` counts from the seed's run (negative: already overdue)."""

    kind: str
    slug: str
    due_in_days: float
    note: str = ""
    #: Assigned to the whole team, or only to the members this many places from the top.
    first_members: int | None = None


DEMO_ASSIGNMENTS: tuple[DemoAssignment, ...] = (
    DemoAssignment(
        "lab",
        "flask-debug-console",
        -4,
        note="We shipped a debug flag to staging last quarter. Never again.",
    ),
    DemoAssignment("lab", "flask-sqli-order-tracker", 2, note="Before the refunds API review."),
    DemoAssignment("quiz", "web-security-essentials", 9, note="70% to pass; retake as needed."),
    DemoAssignment("path", "secure-python-web-development", 30, first_members=8),
)

"""Who may open what: every teams URL, read (GET) and, where the view takes it, written (POST), as
each kind of person. The URL list comes from teams.urls itself, so a new page without a row here
fails the suite instead of going unchecked.

People: alice is a member of bob's team, bob manages it, charlie is in no team, dora manages
another team, ada is a superuser (she manages every team), and an anonymous visitor. Team pages
answer 404 to anyone who may not see them, so an outsider cannot even learn that a team exists;
anonymous visitors are sent to sign in, except on an invitation link, which is meant for people
who have no account yet.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from labs.models import JobStatus, Lab, Submission, SubmissionKind, Verdict
from labs.services import lab_session_start
from portal.models import User
from teams import urls as team_urls
from teams.models import Assignment, AssignmentKind, Team
from teams.services.invitations import invitation_create
from tests.factories import UserFactory, make_lab, make_team

pytestmark = pytest.mark.django_db

PEOPLE = ("member", "manager", "outsider", "other_manager", "superuser", "anonymous")
LOGIN = "login"  # a redirect to the sign-in page, with ``next`` back here


@dataclass
class World:
    team: Team
    other_team: Team
    people: dict[str, User | None]
    invitation_pk: int
    token: str
    assignment_pk: int
    submission_pk: int
    lab: Lab


@pytest.fixture
def world(alice: User, bob: User, charlie: User) -> World:
    # A lab built in the database (no bundle to read): this fixture runs for every case.
    lab = make_lab("orders-sqli", vulnerability_class="sql-injection")
    dora = UserFactory(email="dora@example.com", display_name="Dora")
    ada = UserFactory(email="ada@example.com", display_name="Ada", is_superuser=True)
    team = make_team(name="Payments squad", managers=[bob], members=[alice])
    other = make_team(name="Other squad", managers=[dora], members=[UserFactory()])
    invitation, token = invitation_create(
        team=team, email="newcomer@example.com", role="member", invited_by=bob
    )
    assignment = Assignment.objects.create(
        team=team,
        kind=AssignmentKind.LAB,
        lab=lab,
        due_at=timezone.now() + timedelta(days=3),
    )
    session = lab_session_start(user=alice, lab=lab)
    submission = Submission.objects.create(
        session=session,
        version=session.version,
        kind=SubmissionKind.SUBMIT,
        files=session.draft_files,
        status=JobStatus.FINISHED,
        verdict=Verdict.STILL_EXPLOITABLE,
        finished_at=timezone.now(),
    )
    return World(
        team=team,
        other_team=other,
        people={
            "member": alice,
            "manager": bob,
            "outsider": charlie,
            "other_manager": dora,
            "superuser": ada,
            "anonymous": None,
        },
        invitation_pk=invitation.pk,
        token=token,
        assignment_pk=assignment.pk,
        submission_pk=submission.pk,
        lab=lab,
    )


Expect = dict[str, Any]


def expect(**statuses: Any) -> Expect:
    assert set(statuses) == set(PEOPLE), statuses
    return statuses


def signed_in(status: int) -> Expect:
    """Anyone signed in gets ``status``; anonymous visitors are sent to sign in."""
    return expect(
        member=status,
        manager=status,
        outsider=status,
        other_manager=status,
        superuser=status,
        anonymous=LOGIN,
    )


def managers(status: int) -> Expect:
    """The team's manager and superusers get ``status``; every other signed-in person 404."""
    return expect(
        member=404,
        manager=status,
        outsider=404,
        other_manager=404,
        superuser=status,
        anonymous=LOGIN,
    )


#: Methods the view refuses answer 405 to everyone signed in (the method is checked before the
#: team, which leaks nothing); anonymous visitors are sent to sign in first.
NOT_ALLOWED = signed_in(405)


@dataclass(frozen=True)
class Case:
    kwargs: Callable[[World], dict[str, Any]]
    get: Expect
    post: Expect
    post_data: dict[str, str] | None = None


def team(w: World) -> dict[str, Any]:
    return {"slug": w.team.slug}


def member(w: World) -> dict[str, Any]:
    return {"slug": w.team.slug, "user_id": w.people["member"].pk}


def invitation(w: World) -> dict[str, Any]:
    return {"slug": w.team.slug, "pk": w.invitation_pk}


def assignment(w: World) -> dict[str, Any]:
    return {"slug": w.team.slug, "pk": w.assignment_pk}


CASES: dict[str, Case] = {
    "team-list": Case(lambda w: {}, get=signed_in(200), post=NOT_ALLOWED),
    # An empty form: shown again with its errors.
    "team-create": Case(lambda w: {}, get=signed_in(200), post=signed_in(200)),
    "invitation-accept": Case(
        lambda w: {"token": w.token},
        get=expect(
            member=200, manager=200, outsider=200, other_manager=200, superuser=200, anonymous=200
        ),
        # Signed in with an address other than the invited one: refused, nothing joined.
        post=expect(
            member=400, manager=400, outsider=400, other_manager=400, superuser=400, anonymous=200
        ),
    ),
    "team-detail": Case(
        team,
        get=expect(
            member=200, manager=200, outsider=404, other_manager=404, superuser=200, anonymous=LOGIN
        ),
        post=NOT_ALLOWED,
    ),
    "team-leave": Case(
        team,
        get=expect(
            member=200, manager=200, outsider=404, other_manager=404, superuser=404, anonymous=LOGIN
        ),
        # Alice leaves; bob, the last manager, is refused with a message on the team page.
        post=expect(
            member=302, manager=302, outsider=404, other_manager=404, superuser=404, anonymous=LOGIN
        ),
    ),
    "team-settings": Case(team, get=managers(200), post=managers(200)),
    "member-list": Case(team, get=managers(200), post=NOT_ALLOWED),
    "member-role": Case(member, get=NOT_ALLOWED, post=managers(302), post_data={"role": "member"}),
    "member-remove": Case(member, get=managers(200), post=managers(302)),
    "invitation-create": Case(team, get=managers(302), post=managers(400)),
    "invitation-resend": Case(invitation, get=NOT_ALLOWED, post=managers(302)),
    "invitation-revoke": Case(invitation, get=managers(200), post=managers(302)),
    "assignment-list": Case(team, get=managers(200), post=managers(200)),
    "assignment-edit": Case(assignment, get=managers(200), post=managers(200)),
    "assignment-delete": Case(assignment, get=managers(200), post=managers(302)),
    "dashboard": Case(team, get=managers(200), post=NOT_ALLOWED),
    "activity-data": Case(team, get=managers(200), post=NOT_ALLOWED),
    "weakness-detail": Case(
        lambda w: {"slug": w.team.slug, "vulnerability_class": w.lab.vulnerability_class},
        get=managers(200),
        post=NOT_ALLOWED,
    ),
    "export-csv": Case(team, get=managers(200), post=NOT_ALLOWED),
    "member-detail": Case(member, get=managers(200), post=NOT_ALLOWED),
    "member-submission": Case(
        lambda w: {**member(w), "pk": w.submission_pk}, get=managers(200), post=NOT_ALLOWED
    ),
}


def url_names() -> set[str]:
    return {pattern.name for pattern in team_urls.urlpatterns}


def test_every_teams_url_has_a_case() -> None:
    missing = url_names() - set(CASES)
    assert not missing, f"teams URLs without an authorisation case: {sorted(missing)}"
    assert not set(CASES) - url_names(), "cases for URLs that no longer exist"


def client_for(person: User | None) -> Client:
    client = Client()
    if person is not None:
        client.force_login(person)
    return client


def assert_status(response: Any, wanted: Any, url: str) -> None:
    if wanted == LOGIN:
        assert response.status_code == 302, (url, response.status_code)
        login = reverse("account_login")
        assert response["Location"].startswith(f"{login}?next="), response["Location"]
    else:
        assert response.status_code == wanted, (url, response.status_code, wanted)


MATRIX = [
    (name, method, person)
    for name in sorted(CASES)
    for method in ("GET", "POST")
    for person in PEOPLE
]


@pytest.mark.parametrize(("name", "method", "person"), MATRIX)
def test_status_of_each_url_for_each_person(world: World, name: str, method: str, person: str):
    case = CASES[name]
    url = reverse(f"teams:{name}", kwargs=case.kwargs(world))
    client = client_for(world.people[person])
    if method == "GET":
        response = client.get(url)
        wanted = case.get[person]
    else:
        response = client.post(url, case.post_data or {})
        wanted = case.post[person]
    assert_status(response, wanted, url)
    if wanted == 200 and name == "export-csv":
        assert response["Content-Type"].startswith("text/csv")
        body = b"".join(response.streaming_content).decode()
        assert "alice@example.com" in body
    if wanted == 200 and name == "activity-data":
        assert response["Content-Type"] == "application/json"


def test_outsiders_cannot_tell_a_team_exists(world: World) -> None:
    """A missing team and someone else's team answer the same 404 on every team page."""
    charlie = client_for(world.people["outsider"])
    for name, case in CASES.items():
        kwargs = case.kwargs(world)
        if "slug" not in kwargs:
            continue
        real = charlie.get(reverse(f"teams:{name}", kwargs=kwargs))
        ghost = charlie.get(reverse(f"teams:{name}", kwargs={**kwargs, "slug": "no-such-team"}))
        assert real.status_code == ghost.status_code, name
        if real.status_code == 404:
            assert world.team.name not in real.content.decode(), name


def test_manager_cannot_reach_another_teams_rows_through_their_own_team(world: World) -> None:
    """Ids of another team's members, invitations, assignments and submissions are 404 under
    bob's team, for reading and for writing."""
    dora = world.people["other_manager"]
    other_member = world.other_team.memberships.exclude(user=dora).get().user
    other_invitation, _ = invitation_create(
        team=world.other_team, email="someone@example.com", role="member", invited_by=dora
    )
    other_assignment = Assignment.objects.create(
        team=world.other_team,
        kind=AssignmentKind.LAB,
        lab=world.lab,
        due_at=timezone.now() + timedelta(days=3),
    )
    charlie_session = lab_session_start(user=world.people["outsider"], lab=world.lab)
    charlie_submission = Submission.objects.create(
        session=charlie_session,
        version=charlie_session.version,
        files={},
        status=JobStatus.FINISHED,
        verdict=Verdict.PASSED,
    )
    slug = world.team.slug
    bob = client_for(world.people["manager"])
    reads = [
        reverse("teams:member-detail", args=[slug, other_member.pk]),
        reverse("teams:member-remove", args=[slug, other_member.pk]),
        reverse("teams:invitation-revoke", args=[slug, other_invitation.pk]),
        reverse("teams:assignment-edit", args=[slug, other_assignment.pk]),
        reverse("teams:assignment-delete", args=[slug, other_assignment.pk]),
        reverse("teams:member-submission", args=[slug, world.people["member"].pk, 999_999]),
        reverse(
            "teams:member-submission", args=[slug, world.people["member"].pk, charlie_submission.pk]
        ),
    ]
    for url in reads:
        assert bob.get(url).status_code == 404, url
    writes = [
        reverse("teams:member-role", args=[slug, other_member.pk]),
        reverse("teams:member-remove", args=[slug, other_member.pk]),
        reverse("teams:invitation-resend", args=[slug, other_invitation.pk]),
        reverse("teams:invitation-revoke", args=[slug, other_invitation.pk]),
        reverse("teams:assignment-delete", args=[slug, other_assignment.pk]),
    ]
    for url in writes:
        assert bob.post(url, {"role": "manager"}).status_code == 404, url
    assert Assignment.objects.filter(pk=other_assignment.pk).exists()
    other_invitation.refresh_from_db()
    assert other_invitation.revoked_at is None and other_invitation.send_count == 1
    assert world.other_team.memberships.filter(user=other_member, role="member").exists()


def test_an_unknown_invitation_token_is_404_for_everyone(world: World) -> None:
    url = reverse("teams:invitation-accept", args=["not-a-real-token"])
    for person in PEOPLE:
        response = client_for(world.people[person]).get(url)
        assert response.status_code == 404, person

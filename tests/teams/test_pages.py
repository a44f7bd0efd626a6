"""Team pages through the test client: alice (member), bob (manager), charlie (outsider)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from teams.models import Assignment, AssignmentKind, Invitation, Membership, Role, Team
from teams.services.assignments import assignment_create
from teams.services.invitations import invitation_create
from teams.signals import SESSION_KEY
from tests.factories import DEFAULT_PASSWORD, UserFactory, make_lab, make_team

pytestmark = pytest.mark.django_db


@pytest.fixture
def team(alice, bob):
    return make_team(name="Blue team", managers=[bob], members=[alice])


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


MANAGER_PAGES = ["team-settings", "member-list", "assignment-list"]


@pytest.mark.parametrize("name", MANAGER_PAGES)
def test_manager_pages_answer_bob_only(name, team, alice, bob, charlie):
    url = reverse(f"teams:{name}", args=[team.slug])
    assert client_for(bob).get(url).status_code == 200
    assert client_for(alice).get(url).status_code == 404
    assert client_for(charlie).get(url).status_code == 404
    anonymous = client_for(None).get(url)
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]


def test_superuser_manages_every_team(team):
    root = UserFactory(email="root@example.com", is_superuser=True, is_staff=True)
    assert client_for(root).get(reverse("teams:member-list", args=[team.slug])).status_code == 200


def test_team_list_shows_my_teams_with_role_and_counts(team, alice, bob, charlie):
    lab = make_lab("team-sqli")
    assignment_create(team=team, kind=AssignmentKind.LAB, target=lab,
                      due_at=timezone.now() + timedelta(days=3), created_by=bob)  # fmt: skip
    page = client_for(alice).get(reverse("teams:team-list")).content.decode()
    assert "Blue team" in page and "Member" in page and "2 members" in page
    assert "<strong>1</strong> assignment to finish" in page
    assert "Blue team" not in client_for(charlie).get(reverse("teams:team-list")).content.decode()
    assert client_for(None).get(reverse("teams:team-list")).status_code == 302


def test_team_page_shows_my_assignments_status_and_overdue(team, alice, bob, charlie):
    lab = make_lab("team-sqli", title="Search injection")
    late = make_lab("late-lab", title="Late lab")
    assignment_create(team=team, kind=AssignmentKind.LAB, target=lab,
                      due_at=timezone.now() + timedelta(days=3), created_by=bob)  # fmt: skip
    overdue = assignment_create(
        team=team, kind=AssignmentKind.LAB, target=late,
        due_at=timezone.now() + timedelta(days=1), created_by=bob,
    )  # fmt: skip
    Assignment.objects.filter(pk=overdue.pk).update(due_at=timezone.now() - timedelta(days=1))
    url = reverse("teams:team-detail", args=[team.slug])
    response = client_for(alice).get(url)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Search injection" in page and lab.get_absolute_url() in page
    assert "Not started" in page and "Overdue" in page and "is-overdue" in page
    assert reverse("teams:dashboard", args=[team.slug]) not in page
    managers_page = client_for(bob).get(url).content.decode()
    assert reverse("teams:dashboard", args=[team.slug]) in managers_page
    assert "The team's assignments" in managers_page and "Past due" in managers_page
    assert client_for(charlie).get(url).status_code == 404
    assert client_for(None).get(url).status_code == 302


def test_named_assignment_shows_only_to_the_named(team, alice, bob):
    dana = UserFactory(email="dana@example.com")
    Membership.objects.create(team=team, user=dana)
    lab = make_lab("only-dana", title="Only Dana")
    assignment_create(team=team, kind=AssignmentKind.LAB, target=lab, assignees=[dana],
                      due_at=timezone.now() + timedelta(days=3), created_by=bob)  # fmt: skip
    url = reverse("teams:team-detail", args=[team.slug])
    assert "Only Dana" not in client_for(alice).get(url).content.decode()
    assert "Only Dana" in client_for(dana).get(url).content.decode()


def test_create_a_team(charlie):
    client = client_for(charlie)
    assert client.get(reverse("teams:team-create")).status_code == 200
    response = client.post(reverse("teams:team-create"), {"name": "Red team", "description": ""})
    team = Team.objects.get(name="Red team")
    assert response["Location"] == team.get_absolute_url()
    assert Membership.objects.get(team=team, user=charlie).role == Role.MANAGER
    invalid = client.post(reverse("teams:team-create"), {"name": "  "})
    assert invalid.status_code == 400 and b"errorlist" in invalid.content
    assert client_for(None).get(reverse("teams:team-create")).status_code == 302


def test_settings_rename(team, bob, alice):
    url = reverse("teams:team-settings", args=[team.slug])
    client_for(bob).post(url, {"name": "Green", "description": "We fix things."})
    team.refresh_from_db()
    assert (team.name, team.description) == ("Green", "We fix things.")
    assert client_for(alice).post(url, {"name": "Hacked"}).status_code == 404
    team.refresh_from_db()
    assert team.name == "Green"


def test_posts_need_csrf(team, bob):
    client = Client(enforce_csrf_checks=True)
    client.force_login(bob)
    url = reverse("teams:team-settings", args=[team.slug])
    assert client.post(url, {"name": "X"}).status_code == 403


def test_role_change_and_last_manager_rule(team, alice, bob):
    client = client_for(bob)
    bob_role = reverse("teams:member-role", args=[team.slug, bob.pk])
    response = client.post(bob_role, {"role": "member"}, follow=True)
    assert "only manager" in response.content.decode()
    assert Membership.objects.get(team=team, user=bob).role == Role.MANAGER
    client.post(reverse("teams:member-role", args=[team.slug, alice.pk]), {"role": "manager"})
    assert Membership.objects.get(team=team, user=alice).role == Role.MANAGER
    bad = client.post(reverse("teams:member-role", args=[team.slug, alice.pk]), {"role": "boss"})
    assert bad.status_code == 302
    assert Membership.objects.get(team=team, user=alice).role == Role.MANAGER


def test_remove_member_asks_first(team, alice, bob, charlie):
    url = reverse("teams:member-remove", args=[team.slug, alice.pk])
    confirm = client_for(bob).get(url)
    assert confirm.status_code == 200 and b"Remove Alice?" in confirm.content
    assert Membership.objects.filter(team=team, user=alice).exists()
    assert client_for(alice).post(url).status_code == 404
    client_for(bob).post(url)
    assert not Membership.objects.filter(team=team, user=alice).exists()
    # Someone not in the team: 404, not a crash.
    outsider = reverse("teams:member-remove", args=[team.slug, charlie.pk])
    assert client_for(bob).get(outsider).status_code == 404


def test_member_leaves(team, alice):
    url = reverse("teams:team-leave", args=[team.slug])
    assert client_for(alice).get(url).status_code == 200
    response = client_for(alice).post(url)
    assert response["Location"] == reverse("teams:team-list")
    assert not Membership.objects.filter(team=team, user=alice).exists()


def test_invite_sends_a_working_link(team, bob, django_capture_on_commit_callbacks):
    url = reverse("teams:invitation-create", args=[team.slug])
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(bob).post(url, {"email": "dana@example.com", "role": "member"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = next(w for w in mail.outbox[0].body.split() if "/teams/join/" in w)
    assert link.startswith("http://testserver/teams/join/")
    page = client_for(bob).get(reverse("teams:member-list", args=[team.slug])).content.decode()
    assert "dana@example.com" in page and "Pending" in page


def test_invite_form_errors(team, bob, alice):
    url = reverse("teams:invitation-create", args=[team.slug])
    bad = client_for(bob).post(url, {"email": "not-an-address", "role": "member"})
    assert bad.status_code == 400 and b"errorlist" in bad.content
    member = client_for(bob).post(url, {"email": "alice@example.com", "role": "member"})
    assert member.status_code == 400 and b"already a member" in member.content
    assert (
        client_for(alice).post(url, {"email": "x@example.com", "role": "member"}).status_code == 404
    )
    assert not Invitation.objects.exists()


def test_resend_and_revoke(team, bob, alice, django_capture_on_commit_callbacks):
    invitation, token = invitation_create(team=team, email="dana@example.com", role="member",
                                          invited_by=bob)  # fmt: skip
    resend = reverse("teams:invitation-resend", args=[team.slug, invitation.pk])
    with django_capture_on_commit_callbacks(execute=True):
        client_for(bob).post(resend)
    invitation.refresh_from_db()
    assert invitation.send_count == 2 and len(mail.outbox) == 1
    assert client_for(None).get(reverse("teams:invitation-accept", args=[token])).status_code == 404
    revoke = reverse("teams:invitation-revoke", args=[team.slug, invitation.pk])
    assert client_for(alice).post(revoke).status_code == 404
    assert client_for(bob).get(revoke).status_code == 200
    client_for(bob).post(revoke)
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    other = make_team(name="Other", managers=[alice])
    elsewhere = reverse("teams:invitation-revoke", args=[other.slug, invitation.pk])
    assert client_for(alice).get(elsewhere).status_code == 404


def test_assign_a_lab_from_the_form(team, bob, alice):
    lab = make_lab("team-sqli", title="Search injection")
    make_lab("draft-lab", title="Draft lab", published=False)
    url = reverse("teams:assignment-list", args=[team.slug])
    page = client_for(bob).get(url).content.decode()
    assert '<optgroup label="Labs">' in page and "Search injection" in page
    assert "Draft lab" not in page
    people = page[page.index("Only these members") : page.index("Leave every box empty")]
    assert "Alice" in people and "Bob" not in people  # managers set work, they are not assigned it
    due = (timezone.localtime() + timedelta(days=5)).strftime("%Y-%m-%dT%H:%M")
    response = client_for(bob).post(
        url, {"target": f"lab:{lab.pk}", "due_at": due, "assignees": [alice.pk], "note": "Soon"}
    )
    assert response.status_code == 302
    assignment = Assignment.objects.get()
    assert assignment.lab == lab and list(assignment.assignees.all()) == [alice]


@pytest.mark.parametrize(
    "data, error",
    [
        ({"target": "lab:999999", "due_at": "2999-01-01T10:00"}, "Select a valid choice"),
        ({"target": "", "due_at": "2999-01-01T10:00"}, "required"),
        ({"target": "LAB", "due_at": "2000-01-01T10:00"}, "in the future"),
        ({"target": "LAB", "due_at": "tomorrow"}, "Enter a valid date/time"),
        ({"target": "LAB", "due_at": "2999-01-01T10:00", "assignees": ["999999"]}, "valid choice"),
    ],
)
def test_assignment_form_errors(team, bob, data, error):
    lab = make_lab("team-sqli")
    if data["target"] == "LAB":
        data = {**data, "target": f"lab:{lab.pk}"}
    response = client_for(bob).post(reverse("teams:assignment-list", args=[team.slug]), data)
    assert response.status_code == 400
    assert error in response.content.decode()
    assert not Assignment.objects.exists()


def test_edit_and_delete_an_assignment(team, bob, alice):
    assignment = assignment_create(
        team=team, kind=AssignmentKind.LAB, target=make_lab("x"),
        due_at=timezone.now() + timedelta(days=2), created_by=bob,
    )  # fmt: skip
    edit = reverse("teams:assignment-edit", args=[team.slug, assignment.pk])
    assert client_for(alice).get(edit).status_code == 404
    assert client_for(bob).get(edit).status_code == 200
    due = (timezone.localtime() + timedelta(days=9)).strftime("%Y-%m-%dT%H:%M")
    client_for(bob).post(edit, {"due_at": due, "note": "More time"})
    assignment.refresh_from_db()
    assert assignment.note == "More time" and assignment.due_at > timezone.now() + timedelta(days=8)
    delete = reverse("teams:assignment-delete", args=[team.slug, assignment.pk])
    assert client_for(bob).get(delete).status_code == 200
    assert Assignment.objects.exists()
    client_for(bob).post(delete)
    assert not Assignment.objects.exists()


# --- The invitation link --------------------------------------------------------------------


def _invitation(team, bob, email="dana@example.com"):
    return invitation_create(team=team, email=email, role="member", invited_by=bob)


def test_unknown_link_is_a_clear_404():
    response = Client().get(reverse("teams:invitation-accept", args=["nothing-here"]))
    assert response.status_code == 404
    assert b"Invitation not found" in response.content


@pytest.mark.parametrize("state", ["used", "revoked", "expired"])
def test_dead_links_say_why_with_410(team, bob, state):
    invitation, token = _invitation(team, bob)
    now = timezone.now()
    update = {"used": {"accepted_at": now}, "revoked": {"revoked_at": now},
              "expired": {"expires_at": now}}[state]  # fmt: skip
    Invitation.objects.filter(pk=invitation.pk).update(**update)
    response = Client().get(reverse("teams:invitation-accept", args=[token]))
    assert response.status_code == 410
    heading = {"used": "already used", "revoked": "withdrawn", "expired": "expired"}[state]
    assert heading in response.content.decode()


def test_anonymous_visitor_is_offered_signup_with_the_address(team, bob):
    _, token = _invitation(team, bob)
    client = Client()
    page = client.get(reverse("teams:invitation-accept", args=[token])).content.decode()
    assert "Join Blue team" in page and "Bob" in page and "Member" in page
    assert "email=dana%40example.com" in page and "Create an account" in page
    assert client.session[SESSION_KEY] == token


def test_existing_account_joins_after_logging_in(team, bob):
    dana = UserFactory(email="dana@example.com")
    _, token = _invitation(team, bob)
    client = Client()
    join = reverse("teams:invitation-accept", args=[token])
    client.get(join)
    response = client.post(
        f"{reverse('account_login')}?next={join}",
        {"login": "dana@example.com", "password": DEFAULT_PASSWORD},
        follow=True,
    )
    assert Membership.objects.filter(team=team, user=dana).exists()
    assert response.redirect_chain[-1][0] == team.get_absolute_url()
    assert "Welcome to Blue team" in response.content.decode()


def test_logging_in_with_another_address_does_not_join(team, bob, charlie):
    _, token = _invitation(team, bob)
    client = Client()
    join = reverse("teams:invitation-accept", args=[token])
    client.get(join)
    response = client.post(
        f"{reverse('account_login')}?next={join}",
        {"login": "charlie@example.com", "password": DEFAULT_PASSWORD},
        follow=True,
    )
    page = response.content.decode()
    assert not Membership.objects.filter(team=team, user=charlie).exists()
    assert "sent to dana@example.com" in page and "charlie@example.com" in page
    refused = client.post(join)
    assert refused.status_code == 400
    assert not Membership.objects.filter(team=team, user=charlie).exists()


def test_signed_in_invitee_joins_with_one_click(team, bob):
    dana = UserFactory(email="dana@example.com")
    _, token = _invitation(team, bob)
    client = client_for(dana)
    join = reverse("teams:invitation-accept", args=[token])
    assert b"Join Blue team" in client.get(join).content
    response = client.post(join)
    assert response["Location"] == team.get_absolute_url()
    assert Membership.objects.filter(team=team, user=dana).exists()
    assert client.post(join).status_code == 302  # back to the team, not an error


def test_newcomer_signs_up_confirms_and_lands_in_the_team(team, bob):
    import re

    _, token = _invitation(team, bob)
    client = Client()
    join = reverse("teams:invitation-accept", args=[token])
    client.get(join)
    client.post(
        f"{reverse('account_signup')}?next={join}",
        {
            "email": "dana@example.com",
            "password1": "a-long-pass-77x",
            "password2": "a-long-pass-77x",
        },
    )
    assert not Membership.objects.filter(team=team, user__email="dana@example.com").exists()
    confirm = re.search(r"http://testserver(/accounts/confirm-email/\S+)", mail.outbox[-1].body)
    response = client.post(confirm.group(1), follow=True)
    assert Membership.objects.filter(team=team, user__email="dana@example.com").exists()
    assert response.redirect_chain[-1][0] == team.get_absolute_url()
    assert "Welcome to Blue team" in response.content.decode()

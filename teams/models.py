"""Teams, who is in them, invitations to join, work assigned with a due date, reminders sent.

Assignments point at a learning path, a quiz or a lab by foreign key (a string reference, so this
module imports neither ``courses`` nor ``labs``); progress on them is read through those apps'
selectors.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone


class Role(models.TextChoices):
    MEMBER = "member", "Member"
    MANAGER = "manager", "Manager"


class TeamQuerySet(models.QuerySet["Team"]):
    def of_user(self, user: Any) -> TeamQuerySet:
        """Teams the person belongs to, in any role."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(memberships__user=user).distinct()

    def managed_by(self, user: Any) -> TeamQuerySet:
        """Teams the person manages (every team for a superuser)."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        if user.is_superuser:
            return self.all()
        return self.filter(memberships__user=user, memberships__role=Role.MANAGER).distinct()


class Team(models.Model):
    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=80, unique=True)
    description = models.TextField(blank=True, help_text="Plain text, shown to members.")
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = TeamQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("teams:team-detail", args=[self.slug])


class Membership(models.Model):
    """A person's place in a team. A person may be in several teams, in one role per team."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="team_memberships"
    )
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.MEMBER)
    joined_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["team", "user__email"]
        constraints = [
            models.UniqueConstraint(fields=["team", "user"], name="membership_one_per_team_user")
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.team} ({self.role})"

    @property
    def is_manager(self) -> bool:
        return self.role == Role.MANAGER


def token_digest(token: str) -> str:
    """Invitations store only a digest of their token: a database leak gives no usable links."""
    return hashlib.sha256(token.encode()).hexdigest()


class InvitationState(models.TextChoices):
    PENDING = "pending", "Pending"
    ACCEPTED = "accepted", "Accepted"
    REVOKED = "revoked", "Revoked"
    EXPIRED = "expired", "Expired"


class Invitation(models.Model):
    """An invitation by email: a single-use token that expires, accepted after sign-up or log-in.

    Resending issues a new token (the old link stops working) and a new expiry.
    """

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(help_text="Stored lower-case.")
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.MEMBER)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    send_count = models.PositiveSmallIntegerField(default=0)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            # At most one open invitation per address and team; accepted or revoked ones stay as
            # history.
            models.UniqueConstraint(
                fields=["team", "email"],
                condition=Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="invitation_one_open_per_team_email",
            )
        ]

    def __str__(self) -> str:
        return f"{self.email} to {self.team} ({self.state})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.email = self.email.strip().lower()
        super().save(*args, **kwargs)

    def state_at(self, now: datetime | None = None) -> InvitationState:
        if self.accepted_at:
            return InvitationState.ACCEPTED
        if self.revoked_at:
            return InvitationState.REVOKED
        if (now or timezone.now()) >= self.expires_at:
            return InvitationState.EXPIRED
        return InvitationState.PENDING

    @property
    def state(self) -> InvitationState:
        return self.state_at()

    @property
    def is_open(self) -> bool:
        return self.state == InvitationState.PENDING


class AssignmentKind(models.TextChoices):
    PATH = "path", "Learning path"
    QUIZ = "quiz", "Quiz"
    LAB = "lab", "Lab"


class Assignment(models.Model):
    """A path, quiz or lab the team (or chosen members) must finish by a due date.

    Exactly one target is set, the one named by ``kind``. With ``whole_team`` every member,
    present and future, is assigned; otherwise only ``assignees``.
    """

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="assignments")
    kind = models.CharField(max_length=8, choices=AssignmentKind.choices)
    path = models.ForeignKey(
        "courses.LearningPath", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    quiz = models.ForeignKey(
        "courses.Quiz", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    lab = models.ForeignKey(
        "labs.Lab", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    whole_team = models.BooleanField(default=True)
    assignees = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="team_assignments"
    )
    due_at = models.DateTimeField()
    note = models.CharField(max_length=300, blank=True, help_text="Shown to the assignees.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["due_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(kind=AssignmentKind.PATH, path__isnull=False, quiz__isnull=True)
                    & Q(lab__isnull=True)
                )
                | (
                    Q(kind=AssignmentKind.QUIZ, quiz__isnull=False, path__isnull=True)
                    & Q(lab__isnull=True)
                )
                | (
                    Q(kind=AssignmentKind.LAB, lab__isnull=False, path__isnull=True)
                    & Q(quiz__isnull=True)
                ),
                name="assignment_one_target_of_its_kind",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.target_title} (due {self.due_at:%Y-%m-%d})"

    @property
    def target(self) -> Any:
        return {"path": self.path, "quiz": self.quiz, "lab": self.lab}[self.kind]

    @property
    def target_id(self) -> int | None:
        return {"path": self.path_id, "quiz": self.quiz_id, "lab": self.lab_id}[self.kind]

    @property
    def target_title(self) -> str:
        target = self.target
        return target.title if target is not None else "(removed)"

    def is_overdue_at(self, now: datetime | None = None) -> bool:
        return (now or timezone.now()) >= self.due_at


class ReminderKind(models.TextChoices):
    DUE_SOON = "due_soon", "Due soon"
    OVERDUE = "overdue", "Overdue"


class ReminderSent(models.Model):
    """A reminder e-mailed to one person about one assignment; the unique key means never twice."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="reminders")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=16, choices=ReminderKind.choices)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "user", "kind"], name="reminder_once_per_assignment_user_kind"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} reminder to {self.user} for {self.assignment_id}"

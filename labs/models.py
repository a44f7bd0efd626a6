"""Labs, their immutable versions, learners' sessions, submissions and per-check results.

A lab bundle (see LAB_FORMAT.md) is stored as a :class:`LabVersion`: the bundle's files as a zip,
its parsed ``lab.toml``, and a content hash; a changed bundle makes a new version, and every
submission points at the version it was graded against. Grading advances a submission through
``queued -> running -> finished`` with conditional updates, so no submission is graded twice.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone


class Framework(models.TextChoices):
    FLASK = "flask", "Flask"
    FASTAPI = "fastapi", "FastAPI"
    DJANGO = "django", "Django"


class Difficulty(models.TextChoices):
    BEGINNER = "beginner", "Beginner"
    INTERMEDIATE = "intermediate", "Intermediate"
    ADVANCED = "advanced", "Advanced"


class LabQuerySet(models.QuerySet["Lab"]):
    def published(self) -> LabQuerySet:
        return self.filter(published_version__isnull=False)


class Lab(models.Model):
    """A hack-and-fix lab. Its listing fields mirror the published version's lab.toml."""

    slug = models.SlugField(max_length=80, unique=True)
    title = models.CharField(max_length=200)
    framework = models.CharField(max_length=16, choices=Framework.choices)
    difficulty = models.CharField(max_length=16, choices=Difficulty.choices)
    summary = models.CharField(max_length=400, blank=True)
    cwe = models.JSONField(default=list, blank=True)
    owasp = models.JSONField(default=list, blank=True)
    estimated_minutes = models.PositiveIntegerField(default=20)
    published_version = models.ForeignKey(
        "LabVersion",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The version learners get; only a validated version can be published.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = LabQuerySet.as_manager()

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("labs:lab-detail", args=[self.slug])

    @property
    def is_published(self) -> bool:
        return self.published_version_id is not None


class ValidationStatus(models.TextChoices):
    PENDING = "pending", "Not validated yet"
    VALID = "valid", "Valid"
    INVALID = "invalid", "Invalid"


class LabVersion(models.Model):
    """An immutable snapshot of a lab bundle."""

    lab = models.ForeignKey(Lab, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    content_hash = models.CharField(max_length=64, db_index=True)
    archive = models.BinaryField(help_text="The bundle's files as a zip archive.")
    manifest = models.JSONField(help_text="lab.toml, parsed.")
    brief_html = models.TextField(blank=True)
    explanation_html = models.TextField(blank=True)
    starter_files = models.JSONField(
        default=dict, help_text="Text files of app/, by relative path: what the editor shows."
    )
    solution_files = models.JSONField(default=dict, help_text="The reference fix overlay.")
    validation_status = models.CharField(
        max_length=16, choices=ValidationStatus.choices, default=ValidationStatus.PENDING
    )
    validation_report = models.JSONField(default=list, blank=True)
    validated_at = models.DateTimeField(null=True, blank=True)
    source = models.CharField(
        max_length=300, blank=True, help_text="Folder or upload it came from."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["lab", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["lab", "number"], name="labversion_unique_number"),
            models.UniqueConstraint(fields=["lab", "content_hash"], name="labversion_unique_hash"),
        ]

    def __str__(self) -> str:
        return f"{self.lab.slug} v{self.number}"

    @property
    def editable(self) -> list[str]:
        return list(self.manifest.get("editable", []))

    @property
    def checks(self) -> list[dict[str, Any]]:
        return list(self.manifest.get("checks", []))

    @property
    def hints(self) -> list[dict[str, Any]]:
        return list(self.manifest.get("hints", []))

    @property
    def exploit_goal(self) -> str:
        return str(self.manifest.get("exploit", {}).get("goal", ""))

    @property
    def bad_fixes(self) -> list[dict[str, Any]]:
        return list(self.manifest.get("bad_fixes", []))

    @property
    def is_valid(self) -> bool:
        return self.validation_status == ValidationStatus.VALID

    def bundle_dir(self) -> Path:
        """The version's bundle as a folder on disk (extracted once, then reused)."""
        from labs.bundles import materialize

        return materialize(content_hash=self.content_hash, archive=bytes(self.archive))


class LabSession(models.Model):
    """One learner's work on one lab: the saved draft, hints, the exploit step, the result."""

    MAX_SCORE = 100

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lab_sessions"
    )
    lab = models.ForeignKey(Lab, on_delete=models.CASCADE, related_name="sessions")
    version = models.ForeignKey(LabVersion, on_delete=models.PROTECT, related_name="sessions")
    draft_files = models.JSONField(default=dict, help_text="The learner's editable files.")
    hints_revealed = models.JSONField(default=list, blank=True)
    exploit_done_at = models.DateTimeField(null=True, blank=True)
    solved_at = models.DateTimeField(null=True, blank=True)
    revealed_at = models.DateTimeField(
        null=True, blank=True, help_text="The learner chose to see the solution (score 0)."
    )
    score = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "lab"], name="labsession_one_per_user_lab")
        ]

    def __str__(self) -> str:
        return f"{self.user} on {self.lab.slug}"

    @property
    def is_solved(self) -> bool:
        return self.solved_at is not None

    @property
    def explanation_unlocked(self) -> bool:
        return self.solved_at is not None or self.revealed_at is not None

    def hint_cost(self) -> int:
        """Points the revealed hints take off the score."""
        hints = self.version.hints
        return sum(int(hints[i].get("cost", 0)) for i in self.hints_revealed if i < len(hints))

    def potential_score(self) -> int:
        """What solving now would score: full marks less revealed hints; 0 once revealed."""
        if self.revealed_at is not None:
            return 0
        return max(0, self.MAX_SCORE - self.hint_cost())


class SubmissionKind(models.TextChoices):
    SUBMIT = "submit", "Fix submitted for grading"
    PUBLIC_TESTS = "public_tests", "Public tests run"


class SubmissionStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    FINISHED = "finished", "Finished"


class Verdict(models.TextChoices):
    PASSED = "passed", "Passed"
    STILL_EXPLOITABLE = "still_exploitable", "Still exploitable"
    BROKEN = "broken", "Broken"
    DOES_NOT_START = "does_not_start", "Does not start"
    TIMEOUT = "timeout", "Timed out"
    RESOURCE_LIMIT = "resource_limit", "Resource limit"
    GRADER_ERROR = "grader_error", "Grader error"


# What a learner should look at next, by verdict. Never names a hidden test or its assertion.
VERDICT_GUIDANCE = {
    Verdict.PASSED: "Every check passed: the hole is closed and the app still does its job.",
    Verdict.STILL_EXPLOITABLE: (
        "The app works, but the attack still gets through. Look at the security checks that "
        "failed, and think about other ways to send the same attack, not just the one you tried."
    ),
    Verdict.BROKEN: (
        "The hole may be closed, but a feature stopped working. A good fix keeps the app doing "
        "its job: see which functional checks failed."
    ),
    Verdict.DOES_NOT_START: (
        "Your app could not start, so no check could run. The error it printed is below: fix "
        "it first (a typo, a missing import, wrong indentation)."
    ),
    Verdict.TIMEOUT: (
        "Your app took too long. Look for a loop that never ends, a blocking call, or work "
        "that runs at import time."
    ),
    Verdict.RESOURCE_LIMIT: (
        "Your app used more than the sandbox allows (memory, processes, disk or output). "
        "Look for unbounded loops that allocate, start processes or print."
    ),
    Verdict.GRADER_ERROR: (
        "Our grader had a problem of its own. This run does not count against you: please "
        "submit again."
    ),
}


class SubmissionQuerySet(models.QuerySet["Submission"]):
    def in_flight(self) -> SubmissionQuerySet:
        return self.filter(status__in=[SubmissionStatus.QUEUED, SubmissionStatus.RUNNING])

    def graded(self) -> SubmissionQuerySet:
        return self.filter(kind=SubmissionKind.SUBMIT)


class Submission(models.Model):
    """A snapshot of the learner's files, graded once against one lab version."""

    session = models.ForeignKey(LabSession, on_delete=models.CASCADE, related_name="submissions")
    version = models.ForeignKey(LabVersion, on_delete=models.PROTECT, related_name="submissions")
    kind = models.CharField(
        max_length=16, choices=SubmissionKind.choices, default=SubmissionKind.SUBMIT
    )
    files = models.JSONField(help_text="The editable files as submitted.")
    status = models.CharField(
        max_length=16, choices=SubmissionStatus.choices, default=SubmissionStatus.QUEUED
    )
    verdict = models.CharField(max_length=24, choices=Verdict.choices, blank=True)
    reason = models.TextField(blank=True, help_text="One sentence for the learner.")
    app_stderr = models.TextField(blank=True, help_text="The learner app's own output, trimmed.")
    test_output = models.TextField(blank=True, help_text="Full pytest output of public test runs.")
    bad_fix = models.CharField(max_length=80, blank=True, help_text="Known wrong fix it matched.")
    grader_log = models.TextField(blank=True, help_text="Staff only: may quote hidden tests.")
    attempts = models.PositiveSmallIntegerField(default=0)
    worker = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    deadline_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    duration_ms = models.PositiveIntegerField(null=True, blank=True)

    objects = SubmissionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "deadline_at"])]

    def __str__(self) -> str:
        return f"Submission {self.pk} ({self.get_status_display()})"

    def get_absolute_url(self) -> str:
        return reverse("labs:submission-detail", args=[self.session.lab.slug, self.pk])

    @property
    def is_finished(self) -> bool:
        return self.status == SubmissionStatus.FINISHED

    @property
    def passed(self) -> bool:
        return self.verdict == Verdict.PASSED

    @property
    def guidance(self) -> str:
        return VERDICT_GUIDANCE.get(self.verdict, "")


class CheckOutcome(models.TextChoices):
    PASSED = "passed", "Passed"
    FAILED = "failed", "Failed"
    ERROR = "error", "Error"
    TIMEOUT = "timeout", "Timed out"
    NOT_RUN = "not_run", "Not run"


class CheckResult(models.Model):
    """One check of one submission: what the learner may see of a hidden test."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="checks")
    position = models.PositiveIntegerField(default=0)
    test = models.CharField(max_length=200)
    title = models.CharField(max_length=300)
    kind = models.CharField(max_length=16)
    outcome = models.CharField(max_length=16, choices=CheckOutcome.choices)
    duration_ms = models.PositiveIntegerField(default=0)
    message = models.TextField(blank=True)

    class Meta:
        ordering = ["submission", "position"]

    def __str__(self) -> str:
        return f"{self.title}: {self.outcome}"

    @property
    def passed(self) -> bool:
        return self.outcome == CheckOutcome.PASSED


class ExploitMode(models.TextChoices):
    REQUEST = "request", "Single request"
    SCRIPT = "script", "Python script"


class ExploitAttempt(models.Model):
    """The learner's try at the hack step, run by a worker against a fresh starter app."""

    session = models.ForeignKey(LabSession, on_delete=models.CASCADE, related_name="exploits")
    version = models.ForeignKey(LabVersion, on_delete=models.PROTECT, related_name="+")
    mode = models.CharField(max_length=16, choices=ExploitMode.choices)
    script = models.TextField(blank=True)
    request = models.JSONField(default=dict, blank=True)
    status = models.CharField(
        max_length=16, choices=SubmissionStatus.choices, default=SubmissionStatus.QUEUED
    )
    flag_found = models.BooleanField(default=False)
    result = models.JSONField(default=dict, blank=True)
    reason = models.TextField(blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    deadline_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Exploit {self.pk} ({self.get_status_display()})"

    def get_absolute_url(self) -> str:
        return reverse("labs:exploit-detail", args=[self.session.lab.slug, self.pk])

    @property
    def is_finished(self) -> bool:
        return self.status == SubmissionStatus.FINISHED

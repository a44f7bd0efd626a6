"""Grading jobs (submissions, exploit attempts) and the per-check rows they produce."""

from __future__ import annotations

from datetime import timedelta

from django.db import models
from django.urls import reverse
from django.utils import timezone

from labs.models.catalogue import LabVersion
from labs.models.sessions import LabSession


class SubmissionKind(models.TextChoices):
    SUBMIT = "submit", "Fix submitted for grading"
    PUBLIC_TESTS = "public_tests", "Public tests run"


class JobStatus(models.TextChoices):
    """A grading job's status: ``queued -> running -> finished`` (see :class:`GradingJob`)."""

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


class GradingJobQuerySet(models.QuerySet):
    def in_flight(self) -> GradingJobQuerySet:
        return self.filter(status__in=[JobStatus.QUEUED, JobStatus.RUNNING])


class GradingJob(models.Model):
    """A row a worker runs once in the sandbox: a submission or an exploit attempt.

    The worker claims it with a conditional update (queued, or running past its deadline ->
    running, ``attempts + 1``) and writes its result only while it still holds that attempt, so a
    task delivered twice, or re-queued by the sweeper, runs it at most once.
    """

    status = models.CharField(max_length=16, choices=JobStatus.choices, default=JobStatus.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    #: When the broker took the job's message; empty while it waits in the outbox.
    sent_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    deadline_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = GradingJobQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["-created_at", "-id"]

    @property
    def is_queued(self) -> bool:
        return self.status == JobStatus.QUEUED

    #: A job is handed to the broker right after its commit; one not taken this long after
    #: creation found the broker down (sooner, it may simply be on its way).
    BROKER_GRACE = timedelta(seconds=2)

    @property
    def is_waiting_for_broker(self) -> bool:
        """Saved, but the broker has not taken it (it was down): the sweep sends it later."""
        return (
            self.status == JobStatus.QUEUED
            and self.sent_at is None
            and self.attempts == 0
            and timezone.now() - self.created_at > self.BROKER_GRACE
        )

    @property
    def is_running(self) -> bool:
        return self.status == JobStatus.RUNNING

    @property
    def is_finished(self) -> bool:
        return self.status == JobStatus.FINISHED


class SubmissionQuerySet(GradingJobQuerySet):
    def graded(self) -> SubmissionQuerySet:
        return self.filter(kind=SubmissionKind.SUBMIT)


class Submission(GradingJob):
    """A snapshot of the learner's files, graded once against one lab version."""

    session = models.ForeignKey(LabSession, on_delete=models.CASCADE, related_name="submissions")
    version = models.ForeignKey(LabVersion, on_delete=models.PROTECT, related_name="submissions")
    kind = models.CharField(
        max_length=16, choices=SubmissionKind.choices, default=SubmissionKind.SUBMIT
    )
    files = models.JSONField(help_text="The editable files as submitted.")
    verdict = models.CharField(max_length=24, choices=Verdict.choices, blank=True)
    reason = models.TextField(blank=True, help_text="One sentence for the learner.")
    app_stderr = models.TextField(blank=True, help_text="The learner app's own output, trimmed.")
    test_output = models.TextField(blank=True, help_text="Full pytest output of public test runs.")
    bad_fix = models.CharField(max_length=80, blank=True, help_text="Known wrong fix it matched.")
    grader_log = models.TextField(blank=True, help_text="Staff only: may quote hidden tests.")
    worker = models.CharField(max_length=200, blank=True)
    duration_ms = models.PositiveIntegerField(null=True, blank=True)

    objects = SubmissionQuerySet.as_manager()

    class Meta(GradingJob.Meta):
        indexes = [models.Index(fields=["status", "deadline_at"])]

    def __str__(self) -> str:
        return f"Submission {self.pk} ({self.get_status_display()})"

    def get_absolute_url(self) -> str:
        return reverse("labs:submission-detail", args=[self.session.lab.slug, self.pk])

    @property
    def is_public_tests(self) -> bool:
        return self.kind == SubmissionKind.PUBLIC_TESTS

    @property
    def passed(self) -> bool:
        return self.verdict == Verdict.PASSED

    @property
    def did_not_start(self) -> bool:
        return self.verdict == Verdict.DOES_NOT_START

    @property
    def guidance(self) -> str:
        return VERDICT_GUIDANCE.get(self.verdict, "")


class CheckOutcome(models.TextChoices):
    PASSED = "passed", "Passed"
    FAILED = "failed", "Failed"
    ERROR = "error", "Error"
    TIMEOUT = "timeout", "Timed out"
    NOT_RUN = "not_run", "Not run"


class CheckKind(models.TextChoices):
    SECURITY = "security", "Security"
    FUNCTIONAL = "functional", "Functional"


class CheckResult(models.Model):
    """One check of one submission: what the learner may see of a hidden test."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="checks")
    position = models.PositiveIntegerField(default=0)
    test = models.CharField(max_length=200)
    title = models.CharField(max_length=300)
    kind = models.CharField(max_length=16, choices=CheckKind.choices)
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


class ExploitTarget(models.TextChoices):
    """What an attack runs against: the lab's vulnerable starter (the exploit step), or a copy of
    the learner's own draft (to see whether their fix stops it; it never completes the step)."""

    STARTER = "starter", "The vulnerable app (starter)"
    WORKSPACE = "workspace", "My code (current draft)"


class ExploitAttempt(GradingJob):
    """The learner's try at the hack step, run by a worker against a fresh copy of the starter
    app, or of their draft as it was when they sent the attack (``files``)."""

    session = models.ForeignKey(LabSession, on_delete=models.CASCADE, related_name="exploits")
    version = models.ForeignKey(LabVersion, on_delete=models.PROTECT, related_name="+")
    mode = models.CharField(max_length=16, choices=ExploitMode.choices)
    target = models.CharField(
        max_length=16, choices=ExploitTarget.choices, default=ExploitTarget.STARTER
    )
    files = models.JSONField(
        default=dict, blank=True, help_text="The editable files attacked (target: workspace)."
    )
    script = models.TextField(blank=True)
    request = models.JSONField(default=dict, blank=True)
    flag_found = models.BooleanField(default=False)
    result = models.JSONField(default=dict, blank=True)
    reason = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"Exploit {self.pk} ({self.get_status_display()})"

    def get_absolute_url(self) -> str:
        return reverse("labs:exploit-detail", args=[self.session.lab.slug, self.pk])

    @property
    def is_script(self) -> bool:
        return self.mode == ExploitMode.SCRIPT

    @property
    def against_draft(self) -> bool:
        """Whether it attacked the learner's own code (a flag then means the hole is open)."""
        return self.target == ExploitTarget.WORKSPACE

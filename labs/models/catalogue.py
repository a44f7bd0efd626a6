"""Labs and their immutable versions: what the catalogue lists and learners open."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Case, IntegerField, Value, When
from django.urls import reverse

from portal.lib.frameworks import Framework  # re-exported: ``from labs.models import Framework``


class Difficulty(models.TextChoices):
    BEGINNER = "beginner", "Beginner"
    INTERMEDIATE = "intermediate", "Intermediate"
    ADVANCED = "advanced", "Advanced"


class VulnerabilityClass(models.TextChoices):
    """The kind of hole a lab teaches (``vulnerability_class`` in lab.toml, docs/LAB_FORMAT.md).

    Labs of one class in different frameworks are compared side by side.
    """

    SQL_INJECTION = "sql-injection", "SQL injection"
    BROKEN_ACCESS_CONTROL = "broken-access-control", "Broken access control"
    CROSS_SITE_SCRIPTING = "cross-site-scripting", "Cross-site scripting"
    TEMPLATE_INJECTION = "template-injection", "Template injection"
    DEBUG_EXPOSURE = "debug-exposure", "Debug exposure"
    JWT_VERIFICATION = "jwt-verification", "JWT verification"
    SSRF = "ssrf", "Server-side request forgery"
    CSRF = "csrf", "Cross-site request forgery"
    OPEN_REDIRECT = "open-redirect", "Open redirect"
    COMMAND_INJECTION = "command-injection", "Command injection"
    PATH_TRAVERSAL = "path-traversal", "Path traversal"
    PASSWORD_STORAGE = "password-storage", "Password storage"
    DESERIALIZATION = "deserialization", "Unsafe deserialization"


class LabQuerySet(models.QuerySet["Lab"]):
    def published(self) -> LabQuerySet:
        return self.filter(published_version__isnull=False)

    def in_difficulty_order(self) -> LabQuerySet:
        """Beginner, intermediate, advanced (the order of :class:`Difficulty`), then by title."""
        rank = Case(
            *(When(difficulty=value, then=Value(i)) for i, value in enumerate(Difficulty.values)),
            default=Value(len(Difficulty.values)),
            output_field=IntegerField(),
        )
        return self.alias(difficulty_rank=rank).order_by("difficulty_rank", "title")


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
    vulnerability_class = models.CharField(
        max_length=32,
        choices=VulnerabilityClass.choices,
        blank=True,
        db_index=True,
        help_text="Blank for versions published before lab.toml named a class.",
    )
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
    """``pending -> queued -> running -> valid | invalid``; a finished one may be queued again."""

    PENDING = "pending", "Not validated yet"
    QUEUED = "queued", "Queued for validation"
    RUNNING = "running", "Validating"
    VALID = "valid", "Valid"
    INVALID = "invalid", "Invalid"

    @classmethod
    def in_flight(cls) -> list[ValidationStatus]:
        return [cls.QUEUED, cls.RUNNING]


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
    validation_started_at = models.DateTimeField(
        null=True, blank=True, help_text="When the current (or last) validation run started."
    )
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

    @property
    def is_validating(self) -> bool:
        """Queued or running: a validation result is on its way."""
        return self.validation_status in ValidationStatus.in_flight()

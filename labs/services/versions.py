"""Lab versions: store a bundle as an immutable version, validate it (in the worker), publish it.

Validation runs learner-shaped code (the starter, the solution, the bad fixes) in the sandbox, so
the web process only queues it: :func:`lab_version_validation_queue` moves the version to
``queued`` and queues ``labs.tasks.validate_lab_version`` after commit; the task calls
:func:`lab_version_validation_run`, which claims the version with a conditional update (as grading
claims a submission), so a task delivered twice validates once. Management commands validate in
their own process with :func:`lab_version_validate`.
"""

from __future__ import annotations

import json
import tempfile
import threading
import tomllib
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, as_completed
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from labs.models import Difficulty, Lab, LabVersion, ValidationStatus, VulnerabilityClass
from labs.services import engine
from labs.services.bundles import BundleError, BundleFiles, version_bundle_dir, write_folder
from labs.services.errors import LabError
from labs.services.validation import validate_bundle
from labs.tasks import validate_lab_version
from portal.lib.markdown import render_markdown

#: A validation still running this long after it started is presumed lost (its worker died) and
#: may be claimed again. Validation grades several workspaces, so it is longer than a grading's.
VALIDATION_DEADLINE = timedelta(minutes=20)


def _manifest(bundle: BundleFiles) -> dict:
    """lab.toml as JSON-ready data (TOML dates become strings)."""
    try:
        raw = tomllib.loads(bundle.text("lab.toml"))
    except tomllib.TOMLDecodeError as exc:
        raise BundleError(f"lab.toml: {exc}") from None
    return json.loads(json.dumps(raw, default=str))


def _check_spec(bundle: BundleFiles) -> engine.LabSpec:
    """Validate lab.toml with the engine's own loader (the one grading will use)."""
    with tempfile.TemporaryDirectory(prefix="patchwise-bundle-") as tmp:
        try:
            return engine.load_lab(write_folder(bundle, Path(tmp) / "bundle"))
        except engine.LabBundleError as exc:
            problems = getattr(exc, "problems", None) or [str(exc)]
            raise BundleError("; ".join(problems)) from None


def _check_manifest(manifest: dict) -> None:
    """The parts of lab.toml the engine leaves to the portal: difficulty and hints.

    A bad value here would only fail later, on a learner's page (a hint's cost is summed into
    the score), so it is refused when the bundle is stored.
    """
    difficulty = manifest.get("difficulty", Difficulty.BEGINNER)
    if difficulty not in Difficulty.values:
        allowed = ", ".join(Difficulty.values)
        raise BundleError(f"lab.toml: difficulty must be one of {allowed}, not {difficulty!r}.")
    hints = manifest.get("hints", [])
    if not isinstance(hints, list):
        raise BundleError("lab.toml: hints must be a list of [[hints]] tables.")
    for number, hint in enumerate(hints, start=1):
        if not isinstance(hint, dict):
            raise BundleError(f"lab.toml: hint {number} must be a table with text and cost.")
        if not isinstance(hint.get("text", ""), str):
            raise BundleError(f"lab.toml: hint {number}: text must be a string.")
        cost = hint.get("cost", 0)
        if isinstance(cost, bool) or not isinstance(cost, int) or not 0 <= cost <= 100:
            raise BundleError(
                f"lab.toml: hint {number}: cost must be a whole number of points from 0 to 100, "
                f"not {cost!r}."
            )


def _without_title(markdown_text: str) -> str:
    """Drop a leading ``# Title`` line: the page already shows the lab's title."""
    lines = markdown_text.lstrip().splitlines()
    if lines and lines[0].startswith("# "):
        lines = lines[1:]
    return "\n".join(lines)


@transaction.atomic
def lab_version_store(*, bundle: BundleFiles, source: str = "") -> tuple[LabVersion, bool]:
    """Store a bundle as a new version of its lab, unless an identical version exists."""
    spec = _check_spec(bundle)
    manifest = _manifest(bundle)
    _check_manifest(manifest)
    # The exploit scripts run as hidden checks too (``exploit:<name>``): listed with lab.toml's,
    # pages and live progress show them pending, then with their outcome, like any other check.
    manifest["checks"] = [
        *manifest.get("checks", []),
        *({"test": c.test, "title": c.title, "kind": str(c.kind)} for c in spec.exploit_checks),
    ]
    for required in ("brief.md", "explanation.md"):
        if required not in bundle.files:
            raise BundleError(f"{required} is missing.")
    lab, _ = Lab.objects.select_for_update().get_or_create(
        slug=spec.slug,
        defaults={
            "title": spec.title,
            "framework": spec.framework,
            "difficulty": manifest.get("difficulty", Difficulty.BEGINNER),
            "summary": manifest.get("summary", ""),
        },
    )
    digest = bundle.content_hash
    existing = LabVersion.objects.filter(lab=lab, content_hash=digest).first()
    if existing is not None:
        return existing, False
    number = (lab.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    version = LabVersion.objects.create(
        lab=lab,
        number=number,
        content_hash=digest,
        archive=bundle.to_zip(),
        manifest=manifest,
        brief_html=render_markdown(_without_title(bundle.text("brief.md"))),
        explanation_html=render_markdown(bundle.text("explanation.md")),
        starter_files=bundle.text_files("app"),
        solution_files=bundle.text_files("solution"),
        source=source[:300],
    )
    return version, True


def _run_rules(version: LabVersion) -> tuple[ValidationStatus, dict]:
    """Apply the validation rules in the sandbox: the status they earn and the report to store."""
    try:
        report = validate_bundle(version_bundle_dir(version))
    except (engine.SandboxError, BundleError) as exc:
        return ValidationStatus.INVALID, {"ok": False, "error": str(exc), "rules": []}
    status = ValidationStatus.VALID if report.ok else ValidationStatus.INVALID
    return status, report.as_dict()


def _cache_path(version: LabVersion) -> Path:
    """Where a valid report of this bundle, graded by this engine, is kept for reuse."""
    key = f"{version.content_hash}-{engine.fingerprint()}"
    return Path(settings.VAR_DIR) / "validation-cache" / f"{key}.json"


def _rules_reused_or_run(version: LabVersion, *, reuse: bool) -> tuple[ValidationStatus, dict]:
    """The rules' outcome, taken from the cache when ``reuse`` and the same bundle was already
    found valid by the same engine code and runtimes; a fresh valid report is cached."""
    path = _cache_path(version)
    if reuse:
        try:
            data = json.loads(path.read_text())
        except (OSError, ValueError):
            pass
        else:
            if isinstance(data, dict) and data.get("ok") is True:
                return ValidationStatus.VALID, {**data, "reused": True}
    status, data = _run_rules(version)
    if status == ValidationStatus.VALID:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(f".{threading.get_ident()}.tmp")
        partial.write_text(json.dumps(data))
        partial.replace(path)
    return status, data


def lab_versions_validate(
    *,
    versions: list[LabVersion],
    reuse: bool = False,
    parallel: int = 1,
    on_done: Callable[[LabVersion], None] | None = None,
) -> list[LabVersion]:
    """Validate versions in this process (management commands, never the web), ``parallel`` at
    a time: each grading takes a sandbox slot of its own, and much of a grading is waiting for an
    app to start. The database is written from the calling thread only, as each one finishes, and
    ``on_done`` is called then, so a long first load can say how far it got.

    With ``reuse``, a bundle that the same engine code already found valid is not graded again
    (``make run`` after ``make test``, the second CI pass); the admin's action always grades.
    """
    if not versions:
        return []
    started = timezone.now()
    LabVersion.objects.filter(pk__in=[v.pk for v in versions]).update(
        validation_status=ValidationStatus.RUNNING, validation_started_at=started
    )
    with ThreadPoolExecutor(max_workers=max(1, parallel)) as pool:
        futures = {pool.submit(_rules_reused_or_run, v, reuse=reuse): v for v in versions}
        for future in as_completed(futures):
            version = futures[future]
            status, data = future.result()
            LabVersion.objects.filter(pk=version.pk).update(
                validation_status=status, validation_report=data, validated_at=timezone.now()
            )
            version.refresh_from_db()
            if on_done is not None:
                on_done(version)
    return versions


def lab_version_validate(*, version: LabVersion, reuse: bool = False) -> LabVersion:
    """Validate one version in this process and record the outcome."""
    return lab_versions_validate(versions=[version], reuse=reuse)[0]


def _lost(now: datetime) -> Q:
    """A validation still running past its deadline: its worker died."""
    return Q(
        validation_status=ValidationStatus.RUNNING,
        validation_started_at__lt=now - VALIDATION_DEADLINE,
    )


def _claimable(now: datetime) -> Q:
    """Versions a validation task may take: waiting for one, or lost."""
    waiting = Q(validation_status__in=[ValidationStatus.PENDING, ValidationStatus.QUEUED])
    return waiting | _lost(now)


def lab_version_validation_queue(*, version: LabVersion) -> bool:
    """Queue the version's validation in the worker; False when one is already on its way."""
    now = timezone.now()
    with transaction.atomic():
        queued = (
            LabVersion.objects.filter(pk=version.pk)
            .filter(~Q(validation_status__in=ValidationStatus.in_flight()) | _lost(now))
            .update(validation_status=ValidationStatus.QUEUED)
        )
        if queued:
            transaction.on_commit(lambda: validate_lab_version.delay(version.pk))
    version.refresh_from_db(fields=["validation_status"])
    return bool(queued)


def lab_version_validation_run(*, version_id: int) -> LabVersion | None:
    """Claim a queued version, validate it in the sandbox and record the outcome (the worker's
    entry point). None when another run has it, or it is already validated."""
    now = timezone.now()
    claimed = (
        LabVersion.objects.filter(pk=version_id)
        .filter(_claimable(now))
        .update(validation_status=ValidationStatus.RUNNING, validation_started_at=now)
    )
    if not claimed:
        return None
    version = LabVersion.objects.get(pk=version_id)
    status, data = _run_rules(version)
    # Only this run's claim may record: a run that lost its claim to a newer one stays silent.
    LabVersion.objects.filter(
        pk=version_id, validation_status=ValidationStatus.RUNNING, validation_started_at=now
    ).update(validation_status=status, validation_report=data, validated_at=timezone.now())
    version.refresh_from_db()
    return version


@transaction.atomic
def lab_version_publish(*, version: LabVersion) -> Lab:
    """Make a valid version the one learners get, and refresh the lab's listing fields."""
    version.refresh_from_db(fields=["validation_status"])
    if not version.is_valid:
        raise LabError(f"{version} has not passed validation, so it cannot be published.")
    lab = Lab.objects.select_for_update().get(pk=version.lab_id)
    manifest = version.manifest
    lab.title = manifest.get("title", lab.title)
    lab.framework = manifest.get("framework", lab.framework)
    lab.difficulty = manifest.get("difficulty", lab.difficulty)
    lab.summary = manifest.get("summary", "")
    lab.cwe = list(manifest.get("cwe", []))
    lab.owasp = list(manifest.get("owasp", []))
    lab.estimated_minutes = int(manifest.get("estimated_minutes", 20))
    vulnerability_class = manifest.get("vulnerability_class", "")
    lab.vulnerability_class = (
        vulnerability_class if vulnerability_class in VulnerabilityClass.values else ""
    )
    lab.published_version = version
    lab.save()
    return lab


def lab_unpublish(*, lab: Lab) -> Lab:
    """Take the lab off the catalogue; learners' sessions and submissions stay."""
    lab.published_version = None
    lab.save(update_fields=["published_version", "updated_at"])
    return lab

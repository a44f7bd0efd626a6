"""Validating a lab version: queued by the admin, run by the worker's task, followed live.

The web request never starts the sandbox: it only moves the version to ``queued`` and queues
``validate_lab_version``. The task claims the version with a conditional update, so a task
delivered twice validates once.
"""

from __future__ import annotations

import re
import shutil
from datetime import timedelta
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from labs import sandbox
from labs.models import LabVersion, ValidationStatus
from labs.services import (
    LabError,
    lab_version_publish,
    lab_version_store,
    lab_version_validate,
    lab_version_validation_queue,
    read_folder,
    versions,
)
from labs.services.validation import RuleResult, ValidationReport, validate_bundle
from labs.services.versions import VALIDATION_DEADLINE
from labs.tasks import validate_lab_version
from tests.factories import LABS

pytestmark = pytest.mark.django_db

FLASK = LABS / "flask-debug-console"
#: The sandbox engine's fixture lab: small, and valid under every rule.
NOTES = Path(__file__).resolve().parents[1] / "sandbox" / "fixtures" / "flask-notes"


def _stored(folder: Path = FLASK) -> LabVersion:
    version, _ = lab_version_store(bundle=read_folder(folder), source=str(folder))
    return version


@pytest.fixture
def no_sandbox(monkeypatch) -> None:
    """Any start of the engine fails the test: what must not happen in a web request."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the sandbox was started")

    for name in ("grade", "run_exploit"):
        monkeypatch.setattr(sandbox, name, refuse)


@pytest.fixture
def queued_tasks(monkeypatch) -> list[int]:
    sent: list[int] = []
    monkeypatch.setattr("labs.tasks.validate_lab_version.delay", sent.append)
    return sent


def _validate_action(client: Client, version: LabVersion):
    return client.post(
        reverse("admin:labs_labversion_changelist"),
        {"action": "validate", "_selected_action": [version.pk]},
        follow=True,
    )


def test_the_admin_action_queues_validation_and_returns_without_running_the_sandbox(
    client: Client, author, no_sandbox, queued_tasks, django_capture_on_commit_callbacks
) -> None:
    version = _stored()
    client.force_login(author)

    with django_capture_on_commit_callbacks(execute=True):
        response = _validate_action(client, version)

    assert response.status_code == 200
    assert "queued for validation" in response.content.decode()
    assert queued_tasks == [version.pk]
    version.refresh_from_db()
    assert version.validation_status == ValidationStatus.QUEUED
    assert version.validation_report == []  # nothing ran


def test_queueing_again_while_queued_sends_no_second_task(
    no_sandbox, queued_tasks, django_capture_on_commit_callbacks
) -> None:
    version = _stored()
    with django_capture_on_commit_callbacks(execute=True):
        assert lab_version_validation_queue(version=version)
        assert not lab_version_validation_queue(version=version)
    assert queued_tasks == [version.pk]
    assert version.validation_status == ValidationStatus.QUEUED


@pytest.mark.sandbox
def test_the_task_validates_a_real_bundle_to_valid(queued_tasks) -> None:
    version = _stored(NOTES)
    lab_version_validation_queue(version=version)

    assert validate_lab_version(version.pk) == ValidationStatus.VALID

    version.refresh_from_db()
    assert version.is_valid, version.validation_report
    assert version.validated_at is not None
    rules = version.validation_report["rules"]
    assert [rule["rule"].split(".")[0] for rule in rules] == [str(n) for n in range(9)]
    assert all(rule["ok"] for rule in rules)
    assert lab_version_publish(version=version).is_published


def test_a_stored_version_lists_the_exploit_checks_after_the_labs_own(no_sandbox) -> None:
    version = _stored(NOTES)

    assert [check["test"] for check in version.checks][-3:] == [
        "exploit:solve",
        "exploit:password-field",
        "exploit:union-select",
    ]
    assert version.checks[-1] == {
        "test": "exploit:union-select",
        "title": "Read the admin's note with a UNION SELECT.",
        "kind": "security",
    }


def _rule(report: ValidationReport, number: int) -> RuleResult:
    return next(rule for rule in report.rules if rule.rule.startswith(f"{number}."))


@pytest.mark.sandbox
def test_missing_catalogue_keys_bad_fixes_and_variants_each_fail_their_rule(
    tmp_path: Path,
) -> None:
    bundle = Path(shutil.copytree(NOTES, tmp_path / "flask-notes"))
    toml = bundle / "lab.toml"
    text = toml.read_text().replace('vulnerability_class = "sql-injection"\n', "")
    head, tail = text.split("[compare]")
    text = head + "[[checks]]" + tail.split("[[checks]]", 1)[1]
    # One bad fix left (broken), one variant left, and that one never gets the flag.
    for name in ("username-only", "comment-blocklist"):
        shutil.rmtree(bundle / "bad_fixes" / name)
        start = text.index(f'[[bad_fixes]]\nname = "{name}"')
        text = text[:start] + text[text.index("[[", start + 2) :]
    toml.write_text(text)
    (bundle / "exploit" / "variants" / "union-select.py").unlink()
    (bundle / "exploit" / "variants" / "password-field.py").write_text(
        '"""Only looks at the home page."""\nclient.get("/")\n'
    )

    report = validate_bundle(bundle)

    assert not report.ok
    assert not _rule(report, 0).ok
    assert "vulnerability_class" in _rule(report, 0).detail
    assert "[compare]" in _rule(report, 0).detail
    assert not _rule(report, 7).ok
    assert _rule(report, 7).detail == (
        "1 bad fix(es), at least 3 needed; none expects still_exploitable"
    )
    assert not _rule(report, 8).ok
    assert "1 variant(s) in exploit/variants/, at least 2 needed" in _rule(report, 8).detail
    assert "password-field: no flag from the starter (passed)" in _rule(report, 8).detail
    # The other rules still hold: each problem is reported by its own rule.
    assert all(_rule(report, n).ok for n in (1, 3, 4, 5, 6))


@pytest.mark.sandbox
def test_the_task_validates_a_bundle_whose_solution_fixes_nothing_to_invalid(
    tmp_path: Path, queued_tasks
) -> None:
    bundle = tmp_path / "flask-notes"
    shutil.copytree(NOTES, bundle)
    # The "solution" is the starter's own app.py: it fixes nothing.
    shutil.copy(NOTES / "app" / "app.py", bundle / "solution" / "app.py")
    version = _stored(bundle)
    lab_version_validation_queue(version=version)

    assert validate_lab_version(version.pk) == ValidationStatus.INVALID

    version.refresh_from_db()
    report = version.validation_report
    failed = [rule["rule"] for rule in report["rules"] if not rule["ok"]]
    assert any(rule.startswith("2.") for rule in failed), report
    with pytest.raises(LabError, match="has not passed validation"):
        lab_version_publish(version=version)


@pytest.mark.parametrize(
    "status", [ValidationStatus.RUNNING, ValidationStatus.VALID, ValidationStatus.INVALID]
)
def test_a_claimed_or_finished_version_is_not_validated_again(status, no_sandbox) -> None:
    version = _stored()
    LabVersion.objects.filter(pk=version.pk).update(
        validation_status=status, validation_started_at=timezone.now()
    )

    assert validate_lab_version(version.pk) == "skipped"  # a second delivery of the task

    version.refresh_from_db()
    assert version.validation_status == status


def test_a_validation_lost_with_its_worker_is_claimed_again(monkeypatch) -> None:
    def unavailable(*args: object, **kwargs: object) -> None:
        raise sandbox.SandboxUnavailable("bubblewrap is missing")

    monkeypatch.setattr(sandbox, "grade", unavailable)
    version = _stored()
    LabVersion.objects.filter(pk=version.pk).update(
        validation_status=ValidationStatus.RUNNING,
        validation_started_at=timezone.now() - VALIDATION_DEADLINE - timedelta(seconds=1),
    )

    assert validate_lab_version(version.pk) == ValidationStatus.INVALID

    version.refresh_from_db()
    assert "bubblewrap is missing" in version.validation_report["error"]


@pytest.mark.parametrize(
    "status", [ValidationStatus.PENDING, ValidationStatus.QUEUED, ValidationStatus.RUNNING]
)
def test_only_a_valid_version_can_be_published(status) -> None:
    version = _stored()
    LabVersion.objects.filter(pk=version.pk).update(validation_status=status)
    with pytest.raises(LabError, match="has not passed validation"):
        lab_version_publish(version=version)


def _partial_url(version: LabVersion) -> str:
    return reverse("admin:labs_labversion_validation", args=[version.pk])


def test_the_partial_polls_while_the_version_is_queued(client: Client, author) -> None:
    version = _stored()
    LabVersion.objects.filter(pk=version.pk).update(validation_status=ValidationStatus.QUEUED)
    client.force_login(author)

    html = client.get(_partial_url(version), HTTP_HX_REQUEST="true").content.decode()

    assert "Queued for validation" in html
    assert 'hx-trigger="every 1s"' in html and _partial_url(version) in html


def test_the_partial_shows_the_report_and_stops_polling_when_finished(
    client: Client, author
) -> None:
    version = _stored()
    LabVersion.objects.filter(pk=version.pk).update(
        validation_status=ValidationStatus.INVALID,
        validated_at=timezone.now(),
        validation_report={
            "ok": False,
            "rules": [
                {"rule": "1. starter fails a security check", "ok": True, "detail": "fine"},
                {"rule": "2. solution passes", "ok": False, "detail": "<b>broken</b>"},
            ],
        },
    )
    client.force_login(author)

    html = client.get(_partial_url(version)).content.decode()

    assert "Invalid" in html and "hx-trigger" not in html
    assert "2. solution passes" in html and "FAILED" in html
    assert "&lt;b&gt;broken&lt;/b&gt;" in html  # details are escaped


def test_the_change_page_includes_the_live_partial_with_htmx(client: Client, author) -> None:
    version = _stored()
    LabVersion.objects.filter(pk=version.pk).update(validation_status=ValidationStatus.RUNNING)
    client.force_login(author)

    response = client.get(reverse("admin:labs_labversion_change", args=[version.pk]))

    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="validation-status"' in html and "Validating" in html
    assert 'name="validation_status"' not in html  # set by validating only, never by hand
    nonce = response.wsgi_request.csp_nonce
    assert re.search(rf'<script src="[^"]*htmx\.min[^"]*" nonce="{re.escape(nonce)}">', html)


@pytest.mark.parametrize("who", ["alice", "charlie"])
def test_learners_cannot_read_the_validation_partial(who, request) -> None:
    version = _stored()
    client = Client()
    client.force_login(request.getfixturevalue(who))

    response = client.get(_partial_url(version))

    assert response.status_code in (302, 403)
    if response.status_code == 302:
        assert "/admin/login/" in response["Location"]


def test_signed_out_visitors_cannot_read_the_validation_partial(client: Client) -> None:
    version = _stored()
    response = client.get(_partial_url(version))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


@pytest.fixture
def counted_rules(monkeypatch, settings, tmp_path) -> list[int]:
    """Validation without the sandbox: each run of the rules is recorded and reports valid."""
    settings.VAR_DIR = tmp_path
    runs: list[int] = []

    def run_rules(version: LabVersion) -> tuple[ValidationStatus, dict]:
        runs.append(version.pk)
        return ValidationStatus.VALID, {"ok": True, "rules": [], "bad_fix_signatures": {}}

    monkeypatch.setattr(versions, "_run_rules", run_rules)
    return runs


def test_a_command_reuses_a_valid_report_of_the_same_bundle_and_engine(counted_rules) -> None:
    first = lab_version_validate(version=_stored(), reuse=True)
    LabVersion.objects.all().delete()
    second = lab_version_validate(version=_stored(), reuse=True)
    assert first.is_valid and second.is_valid
    assert len(counted_rules) == 1
    assert second.validation_report["reused"] is True


def test_the_admin_path_and_a_changed_engine_never_reuse_a_report(
    counted_rules, monkeypatch
) -> None:
    lab_version_validate(version=_stored(), reuse=True)
    lab_version_validate(version=LabVersion.objects.get(), reuse=False)
    monkeypatch.setattr(versions.engine, "fingerprint", lambda: "another-engine")
    lab_version_validate(version=LabVersion.objects.get(), reuse=True)
    assert len(counted_rules) == 3


def test_an_invalid_report_is_never_reused(monkeypatch, settings, tmp_path) -> None:
    settings.VAR_DIR = tmp_path
    runs: list[int] = []

    def run_rules(version: LabVersion) -> tuple[ValidationStatus, dict]:
        runs.append(version.pk)
        return ValidationStatus.INVALID, {"ok": False, "rules": []}

    monkeypatch.setattr(versions, "_run_rules", run_rules)
    lab_version_validate(version=_stored(), reuse=True)
    version = lab_version_validate(version=LabVersion.objects.get(), reuse=True)
    assert len(runs) == 2 and not version.is_valid


def test_several_versions_are_validated_in_parallel_and_recorded_in_order(counted_rules) -> None:
    stored = [_stored(FLASK), _stored(LABS / "django-raw-sql-search")]
    done = versions.lab_versions_validate(versions=stored, reuse=False, parallel=2)
    assert [v.pk for v in done] == [v.pk for v in stored]
    assert sorted(counted_rules) == sorted(v.pk for v in stored)
    assert all(v.is_valid for v in LabVersion.objects.all())


def test_each_version_is_reported_as_soon_as_its_own_validation_ends(counted_rules) -> None:
    """A first load prints a line per lab as it finishes, not one block after the whole batch."""
    stored = [_stored(FLASK), _stored(LABS / "django-raw-sql-search")]
    seen: list[tuple[int, bool]] = []

    def done(version: LabVersion) -> None:
        # Recorded before the callback runs: the row already says valid.
        seen.append((version.pk, LabVersion.objects.get(pk=version.pk).is_valid))

    versions.lab_versions_validate(versions=stored, reuse=False, parallel=2, on_done=done)
    assert sorted(pk for pk, _ in seen) == sorted(v.pk for v in stored)
    assert all(valid for _, valid in seen)

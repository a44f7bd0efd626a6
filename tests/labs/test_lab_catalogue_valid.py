"""The whole catalogue validates: every bundle under content/labs passes every rule in the sandbox.

This is the promise the lab pages make (a fix that passes is a fix that is secure) checked for
every lab at once, through the same command `make run` uses. Reports of bundles the same engine
already found valid are reused (see ``lab_versions_validate``), so the second CI pass is quick; a
changed bundle, engine or runtime is always graded again.
"""

from __future__ import annotations

import tomllib

import pytest
from django.conf import settings
from django.core.management import call_command

from labs.models import Lab, ValidationStatus
from labs.sandbox import Verdict

pytestmark = [pytest.mark.sandbox, pytest.mark.django_db]

BUNDLES = sorted(p for p in settings.LAB_CONTENT_DIR.iterdir() if (p / "lab.toml").is_file())
CLASSES_IN_ALL_FRAMEWORKS = ("sql-injection", "broken-access-control", "cross-site-scripting")


def test_the_catalogue_has_five_labs_per_framework_and_three_compared_classes() -> None:
    manifests = [tomllib.loads((folder / "lab.toml").read_text()) for folder in BUNDLES]
    per_framework: dict[str, int] = {}
    for manifest in manifests:
        per_framework[manifest["framework"]] = per_framework.get(manifest["framework"], 0) + 1
    assert all(per_framework.get(fw, 0) >= 5 for fw in ("flask", "fastapi", "django"))
    for klass in CLASSES_IN_ALL_FRAMEWORKS:
        frameworks = {m["framework"] for m in manifests if m.get("vulnerability_class") == klass}
        assert frameworks == {"flask", "fastapi", "django"}, klass


def test_every_lab_validates_and_is_published(capsys) -> None:
    call_command("load_labs")
    out = capsys.readouterr().out
    assert f"{len(BUNDLES)} published" in out, out
    for lab in Lab.objects.select_related("published_version"):
        version = lab.published_version
        assert version is not None, lab.slug
        assert version.validation_status == ValidationStatus.VALID, lab.slug
        report = version.validation_report
        assert all(rule["ok"] for rule in report["rules"]), (lab.slug, report["rules"])
        bad_fixes = version.manifest.get("bad_fixes", [])
        expected = {fix["expect"] for fix in bad_fixes}
        assert len(bad_fixes) >= 3 and expected == {Verdict.STILL_EXPLOITABLE, Verdict.BROKEN}
        # Every bad fix failed some hidden check, so the learner's fix can be recognised by it.
        assert set(report["bad_fix_signatures"]) == {fix["name"] for fix in bad_fixes}

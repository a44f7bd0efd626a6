"""The pilot lab bundles stored as versions and published, for any test folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from labs.bundles import read_folder
from labs.models import Lab, LabVersion, ValidationStatus
from labs.services import lab_version_publish, lab_version_store

ROOT = Path(__file__).resolve().parents[2]
LABS = ROOT / "content" / "labs"


def store_published(slug: str, signatures: dict[str, list[str]] | None = None) -> LabVersion:
    """Store a pilot bundle and publish it, taking validation as done (its own tests prove it)."""
    version, _ = lab_version_store(bundle=read_folder(LABS / slug), source=str(LABS / slug))
    version.validation_status = ValidationStatus.VALID
    version.validation_report = {"ok": True, "rules": [], "bad_fix_signatures": signatures or {}}
    version.save()
    lab_version_publish(version=version)
    version.lab.refresh_from_db()
    return version


@pytest.fixture
def flask_lab(db) -> Lab:
    return store_published("flask-debug-console").lab


@pytest.fixture
def django_lab(db) -> Lab:
    return store_published("django-raw-sql-search").lab

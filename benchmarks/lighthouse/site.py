"""Prepare the throwaway site that ``benchmarks/lighthouse.sh`` measures.

``site.py publish-labs``: publish every stored lab version that was not validated, as the test
factories do (``seed_demo --no-sandbox`` stores labs without the sandbox, so none is published and
neither /labs/ nor the workspace would show a real lab). Refused unless PATCHWISE_VAR_DIR points
at a temporary folder, so it can never publish unvalidated labs on a real site.

``site.py session EMAIL``: print a session key in which that person is signed in, for
Lighthouse's Cookie header (Lighthouse cannot fill in a sign-in form). The session is written the
way Django's ``login()`` writes it: user id, backend and the password-derived hash.

Run with the server's environment (same SECRET_KEY and database).
"""

from __future__ import annotations

import os
import sys
import tempfile
from importlib import import_module
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import (  # noqa: E402
    BACKEND_SESSION_KEY,
    HASH_SESSION_KEY,
    SESSION_KEY,
    get_user_model,
)

from labs.models import Lab, LabVersion, ValidationStatus  # noqa: E402
from labs.services import lab_version_publish  # noqa: E402


def publish_unvalidated_labs() -> int:
    """Publish the newest version of each lab that has none published; returns how many."""
    temp = Path(tempfile.gettempdir()).resolve()
    if temp not in Path(settings.VAR_DIR).resolve().parents:
        raise SystemExit(f"site.py: refusing to publish unvalidated labs outside {temp}")
    published = 0
    for lab in Lab.objects.filter(published_version__isnull=True):
        version = LabVersion.objects.filter(lab=lab).order_by("-number").first()
        if version is None:
            continue
        version.validation_status = ValidationStatus.VALID
        version.validation_report = {"ok": True, "rules": [], "note": "not validated (benchmark)"}
        version.save(update_fields=["validation_status", "validation_report"])
        lab_version_publish(version=version)
        published += 1
    return published


def signed_in_session_key(email: str) -> str:
    """A new, saved session in which ``email`` is signed in; exits with a message if unknown."""
    user = get_user_model().objects.filter(email__iexact=email, is_active=True).first()
    if user is None:
        raise SystemExit(f"site.py: no active user with the e-mail {email!r} (seeded?)")
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.save()
    return str(store.session_key)


if __name__ == "__main__":
    match sys.argv[1:]:
        case ["publish-labs"]:
            print(f"published {publish_unvalidated_labs()} lab(s) without validation")
        case ["session", email]:
            print(signed_in_session_key(email))
        case _:
            raise SystemExit("usage: site.py publish-labs | site.py session EMAIL")

"""Authoring labs in the admin: upload a zip, validate, publish, re-grade; who may do it."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from labs.models import Lab, LabVersion, Submission
from labs.services import lab_session_start, read_folder
from tests.factories import LABS

pytestmark = pytest.mark.django_db

UPLOAD = "admin:labs_labversion_upload"


def _upload(client: Client, data: bytes):
    return client.post(
        reverse(UPLOAD),
        {"archive": SimpleUploadedFile("lab.zip", data, "application/zip")},
        follow=True,
    )


def test_author_uploads_a_bundle_zip_and_gets_a_new_version(client: Client, author) -> None:
    client.force_login(author)
    response = _upload(client, read_folder(LABS / "flask-debug-console").to_zip())
    assert "Validate it, then publish it" in response.content.decode()
    version = LabVersion.objects.get()
    assert version.lab.slug == "flask-debug-console" and not version.lab.is_published
    again = _upload(client, read_folder(LABS / "flask-debug-console").to_zip())
    assert "identical" in again.content.decode()
    assert LabVersion.objects.count() == 1


def test_a_path_traversal_zip_is_refused_with_a_message(client: Client, author) -> None:
    client.force_login(author)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("lab.toml", "")
        archive.writestr("../../evil.py", "import os")
    response = _upload(client, buffer.getvalue())
    assert response.status_code == 200
    assert "climb out" in response.content.decode()
    assert not LabVersion.objects.exists()


def test_invalid_lab_toml_is_refused_with_the_problems(client: Client, author) -> None:
    client.force_login(author)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("lab.toml", 'slug = "x"\nframework = "rails"\n')
    response = _upload(client, buffer.getvalue())
    assert "framework" in response.content.decode()
    assert not Lab.objects.exists()


def test_a_hint_with_a_bad_cost_is_refused_with_a_message(client: Client, author) -> None:
    client.force_login(author)
    bundle = read_folder(LABS / "flask-debug-console")
    toml = bundle.files["lab.toml"].decode().replace("cost = 10", 'cost = "lots"', 1)
    files = {**bundle.files, "lab.toml": toml.encode()}
    response = _upload(client, type(bundle)(files).to_zip())
    assert response.status_code == 200
    assert "cost must be a whole number of points" in response.content.decode()
    assert not LabVersion.objects.exists()


def test_learners_cannot_upload(alice_client: Client) -> None:
    response = alice_client.get(reverse(UPLOAD))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_publish_action_refuses_an_unvalidated_version(client: Client, author) -> None:
    client.force_login(author)
    _upload(client, read_folder(LABS / "flask-debug-console").to_zip())
    version = LabVersion.objects.get()
    response = client.post(
        reverse("admin:labs_labversion_changelist"),
        {"action": "publish", "_selected_action": [version.pk]},
        follow=True,
    )
    assert "has not passed validation" in response.content.decode()
    assert not Lab.objects.get().is_published


def test_regrade_creates_a_new_submission(
    client: Client, author, alice, flask_lab, monkeypatch
) -> None:
    monkeypatch.setattr("labs.tasks.grade_submission.delay", lambda pk: None)
    session = lab_session_start(user=alice, lab=flask_lab)
    original = Submission.objects.create(session=session, version=session.version, files={"a": "b"})
    client.force_login(author)
    client.post(
        reverse("admin:labs_submission_changelist"),
        {"action": "regrade", "_selected_action": [original.pk]},
    )
    assert Submission.objects.count() == 2
    assert Submission.objects.exclude(pk=original.pk).get().files == {"a": "b"}


def test_submission_admin_pages_render(client: Client, author, alice, flask_lab) -> None:
    session = lab_session_start(user=alice, lab=flask_lab)
    sub = Submission.objects.create(session=session, version=session.version, files={"app.py": "x"})
    client.force_login(author)
    assert client.get(reverse("admin:labs_submission_changelist")).status_code == 200
    assert client.get(reverse("admin:labs_submission_change", args=[sub.pk])).status_code == 200
    assert (
        client.get(reverse("admin:labs_labversion_change", args=[session.version.pk])).status_code
        == 200
    )
    assert client.get(reverse("admin:labs_lab_changelist")).status_code == 200

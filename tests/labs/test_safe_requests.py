"""Opening a lab records nothing: a GET is what any other site can make a signed-in learner send
(a link, an image), so it must not start a lab for them. Their first action does."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from labs.models import Lab, LabSession

pytestmark = pytest.mark.django_db


def test_opening_a_lab_shows_the_starter_and_starts_nothing(
    client: Client, alice, flask_lab: Lab
) -> None:
    client.force_login(alice)
    page = client.get(reverse("labs:lab-detail", args=[flask_lab.slug]))
    assert page.status_code == 200
    starter = flask_lab.published_version.starter_files["app.py"]
    assert escape(starter.splitlines()[0]) in page.content.decode()
    assert "No submissions yet" in page.content.decode()
    assert not LabSession.objects.filter(user=alice).exists()
    progress = client.get(reverse("courses:my-progress"))
    assert flask_lab.title not in progress.content.decode()


def test_the_first_save_starts_the_lab(client: Client, alice, flask_lab: Lab) -> None:
    client.force_login(alice)
    client.get(reverse("labs:lab-detail", args=[flask_lab.slug]))
    saved = client.post(
        reverse("labs:workspace-update", args=[flask_lab.slug]),
        {"action": "save", "file:app.py": "print('mine')\n"},
        headers={"accept": "application/json"},
    )
    assert json.loads(saved.content) == {"saved": True}
    session = LabSession.objects.get(user=alice, lab=flask_lab)
    assert session.draft_files["app.py"] == "print('mine')\n"
    again = client.get(reverse("labs:lab-detail", args=[flask_lab.slug]))
    assert "print(&#x27;mine&#x27;)" in again.content.decode()

"""The site shell as people see it: home, health check, error pages, admin and headers."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client, override_settings
from django.urls import path, reverse

from portal.models import AUTHORS_GROUP, User
from portal.services import CONTENT_APPS, DEMO_PEOPLE, LEARNER_RECORDS, authors_group_sync
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_home_explains_patchwise_to_visitors(client: Client) -> None:
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Break it, then fix it" in html
    assert reverse("account_signup") in html
    assert 'lang="en"' in html
    assert '<main id="main"' in html
    assert 'href="#main"' in html  # skip link


def test_home_gives_alice_her_next_steps(alice_client: Client) -> None:
    html = alice_client.get("/").content.decode()
    assert "Welcome, Alice" in html
    assert "Turn on two-factor authentication" in html
    assert reverse("mfa_index") in html
    assert "Nothing started yet" in html


def test_home_shows_unverified_email_as_a_step(client: Client) -> None:
    from tests.factories import UserFactory

    user = UserFactory(verified=False)
    client.force_login(user)
    html = client.get("/").content.decode()
    assert f'href="{reverse("account_email")}"' in html


def test_pages_send_security_headers(client: Client) -> None:
    response = client.get("/")
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_static_files_use_hashed_names(client: Client) -> None:
    html = client.get("/").content.decode()
    assert "/static/css/site." in html
    assert "/static/css/site.css" not in html  # the manifest's hashed name is used


@pytest.fixture
def staff_client(db) -> Client:
    client = Client()
    client.force_login(UserFactory(email="ops@example.com", is_staff=True))
    return client


def _break_broker(settings) -> None:
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {}


def test_healthz_tells_visitors_and_learners_only_ok(client: Client, alice_client: Client) -> None:
    for viewer in (client, alice_client):
        response = viewer.get("/healthz")
        assert response.status_code == 200
        # Each part's state in one word, and no backend names or error details.
        assert response.json() == {"status": "ok", "parts": {"database": "ok", "broker": "ok"}}


def test_healthz_gives_staff_each_part_with_its_backend(staff_client: Client) -> None:
    body = staff_client.get("/healthz").json()
    assert body["status"] == "ok"
    assert body["checks"]["database"] == {"ok": True, "detail": connection.vendor}
    assert body["checks"]["broker"]["ok"] is True


def test_healthz_is_503_without_details_for_visitors_when_broker_is_down(
    client: Client, settings
) -> None:
    _break_broker(settings)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "parts": {"database": "ok", "broker": "down"}}
    assert b"redis" not in response.content and b"127.0.0.1" not in response.content


def test_healthz_tells_staff_which_part_is_down(staff_client: Client, settings) -> None:
    _break_broker(settings)
    response = staff_client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["checks"]["broker"]["ok"] is False
    assert body["checks"]["broker"]["detail"].startswith("redis:")
    assert body["checks"]["database"]["ok"] is True


def test_healthz_is_503_when_broker_folder_is_missing(client: Client, settings, tmp_path) -> None:
    settings.CELERY_BROKER_URL = "filesystem://"
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {"data_folder_in": str(tmp_path / "missing")}
    response = client.get("/healthz")
    assert response.status_code == 503 and response.json()["parts"]["broker"] == "down"


def test_404_page_is_styled_and_helpful(client: Client) -> None:
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "We could not find that page" in html
    assert "site-header" in html


def _boom(request):
    raise RuntimeError("kaboom")


urlpatterns = [path("boom/", _boom)]


@override_settings(ROOT_URLCONF=__name__)
def test_500_page_is_styled_and_hides_details() -> None:
    client = Client(raise_request_exception=False)
    response = client.get("/boom/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "Something went wrong on our side" in html
    assert "kaboom" not in html and "Traceback" not in html


def test_csrf_failure_is_a_friendly_403(alice: User, password: str) -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("account_login"), {"login": alice.email, "password": password})
    assert response.status_code == 403
    assert "This form has expired" in response.content.decode()


def test_learner_cannot_reach_admin(alice_client: Client) -> None:
    response = alice_client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_author_reaches_admin_with_site_name(client: Client, author: User) -> None:
    client.force_login(author)
    response = client.get("/admin/")
    assert response.status_code == 200
    assert "Patchwise administration" in response.content.decode()


def test_authors_group_gets_the_content_permissions_and_only_views_of_learner_records() -> None:
    group = authors_group_sync()
    assert group.name == AUTHORS_GROUP
    granted = {
        (p.content_type.app_label, p.content_type.model, p.codename.split("_", 1)[0])
        for p in group.permissions.select_related("content_type")
    }
    for perm in Permission.objects.filter(content_type__app_label__in=CONTENT_APPS):
        label = f"{perm.content_type.app_label}.{perm.content_type.model}"
        action = perm.codename.split("_", 1)[0]
        key = (perm.content_type.app_label, perm.content_type.model, action)
        expected = label not in LEARNER_RECORDS or action == "view"
        assert (key in granted) is expected, perm.codename
    assert not group.permissions.filter(content_type__app_label="portal").exists()


def test_authors_group_exists_after_migrate() -> None:
    assert Group.objects.filter(name=AUTHORS_GROUP).exists()


def test_seed_demo_is_idempotent_and_verifies_emails(settings) -> None:
    settings.DEBUG = True
    # No sandbox: the demo team's graded lab history has its own test (tests/teams/test_demo_seed).
    call_command("seed_demo", "--no-sandbox", verbosity=0)
    call_command("seed_demo", "--no-sandbox", verbosity=0)
    from portal.demo import DEMO_MEMBERS

    assert User.objects.count() == len(
        {p.email for p in DEMO_PEOPLE} | {m.email for m in DEMO_MEMBERS}
    )
    admin = User.objects.get(email="admin@example.com")
    assert admin.is_superuser and admin.is_staff
    erin = User.objects.get(email="erin@example.com")
    assert erin.is_author and erin.is_staff and not erin.is_superuser
    alice = User.objects.get(email="alice@example.com")
    assert not alice.is_staff and not alice.is_author
    assert alice.check_password(settings.DEMO_PASSWORD)
    assert alice.emailaddress_set.get().verified


def test_seed_demo_refuses_without_debug(settings) -> None:
    settings.DEBUG = False
    with pytest.raises(CommandError, match="only runs with DEBUG on"):
        call_command("seed_demo", verbosity=0)
    assert not User.objects.exists()

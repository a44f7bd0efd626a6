"""The site shell as people see it: home, health check, error pages, admin and headers."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import CommandError, call_command
from django.test import Client, override_settings
from django.urls import path, reverse

from portal.models import AUTHORS_GROUP, User
from portal.services import CONTENT_APPS, DEMO_PEOPLE, authors_group_sync

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


def test_healthz_reports_database_and_broker(client: Client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"]["database"]["ok"] is True
    assert body["checks"]["broker"]["ok"] is True


def test_healthz_is_503_when_broker_is_down(client: Client, settings) -> None:
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {}
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["checks"]["broker"]["ok"] is False
    assert body["checks"]["database"]["ok"] is True


def test_healthz_is_503_when_broker_folder_is_missing(client: Client, settings, tmp_path) -> None:
    settings.CELERY_BROKER_URL = "filesystem://"
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {"data_folder_in": str(tmp_path / "missing")}
    assert client.get("/healthz").status_code == 503


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


def test_authors_group_gets_exactly_the_content_permissions() -> None:
    group = authors_group_sync()
    assert group.name == AUTHORS_GROUP
    expected = set(Permission.objects.filter(content_type__app_label__in=CONTENT_APPS))
    assert set(group.permissions.all()) == expected
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

"""Accounts through the real allauth flows: sign-up, verification, reset, MFA, rate limits."""

from __future__ import annotations

import re
import time

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.core import mail
from django.test import Client
from django.urls import reverse

from portal.models import User

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-much-better-passphrase-42"


def _link_in_last_email(pattern: str) -> str:
    body = mail.outbox[-1].body
    match = re.search(pattern, body)
    assert match, f"no link matching {pattern!r} in: {body}"
    return match.group(0)


def _sign_in(client: Client, email: str, password: str):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def test_signup_sends_verification_and_confirming_signs_in(client: Client) -> None:
    response = client.post(
        reverse("account_signup"),
        {"email": "newcomer@example.com", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["newcomer@example.com"]
    assert mail.outbox[0].subject.startswith("[Patchwise]")

    # Not signed in before confirming: verification is mandatory.
    assert client.get(reverse("account_email")).status_code == 302

    link = _link_in_last_email(r"http://testserver/accounts/confirm-email/[^\s]+")
    page = client.get(link)
    assert b"Confirm your email address" in page.content
    confirmed = client.post(link, follow=True)
    assert confirmed.redirect_chain[-1][0] == reverse("portal:home")
    assert confirmed.context["user"].email == "newcomer@example.com"
    assert EmailAddress.objects.get(email="newcomer@example.com").verified


def test_signup_rejects_weak_password_with_a_form_error(client: Client) -> None:
    weak = client.post(
        reverse("account_signup"),
        {"email": "x@example.com", "password1": "12345", "password2": "12345"},
    )
    assert weak.status_code == 200
    assert b"This password is too short" in weak.content
    assert b'value="x@example.com"' in weak.content  # what was typed is kept
    assert not User.objects.filter(email="x@example.com").exists()


def test_signup_with_taken_email_does_not_reveal_the_account(client: Client, alice: User) -> None:
    taken = client.post(
        reverse("account_signup"),
        {"email": alice.email, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    # Same answer as a fresh sign-up, so the form cannot be used to find who has an account;
    # the owner is told by email instead.
    assert taken.status_code == 302
    assert User.objects.filter(email=alice.email).count() == 1
    assert mail.outbox[-1].to == [alice.email]
    assert "already" in mail.outbox[-1].body.lower()


def test_unverified_user_cannot_sign_in_until_confirmed(client: Client) -> None:
    from tests.factories import UserFactory

    UserFactory(email="pending@example.com", verified=False)
    response = _sign_in(client, "pending@example.com", "correct-horse-battery-9")
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in client.session


def test_login_with_email_and_wrong_password_message(
    client: Client, alice: User, password: str
) -> None:
    wrong = _sign_in(client, alice.email, "not-the-password")
    assert wrong.status_code == 200
    assert b"The email address and/or password you specified are not correct." in wrong.content
    ok = _sign_in(client, alice.email, password)
    assert ok.status_code == 302
    assert ok["Location"] == reverse("portal:home")


def test_login_is_rate_limited_after_repeated_failures(
    client: Client, alice: User, password: str
) -> None:
    for _ in range(5):
        _sign_in(client, alice.email, "wrong-guess-000")
    blocked = _sign_in(client, alice.email, password)
    assert blocked.status_code in (200, 429)
    assert b"Too many failed login attempts" in blocked.content
    assert "_auth_user_id" not in client.session


def test_password_reset_by_email_link(client: Client, alice: User) -> None:
    response = client.post(reverse("account_reset_password"), {"email": alice.email})
    assert response.status_code == 302
    link = _link_in_last_email(r"http://testserver/accounts/password/reset/key/[^\s]+")
    form_page = client.get(link, follow=True)
    action = form_page.redirect_chain[-1][0]
    done = client.post(action, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert done.status_code == 302
    alice.refresh_from_db()
    assert alice.check_password(NEW_PASSWORD)
    # The link works once.
    again = client.get(link, follow=True)
    assert b"Invalid reset link" in again.content


def test_password_reset_for_unknown_email_reveals_nothing(client: Client) -> None:
    response = client.post(reverse("account_reset_password"), {"email": "nobody@example.com"})
    assert response.status_code == 302
    assert all("password/reset/key" not in m.body for m in mail.outbox)


def _current_code(secret: str) -> str:
    # Stay clear of a 30-second boundary so the code is still current when it is checked.
    if time.time() % 30 > 27:
        time.sleep(3.5)
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def test_mfa_totp_enable_then_login_requires_code(
    client: Client, alice: User, password: str
) -> None:
    _sign_in(client, alice.email, password)
    activate_url = reverse("mfa_activate_totp")
    page = client.get(activate_url)
    if page.status_code == 302:  # changing sign-in factors asks for the password again
        assert page["Location"].startswith(reverse("account_reauthenticate"))
        client.post(page["Location"], {"password": password})
        page = client.get(activate_url)
    assert page.status_code == 200
    secret = page.context["form"].secret

    wrong = client.post(activate_url, {"code": "000000"})
    assert b"Incorrect code" in wrong.content
    assert not Authenticator.objects.filter(user=alice, type=Authenticator.Type.TOTP).exists()

    activated = client.post(activate_url, {"code": _current_code(secret)})
    assert activated.status_code == 302
    assert Authenticator.objects.filter(user=alice, type=Authenticator.Type.TOTP).exists()

    client.post(reverse("account_logout"))
    stage = _sign_in(client, alice.email, password)
    assert stage["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session

    bad = client.post(reverse("mfa_authenticate"), {"code": "123456"})
    assert bad.status_code == 200
    assert b"Incorrect code" in bad.content
    assert "_auth_user_id" not in client.session

    good = client.post(reverse("mfa_authenticate"), {"code": _current_code(secret)})
    assert good.status_code == 302
    assert client.session["_auth_user_id"] == str(alice.pk)


def test_change_password_requires_old_password(alice_client: Client, alice: User) -> None:
    url = reverse("account_change_password")
    bad = alice_client.post(
        url, {"oldpassword": "nope", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )
    assert b"Please type your current password" in bad.content
    alice.refresh_from_db()
    assert not alice.check_password(NEW_PASSWORD)


def test_logout_requires_post(alice_client: Client) -> None:
    page = alice_client.get(reverse("account_logout"))
    assert page.status_code == 200
    assert "_auth_user_id" in alice_client.session
    alice_client.post(reverse("account_logout"))
    assert "_auth_user_id" not in alice_client.session


def test_password_reset_is_rate_limited_per_address(client: Client, alice: User) -> None:
    """Five reset e-mails a minute to one address at most: a mailbox cannot be flooded."""
    from django.core import mail
    from django.core.cache import cache

    cache.clear()
    for _ in range(5):
        assert (
            client.post(reverse("account_reset_password"), {"email": alice.email}).status_code
            == 302
        )
    sent = len(mail.outbox)
    blocked = client.post(reverse("account_reset_password"), {"email": alice.email})
    assert blocked.status_code == 429
    assert len(mail.outbox) == sent  # nothing more was sent


def test_sign_up_is_rate_limited_per_address_of_origin(client: Client) -> None:
    """Twenty sign-ups a minute from one IP address: a script cannot mint accounts."""
    from django.core.cache import cache

    from portal.models import User as Account

    cache.clear()
    for n in range(20):
        client.post(
            reverse("account_signup"),
            {"email": f"mint{n}@example.com", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
        )
        client.logout()
    made = Account.objects.count()
    blocked = client.post(
        reverse("account_signup"),
        {"email": "mint-more@example.com", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert blocked.status_code == 429
    assert Account.objects.count() == made

from __future__ import annotations

from django.apps import AppConfig


class TeamsConfig(AppConfig):
    name = "teams"
    verbose_name = "Teams and assignments"

    def ready(self) -> None:
        from allauth.account.signals import email_confirmed, user_logged_in

        from teams import signals

        user_logged_in.connect(signals.on_user_logged_in, dispatch_uid="teams-invitation-login")
        email_confirmed.connect(signals.on_email_confirmed, dispatch_uid="teams-invitation-email")

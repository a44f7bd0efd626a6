"""Celery tasks of the teams app: thin; each calls a service (imported inside the task body)."""

from __future__ import annotations

from celery import shared_task


@shared_task(acks_late=True, ignore_result=True)
def send_reminders() -> int:
    """Beat's hourly run: e-mail due-soon and overdue reminders; safe to run twice at once."""
    from teams.services.reminders import reminders_send

    return reminders_send()

"""E-mails written as templates: a one-line subject, a plain-text body and an HTML body."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string


def templated_email(
    *, template: str, context: dict[str, Any], to: list[str]
) -> EmailMultiAlternatives:
    """The message built from ``<template>_subject.txt``, ``_message.txt`` and ``_message.html``.

    The subject's whitespace is collapsed (templates end with a newline; a header must not) and
    the site's name prefixes it, as allauth's messages do.
    """
    context = {"site_name": settings.SITE_NAME, **context}
    subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
    message = EmailMultiAlternatives(
        subject=f"[{settings.SITE_NAME}] {subject}",
        body=render_to_string(f"{template}_message.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=to,
    )
    message.attach_alternative(render_to_string(f"{template}_message.html", context), "text/html")
    return message

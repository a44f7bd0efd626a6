"""Drafts, and the one-time sign-in tickets Inkpot hands to its other sites."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Draft(models.Model):
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    title = models.CharField(max_length=200)
    body = models.TextField()

    def __str__(self) -> str:
        return self.title


class Ticket(models.Model):
    """Signs one browser in as ``user``, once, within a couple of minutes of being issued."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    used = models.BooleanField(default=False)

    def __str__(self) -> str:
        return f"ticket for {self.user}"

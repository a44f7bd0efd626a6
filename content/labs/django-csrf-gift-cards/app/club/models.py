"""Loyalty points and gift cards."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Member(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    points = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return self.user.username


class GiftCard(models.Model):
    """A card bought by one member for another. Its code is only ever shown to the recipient."""

    buyer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="cards_bought"
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="cards_received",
        null=True,
        blank=True,
    )
    amount = models.PositiveIntegerField()  # pounds
    message = models.CharField(max_length=200, blank=True)
    code = models.CharField(max_length=200)
    sent_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"£{self.amount} card from {self.buyer}"

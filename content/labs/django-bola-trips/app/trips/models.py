from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse


class Trip(models.Model):
    """One traveller's plan for one trip. Only its owner is meant to see it."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="trips"
    )
    title = models.CharField(max_length=100)
    destination = models.CharField(max_length=100)
    starts_on = models.DateField()
    ends_on = models.DateField()
    # Bookings, door codes, who feeds the cat: the notes are the reason people use Packlight.
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_on", "id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("trips:trip-detail", args=[self.pk])

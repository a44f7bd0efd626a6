from __future__ import annotations

from django.db import models
from django.urls import reverse


class Category(models.Model):
    name = models.CharField(max_length=60)
    slug = models.SlugField(unique=True)

    class Meta:
        db_table = "categories"
        ordering = ["name"]
        verbose_name_plural = "categories"

    def __str__(self) -> str:
        return self.name


class Book(models.Model):
    title = models.CharField(max_length=200)
    author = models.CharField(max_length=200)
    year = models.SmallIntegerField(help_text="Year of first publication.")
    price = models.DecimalField(max_digits=6, decimal_places=2, help_text="Price in pounds.")
    description = models.TextField(blank=True)
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="books")

    class Meta:
        db_table = "books"
        ordering = ["title"]

    def __str__(self) -> str:
        return f"{self.title} ({self.author})"

    def get_absolute_url(self) -> str:
        return reverse("catalogue:book-detail", args=[self.pk])


class StaffNote(models.Model):
    """Notes the shop's staff leave each other. Never shown on the public site."""

    author = models.CharField(max_length=100)
    body = models.TextField()
    written_on = models.DateField()

    class Meta:
        db_table = "staff_notes"
        ordering = ["-written_on"]

    def __str__(self) -> str:
        return f"Note from {self.author} on {self.written_on:%d %b %Y}"

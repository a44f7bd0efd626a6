from __future__ import annotations

from django.apps import AppConfig


class LabsConfig(AppConfig):
    name = "labs"
    verbose_name = "Hack-and-fix labs"

"""The web frameworks Patchwise teaches, one list for every app.

Courses tag articles with them and labs run on them. The sandbox keeps its own plain tuple
(``labs.sandbox.config.FRAMEWORKS``) because it must not import Django; a test keeps the two equal.
"""

from __future__ import annotations

from django.db import models


class Framework(models.TextChoices):
    FLASK = "flask", "Flask"
    FASTAPI = "fastapi", "FastAPI"
    DJANGO = "django", "Django"

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict[str, object]:
    """Values every page needs: the product name for titles and the header."""
    return {"SITE_NAME": settings.SITE_NAME}

"""The home page and its URL.

The signed-in home page shows what several apps know (the account checklist from ``portal``, the
next learning step from ``courses``), so its view lives above ``portal``: the site shell includes
this module by name (``include("courses.home")``) and never imports it.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_GET

from courses.selectors import continue_learning
from portal.selectors import account_next_steps


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    context: dict[str, object] = {}
    if request.user.is_authenticated:
        context["account_steps"] = account_next_steps(user=request.user)
        context["continue"] = continue_learning(user=request.user)
    return render(request, "portal/home.html", context)


# No app_name: included inside the ``portal`` namespace, so the page stays ``portal:home``.
urlpatterns = [path("", home, name="home")]

"""The URL map of the whole site; each app has its own namespace."""

from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

from portal import views

portal_patterns = (
    [
        # The home page reads several apps, so its view lives above portal; included by name.
        path("", include("courses.home")),
        path("healthz", views.healthz, name="healthz"),
    ],
    "portal",
)

urlpatterns = [
    path("", include(portal_patterns)),
    path("", include("courses.urls")),
    path("labs/", include("labs.urls")),
    path("teams/", include("teams.urls")),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
]

handler400 = "portal.views.bad_request"
handler403 = "portal.views.permission_denied"
handler404 = "portal.views.page_not_found"
handler500 = "portal.views.server_error"

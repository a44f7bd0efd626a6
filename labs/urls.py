from __future__ import annotations

from django.urls import path

from labs import views

app_name = "labs"

urlpatterns = [
    path("", views.lab_list, name="lab-list"),
]

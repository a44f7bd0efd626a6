from __future__ import annotations

from django.urls import path

from labs import views, views_operations

app_name = "labs"

urlpatterns = [
    path("", views.lab_list, name="lab-list"),
    # Before the lab paths: "compare" and "operations" would otherwise be taken for labs' slugs.
    path("compare/", views.compare_index, name="compare-index"),
    path("compare/<slug:vulnerability_class>/", views.compare_detail, name="compare-detail"),
    path("operations/", views_operations.operations, name="operations"),  # staff only
    path("<slug:slug>/", views.lab_detail, name="lab-detail"),
    path("<slug:slug>/workspace/", views.workspace_update, name="workspace-update"),
    path("<slug:slug>/workspace/reset/", views.workspace_reset, name="workspace-reset"),
    path("<slug:slug>/submissions/<int:pk>/", views.submission_detail, name="submission-detail"),
    path("<slug:slug>/exploit/", views.exploit_create, name="exploit-create"),
    path("<slug:slug>/exploit/<int:pk>/", views.exploit_detail, name="exploit-detail"),
    path("<slug:slug>/hints/", views.hint_reveal_view, name="hint-reveal"),
    path("<slug:slug>/solution/", views.solution_reveal_view, name="solution-reveal"),
]

from django.urls import path

from . import views

app_name = "notices"

urlpatterns = [
    path("", views.notice_list, name="notice-list"),
    path("notices/new/", views.notice_create, name="notice-create"),
    path("notices/<int:notice_id>/", views.notice_detail, name="notice-detail"),
    path("notices/<int:notice_id>/report/", views.notice_report, name="notice-report"),
    path("search/", views.notice_search, name="notice-search"),
    path("search/suggestions/", views.search_suggestions, name="search-suggestions"),
    path("staff/notices/<int:notice_id>/", views.staff_notice, name="staff-notice"),
    path("staff/notices/<int:notice_id>/remove/", views.staff_remove, name="staff-remove"),
    path("api/notices/", views.api_notices, name="api-notices"),
    path("api/notices/<int:notice_id>/", views.api_notice, name="api-notice"),
]

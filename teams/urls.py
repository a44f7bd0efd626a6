"""Team URLs. Every page answers 404 to anyone who is not in the team (or, for manager pages,
not one of its managers), so an outsider cannot even tell that a team exists."""

from __future__ import annotations

from django.urls import path

from teams.views import dashboard, manage, pages

app_name = "teams"

urlpatterns = [
    # Members and everyone signed in
    path("", pages.team_list, name="team-list"),
    path("new/", manage.team_create, name="team-create"),
    path("join/<str:token>/", pages.invitation_accept, name="invitation-accept"),
    path("<slug:slug>/", pages.team_detail, name="team-detail"),
    path("<slug:slug>/leave/", pages.team_leave, name="team-leave"),
    # Managers: members, roles, invitations, assignments, team settings
    path("<slug:slug>/settings/", manage.team_settings, name="team-settings"),
    path("<slug:slug>/members/", manage.member_list, name="member-list"),
    path("<slug:slug>/members/<int:user_id>/role/", manage.member_role, name="member-role"),
    path("<slug:slug>/members/<int:user_id>/remove/", manage.member_remove, name="member-remove"),
    path("<slug:slug>/invitations/", manage.invitation_create, name="invitation-create"),
    path(
        "<slug:slug>/invitations/<int:pk>/resend/",
        manage.invitation_resend,
        name="invitation-resend",
    ),
    path(
        "<slug:slug>/invitations/<int:pk>/revoke/",
        manage.invitation_revoke,
        name="invitation-revoke",
    ),
    path("<slug:slug>/assignments/", manage.assignment_list, name="assignment-list"),
    path("<slug:slug>/assignments/<int:pk>/edit/", manage.assignment_edit, name="assignment-edit"),
    path(
        "<slug:slug>/assignments/<int:pk>/delete/",
        manage.assignment_delete,
        name="assignment-delete",
    ),
    # Managers: dashboard, member review, export
    path("<slug:slug>/dashboard/", dashboard.dashboard, name="dashboard"),
    path("<slug:slug>/dashboard/activity.json", dashboard.activity_data, name="activity-data"),
    path(
        "<slug:slug>/dashboard/weaknesses/<slug:vulnerability_class>/",
        dashboard.weakness_detail,
        name="weakness-detail",
    ),
    path("<slug:slug>/dashboard/export.csv", dashboard.export_csv, name="export-csv"),
    path("<slug:slug>/members/<int:user_id>/", dashboard.member_detail, name="member-detail"),
    path(
        "<slug:slug>/members/<int:user_id>/submissions/<int:pk>/",
        dashboard.member_submission,
        name="member-submission",
    ),
]

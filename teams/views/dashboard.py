"""The manager dashboard, its chart data, the weakness drill-down, the CSV export and the review
of one member's work.

Only the team's managers (and superusers) may open these; for anyone else signed in the team
does not exist (404). Views read through the teams selectors and render.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    JsonResponse,
    StreamingHttpResponse,
)
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from teams.models import Membership, Team
from teams.selectors.access import team_for_manager
from teams.selectors.activity import team_activity
from teams.selectors.dashboard import MemberSort, team_dashboard
from teams.selectors.export import export_rows
from teams.selectors.members import member_detail as read_member_detail
from teams.selectors.members import member_submission as read_member_submission
from teams.selectors.weakness import weakness_detail as read_weakness_detail
from teams.selectors.weakness import weakness_map


def _managed_team(request: HttpRequest, slug: str) -> Team:
    try:
        return team_for_manager(slug=slug, user=request.user)
    except Team.DoesNotExist:
        raise Http404("No such team.") from None


def _sort_links(current: MemberSort, descending: bool) -> list[dict[str, Any]]:
    """Each sortable column with the ``?sort=`` value its header links to and its aria-sort."""
    links = []
    for column in MemberSort:
        active = column == current
        # Clicking the active column flips it; other columns start with the most telling order
        # (names A-Z, the other figures highest first).
        flip_to_desc = not descending if active else column != MemberSort.NAME
        links.append(
            {
                "key": column.value,
                "label": column.label,
                "href": f"?sort={'-' if flip_to_desc else ''}{column.value}#members",
                "aria_sort": ("descending" if descending else "ascending") if active else "none",
            }
        )
    return links


def _member_links(team: Team, name: str) -> Callable[[int], str]:
    """A URL maker for one member's page: reversed once, not once per row of a 500-row table."""
    sentinel = "987654321"
    pattern = reverse(name, args=[team.slug, int(sentinel)])
    return lambda user_id: pattern.replace(sentinel, str(user_id))


@login_required
@require_GET
def dashboard(request: HttpRequest, slug: str) -> HttpResponse:
    """Summary figures, members, assignments, weekly activity and the weakness map."""
    team = _managed_team(request, slug)
    board = team_dashboard(team=team, sort=request.GET.get("sort"))
    weakness = weakness_map(team=team, members=board.grid.members)
    member_url = _member_links(team, "teams:member-detail")
    class_urls = [
        reverse("teams:weakness-detail", args=[team.slug, value]) for value, _ in weakness.classes
    ]
    context = {
        "team": team,
        "board": board,
        "summary": board.summary,
        "member_rows": [(row, member_url(row.user.pk)) for row in board.members],
        "sort_links": {link["key"]: link for link in _sort_links(board.sort, board.descending)},
        "activity": team_activity(team=team),
        "weakness": weakness,
        "weakness_classes": [
            (label, url) for (_, label), url in zip(weakness.classes, class_urls, strict=True)
        ],
        "weakness_rows": [
            (
                row.user,
                member_url(row.user.pk),
                [
                    (cell, f"{url}#member-{row.user.pk}")
                    for cell, url in zip(row.cells, class_urls, strict=True)
                ],
            )
            for row in weakness.rows
        ],
        "weakness_totals": list(zip(weakness.totals, class_urls, strict=True)),
    }
    return render(request, "teams/dashboard.html", context)


@login_required
@require_GET
def activity_data(request: HttpRequest, slug: str) -> JsonResponse:
    """The weekly activity as JSON for the chart (the page's table shows the same numbers)."""
    team = _managed_team(request, slug)
    response = JsonResponse(team_activity(team=team).chart_data())
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def weakness_detail(request: HttpRequest, slug: str, vulnerability_class: str) -> HttpResponse:
    """The security checks the team failed most in one vulnerability class, and per member."""
    team = _managed_team(request, slug)
    detail = read_weakness_detail(team=team, vulnerability_class=vulnerability_class)
    if detail is None:
        raise Http404("No such vulnerability class.")
    return render(request, "teams/weakness_detail.html", {"team": team, "detail": detail})


class _Echo:
    """A file-like object whose write returns the line, so csv.writer can feed a stream."""

    def write(self, value: str) -> str:
        return value


@login_required
@require_GET
def export_csv(request: HttpRequest, slug: str) -> StreamingHttpResponse:
    """Members x assigned items as CSV, streamed, with the dashboard's figures."""
    team = _managed_team(request, slug)
    writer = csv.writer(_Echo())
    response = StreamingHttpResponse(
        (writer.writerow(row) for row in export_rows(team=team)),
        content_type="text/csv; charset=utf-8",
    )
    filename = f"{team.slug}-progress-{timezone.localdate():%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def member_detail(request: HttpRequest, slug: str, user_id: int) -> HttpResponse:
    """One member's assigned work, fixes with verdicts, quiz attempts and paths."""
    team = _managed_team(request, slug)
    try:
        detail = read_member_detail(team=team, user_id=user_id)
    except Membership.DoesNotExist:
        raise Http404("No such member.") from None
    return render(request, "teams/member_detail.html", {"team": team, "detail": detail})


@login_required
@require_GET
def member_submission(request: HttpRequest, slug: str, user_id: int, pk: int) -> HttpResponse:
    """A member's fix as its own page shows it (checks, verdict, diffs), read-only."""
    team = _managed_team(request, slug)
    found = read_member_submission(team=team, user_id=user_id, submission_id=pk)
    if found is None:
        raise Http404("No such submission.")
    page = found.page
    context = {
        "team": team,
        "member": found.user,
        "submission": page.status.submission,
        "lab": page.status.submission.session.lab,
        "status": page.status,
        "checks": page.status.checks,
        "previous": page.previous,
        "diff_starter": page.diff_starter,
        "diff_previous": page.diff_previous,
    }
    return render(request, "teams/member_submission.html", context)

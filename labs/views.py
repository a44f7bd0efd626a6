"""Lab pages: the catalogue, a lab's brief/exploit/fix page, submissions and exploit results.

Views parse input with forms, authorise (a learner only ever sees their own session), call a
service, and render. Grading happens in the worker; these views only queue and report.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from labs.diffs import files_diff
from labs.forms import ExploitForm, HintForm
from labs.models import (
    CheckResult,
    Difficulty,
    ExploitAttempt,
    ExploitMode,
    Framework,
    Lab,
    LabSession,
    Submission,
    SubmissionKind,
    SubmissionStatus,
)
from labs.selectors import lab_catalogue, submission_history
from labs.services import (
    LabError,
    draft_reset,
    draft_save,
    exploit_attempt_create,
    hint_reveal,
    lab_session_start,
    queue_position,
    solution_reveal,
    submission_create,
)


@require_GET
def lab_list(request: HttpRequest) -> HttpResponse:
    framework = request.GET.get("framework", "")
    difficulty = request.GET.get("difficulty", "")
    if framework not in Framework.values:
        framework = ""
    if difficulty not in Difficulty.values:
        difficulty = ""
    cards = lab_catalogue(user=request.user, framework=framework, difficulty=difficulty)
    context = {
        "cards": cards,
        "frameworks": Framework.choices,
        "difficulties": Difficulty.choices,
        "framework": framework,
        "difficulty": difficulty,
        "any_published": bool(cards) or Lab.objects.published().exists(),
    }
    return render(request, "labs/lab_list.html", context)


def _session(request: HttpRequest, slug: str) -> LabSession:
    """The signed-in learner's session on a published lab (404 for anything else)."""
    lab = get_object_or_404(Lab.objects.published().select_related("published_version"), slug=slug)
    return lab_session_start(user=request.user, lab=lab)


def _posted_files(request: HttpRequest) -> dict[str, str]:
    return {key[5:]: value for key, value in request.POST.items() if key.startswith("file:")}


def _back_to_lab(session: LabSession, anchor: str = "") -> HttpResponse:
    return redirect(reverse("labs:lab-detail", args=[session.lab.slug]) + anchor)


@login_required
@require_GET
def lab_detail(request: HttpRequest, slug: str) -> HttpResponse:
    session = _session(request, slug)
    version = session.version
    history = list(submission_history(session=session)[:20])
    editable = set(version.editable)
    files = [
        {
            "path": path,
            "editable": path in editable,
            "text": session.draft_files.get(path, text) if path in editable else text,
        }
        for path, text in sorted(
            version.starter_files.items(), key=lambda i: (i[0] not in editable, i[0])
        )
    ]
    latest_exploit = session.exploits.order_by("-created_at").first()
    in_flight = session.submissions.in_flight().first()
    hints = [
        {"index": i, "cost": int(h.get("cost", 0)), "text": h.get("text", ""),
         "revealed": i in session.hints_revealed}
        for i, h in enumerate(version.hints)
    ]  # fmt: skip
    context = {
        "session": session,
        "lab": session.lab,
        "version": version,
        "files": files,
        "history": history,
        "hints": hints,
        "latest_exploit": latest_exploit,
        "in_flight": in_flight,
        "exploit_form": ExploitForm(
            initial={"mode": ExploitMode.REQUEST, "method": "GET", "path": "/"}
        ),
        "newer_version": session.lab.published_version_id != version.pk,
    }
    return render(request, "labs/lab_detail.html", context)


@login_required
@require_POST
def workspace_update(request: HttpRequest, slug: str) -> HttpResponse:
    """Save the draft, and then, by the button pressed, run the public tests or submit the fix."""
    session = _session(request, slug)
    action = request.POST.get("action", "save")
    wants_json = request.headers.get("Accept", "").startswith("application/json")
    files = _posted_files(request)
    try:
        if action == "save":
            draft_save(session=session, files=files)
            if wants_json:
                return JsonResponse({"saved": True})
            messages.success(request, "Draft saved.")
            return _back_to_lab(session, "#fix")
        if action not in ("submit", "public_tests"):
            raise LabError("Unknown action.")
        kind = SubmissionKind.SUBMIT if action == "submit" else SubmissionKind.PUBLIC_TESTS
        submission = submission_create(session=session, files=files, kind=kind)
    except LabError as exc:
        if wants_json:
            return JsonResponse({"saved": False, "error": str(exc)}, status=400)
        messages.error(request, str(exc))
        return _back_to_lab(session, "#fix")
    return redirect(submission.get_absolute_url())


@login_required
@require_POST
def workspace_reset(request: HttpRequest, slug: str) -> HttpResponse:
    session = _session(request, slug)
    draft_reset(session=session)
    messages.success(request, "Your files are back to the starter code.")
    return _back_to_lab(session, "#fix")


def _own_submission(request: HttpRequest, slug: str, pk: int) -> Submission:
    submission = get_object_or_404(
        Submission.objects.select_related("session__lab", "version"),
        pk=pk,
        session__lab__slug=slug,
    )
    if submission.session.user_id != request.user.pk:
        raise Http404("No such submission.")  # other people's work does not exist for you
    return submission


@login_required
@require_GET
def submission_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    submission = _own_submission(request, slug, pk)
    session = submission.session
    checks = list(submission.checks.all())
    context = {
        "submission": submission,
        "session": session,
        "lab": session.lab,
        "checks": checks,
        "security_failed": [c for c in checks if c.kind == "security" and not c.passed],
        "functional_failed": [c for c in checks if c.kind == "functional" and not c.passed],
        "position": queue_position(submission),
        "bad_fix_why": _bad_fix_why(submission),
        "live_checks": _live_checks(submission, checks),
    }
    if request.htmx:
        return render(request, "labs/_submission_status.html", context)
    previous = (
        session.submissions.filter(kind=submission.kind, created_at__lt=submission.created_at)
        .order_by("-created_at")
        .first()
    )
    starter = {p: submission.version.starter_files.get(p, "") for p in submission.files}
    context["diff_starter"] = files_diff(starter, submission.files)
    context["diff_previous"] = files_diff(previous.files, submission.files) if previous else None
    context["previous"] = previous
    return render(request, "labs/submission_detail.html", context)


def _live_checks(submission: Submission, checks: list[CheckResult]) -> list[dict]:
    """A running fix's checks in the lab's order, each with its result once known (else None)."""
    if submission.status != SubmissionStatus.RUNNING or submission.kind != SubmissionKind.SUBMIT:
        return []
    known = {check.test: check for check in checks}
    return [
        {"title": check.get("title", ""), "result": known.get(check.get("test"))}
        for check in submission.version.checks
    ]


def _bad_fix_why(submission: Submission) -> str:
    if not submission.bad_fix:
        return ""
    for bad in submission.version.bad_fixes:
        if bad.get("name") == submission.bad_fix:
            return str(bad.get("why", ""))
    return ""


@login_required
@require_POST
def exploit_create(request: HttpRequest, slug: str) -> HttpResponse:
    session = _session(request, slug)
    form = ExploitForm(request.POST)
    if not form.is_valid():
        messages.error(request, "The exploit form was incomplete: " + form.errors.as_text())
        return _back_to_lab(session, "#exploit")
    try:
        attempt = exploit_attempt_create(
            session=session,
            mode=form.cleaned_data["mode"],
            script=form.cleaned_data.get("script", ""),
            request=form.request_data(),
        )
    except LabError as exc:
        messages.error(request, str(exc))
        return _back_to_lab(session, "#exploit")
    return redirect(attempt.get_absolute_url())


@login_required
@require_GET
def exploit_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    attempt = get_object_or_404(
        ExploitAttempt.objects.select_related("session__lab"), pk=pk, session__lab__slug=slug
    )
    if attempt.session.user_id != request.user.pk:
        raise Http404("No such exploit run.")
    context = {"attempt": attempt, "session": attempt.session, "lab": attempt.session.lab}
    template = "labs/_exploit_status.html" if request.htmx else "labs/exploit_detail.html"
    return render(request, template, context)


@login_required
@require_POST
def hint_reveal_view(request: HttpRequest, slug: str) -> HttpResponse:
    session = _session(request, slug)
    form = HintForm(request.POST)
    try:
        if not form.is_valid():
            raise LabError("There is no such hint.")
        hint_reveal(session=session, index=form.cleaned_data["index"])
    except LabError as exc:
        messages.error(request, str(exc))
    return _back_to_lab(session, "#hints")


@login_required
@require_POST
def solution_reveal_view(request: HttpRequest, slug: str) -> HttpResponse:
    session = _session(request, slug)
    solution_reveal(session=session)
    return _back_to_lab(session, "#explanation")

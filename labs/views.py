"""Lab pages: the catalogue, a lab's brief/exploit/fix page, submissions and exploit results.

Views parse input with forms, authorise (a learner only ever sees their own session), call a
service or a selector, and render. Grading happens in the worker; these views only queue and
report.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from labs.comparisons import compare_classes, compare_page
from labs.forms import ALLOWED_METHODS, CatalogueFilterForm, ExploitForm, HintForm, WorkspaceAction
from labs.models import ExploitTarget, LabSession, SubmissionKind
from labs.selectors import (
    SubmissionStatusView,
    lab_catalogue,
    lab_catalogue_options,
    lab_workspace,
    learner_exploits,
    learner_session,
    learner_submissions,
    published_labs,
    submission_page,
    submission_status,
)
from labs.services import (
    LabError,
    draft_reset,
    draft_save,
    exploit_attempt_create,
    hint_reveal,
    lab_session_start,
    solution_reveal,
    submission_create,
)
from labs.services.submissions import RateLimited


@require_GET
def lab_list(request: HttpRequest) -> HttpResponse:
    """The catalogue, for everyone; filters are a plain GET form that works without script."""
    options = lab_catalogue_options()
    choices = {
        "framework": options.frameworks,
        "difficulty": options.difficulties,
        "class": options.classes,
        "cwe": options.cwes,
        "owasp": options.owasp,
    }
    form = CatalogueFilterForm(request.GET, options=choices)
    filters = form.filters()
    cards = lab_catalogue(
        user=request.user,
        framework=filters.get("framework", ""),
        difficulty=filters.get("difficulty", ""),
        vulnerability_class=filters.get("class", ""),
        cwe=filters.get("cwe", ""),
        owasp=filters.get("owasp", ""),
        q=filters.get("q", ""),
    )
    context = {
        "cards": cards,
        "options": options,
        "filters": filters,
        "filtered": any(filters.values()),
        "ignored": form.ignored(),
        "any_published": bool(cards) or bool(options.frameworks),
    }
    return render(request, "labs/lab_list.html", context)


@require_GET
def compare_index(request: HttpRequest) -> HttpResponse:
    """Classes with labs in two frameworks or more, for everyone."""
    return render(request, "labs/compare_index.html", {"classes": compare_classes()})


@require_GET
def compare_detail(request: HttpRequest, vulnerability_class: str) -> HttpResponse:
    """One class side by side; fixed code only for labs the signed-in learner has unlocked."""
    page = compare_page(vulnerability_class=vulnerability_class, user=request.user)
    if page is None:
        raise Http404("No lab of this class is published.")
    return render(request, "labs/compare_detail.html", {"page": page})


def _session(request: HttpRequest, slug: str) -> LabSession:
    """The signed-in learner's session on a published lab (404 for anything else)."""
    lab = get_object_or_404(published_labs().select_related("published_version"), slug=slug)
    return lab_session_start(user=request.user, lab=lab)


def _posted_files(request: HttpRequest) -> dict[str, str]:
    return {key[5:]: value for key, value in request.POST.items() if key.startswith("file:")}


def _wants_json(request: HttpRequest) -> bool:
    return request.headers.get("Accept", "").startswith("application/json")


def _back_to_lab(session: LabSession, anchor: str = "") -> HttpResponse:
    return redirect(reverse("labs:lab-detail", args=[session.lab.slug]) + anchor)


@login_required
@require_GET
def lab_detail(request: HttpRequest, slug: str) -> HttpResponse:
    lab = get_object_or_404(published_labs().select_related("published_version"), slug=slug)
    return _lab_page(request, learner_session(user=request.user, lab=lab))


def _lab_page(
    request: HttpRequest,
    session: LabSession,
    *,
    exploit_form: ExploitForm | None = None,
    exploit_error: str = "",
    fix_error: str = "",
    retry_after: int | None = None,
    status: int = 200,
) -> HttpResponse:
    """The lab page; a refused run is drawn beside the button that sent it (not in the page's
    message area, thousands of pixels above), and the exploit form keeps what was typed."""
    workspace = lab_workspace(session=session)
    if exploit_form is None:
        exploit_form = ExploitForm(
            initial={
                "mode": workspace.exploit_mode,
                "method": "GET",
                "path": "/",
                "target": ExploitTarget.STARTER,
            }
        )
    context = {
        "workspace": workspace,
        "session": workspace.session,
        "lab": workspace.lab,
        "version": workspace.version,
        "files": workspace.files,
        "history": workspace.history,
        "hints": workspace.hints,
        "latest_exploit": workspace.latest_exploit,
        "in_flight": workspace.in_flight,
        "newer_version": workspace.newer_version,
        "exploit_form": exploit_form,
        "exploit_mode": exploit_form["mode"].value() or workspace.exploit_mode,
        "exploit_methods": ALLOWED_METHODS,
        "exploit_target": exploit_form["target"].value() or ExploitTarget.STARTER,
        "exploit_targets": ExploitTarget.choices,
        "exploit_error": exploit_error,
        "fix_error": fix_error,
        "retry_after": retry_after,
        "run": (
            _status_context(submission_status(submission=workspace.latest_run), in_workspace=True)
            if workspace.latest_run
            else None
        ),
    }
    return render(request, "labs/lab_detail.html", context, status=status)


def _refused(exc: LabError) -> tuple[int, int | None]:
    """The status and wait (seconds) of a refused run: 429 with a wait when rate-limited."""
    if isinstance(exc, RateLimited):
        return 429, exc.retry_after
    return 400, None


@login_required
@require_POST
def workspace_update(request: HttpRequest, slug: str) -> HttpResponse:
    """Save the draft, and then, by the button pressed, run the public tests or submit the fix."""
    session = _session(request, slug)
    action = request.POST.get("action", WorkspaceAction.SAVE)
    wants_json = _wants_json(request)
    files = _posted_files(request)
    try:
        if action == WorkspaceAction.SAVE:
            draft_save(session=session, files=files)
            if wants_json:
                return JsonResponse({"saved": True})
            messages.success(request, "Draft saved.")
            return _back_to_lab(session, "#fix")
        if action not in WorkspaceAction.values:
            raise LabError("Unknown action.")
        kind = (
            SubmissionKind.SUBMIT
            if action == WorkspaceAction.SUBMIT
            else SubmissionKind.PUBLIC_TESTS
        )
        submission = submission_create(session=session, files=files, kind=kind)
    except LabError as exc:
        status, wait = _refused(exc)
        if wants_json:
            return JsonResponse(
                {"saved": False, "error": str(exc), "retry_after": wait}, status=status
            )
        session.refresh_from_db()
        return _lab_page(request, session, fix_error=str(exc), retry_after=wait, status=status)
    if wants_json:
        # The workspace shows the run in place: its test output panel polls this address.
        return JsonResponse(
            {
                "saved": True,
                "run_url": submission.get_absolute_url() + "?in=workspace",
                "kind": submission.kind,
            },
            status=202,
        )
    return redirect(submission.get_absolute_url())


@login_required
@require_POST
def workspace_reset(request: HttpRequest, slug: str) -> HttpResponse:
    session = _session(request, slug)
    draft_reset(session=session)
    messages.success(request, "Your files are back to the starter code.")
    return _back_to_lab(session, "#fix")


@login_required
@require_GET
def submission_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    # Other people's work does not exist for you: someone else's submission is a 404.
    submission = get_object_or_404(
        learner_submissions(user=request.user), pk=pk, session__lab__slug=slug
    )
    if request.htmx:
        status = submission_status(submission=submission)
        in_workspace = request.GET.get("in") == "workspace"
        context = _status_context(status, in_workspace=in_workspace)
        return render(request, "labs/_submission_status.html", context)
    page = submission_page(submission=submission)
    context = {
        **_status_context(page.status),
        "previous": page.previous,
        "diff_starter": page.diff_starter,
        "diff_previous": page.diff_previous,
    }
    return render(request, "labs/submission_detail.html", context)


def _status_context(
    status: SubmissionStatusView, *, in_workspace: bool = False
) -> dict[str, object]:
    """The status partial's context; ``in_workspace`` when it is drawn in the lab page's test
    output panel (it then links to the run's own page, with its diff)."""
    submission = status.submission
    return {
        "status": status,
        "submission": submission,
        "session": submission.session,
        "lab": submission.session.lab,
        "checks": status.checks,
        "position": status.position,
        "bad_fix_why": status.bad_fix_why,
        "live_checks": status.live_checks,
        "in_workspace": in_workspace,
    }


@login_required
@require_POST
def exploit_create(request: HttpRequest, slug: str) -> HttpResponse:
    """Queue an attack. With script the console posts by fetch and shows the attempt in place
    (JSON: its status address, or why nothing was sent); without, the lab page or a redirect."""
    session = _session(request, slug)
    form = ExploitForm(request.POST)
    wants_json = _wants_json(request)
    if not form.is_valid():
        # Said at once, beside the fields, with what was typed kept: nothing is queued.
        if wants_json:
            errors = [str(e) for errors in form.errors.values() for e in errors]
            return JsonResponse(
                {"error": "Nothing was sent: correct this first.", "errors": errors}, status=400
            )
        return _lab_page(request, session, exploit_form=form, status=400)
    try:
        attempt = exploit_attempt_create(
            session=session,
            mode=form.cleaned_data["mode"],
            script=form.cleaned_data["script"],
            request=form.cleaned_data["request"],
            target=form.cleaned_data["target"],
            files=_posted_files(request),
        )
    except LabError as exc:
        status, wait = _refused(exc)
        if wants_json:
            return JsonResponse({"error": str(exc), "retry_after": wait}, status=status)
        session.refresh_from_db()
        return _lab_page(
            request,
            session,
            exploit_form=form,
            exploit_error=str(exc),
            retry_after=wait,
            status=status,
        )
    if wants_json:
        # The console polls this address, as the attempt's own page does.
        return JsonResponse(
            {"status_url": attempt.get_absolute_url() + "?in=workspace", "id": attempt.pk},
            status=202,
        )
    return redirect(attempt.get_absolute_url())


@login_required
@require_GET
def exploit_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    attempt = get_object_or_404(learner_exploits(user=request.user), pk=pk, session__lab__slug=slug)
    context = {
        "attempt": attempt,
        "session": attempt.session,
        "lab": attempt.session.lab,
        # Drawn in the lab page's console: it then links to the attempt's own page.
        "in_workspace": request.GET.get("in") == "workspace",
    }
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

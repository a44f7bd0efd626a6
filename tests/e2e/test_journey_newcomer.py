"""Journey 1 (issue 13): a newcomer, from the home page to a solved lab, in one go.

Sign up (a mistake first), confirm the e-mail from the link in the message, open a path, read an
article and mark it read, take a quiz wrong then right, open the path's lab, exploit it (the flag),
fix it in the editor, run the public tests, submit, follow the live status to the verdict, read the
explanation; the progress page shows all of it. Chromium, a live server and a real Celery worker
grading in the sandbox; each step is shot at 375 and 1280 px (see ``shots``).
"""

from __future__ import annotations

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from courses.models import LearningPath, PathStep, Status, StepKind
from tests.e2e.conftest import replace_editor_text, shots, show_tab
from tests.factories import LABS, make_article, make_quiz

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.worker,
    pytest.mark.sandbox,
    pytest.mark.django_db(transaction=True),
]

PASSWORD = "a-good-long-passphrase-77"
LAB = LABS / "flask-debug-console"


def _starter_path(lab) -> LearningPath:
    """A published path of three steps: an article, a quiz on it, and the Flask lab."""
    article = make_article("first-article", frameworks=["flask"], cwe=["CWE-489"])
    quiz = make_quiz(shuffle_questions=False, shuffle_choices=False)
    path = LearningPath.objects.create(
        slug="starter-path", title="Starter path", summary="Read, check, then hack and fix.",
        status=Status.PUBLISHED,
    )  # fmt: skip
    PathStep.objects.create(path=path, position=1, kind=StepKind.ARTICLE, article=article)
    PathStep.objects.create(path=path, position=2, kind=StepKind.QUIZ, quiz=quiz)
    PathStep.objects.create(path=path, position=3, kind=StepKind.LAB, lab=lab)
    return path


def _sign_up(page, base: str) -> None:
    page.goto(base + "/")
    shots(page, "home")
    page.get_by_role("link", name="Start learning, free").click()
    expect(page.get_by_role("heading", name="Create your account")).to_be_visible()

    # A mistake first: the passwords differ; the form says so and keeps the e-mail address.
    page.get_by_label("Email").fill("newcomer@example.com")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password (again)").fill(PASSWORD + "x")
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_text("You must type the same password each time.")).to_be_visible()
    assert page.get_by_label("Email").input_value() == "newcomer@example.com"
    shots(page, "signup-mistake")

    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password (again)").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()
    shots(page, "check-your-email")

    # The confirmation link, read from the message the site sent.
    assert [m.to for m in mail.outbox] == [["newcomer@example.com"]]
    link = re.search(r"http://\S+/accounts/confirm-email/\S+", mail.outbox[0].body).group(0)
    page.goto(link)
    expect(page.get_by_role("button", name="Confirm")).to_be_visible()
    shots(page, "confirm-email")
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_url(base + "/")
    expect(page.get_by_role("heading", name="Welcome, newcomer")).to_be_visible()
    expect(page.get_by_text("newcomer", exact=True).first).to_be_visible()
    shots(page, "signed-in")


def _read_article(page, base: str, path: LearningPath) -> None:
    page.get_by_role("link", name="Learn", exact=True).click()
    page.get_by_role("link", name="Starter path").click()
    expect(page.get_by_text("0 of 3")).to_be_visible()
    shots(page, "path-start")
    page.get_by_role("link", name="Start the path: First Article").click()

    expect(page.get_by_role("heading", name="First Article", level=1)).to_be_visible()
    page.get_by_role("navigation", name="On this page").get_by_role("link", name="Details").click()
    assert page.url.endswith("#details")
    shots(page, "article")
    page.get_by_role("button", name="Mark as read").click()

    page.wait_for_url(base + path.get_absolute_url())
    expect(page.get_by_text("1 of 3")).to_be_visible()
    expect(page.get_by_text("Marked “First Article” as read.")).to_be_visible()
    assert page.locator("progress").first.get_attribute("value") == "1"
    shots(page, "path-article-read")
    page.goto(base + "/")
    expect(page.get_by_role("link", name="Continue where you left off")).to_be_visible()


def _take_quiz(page, base: str, path: LearningPath) -> None:
    page.goto(base + path.get_absolute_url())
    page.get_by_role("link", name="Continue where you left off: Tiny quiz").click()
    page.get_by_role("button", name="Start the quiz").click()

    # Wrong: each answer is explained in place, without leaving the page.
    question = page.locator("section.question").first
    question.get_by_label("uvicorn").check()
    question.get_by_role("button", name="Check answer").click()
    question = page.locator("section.question").first  # swapped in place by htmx
    question.get_by_text("Incorrect.").wait_for()
    expect(question.get_by_text("SINGLE-EXPLANATION")).to_be_visible()
    expect(question.get_by_text("CHOICE-EXPLANATION-uvicorn")).to_be_visible()
    expect(question.get_by_role("link", name="Read the section of the article")).to_be_visible()
    assert "Question 2" in page.locator("section.question").nth(1).inner_text()  # no reload
    spot = page.locator("section.question").nth(3)
    spot.get_by_label("(line 3)").check()
    spot.get_by_role("button", name="Check answer").click()
    page.locator("section.question").nth(3).get_by_text("Executing is fine").wait_for()
    shots(page, "quiz-wrong")
    page.get_by_role("button", name="Finish the quiz").click()
    expect(page.get_by_role("heading", name="Your result")).to_be_visible()
    expect(page.locator(".score")).to_have_text("0%")
    expect(page.get_by_text("Not passed this time")).to_be_visible()
    shots(page, "quiz-failed")

    # Right: every question answered correctly on a second attempt.
    page.get_by_role("link", name="Take it again").click()
    page.get_by_role("button", name="Try again").click()
    answers = [["gunicorn"], ["SQLi", "XSS"], ["True"], ["(line 2)"]]
    for number, labels in enumerate(answers):
        question = page.locator("section.question").nth(number)
        for label in labels:
            question.get_by_label(label).check()
        question.get_by_role("button", name="Check answer").click()
        page.locator("section.question").nth(number).get_by_text("Correct.").wait_for()
    shots(page, "quiz-right")
    page.get_by_role("button", name="Finish the quiz").click()
    expect(page.locator(".score")).to_have_text("100%")
    expect(page.get_by_text("Passed: the pass mark is 75%.")).to_be_visible()
    shots(page, "quiz-passed")
    page.goto(base + "/quizzes/tiny-quiz/")
    expect(page.get_by_text("Your best score: 100%")).to_be_visible()


def _exploit(page, base: str, path: LearningPath, lab) -> None:
    page.goto(base + path.get_absolute_url())
    expect(page.get_by_text("2 of 3")).to_be_visible()
    page.get_by_role("link", name=f"Continue where you left off: {lab.title}").click()
    expect(page.get_by_role("heading", name=lab.title, level=1)).to_be_visible()
    expect(page.get_by_role("heading", name="Step 1: exploit it")).to_be_visible()
    shots(page, "lab")

    # Step 1: the exploit, a script typed into the console's code editor.
    page.get_by_label("A Python script").check()
    replace_editor_text(page, "ex-script", (LAB / "exploit" / "solve.py").read_text())
    page.get_by_role("button", name="Send the attack").click()
    page.get_by_text("Flag captured", exact=True).wait_for(timeout=45_000)
    expect(page.get_by_text("The planted flag came back in a response")).to_be_visible()
    shots(page, "flag-captured", phone=show_tab("Console"))
    page.get_by_role("link", name="On to the fix").click()


def _fix(page, base: str, lab) -> None:
    lab_url = base + lab.get_absolute_url()
    if not page.url.startswith(lab_url):
        page.goto(lab_url)

    # Step 2: settings.py, fixed in the editor; the draft saves itself.
    page.locator("[data-file-link]", has_text="settings.py").first.click()
    expect(page.get_by_role("tab", name="settings.py")).to_have_attribute("aria-selected", "true")
    pane = page.locator(".file-pane", has=page.locator("label", has_text="settings.py")).first
    textarea_id = pane.locator("textarea").get_attribute("id")
    replace_editor_text(page, textarea_id, (LAB / "solution" / "settings.py").read_text())
    page.get_by_text("Draft saved at").wait_for(timeout=15_000)
    shots(page, "fix-in-editor", phone=show_tab("Code"))

    # The public tests say what they ran, never that the hole is closed.
    page.get_by_role("button", name="Run public tests").click()
    results = page.locator("#results")
    finished = '#results #submission-status[data-run-kind="{}"][data-run-finished]'
    page.locator(finished.format("public_tests")).wait_for(timeout=60_000)
    expect(results.locator(".verdict-title")).to_have_text(re.compile(r"^Public tests"))
    expect(results.locator(".verdict-banner")).to_contain_text("hidden checks decide")
    assert page.url.startswith(lab_url), "the run left the workspace"
    shots(page, "public-tests", phone=show_tab("Results"))

    # Submit: the status is live (queued or running, with its spinner) until the verdict.
    page.wait_for_timeout(1500)  # a run may not start while the previous one is in flight
    page.get_by_role("button", name="Submit fix").click()
    live = page.wait_for_function(
        """() => document.querySelector(
            '#results #submission-status[data-run-kind="submit"] .status-line')?.textContent""",
        polling="raf",
    ).json_value()
    assert re.search(r"Queued|Running the hidden checks", live), live
    page.locator(finished.format("submit")).wait_for(timeout=60_000)
    expect(results.locator(".verdict-title")).to_have_text("Passed")
    checks = len(lab.published_version.checks)
    expect(results.locator(".check-passed")).to_have_count(checks)
    expect(results.locator(".check-failed")).to_have_count(0)
    shots(page, "passed", phone=show_tab("Results"))

    # The run's own page has the diff of what changed, and a link on to the explanation.
    results.get_by_role("link", name="Details and diff").first.click()
    expect(page.get_by_text("Passed").first).to_be_visible()
    expect(page.locator(".diff").first).to_contain_text("settings.py")
    shots(page, "submission-diff")
    page.get_by_role("link", name="Read the explanation").click()
    explanation = page.locator("#explanation .markdown")
    explanation.wait_for()
    assert explanation.inner_text().strip() != ""
    expect(page.get_by_text("Score:").first).to_be_visible()
    shots(page, "explanation", phone=show_tab("Brief"))


def test_a_newcomer_signs_up_learns_and_solves_a_lab(
    live_server, page, start_worker, flask_lab
) -> None:
    start_worker()
    base = live_server.url
    path = _starter_path(flask_lab)

    _sign_up(page, base)
    _read_article(page, base, path)
    _take_quiz(page, base, path)
    _exploit(page, base, path, flask_lab)
    _fix(page, base, flask_lab)

    # The path is complete, and the progress page shows the article, the quiz and the lab.
    page.goto(base + path.get_absolute_url())
    expect(page.get_by_text("3 of 3")).to_be_visible()
    expect(page.get_by_text("You have completed this path.")).to_be_visible()
    page.goto(base + "/me/progress/")
    expect(page.get_by_role("heading", name="My progress")).to_be_visible()
    read = page.locator("section", has=page.get_by_role("heading", name="Articles read"))
    expect(read.get_by_role("link", name="First Article")).to_be_visible()
    quizzes = page.locator("section", has=page.get_by_role("heading", name="Quizzes"))
    expect(quizzes).to_contain_text("best 100%, passed")
    labs = page.locator("section", has=page.get_by_role("heading", name="Labs"))
    expect(labs.get_by_role("link", name=flask_lab.title)).to_be_visible()
    expect(labs).to_contain_text(re.compile(r"solved, score \d+"))
    expect(page.get_by_role("progressbar", name="Starter path: 3 of 3 steps done")).to_be_visible()
    shots(page, "progress")
    assert page.js_errors == []

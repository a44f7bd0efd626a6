"""Every real quiz, taken on a phone: no question pushes the page sideways, and each question's
badge names its kind without claiming more than the question asks."""

from __future__ import annotations

import shutil

import pytest
from django.conf import settings

from tests.e2e.conftest import overflow, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.layout, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def real_quizzes(tmp_path) -> list:
    from courses import content_files
    from courses.models import Quiz

    for folder in ("articles", "quizzes"):
        shutil.copytree(settings.CONTENT_DIR / folder, tmp_path / folder)
    content_files.load(content_dir=tmp_path)
    quizzes = list(Quiz.objects.published())
    assert len(quizzes) >= 9
    return quizzes


def test_every_real_quiz_fits_a_phone_and_labels_spot_the_line_plainly(
    live_server, browser, alice, password, real_quizzes
) -> None:
    from courses.models import QuestionKind
    from courses.services import answer_submit, quiz_attempt_finish, quiz_attempt_start

    context = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True)
    page = context.new_page()
    sign_in(page, live_server.url, alice.email, password)
    spot_badges: set[str] = set()
    for quiz in real_quizzes:
        attempt = quiz_attempt_start(user=alice, quiz=quiz)
        page.goto(live_server.url + attempt.get_absolute_url())
        assert overflow(page) <= 0, quiz.slug
        for question in quiz.questions.filter(kind="spot_line"):
            badge = page.locator(f"#q-{question.pk}-title .badge").inner_text()
            spot_badges.add(badge)
        # Wrong answers everywhere, so every explanation and line note is on the result page.
        for question in quiz.questions.all():
            wrong = [c.pk for c in question.choices.all() if not c.correct][:1]
            if question.kind == QuestionKind.TRUE_FALSE:
                answer_submit(attempt=attempt, question=question, value=not question.answer)
            elif question.kind == QuestionKind.SPOT_LINE:
                line = next(n for n in range(1, 99) if n not in question.answer_lines)
                answer_submit(attempt=attempt, question=question, line=line)
            else:
                answer_submit(attempt=attempt, question=question, choices=wrong)
        page.goto(live_server.url + attempt.get_absolute_url())
        assert overflow(page) <= 0, ("feedback", quiz.slug)
        quiz_attempt_finish(attempt=attempt)
        page.goto(f"{live_server.url}/quizzes/{quiz.slug}/attempts/{attempt.pk}/result/")
        assert overflow(page) <= 0, ("result", quiz.slug)
    # Spot-the-line questions ask about bugs and errors too, not only vulnerabilities.
    assert spot_badges == {"Spot the line"}
    context.close()

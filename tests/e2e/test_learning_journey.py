"""Articles and labs on a phone. Opening a path, reading an article and seeing the progress move
is journey 1 (test_journey_newcomer.py)."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_article_page_reads_well_on_a_phone(live_server, phone_page, path_with_steps) -> None:
    phone_page.goto(live_server.url + "/articles/first-article/")
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375
    assert phone_page.get_by_role("heading", name="First Article", level=1).is_visible()


def test_every_real_article_and_lab_fits_a_phone(
    live_server, phone_page, alice, password, tmp_path
) -> None:
    import shutil

    from django.conf import settings

    from courses import content_files
    from tests.factories import LABS, store_published

    labs = sorted(p.name for p in LABS.iterdir() if (p / "lab.toml").is_file())
    for slug in labs:
        store_published(slug)
    # Articles link quizzes, so both are loaded.
    for folder in ("articles", "quizzes"):
        shutil.copytree(settings.CONTENT_DIR / folder, tmp_path / folder)
    content_files.load(content_dir=tmp_path)
    sign_in(phone_page, live_server.url, alice.email, password)
    urls = [f"/articles/{p.stem}/" for p in (tmp_path / "articles").glob("*.md")]
    urls += [f"/labs/{slug}/" for slug in labs]
    urls += ["/learn/", "/labs/", "/labs/compare/sql-injection/"]
    for url in urls:
        response = phone_page.goto(live_server.url + url)
        assert response is not None and response.ok, (
            f"{url} answered {response and response.status}"
        )
        width = phone_page.evaluate("document.documentElement.scrollWidth")
        assert width <= 375, f"{url} scrolls sideways on a phone ({width}px)"

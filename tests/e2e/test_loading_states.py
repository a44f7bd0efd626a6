"""Loading states for waits over a second (static/js/site.js): a form that posts stops taking
clicks at once, and when the answer is slow the button spins and says what is happening, in a
live region too; going back to the page gives a working form again.

The server's answer is held back in the browser (``page.route``), so the slow wait is real.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import shot
from tests.e2e.test_admin_pages import admin_login, bad_zip

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def hold_posts(page, pattern: str) -> list:
    """Keep each POST to ``pattern`` waiting until the test lets it go; other requests pass."""
    held: list = []

    def handle(route) -> None:
        if route.request.method == "POST":
            held.append(route)
        else:
            route.continue_()

    page.route(pattern, handle)
    return held


#: Records, inside the page, the pressed button's state 0.3 s and 1.3 s after the press (then
#: sends the form again, as Enter in a field would), into sessionStorage so the next page can
#: read it: while a navigation is pending, Playwright waits for it before looking at the page.
RECORD = """([selector, key]) => {
  const take = () => {
    const button = document.querySelector(selector);
    const status = button.form.querySelector('[role=status]');
    return {
      disabled: button.disabled, spinner: !!button.querySelector('.busy-spinner'),
      text: (button.tagName === 'INPUT' ? button.value : button.textContent).trim(),
      busy: button.form.getAttribute('aria-busy'), status: status ? status.textContent : null,
    };
  };
  const log = {};
  const save = () => sessionStorage.setItem(key, JSON.stringify(log));
  setTimeout(() => { log.early = take(); save(); }, 300);
  setTimeout(() => {
    log.late = take(); save();
    document.querySelector(selector).form.requestSubmit();
  }, 1300);
}"""


def press_and_wait(page, selector: str, held: list) -> None:
    """Press the submit button, let the server's answer wait 1.6 s, then release it."""
    page.evaluate(RECORD, [selector, "busy-log"])
    page.locator(selector).click(no_wait_after=True)
    page.wait_for_timeout(1_600)
    assert len(held) == 1  # the second submission, sent while waiting, was stopped
    held[0].continue_()


def busy_log(page) -> dict:
    """What the button looked like early (0.3 s) and late (1.3 s), read on the next page."""
    return page.evaluate("JSON.parse(sessionStorage.getItem('busy-log'))")


def test_sign_in_shows_it_is_working_when_slow(live_server, page, alice, password) -> None:
    held = hold_posts(page, "**/accounts/login/")
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Email").fill(alice.email)
    page.get_by_label("Password").fill(password)
    button = "form.form button[type=submit]"
    press_and_wait(page, button, held)
    page.wait_for_url(live_server.url + "/")
    log = busy_log(page)

    # At once: no second press, but no spinner yet (a quick answer would not flash one).
    assert log["early"] == {
        "disabled": True,
        "spinner": False,
        "text": "Sign in",
        "busy": "true",
        "status": "",
    }
    # Past a second: the spinner and what is happening, said to screen readers too.
    assert log["late"] == {
        "disabled": True, "spinner": True, "text": "Signing in…", "busy": "true",
        "status": "Signing in…",
    }  # fmt: skip


def test_coming_back_to_a_busy_page_gives_a_usable_form(live_server, page) -> None:
    """Back from the next page, a browser may show this page as it was left (its back-forward
    cache): busy. The pageshow event undoes it. The busy state is started with a submit event
    that sends nothing, so the page can be looked at (and shot) while it is busy."""
    page.goto(live_server.url + "/accounts/login/")
    page.evaluate(
        "document.querySelector('form.form').dispatchEvent("
        "new SubmitEvent('submit', {bubbles: true, cancelable: true}))"
    )
    button = page.locator("form.form button[type=submit]")
    expect(button).to_have_text("Signing in…", timeout=3_000)
    expect(button).to_be_disabled()
    for width in (375, 1280):
        page.set_viewport_size({"width": width, "height": 700})
        shot(page, f"loading-sign-in-{width}.png")
    page.evaluate("window.dispatchEvent(new PageTransitionEvent('pageshow', {persisted: true}))")
    expect(button).to_have_text("Sign in")
    expect(button).to_be_enabled()
    assert button.locator(".busy-spinner").count() == 0
    assert page.locator("form.form").get_attribute("aria-busy") is None


def test_quiz_finish_shows_it_is_working(live_server, page, alice, password) -> None:
    from courses.services import quiz_attempt_start
    from tests.e2e.conftest import sign_in
    from tests.factories import make_quiz

    attempt = quiz_attempt_start(user=alice, quiz=make_quiz())
    sign_in(page, live_server.url, alice.email, password)
    held = hold_posts(page, "**/finish/")
    page.goto(live_server.url + attempt.get_absolute_url())
    press_and_wait(page, "form.finish-form button[type=submit]", held)
    page.wait_for_url("**/result/")
    log = busy_log(page)
    assert log["early"]["disabled"] and log["early"]["text"] == "Finish the quiz"
    assert log["late"]["spinner"] and log["late"]["text"] == "Working…"


def test_admin_upload_shows_it_is_working(live_server, page, author, password) -> None:
    """The upload button is an <input>: its words change; the form still posts the file."""
    admin_login(page, live_server.url, author.email, password)
    held = hold_posts(page, "**/admin/labs/labversion/upload/")
    page.goto(live_server.url + "/admin/labs/labversion/upload/")
    page.set_input_files(
        "input[type=file]",
        files=[{"name": "notalab.zip", "mimeType": "application/zip", "buffer": bad_zip()}],
    )
    press_and_wait(page, "input[type=submit]", held)
    expect(page.locator(".errorlist")).to_contain_text("no lab.toml")
    log = busy_log(page)
    assert log["late"]["disabled"] and log["late"]["text"] == "Uploading and checking…"
    assert log["late"]["status"] == "Uploading and checking…"

    page.go_back()  # the page before the upload comes back usable, not stuck in its busy state
    page.wait_for_load_state("load")
    upload = page.locator("input[type=submit]")
    expect(upload).to_have_value("Upload")
    expect(upload).to_be_enabled()
    assert upload.evaluate("el => el.form.getAttribute('aria-busy')") is None


def test_admin_action_button_still_sends_its_name(live_server, page, author, password) -> None:
    """Buttons are disabled only after the browser has read the form: the admin's action form
    needs the pressed "Go" button's name, or Django answers "No action selected"."""
    from labs.models import LabVersion
    from tests.factories import make_lab

    make_lab("slow-lab")
    admin_login(page, live_server.url, author.email, password)
    page.goto(live_server.url + "/admin/labs/labversion/")
    page.locator("input.action-select").first.check()
    page.select_option("select[name=action]", "publish")
    page.get_by_role("button", name="Go").click()
    expect(page.locator(".messagelist")).to_contain_text("published")
    assert LabVersion.objects.filter(lab__slug="slow-lab").exists()

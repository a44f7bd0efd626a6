"""Security checks: no part of Werkzeug's debugger may be reachable from outside.

These tests never look for the flag. They detect the debugger by what it does:
its traceback page, its console, its secret, its static files, and above all
whether it will run Python code that a request sends it.
"""

from __future__ import annotations

import html
import re

import httpx

# Requests that make the starter app crash. A fixed app may answer them with a
# plain 500 (or a 400, if the underlying bug was fixed too): either is fine, as
# long as no debugger comes back.
ERROR_TRIGGERS = [
    ("GET", "/?page=first", None),
    ("GET", "/api/updates?limit=all", None),
    ("POST", "/updates/new", {"author": "Mallory"}),
]

# Strings only Werkzeug's debugger pages contain.
DEBUGGER_MARKERS = (
    "Werkzeug Debugger",
    "__debugger__",
    "SECRET = ",
    "EVALEX",
    "Console Locked",
    "Interactive Console",
)

# Code the tests ask the debugger to run. If it runs, its result shows up in
# the response; the source that is echoed back does not contain the result.
PROBE = "print(104729 * 1299709)"
PROBE_RESULT = "136117223861"

# Werkzeug's debugger only answers requests whose Host header names localhost
# or 127.0.0.1. The header is the client's to choose, so these tests choose it.
LOCAL = {"Host": "localhost"}

SECRET_RE = re.compile(r'SECRET\s*=\s*"([^"]+)"')
FRAME_RE = re.compile(r'id="frame-(\d+)"')
SOURCE_LOCATION_RE = re.compile(r'File "[^"]+", line \d+')
TAG_RE = re.compile(r"<[^>]+>")


def trigger(client: httpx.Client, method: str, url: str, form: dict | None) -> httpx.Response:
    return client.request(method, url, data=form, headers=LOCAL)


def visible_text(response: httpx.Response) -> str:
    """The body with tags removed and entities decoded, as a reader would see it."""
    return html.unescape(TAG_RE.sub("", response.text))


def debugger_markers_in(response: httpx.Response) -> list[str]:
    return [marker for marker in DEBUGGER_MARKERS if marker in response.text]


def run_in_debugger(
    client: httpx.Client, path: str, frame: str, secret: str, code: str = PROBE
) -> httpx.Response:
    params = {"__debugger__": "yes", "cmd": code, "frm": frame, "s": secret}
    return client.get(path, params=params, headers=LOCAL)


def test_error_pages_show_no_debugger(app_client: httpx.Client) -> None:
    for method, url, form in ERROR_TRIGGERS:
        response = trigger(app_client, method, url, form)
        found = debugger_markers_in(response)
        assert not found, f"{method} {url} answered with the debugger page ({', '.join(found)})"


def test_error_pages_reveal_no_source_code(app_client: httpx.Client) -> None:
    for method, url, form in ERROR_TRIGGERS:
        text = visible_text(trigger(app_client, method, url, form))
        assert "Traceback (most recent call last)" not in text, f"{method} {url} shows a traceback"
        assert not SOURCE_LOCATION_RE.search(text), f"{method} {url} shows source file locations"


def test_console_page_is_not_served(app_client: httpx.Client) -> None:
    response = app_client.get("/console", headers=LOCAL)
    found = debugger_markers_in(response)
    assert not found, f"/console serves the debugger console ({', '.join(found)})"


def test_console_cannot_run_code(app_client: httpx.Client) -> None:
    page = app_client.get("/console", headers=LOCAL)
    match = SECRET_RE.search(page.text)
    secret = match.group(1) if match else ""
    # Frame 0 is the standalone console's namespace.
    response = run_in_debugger(app_client, "/console", "0", secret)
    assert PROBE_RESULT not in response.text, "the /console endpoint ran Python code"


def test_traceback_frames_cannot_run_code(app_client: httpx.Client) -> None:
    for method, url, form in ERROR_TRIGGERS:
        page = trigger(app_client, method, url, form)
        match = SECRET_RE.search(page.text)
        if match is None:
            continue
        for frame in FRAME_RE.findall(page.text):
            response = run_in_debugger(app_client, "/", frame, match.group(1))
            assert PROBE_RESULT not in response.text, (
                f"code sent to traceback frame {frame} (from {method} {url}) was run"
            )


def test_debugger_resources_are_not_served(app_client: httpx.Client) -> None:
    signatures = {
        "debugger.js": "makeDebugURL",
        "style.css": "div.debugger",
        "console.png": None,
    }
    for filename, signature in signatures.items():
        response = app_client.get(
            "/", params={"__debugger__": "yes", "cmd": "resource", "f": filename}, headers=LOCAL
        )
        content_type = response.headers.get("content-type", "")
        if signature is None:
            served = content_type.startswith("image/png")
        else:
            served = signature in response.text
        assert not served, f"the debugger's {filename} is served: a debugger is mounted"

"""Security checks: no part of Werkzeug's debugger may be reachable from outside.

These tests detect the debugger by what it does: its traceback page, its console, its secret, its
static files, and above all whether it will run Python code that a request sends it. They reach
for it the way an attacker would: through every crash they can provoke (malformed values in every
field, wrong JSON types, on every endpoint, not only the three the starter is known for), through
every spelling of its query parameters (percent-encoded, on any path) and every route to its
console. A fixed app may answer a malformed request with a plain 500, a 400 or a 404: any of them
is fine, as long as no debugger, traceback or secret comes back.
"""

from __future__ import annotations

import html
import json
import re
from urllib.parse import quote, urlencode

import httpx

# (method, path, form data or None, JSON body or None, raw body or None)
Probe = tuple[str, str, dict | None, object, bytes | None]

HUGE = "99999999999999999999999"
# Requests a careless app crashes on. Every endpoint, every field, every wrong type.
ERROR_TRIGGERS: list[Probe] = [
    # The board's page number.
    ("GET", "/?page=first", None, None, None),
    ("GET", "/?page=", None, None, None),
    ("GET", "/?page=1.5", None, None, None),
    ("GET", "/?page=%00", None, None, None),
    ("GET", f"/?page={HUGE}", None, None, None),
    ("GET", f"/?page=-{HUGE}", None, None, None),
    # The API's filters.
    ("GET", "/api/updates?limit=all", None, None, None),
    ("GET", "/api/updates?limit=", None, None, None),
    ("GET", "/api/updates?limit=1e3", None, None, None),
    ("GET", f"/api/updates?limit={HUGE}", None, None, None),
    ("GET", "/api/updates?status=%00", None, None, None),
    ("GET", "/api/updates?status=blocked&status=sleeping", None, None, None),
    # Ids out of range for the database.
    ("GET", f"/api/updates/{HUGE}", None, None, None),
    ("GET", f"/updates/{HUGE}", None, None, None),
    # The form, with fields missing.
    ("POST", "/updates/new", {"author": "Mallory"}, None, None),
    ("POST", "/updates/new", {}, None, None),
    ("POST", "/updates/new", {"status": "on_track", "summary": "Hi"}, None, None),
    ("POST", "/updates/new", {"author": "Mallory", "status": "on_track"}, None, None),
    # The API, with the wrong JSON types in each field, and bodies that are not objects.
    ("POST", "/api/updates", None, {"author": "Mallory", "status": [], "summary": "Hi"}, None),
    ("POST", "/api/updates", None, {"status": []}, None),
    ("POST", "/api/updates", None, {"status": {"on_track": 1}}, None),
    ("POST", "/api/updates", None, {"status": ["on_track"]}, None),
    ("POST", "/api/updates", None, {"author": ["M"], "status": "on_track", "summary": "Hi"}, None),
    ("POST", "/api/updates", None, {"author": "M", "status": "on_track", "summary": {}}, None),
    ("POST", "/api/updates", None, {"author": 7, "status": 1.5, "summary": True}, None),
    ("POST", "/api/updates", None, {"author": None, "status": None, "summary": None}, None),
    ("POST", "/api/updates", None, [], None),
    ("POST", "/api/updates", None, "on_track", None),
    ("POST", "/api/updates", None, 42, None),
    ("POST", "/api/updates", None, None, b"null"),
    ("POST", "/api/updates", None, None, b"[" * 50_000),
    ("POST", "/api/updates", None, None, b'{"author": "\xff\xfe", "status": "on_track"}'),
    ("POST", "/api/updates", None, None, b'{"author": "M", "status": NaN, "summary": "x"}'),
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

# The value of STANDUP_SECRET_KEY in the container's environment ([app].env): it must never leak.
SECRET_KEY_VALUE = "sb-prod-3c9f1e7a52d84b06"  # noqa: S105 - the value that must not leak

# Werkzeug's debugger only answers requests whose Host header names localhost
# or 127.0.0.1. The header is the client's to choose, so these tests choose it.
LOCAL = {"Host": "localhost"}

# Every path reaches the debugger's query parameters, not only "/".
DEBUGGER_PATHS = ["/", "/healthz", "/api/updates", "/updates/new"]
# Routes to the standalone console: Werkzeug strips leading slashes and decodes the path.
CONSOLE_PATHS = [b"/console", b"//console", b"/%63onsole", b"///console", b"/console?x=1"]

SECRET_RE = re.compile(r'SECRET\s*=\s*"([^"]+)"')
FRAME_RE = re.compile(r'id="frame-(\d+)"')
SOURCE_LOCATION_RE = re.compile(r'File "[^"]+", line \d+')
TAG_RE = re.compile(r"<[^>]+>")


def trigger(client: httpx.Client, probe: Probe) -> httpx.Response:
    method, url, form, body, raw = probe
    headers = dict(LOCAL)
    if body is not None:
        raw = json.dumps(body).encode()
    if raw is not None:
        headers["Content-Type"] = "application/json"
    return client.request(method, url, data=form, content=raw, headers=headers)


def described(probe: Probe) -> str:
    method, url, form, body, raw = probe
    payload = form if form is not None else body if body is not None else raw
    text = repr(payload)
    return f"{method} {url}" + (f" with {text[:60]}" if payload is not None else "")


def visible_text(response: httpx.Response) -> str:
    """The body with tags removed and entities decoded, as a reader would see it."""
    return html.unescape(TAG_RE.sub("", response.text))


def debugger_markers_in(response: httpx.Response) -> list[str]:
    return [marker for marker in DEBUGGER_MARKERS if marker in response.text]


def percent_all(text: str) -> str:
    return "".join(f"%{byte:02X}" for byte in text.encode())


def debugger_queries(fields: dict[str, str]) -> list[str]:
    """The same debugger parameters, spelled the ways a URL parser reads the same."""
    plain = urlencode(fields, quote_via=quote)
    return [
        plain,
        plain.replace("__debugger__", "%5F%5Fdebugger%5F%5F"),
        plain.replace("__debugger__", "%5f%5fdebugger%5f%5f"),
        "&".join(f"{percent_all(k)}={percent_all(v)}" for k, v in fields.items()),
        "x=1&" + plain.replace("__debugger__", "_%5Fdebugger_%5F"),
    ]


def ran_code(client: httpx.Client, fields: dict[str, str]) -> str | None:
    """Send `fields` to the debugger in every spelling on every path; the URL that ran the code."""
    for path in DEBUGGER_PATHS:
        for query in debugger_queries(fields):
            url = f"{path}?{query}"
            if PROBE_RESULT in client.get(url, headers=LOCAL).text:
                return url
    return None


def console_pages(client: httpx.Client) -> list[tuple[bytes, httpx.Response]]:
    pages = []
    for raw_path in CONSOLE_PATHS:
        # Built by hand: httpx would read "//console" as a host name.
        url = client.base_url.copy_with(raw_path=raw_path)
        pages.append((raw_path, client.get(url, headers=LOCAL)))
    return pages


def test_error_pages_show_no_debugger(app_client: httpx.Client, lab_flag: str) -> None:
    for probe in ERROR_TRIGGERS:
        response = trigger(app_client, probe)
        found = debugger_markers_in(response)
        assert not found, f"{described(probe)} answered with the debugger page ({', '.join(found)})"
        assert SECRET_KEY_VALUE not in response.text, f"{described(probe)} leaks the secret key"
        if lab_flag:
            assert lab_flag not in response.text, f"{described(probe)} leaks the environment"


def test_error_pages_reveal_no_source_code(app_client: httpx.Client) -> None:
    for probe in ERROR_TRIGGERS:
        text = visible_text(trigger(app_client, probe))
        where = described(probe)
        assert "Traceback (most recent call last)" not in text, f"{where} shows a traceback"
        assert not SOURCE_LOCATION_RE.search(text), f"{where} shows source locations"


def test_console_page_is_not_served(app_client: httpx.Client) -> None:
    for raw_path, response in console_pages(app_client):
        found = debugger_markers_in(response)
        assert not found, f"{raw_path.decode()} serves the debugger console ({', '.join(found)})"


def test_console_cannot_run_code(app_client: httpx.Client) -> None:
    secrets = {"", "0" * 20}
    for _, page in console_pages(app_client):
        match = SECRET_RE.search(page.text)
        if match:
            secrets.add(match.group(1))
    for secret in sorted(secrets):
        # Frame 0 is the standalone console's namespace.
        fields = {"__debugger__": "yes", "cmd": PROBE, "frm": "0", "s": secret}
        url = ran_code(app_client, fields)
        assert url is None, f"the console ran Python code through {url}"


def test_traceback_frames_cannot_run_code(app_client: httpx.Client) -> None:
    every_spelling_tried = False
    for probe in ERROR_TRIGGERS:
        page = trigger(app_client, probe)
        match = SECRET_RE.search(page.text)
        frames = FRAME_RE.findall(page.text)
        if match is None or not frames:
            continue
        # The innermost frame (the view): any frame runs code. Every spelling on every path is
        # tried once; after that, the plain spelling for each further crash.
        fields = {"__debugger__": "yes", "cmd": PROBE, "frm": frames[-1], "s": match.group(1)}
        if every_spelling_tried:
            response = app_client.get("/", params=fields, headers=LOCAL)
            url = "/?__debugger__=yes&..." if PROBE_RESULT in response.text else None
        else:
            url = ran_code(app_client, fields)
            every_spelling_tried = True
        assert url is None, (
            f"code sent to traceback frame {frames[-1]} (from {described(probe)}) ran via {url}"
        )


def test_debugger_resources_are_not_served(app_client: httpx.Client) -> None:
    signatures = {
        "debugger.js": "makeDebugURL",
        "style.css": "div.debugger",
        "console.png": None,
    }
    for filename, signature in signatures.items():
        fields = {"__debugger__": "yes", "cmd": "resource", "f": filename}
        for path in DEBUGGER_PATHS:
            for query in debugger_queries(fields):
                response = app_client.get(f"{path}?{query}", headers=LOCAL)
                content_type = response.headers.get("content-type", "")
                if signature is None:
                    served = content_type.startswith("image/png")
                else:
                    served = signature in response.text
                assert not served, (
                    f"the debugger's {filename} is served at {path}?{query}: a debugger is mounted"
                )

"""The web process never runs submitted code, so it needs no root: only the worker does.

The web server runs here as ``nobody`` (``setpriv``), against the test database and a broker of
this test's own, beside a real worker running as root. Alice signs in over HTTP and submits the
reference fix; an author queues a validation from the admin; the worker's sandbox does the rest.
"""

from __future__ import annotations

import html
import os
import re
import shutil
import socket
import stat
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection

from labs.models import Lab, LabVersion, Submission, ValidationStatus, Verdict
from labs.services import lab_version_store, read_folder
from portal.models import User
from tests.factories import LABS
from tests.worker import ROOT, database_url

pytestmark = [pytest.mark.worker, pytest.mark.sandbox, pytest.mark.django_db(transaction=True)]

UNPRIVILEGED = ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"]
#: Run as the web's user before the test: which Python it gets, and whether the broker answers.
PROBE = """import sys, django
django.setup()
from portal.selectors import broker_health
health = broker_health()
print(sys.version)
print("ok" if health.ok else health.detail)
"""


def _wait(predicate: Callable[[], bool], seconds: float = 90.0) -> None:
    deadline = time.monotonic() + seconds
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting")
        time.sleep(0.1)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _open_folder() -> Path:
    """A temporary folder anyone may write to (pytest's own are private to root)."""
    folder = Path(tempfile.mkdtemp(prefix="patchwise-web-"))
    folder.chmod(0o777)  # the unprivileged web process writes here
    return folder


def _real_password(user: User, password: str) -> None:
    """The suite hashes with MD5 for speed; the web process only knows the real hashers."""
    hasher = PBKDF2PasswordHasher()
    user.password = hasher.encode(password, hasher.salt())
    user.save(update_fields=["password"])


@pytest.fixture
def open_folders() -> Iterator[Callable[[], Path]]:
    made: list[Path] = []

    def make() -> Path:
        made.append(_open_folder())
        return made[-1]

    yield make
    for folder in made:
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def shared_database() -> Iterator[None]:
    """Let the unprivileged process write the SQLite test database (PostgreSQL needs nothing)."""
    if connection.vendor != "sqlite":
        yield
        return
    db = Path(connection.settings_dict["NAME"])
    mode = db.stat().st_mode
    db.chmod(0o666)  # a throwaway test database
    try:
        yield
    finally:
        db.chmod(stat.S_IMODE(mode))


@pytest.fixture
def web_server(
    shared_database: None, open_folders: Callable[[], Path], start_worker
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """A root worker, and the web server as ``nobody``; both on this test's broker."""
    if shutil.which("setpriv") is None:
        pytest.skip("setpriv (util-linux) is not installed")
    python = str(ROOT / ".venv" / "bin" / "python")
    python = python if Path(python).exists() else sys.executable
    env: dict[str, str] = {}
    if not os.environ.get("REDIS_URL") and not os.environ.get("CELERY_BROKER_URL"):
        env["PATCHWISE_BROKER_DIR"] = str(open_folders())
    web_env = {
        **os.environ,
        **env,
        "DEBUG": "1",
        "DATABASE_URL": database_url(),
        "PATCHWISE_VAR_DIR": str(open_folders()),
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    web_env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    probe = subprocess.run(
        [*UNPRIVILEGED, python, "-c", PROBE],
        cwd=ROOT, env={**web_env, "DJANGO_SETTINGS_MODULE": "portal.settings"},
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    if probe.returncode != 0:
        pytest.skip(
            f"user nobody cannot load the project at {ROOT} (a clone under /root?): "
            f"{probe.stderr.strip().splitlines()[-1:]}"
        )
    version, broker = probe.stdout.strip().splitlines()[-2:]
    if version != sys.version and broker != "ok":
        # A virtualenv made from a Python under /root: nobody gets another build of Python, where
        # the broker's client does not import. Not the web's fault, but nothing to test with.
        pytest.skip(
            f"user nobody runs {python} as Python {version.split()[0]}, not "
            f"{sys.version.split()[0]}, and cannot reach the broker ({broker}): make the "
            "virtualenv from a Python every user can read"
        )
    if env:
        # The embedded broker is one folder for both: the files the root worker creates there
        # (its exchange table) must stay writable by the web's user, who binds to it too.
        old_umask = os.umask(0)
        try:
            start_worker(**env)
        finally:
            os.umask(old_umask)
    else:
        start_worker()
    port = _free_port()
    log = open_folders() / "web.log"
    proc = subprocess.Popen(
        [*UNPRIVILEGED, python, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
        cwd=ROOT, env=web_env, stdout=log.open("ab"), stderr=subprocess.STDOUT,
        start_new_session=True,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"

    last: list[str] = ["no answer"]

    def answers() -> bool:
        if proc.poll() is not None:
            raise RuntimeError("web server stopped:\n" + log.read_text(errors="replace"))
        try:
            response = httpx.get(base + "/healthz", timeout=2)
        except httpx.HTTPError as exc:
            last[0] = str(exc)
            return False
        last[0] = response.text
        return response.status_code == 200

    try:
        try:
            _wait(answers, 60)
        except AssertionError:
            raise AssertionError(f"web server not healthy: {last[0]}") from None
        yield base, proc
    finally:
        os.killpg(proc.pid, 15)
        proc.wait(timeout=30)


def _uids(pid: int) -> list[int]:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("Uid:"):
            return [int(uid) for uid in line.split()[1:]]
    raise AssertionError(f"no Uid line for process {pid}")


def _sign_in(base: str, email: str, password: str) -> httpx.Client:
    client = httpx.Client(base_url=base, timeout=30)
    page = client.get("/accounts/login/")
    response = client.post(
        "/accounts/login/",
        data={"login": email, "password": password, "csrfmiddlewaretoken": _csrf(page.text)},
    )
    assert response.status_code == 302, _why(response)
    return client


def _why(response: httpx.Response) -> str:
    """The exception of Django's debug page, or the start of the body."""
    found = re.search(r'class="exception_value">(.*?)</pre>', response.text, re.S)
    title = re.search(r"<title>(.*?)</title>", response.text, re.S)
    if found and title:
        return html.unescape(f"{title.group(1).strip()}: {found.group(1).strip()}")
    return f"{response.status_code}: {response.text[:1000]}"


def _csrf(html: str) -> str:
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert found, "no CSRF token in the page"
    return found.group(1)


def test_the_web_server_runs_unprivileged_and_the_worker_grades_its_submissions(
    web_server, alice: User, password: str, flask_lab: Lab
) -> None:
    base, proc = web_server
    assert 0 not in _uids(proc.pid)
    _real_password(alice, password)
    client = _sign_in(base, alice.email, password)
    version = flask_lab.published_version
    fix = {
        f"file:{path}": text
        for path, text in version.solution_files.items()
        if path in version.editable
    }
    page = client.get(flask_lab.get_absolute_url())
    response = client.post(
        f"/labs/{flask_lab.slug}/workspace/",
        data={"action": "submit", "csrfmiddlewaretoken": _csrf(page.text), **fix},
    )
    assert response.status_code == 302, _why(response)

    submission = Submission.objects.get()
    _wait(lambda: Submission.objects.get(pk=submission.pk).is_finished)
    submission.refresh_from_db()
    assert submission.verdict == Verdict.PASSED, submission.grader_log
    assert client.get(submission.get_absolute_url()).status_code == 200


def test_an_author_validates_a_version_from_the_admin_and_the_worker_runs_it(
    web_server, author: User, password: str
) -> None:
    base, proc = web_server
    assert 0 not in _uids(proc.pid)
    folder = LABS / "flask-debug-console"
    version, _ = lab_version_store(bundle=read_folder(folder), source=str(folder))
    assert version.validation_status == ValidationStatus.PENDING
    _real_password(author, password)
    client = _sign_in(base, author.email, password)

    page = client.get("/admin/labs/labversion/")
    assert page.status_code == 200
    response = client.post(
        "/admin/labs/labversion/",
        data={
            "action": "validate",
            "_selected_action": [str(version.pk)],
            "index": "0",
            "csrfmiddlewaretoken": _csrf(page.text),
        },
    )
    assert response.status_code == 302, _why(response)

    finished = (ValidationStatus.VALID, ValidationStatus.INVALID)
    _wait(lambda: LabVersion.objects.get(pk=version.pk).validation_status in finished, 240)
    version.refresh_from_db()
    failed = [rule for rule in version.validation_report.get("rules", []) if not rule.get("ok")]
    assert version.validation_status == ValidationStatus.VALID, failed or version.validation_report

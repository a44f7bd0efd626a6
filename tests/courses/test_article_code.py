"""Every runnable code block of every article compiles, runs and serves its routes without a 5xx.

Articles mark the blocks that must work with ```` ``` { .python .runnable } ```` (see the article
format). Each block becomes one test, named after its article and the line of its opening fence
(``flask-security:L159``), which:

1. compiles it (a syntax error names the article's file and line);
2. runs it as a script in a process of its own, in an empty temporary folder, without the suite's
   DJANGO_*, DATABASE_URL and REDIS_URL variables, and requires exit code 0;
3. for a Flask or FastAPI block that defines ``app``: imports it in a second process with
   ``runpy.run_path`` (so its ``if __name__ == "__main__":`` part does not run) and sends a GET to
   every route without path parameters through the framework's test client, requiring a status
   below 500.

Django blocks get no third step: each is a complete single-file project (``settings.configure``,
``django.setup``, ``urlpatterns``) that drives itself with Django's test client when run as a
script, so step 2 already exercises it.

The block file is padded with blank lines so that line numbers in a traceback are the article's.
The processes of all selected blocks are started together on a small thread pool when the first
test needs one, so the file takes about as long as its slowest blocks divided by the cores.
"""

from __future__ import annotations

import ast
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pytest

# In a parallel run (`make test-fast`) one process takes every block: the `runs` fixture starts
# all the session's blocks ahead, so two processes would each run them all.
pytestmark = [pytest.mark.articles, pytest.mark.xdist_group("article-code")]

REPO = Path(__file__).resolve().parents[2]
ARTICLES = REPO / "content" / "articles"
TIMEOUT = 60  # seconds for one process
MIN_BLOCKS = 16  # the articles have more; fewer means the extractor lost some
WEB_FRAMEWORKS = {"flask", "fastapi"}
# The suite's own settings and services must not leak into the blocks: a Django block configures
# itself, and none of them may reach the suite's database or Redis.
DROPPED_ENV = ("DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL")

OPENING = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})[ \t]*(?P<info>.*?)[ \t]*$")
INFO = re.compile(r"(?P<lang>[\w#+.-]*)[ \t]*(?:\{(?P<attrs>[^}]*)\})?")
LOOKS_RUNNABLE = re.compile(r"^[ \t]*(?:`{3,}|~{3,}).*\brunnable\b")


@dataclass(frozen=True)
class Block:
    slug: str
    path: Path
    line: int  # 1-based line of the opening fence
    code: str

    @property
    def id(self) -> str:
        return f"{self.slug}:L{self.line}"

    @property
    def location(self) -> str:
        return f"{self.path.relative_to(REPO)}:{self.line}"

    @property
    def source(self) -> str:
        """The code, shifted down so that its line numbers are the article's."""
        return "\n" * self.line + self.code

    @property
    def module_name(self) -> str:
        return f"{self.slug.replace('-', '_')}_L{self.line}"

    def web_framework(self) -> str | None:
        """'flask' or 'fastapi' when the block imports one and binds ``app`` at module level."""
        try:
            tree = ast.parse(self.source)
        except SyntaxError:
            return None  # the compile step reports it
        imported = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                imported.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                imported.add(node.module.split(".")[0])
        frameworks = imported & WEB_FRAMEWORKS
        if not frameworks or "app" not in _module_level_names(tree.body):
            return None
        return "fastapi" if "fastapi" in frameworks else "flask"


def _module_level_names(body: list[ast.stmt]) -> set[str]:
    """Names bound at module level, including inside if/try/with, not inside defs or classes."""
    names: set[str] = set()
    for node in body:
        if isinstance(node, ast.Assign | ast.AnnAssign | ast.AugAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                names.update(n.id for n in ast.walk(target) if isinstance(n, ast.Name))
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(node.name)
            continue  # what a def or class binds inside is not module level
        for attr in ("body", "orelse", "finalbody", "handlers"):
            children = getattr(node, attr, None)
            if isinstance(children, list):
                names |= _module_level_names(children)
    return names


def _is_runnable(info: str) -> bool:
    match = INFO.fullmatch(info)
    if not match:
        return False
    classes = {t[1:] for t in (match["attrs"] or "").split() if t.startswith(".")}
    return "runnable" in classes and "python" in (classes | {match["lang"]})


def extract_blocks(path: Path) -> tuple[list[Block], list[str]]:
    """The runnable blocks of one article, and what looked wrong while reading it."""
    lines = path.read_text(encoding="utf-8").splitlines()
    rel = path.relative_to(REPO)
    blocks: list[Block] = []
    problems: list[str] = []
    inside_other_fences: set[int] = set()
    start = 0
    if lines and lines[0].strip() == "+++":  # front matter: no fences in there
        end = next((i for i in range(1, len(lines)) if lines[i].strip() == "+++"), None)
        if end is None:
            problems.append(f"{rel}:1: front matter is never closed with +++")
            return blocks, problems
        start = end + 1
    i = start
    while i < len(lines):
        opening = OPENING.match(lines[i])
        if not opening or (opening["fence"][0] == "`" and "`" in opening["info"]):
            i += 1
            continue
        fence, indent = opening["fence"], len(opening["indent"].expandtabs())
        closing = re.compile(rf"^[ \t]*{re.escape(fence[0])}{{{len(fence)},}}[ \t]*$")
        end = next((j for j in range(i + 1, len(lines)) if closing.match(lines[j])), None)
        if end is None:
            problems.append(f"{rel}:{i + 1}: code fence {fence} is never closed")
            break
        if _is_runnable(opening["info"]):
            body = [_dedent(line, indent) for line in lines[i + 1 : end]]
            blocks.append(Block(path.stem, path, i + 1, "\n".join(body) + "\n"))
        else:
            inside_other_fences.update(range(i + 1, end + 1))
        i = end + 1
    opened = {block.line for block in blocks}
    for number, line in enumerate(lines, start=1):
        shown_as_text = number - 1 in inside_other_fences  # e.g. inside a ````markdown block
        if LOOKS_RUNNABLE.match(line) and number not in opened and not shown_as_text:
            problems.append(f"{rel}:{number}: looks like a runnable fence but was not read as one")
    return blocks, problems


def _dedent(line: str, width: int) -> str:
    """Remove the fence's own indentation (a block inside an admonition) from a code line."""
    removable = len(line) - len(line.lstrip(" "))
    return line[min(width, removable) :]


def collect() -> tuple[dict[Path, list[Block]], list[str]]:
    per_article: dict[Path, list[Block]] = {}
    problems: list[str] = []
    for path in sorted(ARTICLES.glob("*.md")):
        per_article[path], found = extract_blocks(path)
        problems += found
    return per_article, problems


PER_ARTICLE, PROBLEMS = collect()
BLOCKS = [block for blocks in PER_ARTICLE.values() for block in blocks]


# --- the processes -----------------------------------------------------------------------------

ROUTE_CHECK = r"""
import json, runpy, sys, traceback
from pathlib import Path

block_file, result_file = Path(sys.argv[1]), Path(sys.argv[2])
app = runpy.run_path(str(block_file), run_name=block_file.stem).get("app")
flask, starlette = sys.modules.get("flask"), sys.modules.get("starlette.applications")
results = []


def get(client, path):
    try:
        results.append({"path": path, "status": client.get(path).status_code, "error": None})
    except Exception:
        results.append({"path": path, "status": None, "error": traceback.format_exc()})


if flask is not None and isinstance(app, flask.Flask):
    framework = "flask"
    rules = app.url_map.iter_rules()
    paths = {r.rule for r in rules if not r.arguments and "GET" in (r.methods or ())}
    client = app.test_client()
    for path in sorted(paths):
        get(client, path)
elif app is None:
    sys.exit("the block defines no `app` when imported (outside `if __name__ == '__main__':`)")
elif starlette is not None and isinstance(app, starlette.Starlette):
    from fastapi.testclient import TestClient

    framework = type(app).__name__
    paths = {
        route.path
        for route in app.routes
        if "GET" in (getattr(route, "methods", None) or ()) and "{" not in route.path
    }
    # Routers added with include_router need not show up flat in app.routes; the schema has them
    # all. If building it fails, the GET of /openapi.json below reports why.
    try:
        schema_paths = app.openapi()["paths"] if hasattr(app, "openapi") else {}
    except Exception:
        schema_paths = {}
    paths |= {path for path, ops in schema_paths.items() if "get" in ops and "{" not in path}
    with TestClient(app) as client:  # runs the lifespan, as a server would
        for path in sorted(paths):
            get(client, path)
else:
    sys.exit(f"`app` is {type(app).__module__}.{type(app).__name__}, not a Flask or FastAPI app")
result_file.write_text(json.dumps({"framework": framework, "routes": results}))
"""


@dataclass
class Outcome:
    returncode: int | None  # None: timed out
    stdout: str
    stderr: str
    seconds: float
    routes: list[dict] = field(default_factory=list)

    def report(self) -> str:
        status = f"timed out after {TIMEOUT} s" if self.returncode is None else self.returncode
        return (
            f"exit status {status} after {self.seconds:.1f} s "
            "(traceback line numbers are the article's)\n"
            f"--- stderr ---\n{_tail(self.stderr)}\n--- stdout ---\n{_tail(self.stdout)}"
        )


def _tail(text: str, limit: int = 6000) -> str:
    return text if len(text) <= limit else "[...]\n" + text[-limit:]


def _child_env() -> dict[str, str]:
    return {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("DJANGO_") and key not in DROPPED_ENV
    }


def _run(block: Block, routes: bool) -> Outcome:
    with tempfile.TemporaryDirectory(prefix="patchwise-article-") as tmp:
        script = Path(tmp) / f"{block.module_name}.py"
        script.write_text(block.source, encoding="utf-8")
        result_file = Path(tmp) / "routes.json"
        command = (
            [sys.executable, "-c", ROUTE_CHECK, str(script), str(result_file)]
            if routes
            else [sys.executable, str(script)]
        )
        started = time.monotonic()
        try:
            done = subprocess.run(
                command,
                cwd=tmp,
                env=_child_env(),
                stdin=subprocess.DEVNULL,
                capture_output=True,
                text=True,
                timeout=TIMEOUT,
            )
        except subprocess.TimeoutExpired as exc:
            return Outcome(None, _text(exc.stdout), _text(exc.stderr), time.monotonic() - started)
        outcome = Outcome(done.returncode, done.stdout, done.stderr, time.monotonic() - started)
        if routes and done.returncode == 0:
            outcome.routes = json.loads(result_file.read_text())["routes"]
        return outcome


def _text(output: str | bytes | None) -> str:
    return output.decode(errors="replace") if isinstance(output, bytes) else output or ""


class Runs:
    """The block processes, started ahead on a pool; a test waits only for its own."""

    def __init__(self, workers: int) -> None:
        self.pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="article-code")
        self.futures: dict[tuple[str, bool], Future[Outcome]] = {}

    def submit(self, block: Block) -> None:
        for routes in (False, True) if block.web_framework() else (False,):
            if (block.id, routes) not in self.futures:
                self.futures[block.id, routes] = self.pool.submit(_run, block, routes)

    def result(self, block: Block, routes: bool) -> Outcome:
        self.submit(block)
        return self.futures[block.id, routes].result()


def _workers() -> int:
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return max(2, min(8, cores or 2))


@pytest.fixture(scope="module")
def runs(request: pytest.FixtureRequest) -> Iterator[Runs]:
    runs = Runs(_workers())
    for item in request.session.items:  # only what this session selected, in running order
        block = getattr(getattr(item, "callspec", None), "params", {}).get("block")
        if isinstance(block, Block):
            runs.submit(block)
    yield runs
    runs.pool.shutdown(wait=True, cancel_futures=True)


# --- the tests ---------------------------------------------------------------------------------


def test_every_article_has_runnable_blocks() -> None:
    """Guards against an extractor that finds nothing, so that the tests below cannot pass empty."""
    assert PER_ARTICLE, f"no article found in {ARTICLES}"
    assert not PROBLEMS, "\n".join(PROBLEMS)
    empty = [path.name for path, blocks in PER_ARTICLE.items() if not blocks]
    assert not empty, f"articles without a runnable block: {empty}"
    assert len(BLOCKS) >= MIN_BLOCKS, f"only {len(BLOCKS)} runnable blocks found"


@pytest.mark.parametrize("block", BLOCKS, ids=lambda block: block.id)
def test_runnable_block(block: Block, runs: Runs) -> None:
    try:
        compile(block.source, block.location, "exec", dont_inherit=True)
    except SyntaxError as exc:
        pytest.fail(f"{block.path.relative_to(REPO)}:{exc.lineno}: {exc.msg}", pytrace=False)

    script = runs.result(block, routes=False)
    if script.returncode != 0:
        pytest.fail(f"{block.location}: the block failed as a script: {script.report()}")

    # Django blocks stop here: the script run is the whole check (see the module docstring).
    framework = block.web_framework()
    if framework is None:
        return
    check = runs.result(block, routes=True)
    if check.returncode != 0:
        pytest.fail(f"{block.location}: importing the {framework} app failed: {check.report()}")
    if not check.routes:
        print(f"{block.id}: no GET route without path parameters")
    for route in check.routes:
        print(f"{block.id} GET {route['path']} -> {route['status'] or 'exception'}")
    failed = [r for r in check.routes if r["status"] is None or r["status"] >= 500]
    assert not failed, (
        f"{block.location}: GET through the {framework} test client failed:\n"
        + "\n".join(f"GET {r['path']} -> {r['status'] or r['error']}" for r in failed)
        + f"\n--- stderr ---\n{_tail(check.stderr)}"
    )

"""Read and validate the parts of a lab bundle's ``lab.toml`` that the sandbox relies on.

Only what grading needs is validated here (framework, app, limits, checks, exploit); the content
loader on the Django side validates the rest (hints, difficulty, ...). A bad bundle raises
LabBundleError listing every problem at once, so an author fixes them in one go.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .config import FRAMEWORKS
from .errors import LabBundleError

ENTRYPOINT_RE = re.compile(
    r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*:[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$"
)
IDENTIFIER_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
ENV_NAME_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
#: Variables the engine sets itself, or that would let a bundle change how Python or the linker
#: runs.
RESERVED_ENV = {"PATH", "HOME", "USER", "LOGNAME", "TMPDIR", "LANG", "LC_ALL", "MALLOC_ARENA_MAX"}
RESERVED_ENV_PREFIXES = ("PATCHWISE_", "PYTHON", "LD_", "PYTEST_")
CHECK_KINDS = ("security", "functional")
INTERFACES = ("wsgi", "asgi")
BAD_FIX_EXPECT = ("still_exploitable", "broken")


@dataclass(frozen=True)
class CheckSpec:
    """One ``[[checks]]`` entry: a hidden test function the learner sees by title only."""

    test: str
    title: str
    kind: str


@dataclass(frozen=True)
class ExploitSpec:
    goal: str
    flag_env: str


@dataclass(frozen=True)
class BadFixSpec:
    name: str
    expect: str
    why: str


@dataclass(frozen=True)
class LabSpec:
    """A parsed, validated ``lab.toml`` plus the bundle folder it came from."""

    root: Path
    slug: str
    title: str
    framework: str
    entrypoint: str
    interface: str
    env: dict[str, str]
    wall_seconds: float | None
    memory_mb: int | None
    checks: tuple[CheckSpec, ...]
    exploit: ExploitSpec | None
    bad_fixes: tuple[BadFixSpec, ...] = ()
    editable: tuple[str, ...] = ()
    raw: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @property
    def app_dir(self) -> Path:
        return self.root / "app"

    @property
    def solution_dir(self) -> Path:
        return self.root / "solution"

    def tests_dir(self, which: str) -> Path:
        return self.root / which


def load_lab(root: Path | str) -> LabSpec:
    """Parse ``<root>/lab.toml``; raise LabBundleError with every problem found."""
    root = Path(root)
    toml_path = root / "lab.toml"
    name = str(root)
    try:
        data = tomllib.loads(toml_path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise LabBundleError(name, ["lab.toml is missing"]) from None
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise LabBundleError(name, [f"lab.toml cannot be read: {exc}"]) from None

    problems: list[str] = []

    def text(table: dict[str, Any], key: str, where: str, *, required: bool = True) -> str:
        value = table.get(key)
        if value is None:
            if required:
                problems.append(f"{where}{key} is missing")
            return ""
        if not isinstance(value, str) or not value.strip():
            problems.append(f"{where}{key} must be a non-empty string")
            return ""
        return value

    slug = text(data, "slug", "")
    title = text(data, "title", "")
    framework = text(data, "framework", "")
    if framework and framework not in FRAMEWORKS:
        problems.append(f"framework must be one of {', '.join(FRAMEWORKS)}, not {framework!r}")

    app = data.get("app")
    entrypoint = interface = ""
    env: dict[str, str] = {}
    if not isinstance(app, dict):
        problems.append("[app] table is missing")
    else:
        entrypoint = text(app, "entrypoint", "app.")
        if entrypoint and not ENTRYPOINT_RE.match(entrypoint):
            problems.append(
                f"app.entrypoint must look like 'package.module:callable', not {entrypoint!r}"
            )
        interface = text(app, "interface", "app.")
        if interface and interface not in INTERFACES:
            problems.append(f"app.interface must be wsgi or asgi, not {interface!r}")
        raw_env = app.get("env", {})
        if not isinstance(raw_env, dict):
            problems.append("app.env must be a table of strings")
        else:
            for key, value in raw_env.items():
                if not ENV_NAME_RE.match(key):
                    problems.append(f"app.env: {key!r} is not a valid variable name")
                elif key in RESERVED_ENV or key.startswith(RESERVED_ENV_PREFIXES):
                    problems.append(f"app.env: {key} is reserved for the sandbox")
                elif not isinstance(value, str) or "\0" in value:
                    problems.append(f"app.env: {key} must be a string")
                else:
                    env[key] = value

    limits = data.get("limits", {})
    wall_seconds: float | None = None
    memory_mb: int | None = None
    if not isinstance(limits, dict):
        problems.append("[limits] must be a table")
    else:
        wall = limits.get("wall_seconds")
        if wall is not None:
            if isinstance(wall, bool) or not isinstance(wall, int | float) or not 0 < wall <= 3600:
                problems.append(
                    "limits.wall_seconds must be a number of seconds between 0 and 3600"
                )
            else:
                wall_seconds = float(wall)
        memory = limits.get("memory_mb")
        if memory is not None:
            if isinstance(memory, bool) or not isinstance(memory, int) or not 16 <= memory <= 65536:
                problems.append(
                    "limits.memory_mb must be a whole number of MB between 16 and 65536"
                )
            else:
                memory_mb = memory

    checks: list[CheckSpec] = []
    raw_checks = data.get("checks", [])
    if not isinstance(raw_checks, list) or not raw_checks:
        problems.append("at least one [[checks]] entry is required")
    else:
        seen: set[str] = set()
        for index, entry in enumerate(raw_checks):
            where = f"checks[{index}]."
            if not isinstance(entry, dict):
                problems.append(f"checks[{index}] must be a table")
                continue
            test = text(entry, "test", where)
            check_title = text(entry, "title", where)
            kind = text(entry, "kind", where)
            if test and not IDENTIFIER_RE.match(test):
                problems.append(f"{where}test must be a test function name, not {test!r}")
            if test in seen:
                problems.append(f"{where}test {test} is listed twice")
            seen.add(test)
            if kind and kind not in CHECK_KINDS:
                problems.append(f"{where}kind must be security or functional, not {kind!r}")
            checks.append(CheckSpec(test=test, title=check_title, kind=kind))

    exploit: ExploitSpec | None = None
    raw_exploit = data.get("exploit")
    if raw_exploit is not None:
        if not isinstance(raw_exploit, dict):
            problems.append("[exploit] must be a table")
        else:
            flag_env = text(raw_exploit, "flag_env", "exploit.")
            if flag_env and not ENV_NAME_RE.match(flag_env):
                problems.append(f"exploit.flag_env {flag_env!r} is not a valid variable name")
            elif flag_env and (
                flag_env in RESERVED_ENV or flag_env.startswith(RESERVED_ENV_PREFIXES)
            ):
                problems.append(f"exploit.flag_env: {flag_env} is reserved for the sandbox")
            goal = raw_exploit.get("goal", "")
            exploit = ExploitSpec(goal=goal if isinstance(goal, str) else "", flag_env=flag_env)

    bad_fixes: list[BadFixSpec] = []
    for index, entry in enumerate(data.get("bad_fixes", []) or []):
        if not isinstance(entry, dict):
            problems.append(f"bad_fixes[{index}] must be a table")
            continue
        fix_name = text(entry, "name", f"bad_fixes[{index}].")
        expect = text(entry, "expect", f"bad_fixes[{index}].")
        if expect and expect not in BAD_FIX_EXPECT:
            problems.append(f"bad_fixes[{index}].expect must be still_exploitable or broken")
        if fix_name and ("/" in fix_name or fix_name.startswith(".")):
            problems.append(f"bad_fixes[{index}].name must be a plain folder name")
        why = entry.get("why", "")
        bad_fixes.append(
            BadFixSpec(name=fix_name, expect=expect, why=why if isinstance(why, str) else "")
        )

    editable = data.get("editable", [])
    if not isinstance(editable, list) or not all(isinstance(item, str) for item in editable):
        problems.append("editable must be a list of paths")
        editable = []

    if not (root / "app").is_dir():
        problems.append("app/ folder is missing")
    if entrypoint and ENTRYPOINT_RE.match(entrypoint) and (root / "app").is_dir():
        module = entrypoint.split(":", 1)[0].replace(".", "/")
        if not (
            (root / "app" / f"{module}.py").is_file()
            or (root / "app" / module / "__init__.py").is_file()
        ):
            problems.append(f"app.entrypoint module {module}.py is not in app/")
    if not (root / "tests" / "hidden").is_dir():
        problems.append("tests/hidden/ folder is missing")

    if problems:
        raise LabBundleError(name, problems)
    return LabSpec(
        root=root,
        slug=slug,
        title=title,
        framework=framework,
        entrypoint=entrypoint,
        interface=interface,
        env=env,
        wall_seconds=wall_seconds,
        memory_mb=memory_mb,
        checks=tuple(checks),
        exploit=exploit,
        bad_fixes=tuple(bad_fixes),
        editable=tuple(editable),
        raw=data,
    )

"""Read and validate the parts of a lab bundle's ``lab.toml`` that the sandbox relies on.

Only what grading needs is validated here (framework, app, limits, checks, exploit and its
scripts), plus the catalogue keys that name files of the bundle (``vulnerability_class``,
``[compare]``, ``estimated_minutes``) when they are present; the content loader on the Django side
validates the rest (hints, difficulty, ...). A bad bundle raises LabBundleError listing every
problem at once, so an author fixes them in one go.
"""

from __future__ import annotations

import ast
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .config import FRAMEWORKS
from .errors import LabBundleError
from .paths import UnsafePath, safe_relative_path
from .results import CheckKind, Verdict

ENTRYPOINT_RE = re.compile(
    r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*:[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$"
)
IDENTIFIER_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
ENV_NAME_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
#: Variables the engine sets itself, or that would let a bundle change how Python or the linker
#: runs.
RESERVED_ENV = {"PATH", "HOME", "USER", "LOGNAME", "TMPDIR", "LANG", "LC_ALL", "MALLOC_ARENA_MAX"}
RESERVED_ENV_PREFIXES = ("PATCHWISE_", "PYTHON", "LD_", "PYTEST_")
CHECK_KINDS: tuple[CheckKind, ...] = tuple(CheckKind)
#: How the exploit form opens: a script (several requests to one app) or one request.
EXPLOIT_MODES = ("script", "request")
INTERFACES = ("wsgi", "asgi")
#: The verdicts a bad fix may expect: it must be caught, either as exploitable or as broken.
BAD_FIX_EXPECT: tuple[Verdict, ...] = (Verdict.STILL_EXPLOITABLE, Verdict.BROKEN)
#: docs/LAB_FORMAT.md, "Vulnerability classes": labs of one class are compared side by side.
VULNERABILITY_CLASSES = (
    "sql-injection",
    "broken-access-control",
    "cross-site-scripting",
    "template-injection",
    "debug-exposure",
    "jwt-verification",
    "ssrf",
    "csrf",
    "open-redirect",
    "command-injection",
    "path-traversal",
    "password-storage",
    "deserialization",
)
#: An exploit script's name (``exploit/variants/<name>.py``) becomes part of a check id.
EXPLOIT_NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")
#: Exploit check ids are ``exploit:<name>``; ``solve`` is the reference exploit.
EXPLOIT_CHECK_PREFIX = "exploit:"
SOLVE = "solve"
MAX_EXPLOIT_SCRIPT_BYTES = 64 * 1024
#: ``[compare]`` excerpts: ``"path:first-last"`` (1-based, inclusive line numbers).
EXCERPT_RE = re.compile(r"^(?P<path>[^:]+):(?P<first>[0-9]+)-(?P<last>[0-9]+)$")


@dataclass(frozen=True)
class CheckSpec:
    """One ``[[checks]]`` entry: a hidden test function the learner sees by title only."""

    test: str
    title: str
    kind: CheckKind


@dataclass(frozen=True)
class ExploitSpec:
    goal: str
    flag_env: str


@dataclass(frozen=True)
class BadFixSpec:
    name: str
    expect: Verdict
    why: str


@dataclass(frozen=True)
class ExploitScript:
    """``exploit/solve.py`` or one ``exploit/variants/<name>.py``: run against every hidden
    grading as the security check ``exploit:<name>``."""

    name: str
    path: Path
    title: str

    @property
    def check(self) -> CheckSpec:
        return CheckSpec(
            test=f"{EXPLOIT_CHECK_PREFIX}{self.name}", title=self.title, kind=CheckKind.SECURITY
        )


@dataclass(frozen=True)
class Excerpt:
    """One ``[compare]`` excerpt: lines ``first``..``last`` of ``path`` in ``folder``."""

    folder: str  # "app" or "solution"
    path: str
    first: int
    last: int


@dataclass(frozen=True)
class CompareSpec:
    vulnerable: tuple[Excerpt, ...]
    fixed: tuple[Excerpt, ...]
    defaults: str


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
    #: The reference exploit first, then the variants by name (only with an ``[exploit]`` table).
    exploit_scripts: tuple[ExploitScript, ...] = ()
    #: "" / None when lab.toml leaves them out (validation reports that; loading does not fail).
    vulnerability_class: str = ""
    compare: CompareSpec | None = None
    estimated_minutes: int | None = None
    raw: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @property
    def exploit_checks(self) -> tuple[CheckSpec, ...]:
        """The hidden security checks the exploit scripts become (not listed in lab.toml)."""
        return tuple(script.check for script in self.exploit_scripts)

    @property
    def all_checks(self) -> tuple[CheckSpec, ...]:
        """Every check of a hidden grading: lab.toml's ``[[checks]]``, then the exploits."""
        return self.checks + self.exploit_checks

    @property
    def variants(self) -> tuple[ExploitScript, ...]:
        return tuple(script for script in self.exploit_scripts if script.name != SOLVE)

    @property
    def app_dir(self) -> Path:
        return self.root / "app"

    @property
    def solution_dir(self) -> Path:
        return self.root / "solution"

    def tests_dir(self, which: str) -> Path:
        return self.root / which


def plain_folder_name(name: str) -> bool:
    """One folder name inside the bundle, not hidden (a bad fix's folder)."""
    try:
        path = safe_relative_path(name)
    except UnsafePath:
        return False
    return len(path.parts) == 1 and not name.startswith(".") and "/" not in name


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
                problems.append(f"{where}kind must be {' or '.join(CHECK_KINDS)}, not {kind!r}")
            # An unknown kind is a problem above, so this spec is never returned with it.
            valid_kind = CheckKind(kind) if kind in CHECK_KINDS else CheckKind.FUNCTIONAL
            checks.append(CheckSpec(test=test, title=check_title, kind=valid_kind))

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
            mode = raw_exploit.get("mode")
            if mode is not None and mode not in EXPLOIT_MODES:
                problems.append(f"exploit.mode must be {' or '.join(EXPLOIT_MODES)}, not {mode!r}")
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
            problems.append(f"bad_fixes[{index}].expect must be {' or '.join(BAD_FIX_EXPECT)}")
        if fix_name and not plain_folder_name(fix_name):
            problems.append(f"bad_fixes[{index}].name must be a plain folder name")
        why = entry.get("why", "")
        # An unknown expect is a problem above, so this spec is never returned with it.
        valid_expect = Verdict(expect) if expect in BAD_FIX_EXPECT else Verdict.BROKEN
        bad_fixes.append(
            BadFixSpec(name=fix_name, expect=valid_expect, why=why if isinstance(why, str) else "")
        )

    editable = data.get("editable", [])
    if not isinstance(editable, list) or not all(isinstance(item, str) for item in editable):
        problems.append("editable must be a list of paths")
        editable = []
    for item in editable:
        try:
            safe_relative_path(item)
        except UnsafePath as exc:
            problems.append(f"editable: {exc}")

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

    exploit_scripts = load_exploit_scripts(root, problems) if isinstance(raw_exploit, dict) else []
    vulnerability_class = ""
    raw_class = data.get("vulnerability_class")
    if raw_class is not None:
        if raw_class not in VULNERABILITY_CLASSES:
            problems.append(
                f"vulnerability_class must be one of {', '.join(VULNERABILITY_CLASSES)}, "
                f"not {raw_class!r}"
            )
        else:
            vulnerability_class = raw_class
    estimated_minutes: int | None = None
    raw_minutes = data.get("estimated_minutes")
    if raw_minutes is not None:
        if isinstance(raw_minutes, bool) or not isinstance(raw_minutes, int) or raw_minutes < 1:
            problems.append(
                f"estimated_minutes must be a positive whole number, not {raw_minutes!r}"
            )
        else:
            estimated_minutes = raw_minutes
    compare = load_compare(root, data["compare"], problems) if "compare" in data else None

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
        exploit_scripts=tuple(exploit_scripts),
        vulnerability_class=vulnerability_class,
        compare=compare,
        estimated_minutes=estimated_minutes,
        raw=data,
    )


def script_title(source: str, name: str) -> str:
    """The first line of the script's module docstring, else a title made from its name."""
    try:
        docstring = ast.get_docstring(ast.parse(source))
    except (SyntaxError, ValueError):
        docstring = None
    first = (docstring or "").strip().splitlines()[0:1]
    if first and first[0].strip():
        return first[0].strip()[:200]
    if name == SOLVE:
        return "The reference exploit does not get the flag"
    words = name.replace("_", " ").replace("-", " ").strip()
    return f"Exploit variant: {words}"


def load_exploit_scripts(root: Path, problems: list[str]) -> list[ExploitScript]:
    """``exploit/solve.py`` then ``exploit/variants/*.py`` (by name), each with its title."""
    folder = root / "exploit"
    found: list[tuple[str, Path]] = []
    if (folder / f"{SOLVE}.py").is_file():
        found.append((SOLVE, folder / f"{SOLVE}.py"))
    variants = folder / "variants"
    if variants.is_dir() and not variants.is_symlink():
        for path in sorted(variants.iterdir()):
            if path.suffix != ".py" or path.name.startswith(("_", ".")):
                continue
            stem = path.stem
            where = f"exploit/variants/{path.name}"
            if not EXPLOIT_NAME_RE.match(stem):
                problems.append(
                    f"{where}: a variant's name must be letters, digits, - and _ (at most 64)"
                )
            elif stem == SOLVE:
                problems.append(f"{where}: 'solve' is the reference exploit's name")
            else:
                found.append((stem, path))
    scripts = []
    for script_name, path in found:
        where = path.relative_to(root).as_posix()
        if path.is_symlink() or not path.is_file():
            problems.append(f"{where} must be a regular file")
            continue
        try:
            data = path.read_bytes()
            source = data.decode("utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            problems.append(f"{where} cannot be read as UTF-8: {exc}")
            continue
        if len(data) > MAX_EXPLOIT_SCRIPT_BYTES:
            problems.append(f"{where} is larger than {MAX_EXPLOIT_SCRIPT_BYTES // 1024} KB")
            continue
        try:
            compile(source, where, "exec")
        except (SyntaxError, ValueError) as exc:
            problems.append(f"{where} is not valid Python: {exc}")
            continue
        scripts.append(ExploitScript(script_name, path, script_title(source, script_name)))
    return scripts


def load_compare(root: Path, table: object, problems: list[str]) -> CompareSpec | None:
    """``[compare]``: excerpts of app/ (vulnerable) and solution/ over app/ (fixed), and the
    framework's defaults in Markdown; every excerpt must name lines that exist."""
    if not isinstance(table, dict):
        problems.append("[compare] must be a table")
        return None
    before = len(problems)
    excerpts: dict[str, tuple[Excerpt, ...]] = {}
    for key, folders in (("vulnerable", ("app",)), ("fixed", ("solution", "app"))):
        items = table.get(key)
        if not isinstance(items, list) or not items or not all(isinstance(i, str) for i in items):
            problems.append(f'compare.{key} must be a non-empty list of "path:first-last" strings')
            continue
        excerpts[key] = tuple(
            excerpt
            for item in items
            if (excerpt := load_excerpt(root, key, item, folders, problems)) is not None
        )
    defaults = table.get("defaults")
    if not isinstance(defaults, str) or not defaults.strip():
        problems.append("compare.defaults must be a non-empty string (Markdown)")
    if len(problems) > before:
        return None
    return CompareSpec(excerpts["vulnerable"], excerpts["fixed"], str(defaults).strip())


def load_excerpt(
    root: Path, key: str, item: str, folders: tuple[str, ...], problems: list[str]
) -> Excerpt | None:
    where = f"compare.{key}: {item!r}"
    match = EXCERPT_RE.match(item)
    if match is None:
        problems.append(f'{where} must look like "path:first-last" (e.g. "app.py:21-34")')
        return None
    try:
        relative = safe_relative_path(match["path"])
    except UnsafePath as exc:
        problems.append(f"{where}: {exc}")
        return None
    first, last = int(match["first"]), int(match["last"])
    for folder in folders:
        path = root.joinpath(folder, *relative.parts)
        if path.is_file() and not path.is_symlink():
            break
    else:
        names = " or ".join(f"{folder}/" for folder in folders)
        problems.append(f"{where}: {relative.as_posix()} is not a file in {names}")
        return None
    try:
        count = len(path.read_text(encoding="utf-8").splitlines())
    except (OSError, UnicodeDecodeError) as exc:
        problems.append(f"{where}: cannot read {folder}/{relative.as_posix()}: {exc}")
        return None
    if not 1 <= first <= last <= count:
        problems.append(
            f"{where}: lines {first}-{last} are not inside {folder}/{relative.as_posix()} "
            f"({count} lines)"
        )
        return None
    return Excerpt(folder, relative.as_posix(), first, last)

"""A shared library of wrong fixes seen in every lab: each detector reads what a failed fix
changed (its diff and syntax tree) and which kinds of check failed, and returns its evidence.

Evidence is a list of normalised source lines or names; the recogniser drops any piece the lab's
reference fix shows too, so a pattern the reference solution relies on is never called wrong.
Messages end with the remedy of the lab's vulnerability class ("use query parameters").
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable
from dataclasses import dataclass

from labs.services.wrong_fixes.code import Change, FileChange, is_python, is_template

#: Characters whose presence a blocklist tests, or that hand-escaping replaces.
DANGEROUS = set("'\"<>&;`$|\\/-#*=(){}%")
_NAMES_OF_SECRETS = ("SECRET", "KEY", "TOKEN", "PASSWORD", "PASSWD")
_CLIENT_SIDE = re.compile(
    r"""pattern=|maxlength|minlength|\brequired\b|<script|onsubmit=|oninput=|checkValidity""",
    re.IGNORECASE,
)
_REGEX_CALLS = {"search", "match", "fullmatch", "findall"}

#: The remedy of each vulnerability class (docs/LAB_FORMAT.md), ending every generic message.
REMEDIES: dict[str, str] = {
    "sql-injection": "use query parameters (placeholders the driver binds) and pick column names "
    "from a fixed list",
    "cross-site-scripting": "let the template autoescape, or build HTML with the framework's "
    "escaping helpers (format_html, markupsafe)",
    "template-injection": "never build a template from input: pass input as context to a fixed "
    "template",
    "broken-access-control": "check the owner of the object in every route that loads it by id",
    "debug-exposure": "switch debug off through configuration, not by hiding a route",
    "jwt-verification": "let the JWT library verify the signature, the algorithm, the expiry and "
    "the audience",
    "ssrf": "resolve the host and check every address it resolves to, on every redirect, against "
    "an allow-list",
    "csrf": "keep the framework's CSRF token check on every request that changes state",
    "open-redirect": "redirect only to relative paths or to a fixed list of hosts",
    "command-injection": "pass an argument list to subprocess without a shell",
    "path-traversal": "resolve the path and check that it stays inside the allowed folder",
    "password-storage": "hash passwords with the framework's password hasher",
    "deserialization": "parse a data format such as JSON instead of unpickling input",
}
DEFAULT_REMEDY = "fix the cause where the input reaches the dangerous call"


def remedy(vulnerability_class: str) -> str:
    return REMEDIES.get(vulnerability_class, DEFAULT_REMEDY)


@dataclass(frozen=True)
class Signals:
    """What a detector sees: the change from the starter, and how the grading went."""

    change: Change
    failed_kinds: frozenset[str]
    verdict: str


Detect = Callable[[Signals], list[str]]


@dataclass(frozen=True)
class GenericWrongFix:
    key: str
    title: str
    template: str  # {remedy} is the vulnerability class's remedy
    detect: Detect

    def message(self, vulnerability_class: str) -> str:
        return self.template.format(remedy=remedy(vulnerability_class))


def _added_nodes(change: FileChange) -> tuple[ast.AST, ...]:
    return change.added_nodes


def _python_files(signals: Signals) -> list[FileChange]:
    return [f for f in signals.change.files if is_python(f.path)]


def _dangerous_literal(node: ast.AST) -> bool:
    return (
        isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and 0 < len(node.value) <= 40
        and bool(DANGEROUS & set(node.value))
        and not any(c.isalnum() for c in node.value)
    )


def _strings_in(node: ast.AST) -> list[ast.AST]:
    if isinstance(node, ast.List | ast.Tuple | ast.Set):
        return list(node.elts)
    return [node]


def _dangerous_names(tree: ast.Module | None) -> set[str]:
    """Module-level names bound to such characters: ``QUOTES = ("'", '"')``."""
    if tree is None:
        return set()
    names = set()
    for node in tree.body:
        if isinstance(node, ast.Assign) and all(
            _dangerous_literal(item) for item in _strings_in(node.value)
        ):
            names |= {t.id for t in node.targets if isinstance(t, ast.Name)}
    return names


def _dangerous(node: ast.AST, names: set[str]) -> bool:
    if isinstance(node, ast.Name):
        return node.id in names
    items = _strings_in(node)
    return bool(items) and all(_dangerous_literal(item) for item in items)


def _blocklist_test(node: ast.AST, names: set[str]) -> bool:
    if isinstance(node, ast.Compare) and any(isinstance(op, ast.In | ast.NotIn) for op in node.ops):
        return _dangerous(node.left, names) or any(_dangerous(r, names) for r in node.comparators)
    if isinstance(node, ast.GeneratorExp | ast.ListComp | ast.SetComp):
        return any(_dangerous(gen.iter, names) for gen in node.generators)
    if isinstance(node, ast.For):
        return _dangerous(node.iter, names)
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in _REGEX_CALLS
        and node.args
    ):
        pattern = node.args[0]
        return (
            isinstance(pattern, ast.Constant)
            and isinstance(pattern.value, str)
            and pattern.value.startswith("[")
            and not pattern.value.startswith("[^")
            and bool(DANGEROUS & set(pattern.value))
        )
    return False


def character_blocklist(signals: Signals) -> list[str]:
    """``if "'" in x``, ``any(c in x for c in QUOTES)``, ``re.search("[<>]", x)``: a test for
    characters the fix considers dangerous."""
    evidence = []
    for change in _python_files(signals):
        names = _dangerous_names(change.after_tree)
        for node in _added_nodes(change):
            if _blocklist_test(node, names):
                evidence.append(change.source_line(node.lineno))
    return evidence


def hand_escaping(signals: Signals) -> list[str]:
    """``.replace("'", "''")``, ``.replace("<", "&lt;")`` or ``re.sub`` over such characters."""
    evidence = []
    for change in _python_files(signals):
        for node in _added_nodes(change):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
                continue
            args = node.args
            if node.func.attr == "replace" and len(args) >= 2 and _dangerous_literal(args[0]):
                evidence.append(change.source_line(node.lineno))
            elif node.func.attr == "sub" and len(args) >= 2:
                pattern = args[0]
                if (
                    isinstance(pattern, ast.Constant)
                    and isinstance(pattern.value, str)
                    and bool(DANGEROUS & set(pattern.value))
                    and not any(c.isalpha() for c in pattern.value.replace("\\", ""))
                ):
                    evidence.append(change.source_line(node.lineno))
    return evidence


def _quiet(handler: ast.ExceptHandler, sink: bool) -> bool:
    """A handler that swallows the error (no raise, only pass / a plain return or continue),
    either of any exception or around a dangerous call."""
    broad = handler.type is None or (
        isinstance(handler.type, ast.Name) and handler.type.id in {"Exception", "BaseException"}
    )
    if not (broad or sink):
        return False
    if any(isinstance(n, ast.Raise) for stmt in handler.body for n in ast.walk(stmt)):
        return False
    quiet = ast.Pass | ast.Return | ast.Continue | ast.Expr
    return all(isinstance(stmt, quiet) for stmt in handler.body)


#: Calls where an attack lands: a try around one of them that swallows the error hides the attack.
SINKS = {
    "execute", "executemany", "executescript", "raw", "extra", "text", "render_template_string",
    "from_string", "Template", "loads", "load", "system", "popen", "Popen", "run",
    "check_output", "call", "decode", "urlopen", "open",
}  # fmt: skip


def _calls_sink(body: list[ast.stmt]) -> bool:
    for stmt in body:
        for node in ast.walk(stmt):
            if isinstance(node, ast.Call):
                func = node.func
                name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
                if name in SINKS:
                    return True
    return False


def hidden_exception(signals: Signals) -> list[str]:
    """A new ``try`` whose broad ``except`` only passes or returns: the error is hidden, not
    prevented."""
    evidence = []
    for change in _python_files(signals):
        for node in _added_nodes(change):
            if not isinstance(node, ast.Try):
                continue
            sink = _calls_sink(node.body)
            quiet = [h for h in node.handlers if _quiet(h, sink)]
            if quiet:
                evidence.append(change.source_line(quiet[0].lineno))
    return evidence


def _defs(change: FileChange, tree: ast.Module | None) -> set[str]:
    if tree is None:
        return set()
    return {
        node.name
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
    }


def removed_feature(signals: Signals) -> list[str]:
    """A functional check fails and a function, route or template block the starter had is gone,
    or the change only deletes lines."""
    if "functional" not in signals.failed_kinds:
        return []
    evidence = []
    for change in signals.change.files:
        if is_python(change.path) and change.after_tree is not None:
            gone = _defs(change, change.before_tree) - _defs(change, change.after_tree)
            evidence += [f"def {change.path}:{name}" for name in sorted(gone)]
        if is_template(change.path):
            evidence += [
                f"{change.path}:{line}"
                for line in sorted(change.removed)
                if line.startswith(("{% block", "{% for", "<form"))
            ]
    deleted_only = all(not f.added for f in signals.change.files) and any(
        len(f.removed) >= 2 for f in signals.change.files
    )
    if deleted_only:
        evidence.append("only deletions, and a feature stopped working")
    return evidence


def client_side_only(signals: Signals) -> list[str]:
    """Every change is in templates or scripts (``pattern=``, ``maxlength``, ``required``, a
    ``<script>`` check): the server still accepts whatever a client sends."""
    files = signals.change.files
    if not files or any(not is_template(f.path) for f in files):
        return []
    return sorted(
        f"{f.path}:{line}" for f in files for line in f.added if _CLIENT_SIDE.search(line)
    )


def _secret_name(target: ast.expr) -> bool:
    if isinstance(target, ast.Name):
        name = target.id
    elif isinstance(target, ast.Attribute):
        name = target.attr
    elif isinstance(target, ast.Subscript) and isinstance(target.slice, ast.Constant):
        name = str(target.slice.value)
    else:
        return False
    return any(word in name.upper() for word in _NAMES_OF_SECRETS)


def _literal(node: ast.AST | None) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str) and len(node.value) >= 4


def _environ_default(node: ast.Call) -> bool:
    """``os.environ.get("X", "literal")`` / ``os.getenv("X", "literal")``."""
    func = node.func
    if not isinstance(func, ast.Attribute):
        return False
    target = ast.unparse(func.value)
    getter = (func.attr == "get" and target.endswith("environ")) or func.attr == "getenv"
    default = node.args[1] if len(node.args) >= 2 else None
    default = default or next((k.value for k in node.keywords if k.arg == "default"), None)
    return getter and _literal(default)


def hard_coded_secret(signals: Signals) -> list[str]:
    """A secret moved to a new name or an environment variable with a literal fallback: the value
    is still in the code for anyone who reads it."""
    evidence = []
    for change in _python_files(signals):
        for node in _added_nodes(change):
            if isinstance(node, ast.Assign | ast.AnnAssign):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                if _literal(node.value) and any(_secret_name(t) for t in targets):
                    evidence.append(change.source_line(node.lineno))
            elif isinstance(node, ast.Call) and _environ_default(node):
                evidence.append(change.source_line(node.lineno))
    return evidence


GENERIC_WRONG_FIXES: tuple[GenericWrongFix, ...] = (
    GenericWrongFix(
        key="hidden-exception",
        title="catching the error to hide it",
        template="Catching the exception hides the symptom, not the hole: the attack still runs "
        "before the error is swallowed, and real failures now pass silently. Instead, {remedy}.",
        detect=hidden_exception,
    ),
    GenericWrongFix(
        key="hand-escaping",
        title="escaping by hand",
        template="Replacing a few characters by hand covers the encodings and positions you "
        "thought of, not the others (numbers, names, other quotes, double decoding). "
        "Instead, {remedy}.",
        detect=hand_escaping,
    ),
    GenericWrongFix(
        key="character-blocklist",
        title="a character blocklist",
        template="Blocking characters (a blocklist) leaves other encodings and positions open, "
        "and refuses honest input that needs them. Instead, {remedy}.",
        detect=character_blocklist,
    ),
    GenericWrongFix(
        key="client-side-only",
        title="a check in the browser only",
        template="Checks in the page (pattern, maxlength, required, a script) only guide honest "
        "users: an attacker sends the request without the page. The server must {remedy}.",
        detect=client_side_only,
    ),
    GenericWrongFix(
        key="hard-coded-secret",
        title="a secret still in the code",
        template="The secret moved, but its value is still written in the code (or as the "
        "environment variable's fallback), so anyone who reads the code has it. Read it from "
        "the environment with no default, and fail to start without it.",
        detect=hard_coded_secret,
    ),
    GenericWrongFix(
        key="removed-feature",
        title="removing the feature",
        template="Removing the feature closes the hole by breaking what the app promised. Keep "
        "the behaviour and {remedy}.",
        detect=removed_feature,
    ),
)

BY_KEY = {fix.key: fix for fix in GENERIC_WRONG_FIXES}

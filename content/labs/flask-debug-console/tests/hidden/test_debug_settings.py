"""Source check: the debugger is not mounted in production, whatever guards stand in front of it.

A middleware that filters the debugger's URLs, or hides its pages, can make every probe fail and
still leave a Python console one parsing difference away. Behaviour cannot tell that apart from a
real fix, so this check reads the workspace: either no `DebuggedApplication` is mounted at all, or
every mount sits under an `if` on debug mode and `settings.py` turns debug mode off by default
(the container never sets STANDUP_DEBUG).
"""

from __future__ import annotations

import ast
from pathlib import Path


def python_files(root: Path) -> dict[str, ast.Module]:
    trees = {}
    for path in sorted(root.rglob("*.py")):
        if "tests" in path.relative_to(root).parts:
            continue
        trees[str(path.relative_to(root))] = ast.parse(path.read_text(encoding="utf-8"))
    return trees


def called_name(call: ast.Call) -> str:
    func = call.func
    if isinstance(func, ast.Attribute):
        return func.attr
    return func.id if isinstance(func, ast.Name) else ""


def mentions_debug(node: ast.AST) -> bool:
    for sub in ast.walk(node):
        if isinstance(sub, ast.Attribute) and sub.attr.lower() == "debug":
            return True
        if isinstance(sub, ast.Name) and "debug" in sub.id.lower():
            return True
        if isinstance(sub, ast.Constant) and sub.value == "DEBUG":
            return True
    return False


def debugger_mounts(trees: dict[str, ast.Module]) -> list[tuple[str, int, bool]]:
    """(file, line, guarded by an `if` on debug mode) for each DebuggedApplication(...) call."""
    mounts = []
    for name, tree in trees.items():
        parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and called_name(node) == "DebuggedApplication":
                guarded, cursor = False, node
                while cursor in parents:
                    parent = parents[cursor]
                    if isinstance(parent, (ast.If, ast.IfExp)) and cursor is not parent.test:
                        in_body = cursor in (
                            parent.body if isinstance(parent.body, list) else [parent.body]
                        )
                        guarded = guarded or (in_body and mentions_debug(parent.test))
                    cursor = parent
                mounts.append((name, node.lineno, guarded))
    return mounts


def is_false(node: ast.AST | None) -> bool:
    return isinstance(node, ast.Constant) and node.value in (False, None, 0, "", "0")


def environment_lookup(node: ast.AST) -> ast.Call | None:
    """`os.environ.get(...)` or `os.getenv(...)`, if that is what `node` is."""
    if isinstance(node, ast.Call) and called_name(node) in {"get", "getenv"}:
        return node
    return None


def debug_off_by_default(settings: ast.Module) -> bool:
    """Does settings.py's DEBUG come out false when the environment says nothing?"""
    values = [
        node.value
        for node in settings.body
        if isinstance(node, (ast.Assign, ast.AnnAssign))
        and any(
            isinstance(target, ast.Name) and target.id == "DEBUG"
            for target in (node.targets if isinstance(node, ast.Assign) else [node.target])
        )
    ]
    if not values:
        return True  # Flask's own default: off.
    value = values[-1]
    if is_false(value):
        return True
    if isinstance(value, ast.Call):
        # A helper such as env_bool("STANDUP_DEBUG", default=False) or os.environ.get("X", "").
        for keyword in value.keywords:
            if keyword.arg == "default":
                return is_false(keyword.value)
        if len(value.args) >= 2:
            return is_false(value.args[1])
        return called_name(value) in {"get", "getenv"}
    if isinstance(value, ast.Compare) and len(value.comparators) == 1:
        # os.environ.get("STANDUP_DEBUG") == "1": false while the variable is unset.
        lookup = environment_lookup(value.left)
        if lookup is not None and len(lookup.args) < 2:
            return True
    return False


def test_debugger_is_not_mounted_in_production(app_files: Path) -> None:
    trees = python_files(Path(app_files))
    mounts = debugger_mounts(trees)
    unguarded = [f"{name}:{line}" for name, line, guarded in mounts if not guarded]
    assert not unguarded, "DebuggedApplication is mounted whatever the debug setting: " + ", ".join(
        unguarded
    )
    if mounts:
        settings = trees.get("settings.py")
        assert settings is not None and debug_off_by_default(settings), (
            "The debugger is still mounted when DEBUG is on, and settings.py turns DEBUG on "
            "unless the environment says otherwise: the safe value must be the default"
        )

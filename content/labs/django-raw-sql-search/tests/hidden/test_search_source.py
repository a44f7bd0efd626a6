"""Source check: every value reaches the database as a parameter, never as part of the SQL text.

Behaviour alone cannot tell a parameterised query from one whose quotes are doubled by hand: both
answer every probe the same way, until the day someone adds a field and forgets the escaping, or
moves to a database with other quoting rules. So this check reads the workspace's Python files.

SQL text handed to `execute()`, `executemany()`, `executescript()`, `raw()`, `extra()` or
`RawSQL()` must be built only from string literals and from fixed allow-lists (a dict or tuple of
literal strings picked by key, as a sort menu does). Anything computed from a value (an f-string,
`%` or `.format()` with a variable, `+` with a variable, `join()` over values, the result of an
escaping function) is reported with its file and line. A second pass reports any string that
looks like SQL and is assembled from values, wherever it is, so that routing the text through a
helper function does not hide it.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

SINK_METHODS = {"execute", "executemany", "executescript", "raw", "extra"}
SINK_FUNCTIONS = {"RawSQL"}
# Keyword arguments that carry parameters, not SQL text.
PARAM_KEYWORDS = {"params", "select_params", "args", "translations"}

SQL_SHAPES = re.compile(
    r"\bselect\b[\s\S]*\bfrom\b|\border\s+by\b|\bgroup\s+by\b|\bunion\b|\binsert\s+into\b"
    r"|\bdelete\s+from\b|\bupdate\s+\w+\s+set\b|\blike\s+'|\bwhere\s+[\w.]+\s*(=|<|>|!|like\b)",
    re.IGNORECASE,
)
SQL_KEYWORDS = re.compile(r"\b(SELECT|FROM|WHERE|AND|OR|LIKE|LIMIT|OFFSET|JOIN|HAVING|VALUES)\b")


def looks_like_sql(text: str) -> bool:
    return bool(SQL_SHAPES.search(text) or SQL_KEYWORDS.search(text))


class Module:
    """One parsed file, with each node's parent and the scope (function or module) it sits in."""

    def __init__(self, path: Path, root: Path) -> None:
        self.name = str(path.relative_to(root))
        self.tree = ast.parse(path.read_text(encoding="utf-8"), filename=self.name)
        self.parent: dict[ast.AST, ast.AST] = {}
        for node in ast.walk(self.tree):
            for child in ast.iter_child_nodes(node):
                self.parent[child] = node

    def scope_of(self, node: ast.AST) -> ast.AST:
        while node in self.parent:
            node = self.parent[node]
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
                return node
        return self.tree


class Analyser:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.modules = [
            Module(path, root)
            for path in sorted(root.rglob("*.py"))
            if "migrations" not in path.parts and ".venv" not in path.parts
        ]
        self.functions: dict[str, list[tuple[Module, ast.AST]]] = {}
        for module in self.modules:
            for node in ast.walk(module.tree):
                if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    self.functions.setdefault(node.name, []).append((module, node))

    # --- what a name was bound to --------------------------------------------------------------

    def bindings(self, module: Module, scope: ast.AST, name: str) -> list[ast.AST] | None:
        """The expressions assigned to `name` in `scope` (None when it is a parameter there)."""
        found: list[ast.AST] = []
        if isinstance(scope, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            arguments = scope.args
            every = arguments.posonlyargs + arguments.args + arguments.kwonlyargs
            if any(arg.arg == name for arg in every):
                return None
            if arguments.vararg and arguments.vararg.arg == name:
                return None
            if arguments.kwarg and arguments.kwarg.arg == name:
                return None
        for node in ast.walk(scope):
            if node is not scope and module.scope_of(node) is not scope:
                continue
            if isinstance(node, ast.Assign):
                for target in node.targets:
                    if isinstance(target, ast.Name) and target.id == name:
                        found.append(node.value)
                    elif isinstance(target, (ast.Tuple, ast.List)) and any(
                        isinstance(elt, ast.Name) and elt.id == name for elt in target.elts
                    ):
                        found.append(ast.Name(id="<unpacked>", ctx=ast.Load()))
            elif isinstance(node, (ast.AnnAssign, ast.AugAssign)):
                if isinstance(node.target, ast.Name) and node.target.id == name and node.value:
                    found.append(node.value)
            elif isinstance(node, ast.NamedExpr) and node.target.id == name:
                found.append(node.value)
            elif isinstance(node, (ast.For, ast.comprehension)):
                if isinstance(node.target, ast.Name) and node.target.id == name:
                    found.append(ast.Subscript(value=node.iter, slice=ast.Constant(0)))
            elif isinstance(node, ast.withitem):
                var = node.optional_vars
                if isinstance(var, ast.Name) and var.id == name:
                    found.append(ast.Name(id="<with>", ctx=ast.Load()))
            elif isinstance(node, (ast.Import, ast.ImportFrom)):
                for alias in node.names:
                    if (alias.asname or alias.name.split(".")[0]) == name:
                        found.append(ast.Name(id="<import>", ctx=ast.Load()))
            elif (
                # list.append / list.extend / list.insert grow a list of SQL pieces.
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id == name
                and node.func.attr in {"append", "extend", "insert"}
                and node.args
            ):
                piece = node.args[-1]
                if node.func.attr == "extend":
                    found.append(piece)
                else:
                    found.append(ast.List(elts=[piece], ctx=ast.Load()))
        return found

    def resolve(self, module: Module, node: ast.Name, seen: frozenset) -> list | None:
        """(module, scope, expression) for each value `node` may hold, None if unknown."""
        key = (module.name, id(module.scope_of(node)), node.id)
        if key in seen:
            return []
        seen = seen | {key}
        scope = module.scope_of(node)
        while True:
            bound = self.bindings(module, scope, node.id)
            if bound is None:
                return self.call_site_values(module, scope, node.id, seen)
            if bound:
                return [(module, expr, seen) for expr in bound]
            if scope is module.tree:
                return None
            scope = module.scope_of(scope)

    def call_site_values(self, module: Module, function: ast.AST, name: str, seen) -> list | None:
        """The arguments passed for parameter `name` of `function`, at every call in the code."""
        if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
            return None
        arguments = function.args
        positional = [arg.arg for arg in arguments.posonlyargs + arguments.args]
        defaults = dict(
            zip(
                positional[len(positional) - len(arguments.defaults) :],
                arguments.defaults,
                strict=True,
            )
        )
        for arg, default in zip(arguments.kwonlyargs, arguments.kw_defaults, strict=True):
            if default is not None:
                defaults[arg.arg] = default
        values = []
        calls = 0
        for caller in self.modules:
            for call in ast.walk(caller.tree):
                if not isinstance(call, ast.Call):
                    continue
                func = call.func
                if isinstance(func, ast.Name) and func.id == function.name:
                    offset = 0
                elif isinstance(func, ast.Attribute) and func.attr == function.name:
                    offset = 1 if positional[:1] in (["self"], ["cls"]) else 0
                else:
                    continue
                calls += 1
                passed = next((kw.value for kw in call.keywords if kw.arg == name), None)
                if passed is None and name in positional:
                    index = positional.index(name) - offset
                    if 0 <= index < len(call.args):
                        passed = call.args[index]
                if passed is None and any(kw.arg is None for kw in call.keywords):
                    return None
                if passed is None and any(isinstance(a, ast.Starred) for a in call.args):
                    return None
                if passed is None:
                    passed = defaults.get(name)
                if passed is None:
                    return None
                values.append((caller, passed, seen))
        return values if calls else None

    # --- static text -----------------------------------------------------------------------------

    def is_static(self, module: Module, node: ast.AST, seen: frozenset = frozenset()) -> bool:
        """True when `node` can only ever hold text written in the code (or picked from it)."""
        if isinstance(node, ast.Constant):
            return isinstance(node.value, (str, int, float, bool, type(None)))
        if isinstance(node, ast.JoinedStr):
            return all(self.is_static(module, value, seen) for value in node.values)
        if isinstance(node, ast.FormattedValue):
            spec_ok = node.format_spec is None or self.is_static(module, node.format_spec, seen)
            return spec_ok and self.is_static(module, node.value, seen)
        if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Mod)):
            return self.is_static(module, node.left, seen) and self.is_static(
                module, node.right, seen
            )
        if isinstance(node, ast.IfExp):
            return self.is_static(module, node.body, seen) and self.is_static(
                module, node.orelse, seen
            )
        if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
            return all(self.is_static(module, elt, seen) for elt in node.elts)
        if isinstance(node, ast.Dict):
            return all(self.is_static(module, value, seen) for value in node.values)
        if isinstance(node, ast.Subscript):
            # Picking an entry of a fixed table is fine, whatever the key: the input only chooses.
            return self.is_static(module, node.value, seen)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            method, owner = node.func.attr, node.func.value
            if method == "get" and len(node.args) >= 1:
                default_ok = len(node.args) < 2 or self.is_static(module, node.args[1], seen)
                return default_ok and self.is_static(module, owner, seen)
            if method in {"join", "format", "strip", "lower", "upper", "lstrip", "rstrip"}:
                parts = [owner, *node.args, *(kw.value for kw in node.keywords)]
                return all(self.is_static(module, part, seen) for part in parts)
            return False
        if isinstance(node, ast.Name):
            if node.id.startswith("<"):
                return False
            values = self.resolve(module, node, seen)
            if values is None:
                return False
            return all(self.is_static(mod, expr, seen2) for mod, expr, seen2 in values)
        return False

    # --- the two passes --------------------------------------------------------------------------

    def sink_arguments(self) -> Iterator[tuple[Module, ast.Call, list[ast.AST]]]:
        for module in self.modules:
            for call in ast.walk(module.tree):
                if not isinstance(call, ast.Call):
                    continue
                func = call.func
                name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
                is_sink = isinstance(func, ast.Attribute) and name in SINK_METHODS
                if not (is_sink or name in SINK_FUNCTIONS):
                    continue
                if name == "extra":
                    texts = [kw.value for kw in call.keywords if kw.arg not in PARAM_KEYWORDS]
                    texts += list(call.args)
                else:
                    first = call.args[:1] or [
                        kw.value for kw in call.keywords if kw.arg in {"sql", "raw_query", "query"}
                    ]
                    texts = first
                yield module, call, texts

    def literal_text(self, node: ast.AST) -> str:
        return " ".join(
            sub.value
            for sub in ast.walk(node)
            if isinstance(sub, ast.Constant) and isinstance(sub.value, str)
        )

    def built_strings(self) -> Iterator[tuple[Module, ast.AST]]:
        """Outermost expressions that assemble a string from pieces."""
        for module in self.modules:
            for node in ast.walk(module.tree):
                if isinstance(node, ast.JoinedStr):
                    builder = any(isinstance(v, ast.FormattedValue) for v in node.values)
                elif isinstance(node, (ast.BinOp, ast.AugAssign)):
                    builder = isinstance(node.op, (ast.Add, ast.Mod))
                elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                    builder = node.func.attr in {"format", "join", "replace"}
                else:
                    builder = False
                if not builder:
                    continue
                parent = module.parent.get(node)
                if isinstance(parent, (ast.BinOp, ast.JoinedStr, ast.FormattedValue)):
                    continue
                yield module, node

    def problems(self) -> list[str]:
        found: list[str] = []
        for module, call, texts in self.sink_arguments():
            for text in texts:
                if not self.is_static(module, text):
                    found.append(
                        f"{module.name}:{call.lineno}: the SQL passed to "
                        f"{ast.unparse(call.func)}() is built from values"
                    )
        for module, node in self.built_strings():
            if not looks_like_sql(self.literal_text(node)):
                continue
            value = node.value if isinstance(node, ast.AugAssign) else node
            if isinstance(node, ast.AugAssign):
                static = self.is_static(module, value)
            else:
                static = self.is_static(module, node)
            if not static:
                found.append(f"{module.name}:{node.lineno}: SQL text is assembled from values")
        return sorted(set(found))


def test_no_sql_is_built_from_strings(app_files: Path) -> None:
    problems = Analyser(Path(app_files)).problems()
    assert not problems, (
        "SQL is built from strings instead of taking its values as parameters "
        "(f-strings, %, +, .format(), join() or hand escaping). Put %s placeholders in the SQL "
        "and the values in the params argument (or use the ORM), and pick an ORDER BY from a "
        "fixed dict of literal strings by key (ORDER_BY[sort]):\n  " + "\n  ".join(problems)
    )

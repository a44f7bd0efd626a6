"""Reads the workspace's Python code and lists every place where SQL built from strings is run.

A sound fix sends values as parameters and picks identifiers (a sort column) from a fixed table
in the code. What reaches a database call must therefore be made only of string literals,
module-level constants (UPPER_CASE names), look-ups in them, and other such pieces joined with
``+``. Anything else (an f-string with a variable in it, ``%`` or ``.format()``, a value that came
from a parameter of the function) is reported, even when a hand-made escape makes it harmless
today: that is exactly the protection the next edit forgets.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

#: Calls whose first argument is SQL text.
SQL_SINKS = {
    "execute",
    "executemany",
    "executescript",
    "exec_driver_sql",
    "text",
    "literal_column",
}
#: SQLAlchemy constructs that build statements with bound parameters themselves.
SAFE_BUILDERS = {"select", "insert", "update", "delete", "and_", "or_", "func", "column", "table"}
#: Methods that refine a SQLAlchemy statement without adding SQL text.
STATEMENT_METHODS = {
    "where",
    "filter",
    "filter_by",
    "order_by",
    "group_by",
    "having",
    "limit",
    "offset",
    "join",
    "outerjoin",
    "select_from",
    "distinct",
    "bindparams",
    "columns",
    "values",
    "returning",
    "with_only_columns",
    "select",
    "insert",
    "update",
    "delete",
}
SKIP_PARTS = {"tests", "__pycache__", ".venv", "venv", "site-packages"}


@dataclass(frozen=True)
class Finding:
    path: str
    line: int
    call: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line} passes SQL built from strings to {self.call}()"


def call_name(node: ast.Call) -> str:
    if isinstance(node.func, ast.Name):
        return node.func.id
    if isinstance(node.func, ast.Attribute):
        return node.func.attr
    return ""


def is_constant_name(name: str) -> bool:
    return name.isupper() or (name.startswith("_") and name[1:].isupper())


class Module:
    def __init__(self, path: Path, label: str) -> None:
        self.label = label
        self.tree = ast.parse(path.read_text(encoding="utf-8"), filename=label)
        for node in ast.walk(self.tree):
            for child in ast.iter_child_nodes(node):
                child.parent = node  # type: ignore[attr-defined]


class Audit:
    def __init__(self, root: Path) -> None:
        self.modules: list[Module] = []
        for path in sorted(root.rglob("*.py")):
            relative = path.relative_to(root)
            if SKIP_PARTS & set(relative.parts):
                continue
            self.modules.append(Module(path, str(relative)))
        self.functions: dict[str, list[ast.FunctionDef | ast.AsyncFunctionDef]] = {}
        for module in self.modules:
            for node in ast.walk(module.tree):
                if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                    self.functions.setdefault(node.name, []).append(node)

    def findings(self) -> list[Finding]:
        found: list[Finding] = []
        for module in self.modules:
            for node in ast.walk(module.tree):
                if not isinstance(node, ast.Call) or call_name(node) not in SQL_SINKS:
                    continue
                sql = first_argument(node)
                if sql is None:
                    continue
                if not self.safe(sql, set()):
                    found.append(Finding(module.label, node.lineno, call_name(node)))
        return found

    # -- is an expression made only of code-written text? ------------------------------------

    def safe(self, node: ast.AST, seen: set[tuple[int, str]]) -> bool:
        if isinstance(node, ast.Constant):
            return node.value is None or isinstance(node.value, str | int | float | bytes)
        if isinstance(node, ast.JoinedStr):
            return all(
                self.safe(part.value, seen)
                for part in node.values
                if isinstance(part, ast.FormattedValue)
            )
        if isinstance(node, ast.BinOp):
            if isinstance(node.op, ast.Add):
                return self.safe(node.left, seen) and self.safe(node.right, seen)
            return False
        if isinstance(node, ast.IfExp):
            # ``sort if sort in ALLOWED else "name"``: the test proves the body is allow-listed.
            body_safe = self.checked_against_constant(node.test, node.body, negated=False)
            orelse_safe = self.checked_against_constant(node.test, node.orelse, negated=True)
            return (body_safe or self.safe(node.body, seen)) and (
                orelse_safe or self.safe(node.orelse, seen)
            )
        if isinstance(node, ast.List | ast.Tuple):
            return all(self.safe(element, seen) for element in node.elts)
        if isinstance(node, ast.Subscript):
            return self.constant_container(node.value)
        if isinstance(node, ast.Attribute):
            return self.constant_container(node) or self.literal_field(node)
        if isinstance(node, ast.Name):
            return self.safe_name(node, seen)
        if isinstance(node, ast.Call):
            return self.safe_call(node, seen)
        return False

    def allow_list(self, node: ast.AST) -> bool:
        """A fixed collection: ALLOWED, dict(SORT_OPTIONS), {"a", "b"}, ("asc", "desc")."""
        if isinstance(node, ast.Set | ast.List | ast.Tuple):
            return all(isinstance(e, ast.Constant) for e in node.elts)
        if isinstance(node, ast.Dict):
            return all(isinstance(k, ast.Constant) for k in node.keys)
        if isinstance(node, ast.Call) and call_name(node) in ("dict", "set", "frozenset", "keys"):
            if isinstance(node.func, ast.Attribute):
                return self.constant_container(node.func.value)
            return len(node.args) == 1 and self.constant_container(node.args[0])
        return self.constant_container(node)

    def checked_against_constant(self, test: ast.AST, value: ast.AST, *, negated: bool) -> bool:
        """True when ``test`` is ``value in FIXED`` (or ``not in`` with ``negated``)."""
        if not (
            isinstance(test, ast.Compare)
            and len(test.ops) == 1
            and isinstance(test.ops[0], ast.NotIn if negated else ast.In)
            and self.allow_list(test.comparators[0])
        ):
            return False
        return ast.dump(test.left) == ast.dump(value)

    def guarded(self, function: ast.AST, name: str) -> bool:
        """``if name not in FIXED: name = ... / return / raise`` somewhere in the function."""
        for node in ast.walk(function):
            if not isinstance(node, ast.If) or not node.body:
                continue
            target = ast.Name(id=name, ctx=ast.Load())
            if not self.checked_against_constant(node.test, target, negated=True):
                continue
            last = node.body[-1]
            if isinstance(last, ast.Return | ast.Raise):
                return True
            if (
                isinstance(last, ast.Expr)
                and isinstance(last.value, ast.Call)
                and call_name(last.value) == "abort"
            ):
                return True
            if isinstance(last, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id == name for t in last.targets
            ):
                return self.safe(last.value, set())
        return False

    def literal_field(self, node: ast.Attribute) -> bool:
        """``body.group_by`` where ``body: Model`` and the model declares the field a Literal."""
        if not isinstance(node.value, ast.Name):
            return False
        function = enclosing_function(node)
        if function is None:
            return False
        params = function.args
        for arg in [*params.posonlyargs, *params.args, *params.kwonlyargs]:
            if arg.arg != node.value.id or not isinstance(arg.annotation, ast.Name):
                continue
            for module in self.modules:
                for cls in ast.walk(module.tree):
                    if not isinstance(cls, ast.ClassDef) or cls.name != arg.annotation.id:
                        continue
                    for statement in cls.body:
                        if (
                            isinstance(statement, ast.AnnAssign)
                            and isinstance(statement.target, ast.Name)
                            and statement.target.id == node.attr
                        ):
                            return is_literal(statement.annotation)
        return False

    def constant_container(self, node: ast.AST) -> bool:
        """UPPER_CASE module constants, and attributes of them (an allow-list, a table)."""
        while isinstance(node, ast.Attribute | ast.Subscript):
            node = node.value
        return isinstance(node, ast.Name) and is_constant_name(node.id)

    def safe_call(self, node: ast.Call, seen: set[tuple[int, str]]) -> bool:
        name = call_name(node)
        func = node.func
        if name in ("text", "literal_column"):
            return True  # checked on its own as a sink
        if name == "get" and isinstance(func, ast.Attribute):
            return self.constant_container(func.value) and all(
                self.safe(arg, seen) for arg in node.args[1:]
            )
        if name == "join" and isinstance(func, ast.Attribute):
            return self.safe(func.value, seen) and all(self.safe(arg, seen) for arg in node.args)
        if name in ("strip", "lstrip", "rstrip", "upper", "lower", "replace") and isinstance(
            func, ast.Attribute
        ):
            return self.safe(func.value, seen) and all(self.safe(arg, seen) for arg in node.args)
        # A statement built by SQLAlchemy (select(...).where(...)), or one such statement refined
        # further (statement = statement.where(...)): values in it become bound parameters.
        root: ast.AST = node
        methods: list[str] = []
        while isinstance(root, ast.Call | ast.Attribute):
            if isinstance(root, ast.Attribute):
                methods.append(root.attr)
                root = root.value
            else:
                root = root.func
        if not isinstance(root, ast.Name):
            return False
        if root.id in (*SAFE_BUILDERS, "sa", "sqlalchemy"):
            return True
        return set(methods) <= STATEMENT_METHODS and self.safe_name(root, seen)

    def safe_name(self, node: ast.Name, seen: set[tuple[int, str]]) -> bool:
        function = enclosing_function(node)
        if is_constant_name(node.id) and (
            function is None or not list(assigned_values(function, node.id))
        ):
            return True
        if function is None:
            return False
        key = (id(function), node.id)
        if key in seen:
            return True  # already being checked further up
        seen = seen | {key}
        params = function.args
        positional = [*params.posonlyargs, *params.args]
        if self.guarded(function, node.id):
            return True
        values = list(assigned_values(function, node.id))
        if node.id in {arg.arg for arg in [*positional, *params.kwonlyargs]}:
            # ``sort = sort if sort in ALLOWED else "name"`` as a statement of its own replaces
            # the parameter before anything else can use it.
            rebinds = [
                statement.value
                for statement in function.body
                if isinstance(statement, ast.Assign)
                and any(isinstance(t, ast.Name) and t.id == node.id for t in statement.targets)
            ]
            if rebinds and all(v is not None and self.safe(v, seen) for v in values):
                return True
            if literal_parameter(function, node.id):
                return True
            return self.safe_parameter(function, node.id, seen)
        if not values:
            return False
        return all(value is not None and self.safe(value, seen) for value in values)

    def safe_parameter(
        self,
        function: ast.FunctionDef | ast.AsyncFunctionDef,
        name: str,
        seen: set[tuple[int, str]],
    ) -> bool:
        """A helper like ``query(sql, params)``: every caller must pass safe SQL."""
        params = function.args
        positional = [arg.arg for arg in [*params.posonlyargs, *params.args]]
        index = positional.index(name) if name in positional else None
        if index is not None and positional and positional[0] in ("self", "cls"):
            index -= 1
        calls = [
            node
            for module in self.modules
            for node in ast.walk(module.tree)
            if isinstance(node, ast.Call) and call_name(node) == function.name
        ]
        if not calls:
            return False
        for call in calls:
            argument = None
            if index is not None and 0 <= index < len(call.args):
                argument = call.args[index]
            for keyword in call.keywords:
                if keyword.arg == name:
                    argument = keyword.value
            if argument is None or not self.safe(argument, seen):
                return False
        return True


def is_literal(annotation: ast.AST) -> bool:
    """``Literal["a", "b"]``: FastAPI and Pydantic refuse any other value."""
    if not isinstance(annotation, ast.Subscript):
        return False
    head = annotation.value
    head_name = head.id if isinstance(head, ast.Name) else getattr(head, "attr", "")
    if head_name != "Literal":
        return False
    values = annotation.slice
    elements = values.elts if isinstance(values, ast.Tuple) else [values]
    return all(isinstance(e, ast.Constant) for e in elements)


def literal_parameter(function: ast.FunctionDef | ast.AsyncFunctionDef, name: str) -> bool:
    params = function.args
    return any(
        arg.arg == name and arg.annotation is not None and is_literal(arg.annotation)
        for arg in [*params.posonlyargs, *params.args, *params.kwonlyargs]
    )


def first_argument(node: ast.Call) -> ast.AST | None:
    if node.args:
        first = node.args[0]
        return None if isinstance(first, ast.Starred) else first
    for keyword in node.keywords:
        if keyword.arg in ("sql", "statement", "text", "sql_script", "operation"):
            return keyword.value
    return None


def enclosing_function(node: ast.AST) -> ast.FunctionDef | ast.AsyncFunctionDef | None:
    current = getattr(node, "parent", None)
    while current is not None:
        if isinstance(current, ast.FunctionDef | ast.AsyncFunctionDef):
            return current
        current = getattr(current, "parent", None)
    return None


def assigned_values(function: ast.AST, name: str) -> Iterator[ast.AST | None]:
    """Every value bound to ``name`` in the function (None for bindings we cannot follow)."""
    for node in ast.walk(function):
        if isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Name) and target.id == name:
                    yield node.value
                elif isinstance(target, ast.Tuple | ast.List) and any(
                    isinstance(e, ast.Name) and e.id == name for e in ast.walk(target)
                ):
                    yield None
        elif isinstance(node, ast.AugAssign | ast.AnnAssign):
            if isinstance(node.target, ast.Name) and node.target.id == name:
                if isinstance(node, ast.AugAssign) and not isinstance(node.op, ast.Add):
                    yield None
                elif node.value is not None:
                    yield node.value
        elif isinstance(node, ast.For | ast.AsyncFor | ast.comprehension):
            # Looping over a constant table binds pieces of that table.
            if any(isinstance(e, ast.Name) and e.id == name for e in ast.walk(node.target)):
                yield node.iter
        elif isinstance(node, ast.With):
            for item in node.items:
                target = item.optional_vars
                if target is not None and any(
                    isinstance(e, ast.Name) and e.id == name for e in ast.walk(target)
                ):
                    yield None
        elif isinstance(node, ast.NamedExpr) and node.target.id == name:
            yield node.value
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id == name
            and node.func.attr in ("append", "extend", "insert")
        ):
            yield from node.args[-1:]


def string_built_sql(root: Path) -> list[Finding]:
    return Audit(root).findings()

"""The layer rule, checked on the source: every import of every app module, read with ``ast``.

- ``portal`` is the bottom layer: it imports no other app.
- ``courses``, ``labs`` and ``teams`` import ``portal`` and read each other only through
  ``<app>.selectors`` (``from labs import selectors``, ``from labs.selectors import x``).
- The sandbox (``labs.sandbox``) imports neither Django nor any Django app.
- Only the labs services (``labs.services``, a module or package) and ``labs.tasks`` import the
  sandbox.

Imports inside functions count, relative imports are resolved, and a ``from package import name``
counts as an import of ``package.name`` when that is a module. Migrations, tests, benchmarks and
scripts are not checked. A string such as ``"labs.Lab"`` in a ForeignKey is not an import.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
APPS = ("portal", "courses", "labs", "teams")
LAYER = {"portal": 0, "courses": 1, "labs": 1, "teams": 1}
SANDBOX = "labs.sandbox"
SANDBOX_USERS = ("labs.services", "labs.tasks")
# Django itself and the third-party Django apps of INSTALLED_APPS, by top-level package.
DJANGO_PACKAGES = ("django", "allauth", "django_htmx", "csp", "whitenoise")
SKIPPED_DIRS = {"migrations", "tests", "__pycache__"}


@dataclass(frozen=True)
class Import:
    path: Path  # relative to the project root
    line: int
    source: str  # the importing module, e.g. "courses.views"
    target: str  # the imported module, e.g. "labs.selectors"


def _within(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def module_files(root: Path, apps: tuple[str, ...] = APPS) -> Iterator[tuple[str, Path]]:
    """Every checked module of the apps as (dotted name, path)."""
    for app in apps:
        for path in sorted((root / app).rglob("*.py")):
            relative = path.relative_to(root)
            if SKIPPED_DIRS.intersection(relative.parts[:-1]):
                continue
            if path.name.startswith("test_") or path.name == "conftest.py":
                continue
            parts = list(relative.with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            yield ".".join(parts), path


def _is_module(root: Path, dotted: str) -> bool:
    base = root.joinpath(*dotted.split("."))
    return base.with_suffix(".py").is_file() or base.is_dir()


def imports_of(root: Path, source: str, path: Path) -> Iterator[Import]:
    """Every import in the file, anywhere in it, resolved to absolute module names."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    is_package = path.name == "__init__.py"
    relative = path.relative_to(root)
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield Import(relative, node.lineno, source, alias.name)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                package = source.split(".") if is_package else source.split(".")[:-1]
                keep = len(package) - (node.level - 1)
                base = ".".join(package[:keep] + ([node.module] if node.module else []))
            else:
                base = node.module or ""
            for alias in node.names:
                candidate = f"{base}.{alias.name}" if base else alias.name
                is_submodule = alias.name != "*" and _is_module(root, candidate)
                yield Import(relative, node.lineno, source, candidate if is_submodule else base)


def broken_rules(imp: Import) -> list[str]:
    """The layer rules this one import breaks (none for an import outside the project)."""
    src, dst = imp.source, imp.target
    src_app, dst_app = src.split(".")[0], dst.split(".")[0]
    problems: list[str] = []
    if dst_app in LAYER and LAYER[src_app] < LAYER[dst_app]:
        problems.append(f"{src_app} is a lower layer than {dst_app}")
    elif (
        dst_app in LAYER
        and src_app != dst_app
        and LAYER[src_app] == LAYER[dst_app]
        and not _within(dst, f"{dst_app}.selectors")
    ):
        problems.append(f"{src_app} may read {dst_app} only through {dst_app}.selectors")
    in_sandbox = _within(src, SANDBOX)
    if in_sandbox and not _within(dst, SANDBOX) and dst_app in (*LAYER, *DJANGO_PACKAGES):
        problems.append("the sandbox imports no Django app")
    sandbox_user = in_sandbox or any(_within(src, user) for user in SANDBOX_USERS)
    if _within(dst, SANDBOX) and not sandbox_user:
        problems.append("only labs.services and labs.tasks import the sandbox")
    return problems


def layer_violations(root: Path, apps: tuple[str, ...] = APPS) -> list[str]:
    """``file:line -> module: why`` for every import that breaks a rule."""
    found = {
        (str(imp.path), imp.line, imp.target, problem)
        for source, path in module_files(root, apps)
        for imp in imports_of(root, source, path)
        for problem in broken_rules(imp)
    }
    return [f"{path}:{line} -> {target}: {why}" for path, line, target, why in sorted(found)]


def test_apps_import_each_other_only_down_the_layers() -> None:
    violations = layer_violations(ROOT)
    assert not violations, "Imports that break the layer rule:\n" + "\n".join(violations)


def test_the_walker_reports_every_kind_of_violation(tmp_path: Path) -> None:
    files = {
        "portal/__init__.py": "",
        "portal/settings.py": "from labs.sandbox.config import project_dirs\n",
        "portal/views.py": "def home():\n    from courses.selectors import continue_learning\n",
        "portal/migrations/0001_initial.py": "from labs.models import Lab\n",
        "courses/__init__.py": "",
        "courses/models.py": 'lab = ForeignKey("labs.Lab")\nfrom portal.models import User\n',
        "courses/selectors.py": "from labs import selectors\nfrom labs.selectors import x\n",
        "courses/views.py": "from . import selectors\nfrom .selectors import y\n"
        "import labs.models\n",
        "courses/management/__init__.py": "",
        "courses/management/commands/__init__.py": "",
        "courses/management/commands/load.py": "from ...models import A\nfrom labs import models\n",
        "labs/__init__.py": "",
        "labs/selectors/__init__.py": "from .catalogue import z\n",
        "labs/selectors/catalogue.py": "from courses.models import Article\n",
        "labs/models.py": "from labs import sandbox\n",
        "labs/tasks.py": "from labs import sandbox\n",
        "labs/services/__init__.py": "from labs.sandbox import grade\n",
        "labs/services/grading.py": "from ..sandbox.config import X\n",
        "labs/sandbox/__init__.py": "from .config import SandboxConfig\nfrom . import bwrap\n",
        "labs/sandbox/bwrap.py": "import os\ndef f():\n    from django.conf import settings\n",
        "labs/sandbox/config.py": "from labs.models import Lab\n",
        "labs/sandbox/tests/test_x.py": "import django\n",
        "teams/__init__.py": "",
        "teams/views.py": "from courses import selectors, models\nfrom portal import views\n",
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)

    assert layer_violations(tmp_path) == [
        "courses/management/commands/load.py:2 -> labs.models: "
        "courses may read labs only through labs.selectors",
        "courses/views.py:3 -> labs.models: courses may read labs only through labs.selectors",
        "labs/models.py:1 -> labs.sandbox: only labs.services and labs.tasks import the sandbox",
        "labs/sandbox/bwrap.py:3 -> django.conf: the sandbox imports no Django app",
        "labs/sandbox/config.py:1 -> labs.models: the sandbox imports no Django app",
        "labs/selectors/catalogue.py:1 -> courses.models: "
        "labs may read courses only through courses.selectors",
        "portal/settings.py:1 -> labs.sandbox.config: "
        "only labs.services and labs.tasks import the sandbox",
        "portal/settings.py:1 -> labs.sandbox.config: portal is a lower layer than labs",
        "portal/views.py:2 -> courses.selectors: portal is a lower layer than courses",
        "teams/views.py:1 -> courses.models: teams may read courses only through courses.selectors",
    ]


def test_relative_imports_resolve_against_the_package(tmp_path: Path) -> None:
    (tmp_path / "labs" / "services").mkdir(parents=True)
    (tmp_path / "labs" / "sandbox").mkdir()
    (tmp_path / "labs" / "sandbox" / "grading.py").write_text("")
    init = tmp_path / "labs" / "services" / "__init__.py"
    init.write_text("from . import grading\nfrom ..sandbox import grading as g\n")

    targets = [imp.target for imp in imports_of(tmp_path, "labs.services", init)]

    assert targets == ["labs.services", "labs.sandbox.grading"]

"""Run a lab's tests with the grader plugin (inside the test sandbox, started with ``python -I``).

The configuration is ours, not the bundle's: an explicit rootdir and ini file, no plugin autoload,
no cache, no bytecode, and ``--confcutdir`` so no conftest.py above the tests folder is ever
considered.
"""

from __future__ import annotations

import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def main() -> int:
    os.environ["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"
    sys.path.insert(0, HERE)
    import grader_plugin
    import pytest

    tests = os.environ.get("PATCHWISE_TESTS_DIR", "/work/tests")
    args = [
        tests,
        f"--rootdir={tests}",
        f"--confcutdir={tests}",
        "-c",
        os.path.join(HERE, "pytest.ini"),
        "-p",
        "no:cacheprovider",
        "-p",
        "no:stepwise",
        "-p",
        "no:pastebin",
        "-p",
        "no:junitxml",
        "-p",
        "no:doctest",
        "-p",
        "no:legacypath",
        "--color=no",
        "-q",
        "-rfE",
        "--tb=short",
    ]
    return int(pytest.main(args, plugins=[grader_plugin]))


if __name__ == "__main__":
    sys.exit(main())

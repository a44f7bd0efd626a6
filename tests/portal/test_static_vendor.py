"""Vendored front-end files: no source maps ship to production, and none is named but missing."""

from __future__ import annotations

import re
from pathlib import Path

VENDOR = Path(__file__).resolve().parents[2] / "static" / "vendor"
SOURCE_MAP = re.compile(r"sourceMappingURL=([^\s*]+)")


def test_no_source_map_ships_under_static_vendor() -> None:
    assert sorted(str(p.relative_to(VENDOR)) for p in VENDOR.rglob("*.map")) == []


def test_no_vendored_file_names_a_missing_source_map() -> None:
    # whitenoise's manifest storage fails collectstatic on a sourceMappingURL to a missing file.
    files = sorted([*VENDOR.rglob("*.js"), *VENDOR.rglob("*.css")])
    assert files, "static/vendor holds no JavaScript: the test would prove nothing"
    missing = [
        f"{path.relative_to(VENDOR)} -> {target}"
        for path in files
        for target in SOURCE_MAP.findall(path.read_text(encoding="utf-8", errors="replace"))
        if not target.startswith("data:") and not (path.parent / target).is_file()
    ]
    assert missing == []

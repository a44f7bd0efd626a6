"""Reading bundles: what an author or a hostile upload can and cannot get into a lab version."""

from __future__ import annotations

import io
import stat
import zipfile
from pathlib import Path

import pytest

from labs.services.bundles import MAX_TOTAL_BYTES, BundleError, read_folder, read_zip

ROOT = Path(__file__).resolve().parents[2]
FLASK_LAB = ROOT / "content" / "labs" / "flask-debug-console"


def _zip(entries: list[tuple[str, bytes, int | None]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data, mode in entries:
            info = zipfile.ZipInfo(name)
            if mode is not None:
                info.external_attr = mode << 16
            archive.writestr(info, data)
    return buffer.getvalue()


def test_folder_and_its_zip_have_the_same_hash() -> None:
    bundle = read_folder(FLASK_LAB)
    assert "lab.toml" in bundle.files
    assert not any("__pycache__" in path for path in bundle.files)
    again = read_zip(bundle.to_zip())
    assert again.files == bundle.files
    assert again.content_hash == bundle.content_hash


def test_a_changed_file_changes_the_hash() -> None:
    bundle = read_folder(FLASK_LAB)
    changed = dict(bundle.files)
    changed["brief.md"] = changed["brief.md"] + b"\nOne more line.\n"
    assert type(bundle)(changed).content_hash != bundle.content_hash


def test_zip_inside_one_top_folder_is_accepted() -> None:
    data = _zip([("mylab/lab.toml", b"slug='x'", None), ("mylab/app/app.py", b"", None)])
    assert set(read_zip(data).files) == {"lab.toml", "app/app.py"}


@pytest.mark.parametrize(
    ("entries", "message"),
    [
        ([("lab.toml", b"", None), ("../escape.py", b"x", None)], "climb out"),
        ([("lab.toml", b"", None), ("app/../../x.py", b"x", None)], "climb out"),
        ([("lab.toml", b"", None), ("/etc/passwd", b"x", None)], "absolute"),
        ([("lab.toml", b"", None), ("app/link", b"/etc/passwd", stat.S_IFLNK | 0o777)], "symbolic"),
        ([("app/app.py", b"x", None)], "no lab.toml"),
    ],
)
def test_hostile_archives_are_refused_with_a_reason(entries, message: str) -> None:
    with pytest.raises(BundleError, match=message):
        read_zip(_zip(entries))


def test_oversized_archive_is_refused() -> None:
    with pytest.raises(BundleError, match="larger than"):
        read_zip(b"x" * (MAX_TOTAL_BYTES + 1))


def test_zip_bomb_entry_is_refused() -> None:
    big = b"\0" * (2 * 1024 * 1024)  # compresses to almost nothing
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("lab.toml", b"")
        archive.writestr("app/huge.bin", big)
    with pytest.raises(BundleError, match="larger than"):
        read_zip(buffer.getvalue())


def test_not_a_zip_is_refused() -> None:
    with pytest.raises(BundleError, match="not a valid zip"):
        read_zip(b"this is not a zip file")


def test_symlink_in_folder_is_refused(tmp_path: Path) -> None:
    (tmp_path / "lab.toml").write_text("slug = 'x'")
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "secret").symlink_to("/etc/passwd")
    with pytest.raises(BundleError, match="symbolic"):
        read_folder(tmp_path)

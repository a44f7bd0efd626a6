"""Lab bundles as files: read a folder or a zip safely, hash it, and lay a stored version on disk.

A bundle is small text (code, Markdown, TOML). Reading refuses what a hostile or careless upload
could smuggle in: paths that climb out (``../``), absolute paths, symlinks, device files, and
archives that are too large or have too many entries. Names are checked with the sandbox engine's
own path rule (through :mod:`labs.services.engine`), the rule the engine applies when it copies a
bundle, so a name accepted here is one the engine accepts too.
"""

from __future__ import annotations

import hashlib
import io
import lzma
import os
import shutil
import stat
import tempfile
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from django.conf import settings

from labs.models import Lab, LabVersion
from labs.services import engine

# Files and folders that are build litter, never part of a bundle.
IGNORED_PARTS = {
    "__pycache__",
    ".pytest_cache",
    ".git",
    ".venv",
    "venv",
    "node_modules",
    ".ruff_cache",
}
IGNORED_SUFFIXES = {".pyc", ".pyo", ".sqlite3", ".db"}

MAX_FILES = 500
MAX_TOTAL_BYTES = 5 * 1024 * 1024
MAX_FILE_BYTES = 1024 * 1024


class BundleError(Exception):
    """The bundle cannot be accepted; the message says why, in words an author can act on."""


@dataclass(frozen=True)
class BundleFiles:
    """A bundle's files by relative POSIX path."""

    files: dict[str, bytes]

    @property
    def content_hash(self) -> str:
        digest = hashlib.sha256()
        for path in sorted(self.files):
            digest.update(path.encode() + b"\0")
            digest.update(hashlib.sha256(self.files[path]).digest())
        return digest.hexdigest()

    def text_files(self, prefix: str) -> dict[str, str]:
        """UTF-8 text files under ``prefix/`` (e.g. ``app``), keyed by path relative to it."""
        out: dict[str, str] = {}
        lead = prefix.rstrip("/") + "/"
        for path, data in sorted(self.files.items()):
            if path.startswith(lead):
                try:
                    out[path[len(lead) :]] = data.decode("utf-8")
                except UnicodeDecodeError:
                    continue  # binary assets are graded but not shown in the editor
        return out

    def text(self, path: str) -> str:
        data = self.files.get(path)
        return data.decode("utf-8", errors="replace") if data is not None else ""

    def to_zip(self) -> bytes:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in sorted(self.files):
                info = zipfile.ZipInfo(path, date_time=(2020, 1, 1, 0, 0, 0))
                info.external_attr = (stat.S_IFREG | 0o644) << 16
                archive.writestr(info, self.files[path], zipfile.ZIP_DEFLATED)
        return buffer.getvalue()


def _ignored(parts: tuple[str, ...]) -> bool:
    return (
        any(part in IGNORED_PARTS for part in parts)
        or PurePosixPath(parts[-1]).suffix in IGNORED_SUFFIXES
    )


def _check_path(name: str) -> str:
    """``name`` normalised, or a :class:`BundleError` saying why it cannot be in a bundle."""
    try:
        return str(engine.safe_relative_path(name))
    except engine.UnsafePath as exc:
        raise BundleError(f"{name!r}: {exc.reason} in a bundle.") from None


def _add(files: dict[str, bytes], name: str, data: bytes, total: int) -> int:
    if len(files) >= MAX_FILES:
        raise BundleError(f"The bundle has more than {MAX_FILES} files.")
    if len(data) > MAX_FILE_BYTES:
        raise BundleError(f"{name}: larger than {MAX_FILE_BYTES // 1024} KB.")
    total += len(data)
    if total > MAX_TOTAL_BYTES:
        raise BundleError(f"The bundle is larger than {MAX_TOTAL_BYTES // (1024 * 1024)} MB.")
    files[name] = data
    return total


def read_folder(root: Path) -> BundleFiles:
    """Read a bundle folder; symlinks and special files are refused rather than followed."""
    root = Path(root)
    if not (root / "lab.toml").is_file():
        raise BundleError(f"{root}: no lab.toml, so this is not a lab bundle.")
    files: dict[str, bytes] = {}
    total = 0
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        rel_dir = Path(dirpath).relative_to(root)
        for name in list(dirnames):
            full = Path(dirpath) / name
            if full.is_symlink():
                raise BundleError(f"{rel_dir / name}: symbolic links are not allowed in a bundle.")
            if name in IGNORED_PARTS:
                dirnames.remove(name)
        for name in sorted(filenames):
            full = Path(dirpath) / name
            rel = (rel_dir / name).as_posix()
            if full.is_symlink():
                raise BundleError(f"{rel}: symbolic links are not allowed in a bundle.")
            if not full.is_file():
                raise BundleError(f"{rel}: only regular files are allowed in a bundle.")
            if _ignored(tuple(PurePosixPath(rel).parts)):
                continue
            total = _add(files, _check_path(rel), full.read_bytes(), total)
    return BundleFiles(files)


def read_zip(data: bytes) -> BundleFiles:
    """Read an uploaded zip. The bundle may sit at the top or inside one top-level folder.

    Every way a damaged or hostile archive can fail (a bad CRC, a truncated or corrupt stream,
    an encrypted entry, a compression method the standard library cannot read) becomes a
    :class:`BundleError`, so the admin and the commands report it instead of crashing.
    """
    if len(data) > MAX_TOTAL_BYTES:
        raise BundleError(f"The archive is larger than {MAX_TOTAL_BYTES // (1024 * 1024)} MB.")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, EOFError, ValueError):
        raise BundleError("This is not a valid zip archive.") from None
    entries = archive.infolist()
    if len(entries) > MAX_FILES * 2:
        raise BundleError(f"The archive has more than {MAX_FILES * 2} entries.")
    files: dict[str, bytes] = {}
    total = 0
    for info in entries:
        name = _check_path(info.filename.rstrip("/") if info.is_dir() else info.filename)
        mode = info.external_attr >> 16
        if stat.S_ISLNK(mode):
            raise BundleError(f"{info.filename}: symbolic links are not allowed in a bundle.")
        if info.is_dir():
            continue
        if stat.S_IFMT(mode) and not stat.S_ISREG(mode):  # no type bits: a plain file
            raise BundleError(f"{info.filename}: only regular files are allowed in a bundle.")
        _check_entry_format(info)
        if info.file_size > MAX_FILE_BYTES:
            raise BundleError(f"{info.filename}: larger than {MAX_FILE_BYTES // 1024} KB.")
        if _ignored(tuple(PurePosixPath(name).parts)):
            continue
        total = _add(files, name, _read_entry(archive, info), total)
    return BundleFiles(_strip_single_top_folder(files))


#: The compression methods the standard library reads; anything else is refused before reading.
READABLE_METHODS = {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA}


def _check_entry_format(info: zipfile.ZipInfo) -> None:
    """Refuse an entry that cannot be read without a password or an unusual decompressor."""
    if info.flag_bits & 0x1:
        raise BundleError(
            f"{info.filename}: the entry is encrypted; upload a zip without a password."
        )
    if info.compress_type not in READABLE_METHODS:
        raise BundleError(
            f"{info.filename}: compression method {info.compress_type} is not supported; "
            "upload a plain zip (stored, deflated, bzip2 or LZMA entries)."
        )


def _read_entry(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    """The entry's bytes, at most one over the size limit (never trusting the declared size)."""
    try:
        with archive.open(info) as handle:
            content = handle.read(MAX_FILE_BYTES + 1)
            if len(content) <= MAX_FILE_BYTES:
                handle.read(1)  # reach the end of the entry, where zipfile checks the CRC
    except (zipfile.BadZipFile, EOFError, zlib.error, lzma.LZMAError) as exc:
        raise BundleError(
            f"{info.filename}: the archive is damaged ({_reason(exc)}); zip the folder again."
        ) from None
    except (NotImplementedError, RuntimeError, ValueError, OSError) as exc:
        raise BundleError(f"{info.filename}: this entry cannot be read ({_reason(exc)}).") from None
    if len(content) != info.file_size and len(content) <= MAX_FILE_BYTES:
        raise BundleError(
            f"{info.filename}: its real size ({len(content)} bytes) differs from the size the "
            f"archive declares ({info.file_size} bytes); zip the folder again."
        )
    return content


def _reason(exc: BaseException) -> str:
    return str(exc).strip() or type(exc).__name__


def _strip_single_top_folder(files: dict[str, bytes]) -> dict[str, bytes]:
    if "lab.toml" in files:
        return files
    tops = {PurePosixPath(path).parts[0] for path in files}
    if len(tops) == 1:
        top = tops.pop() + "/"
        if top + "lab.toml" in files:
            return {path[len(top) :]: data for path, data in files.items()}
    raise BundleError("The archive has no lab.toml at its top (or inside one top-level folder).")


def write_folder(bundle: BundleFiles, target: Path) -> Path:
    """Write the files into ``target`` (created fresh)."""
    target.mkdir(parents=True, exist_ok=False)
    for path, data in bundle.files.items():
        dest = target / path
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_bytes(data)
    return target


def materialize(*, content_hash: str, archive: bytes) -> Path:
    """The bundle of a stored version as a folder on disk, extracted once and then reused.

    Versions are immutable, so the folder is keyed by content hash; extraction goes to a temporary
    folder renamed into place, so concurrent workers never see half a bundle.
    """
    base = Path(settings.LAB_VERSIONS_DIR)
    target = base / content_hash
    if (target / "lab.toml").is_file():
        return target
    base.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{content_hash[:12]}-", dir=base))
    try:
        write_folder(read_zip(archive), staging / "bundle")
        try:
            os.rename(staging / "bundle", target)
        except OSError:
            if not (target / "lab.toml").is_file():  # lost a race only if the winner finished
                raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return target


def version_bundle_dir(version: LabVersion) -> Path:
    """The version's bundle as a folder on disk (extracted once, then reused)."""
    return materialize(content_hash=version.content_hash, archive=bytes(version.archive))


def bundle_dir_for(target: str) -> Path:
    """A bundle folder from a path, or from a lab slug (its published, else newest, version)."""
    path = Path(target)
    if (path / "lab.toml").is_file():
        return path
    content = Path(settings.LAB_CONTENT_DIR) / target
    lab = Lab.objects.filter(slug=target).select_related("published_version").first()
    version: LabVersion | None = None
    if lab is not None:
        version = lab.published_version or lab.versions.order_by("-number").first()
    if version is not None:
        return version_bundle_dir(version)
    if (content / "lab.toml").is_file():
        return content
    raise FileNotFoundError(f"{target}: neither a bundle folder nor a known lab slug")

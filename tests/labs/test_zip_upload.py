"""Damaged and hostile lab zips, built byte by byte here: each is refused with a message an author
can act on (a form error in the admin, a CommandError on the command line), never a 500, and
nothing is stored."""

from __future__ import annotations

import io
import stat
import struct
import zipfile
from collections.abc import Callable

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from labs.models import Lab, LabVersion
from labs.services.bundles import MAX_FILE_BYTES, BundleError, read_folder, read_zip
from portal.models import User
from tests.factories import LABS, UserFactory

pytestmark = pytest.mark.django_db

LOCAL, CENTRAL = b"PK\x03\x04", b"PK\x01\x02"
#: Offsets of fields inside a local file header and a central directory header.
FLAGS = (6, 8)
METHOD = (8, 10)
SIZE = (22, 24)  # the uncompressed size


def _zip(
    entries: dict[str, bytes], method: int = zipfile.ZIP_STORED, mode: int | None = None
) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries.items():
            info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
            info.compress_type = method
            if mode is not None and name != "lab.toml":
                info.external_attr = mode << 16
            archive.writestr(info, data)
    return buffer.getvalue()


def _flask_zip(method: int = zipfile.ZIP_STORED) -> bytes:
    bundle = read_folder(LABS / "flask-debug-console")
    return _zip(dict(bundle.files), method)


def _patch(data: bytes, field: tuple[int, int], value: int, fmt: str = "<H") -> bytes:
    """Set one field in every local and central header, as a hand-edited archive would."""
    out = bytearray(data)
    for signature, offset in ((LOCAL, field[0]), (CENTRAL, field[1])):
        at = out.find(signature)
        while at != -1:
            struct.pack_into(fmt, out, at + offset, value)
            at = out.find(signature, at + 4)
    return bytes(out)


def _first_data(data: bytes | bytearray) -> int:
    """Where the first entry's (compressed) bytes begin, after its local header."""
    name_length, extra_length = struct.unpack_from("<HH", data, 26)
    return 30 + name_length + extra_length


def bad_crc() -> bytes:
    data = bytearray(_flask_zip())
    at = data.find(b"[exploit]")  # a byte inside lab.toml's stored content
    data[at] ^= 0x20
    return bytes(data)


def encrypted() -> bytes:
    return _patch(_flask_zip(), FLAGS, 0x1)


def patched_data() -> bytes:
    """Flag bit 5 ("compressed patched data"), a format zipfile does not implement."""
    return _patch(_flask_zip(), FLAGS, 0x20)


def corrupt_lzma() -> bytes:
    data = bytearray(_flask_zip(zipfile.ZIP_LZMA))
    data[_first_data(data) + 20 : _first_data(data) + 28] = b"\xff" * 8  # inside the stream
    return bytes(data)


def unknown_method() -> bytes:
    return _patch(_flask_zip(), METHOD, 99)


def corrupt_deflate() -> bytes:
    data = bytearray(_flask_zip(zipfile.ZIP_DEFLATED))
    start = _first_data(data)
    data[start : start + 4] = b"\xff\xff\xff\xff"  # an invalid deflate block type
    return bytes(data)


def declared_smaller() -> bytes:
    """A bomb's lie: a tiny declared size on a large entry, to slip past the per-file cap."""
    big = {"lab.toml": b"slug = 'x'\n", "app/big.bin": b"\0" * (MAX_FILE_BYTES + 10)}
    data = _zip(big, zipfile.ZIP_DEFLATED)
    # Only the big entry's size: patch the second local and second central header.
    out = bytearray(data)
    for signature, offset in ((LOCAL, SIZE[0]), (CENTRAL, SIZE[1])):
        first = out.find(signature)
        second = out.find(signature, first + 4)
        struct.pack_into("<I", out, second + offset, 100)
    return bytes(out)


def declared_larger() -> bytes:
    return _patch(_flask_zip(zipfile.ZIP_DEFLATED), SIZE, 900_000, "<I")


def total_too_large() -> bytes:
    """Each entry under the per-file cap, compressing to almost nothing, together over 5 MB."""
    entries = {"lab.toml": b"slug = 'x'\n"}
    entries.update({f"app/part{i}.bin": b"\0" * (MAX_FILE_BYTES - 1) for i in range(6)})
    return _zip(entries, zipfile.ZIP_DEFLATED)


def climbing_out() -> bytes:
    return _zip({"lab.toml": b"", "app/../../../etc/cron.d/x": b"* * * * * root id"})


def absolute() -> bytes:
    return _zip({"lab.toml": b"", "/tmp/evil.py": b"x"})


def symlink() -> bytes:
    return _zip({"lab.toml": b"", "app/secret": b"/etc/shadow"}, mode=stat.S_IFLNK | 0o777)


CASES: list[tuple[Callable[[], bytes], str]] = [
    (bad_crc, "archive is damaged (Bad CRC-32"),
    (encrypted, "entry is encrypted"),
    (unknown_method, "compression method 99 is not supported"),
    (patched_data, "this entry cannot be read (compressed patched data"),
    (corrupt_lzma, "archive is damaged"),
    (corrupt_deflate, "archive is damaged"),
    (declared_smaller, "archive is damaged"),
    (declared_larger, "differs from the size the archive declares"),
    (total_too_large, "larger than 5 MB"),
    (climbing_out, "climb out"),
    (absolute, "absolute paths are not allowed"),
    (symlink, "symbolic links are not allowed"),
]
IDS = [build.__name__ for build, _ in CASES]


@pytest.mark.parametrize(("build", "message"), CASES, ids=IDS)
def test_read_zip_refuses_with_a_reason(build: Callable[[], bytes], message: str) -> None:
    with pytest.raises(BundleError) as excinfo:
        read_zip(build())
    assert message in str(excinfo.value)


@pytest.fixture(params=["author", "superuser"])
def uploader(request) -> User:
    if request.param == "author":
        return request.getfixturevalue("author")
    return UserFactory(email="root@example.com", is_staff=True, is_superuser=True)


@pytest.mark.parametrize(("build", "message"), CASES, ids=IDS)
def test_admin_upload_shows_the_reason_and_stores_nothing(
    client: Client, uploader: User, build: Callable[[], bytes], message: str
) -> None:
    client.force_login(uploader)
    response = client.post(
        reverse("admin:labs_labversion_upload"),
        {"archive": SimpleUploadedFile("lab.zip", build(), "application/zip")},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "errorlist" in html
    assert message in html
    assert not LabVersion.objects.exists() and not Lab.objects.exists()


def test_the_untouched_archive_is_accepted() -> None:
    """The damaged cases above differ from this one only where the test changed them."""
    for method in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA):
        assert "lab.toml" in read_zip(_flask_zip(method)).files


def test_validate_lab_reports_a_stored_archive_that_no_longer_reads(flask_lab: Lab) -> None:
    LabVersion.objects.filter(pk=flask_lab.published_version_id).update(
        archive=bad_crc(), content_hash="0" * 64
    )
    with pytest.raises(CommandError, match=r"unreadable bundle: .*Bad CRC-32"):
        call_command("validate_lab", flask_lab.slug)

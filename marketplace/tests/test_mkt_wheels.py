"""Wheel inspection: structure checks and metadata, without installing anything."""

from __future__ import annotations

import stat
import zipfile
from pathlib import Path

import pytest
from claw_marketplace.errors import MarketplaceError
from claw_marketplace.testing import make_wheel
from claw_marketplace.wheels import inspect_wheel

PLUGIN = 'import claw\nCLAW_API = ">=1.0,<2"\n'


def test_reads_name_version_entry_points_api_and_kernel_range(tmp_path: Path) -> None:
    wheel = make_wheel(
        tmp_path,
        "claw-hello",
        "1.2.0",
        {"claw_hello/__init__.py": "", "claw_hello/plugin.py": PLUGIN},
        entry_points={"hello": "claw_hello.plugin"},
        requires=("claw-kernel>=0.1,<0.2", "httpx>=0.28"),
    )
    info = inspect_wheel(wheel)
    assert (info.name, info.version, info.summary) == ("claw-hello", "1.2.0", "test plugin")
    assert info.entry_points == {"hello": "claw_hello.plugin"}
    assert info.claw_api == ">=1.0,<2"
    assert info.kernel is not None and set(info.kernel.split(",")) == {">=0.1", "<0.2"}


@pytest.mark.parametrize(
    "entry", ["../evil.py", "/etc/evil.py", "claw_hello/../../evil.py", "C:/evil.py", "..\\evil.py"]
)
def test_path_traversal_is_refused(tmp_path: Path, entry: str) -> None:
    wheel = make_wheel(
        tmp_path, "claw-hello", "1.0.0", {entry: "x = 1"}, entry_points={"hello": "claw_hello.plugin"}
    )
    with pytest.raises(MarketplaceError, match="escapes the install directory"):
        inspect_wheel(wheel)


def test_symlink_entry_is_refused(tmp_path: Path) -> None:
    wheel = make_wheel(tmp_path, "claw-hello", "1.0.0", {"claw_hello/__init__.py": ""})
    with zipfile.ZipFile(wheel, "a") as zf:
        info = zipfile.ZipInfo("claw_hello/link.py")
        info.external_attr = (stat.S_IFLNK | 0o777) << 16
        zf.writestr(info, "/etc/passwd")
    with pytest.raises(MarketplaceError, match="symbolic link"):
        inspect_wheel(wheel)


def test_garbage_is_a_malformed_zip(tmp_path: Path) -> None:
    wheel = tmp_path / "claw_hello-1.0.0-py3-none-any.whl"
    wheel.write_bytes(b"PK\x03\x04 definitely not a zip")
    with pytest.raises(MarketplaceError, match="malformed zip"):
        inspect_wheel(wheel)


def test_corrupted_member_is_a_malformed_zip(tmp_path: Path) -> None:
    wheel = make_wheel(tmp_path, "claw-hello", "1.0.0", {"claw_hello/data.txt": "A" * 4000})
    data = bytearray(wheel.read_bytes())
    start = data.index(b"claw_hello/data.txt") + len("claw_hello/data.txt")
    data[start + 10 : start + 20] = b"0123456789"  # inside the compressed member
    wheel.write_bytes(bytes(data))
    with pytest.raises(MarketplaceError, match="malformed zip"):
        inspect_wheel(wheel)


def test_metadata_must_match_the_file_name(tmp_path: Path) -> None:
    wheel = make_wheel(tmp_path, "claw-hello", "1.0.0", {}, metadata_version="9.9.9")
    with pytest.raises(MarketplaceError, match="does not match its file name"):
        inspect_wheel(wheel)


def test_not_a_wheel_file_name(tmp_path: Path) -> None:
    bad = tmp_path / "plugin.whl"
    bad.write_bytes(b"")
    with pytest.raises(MarketplaceError, match="not a wheel file name"):
        inspect_wheel(bad)


def test_no_entry_points_reads_as_empty(tmp_path: Path) -> None:
    wheel = make_wheel(tmp_path, "plain-lib", "1.0.0", {"plain_lib/__init__.py": ""})
    assert inspect_wheel(wheel).entry_points == {}

"""Fixtures of the reliability suite: the scripted model as the default model, with the end-to-end test
tools, and the check every resumed history must pass."""

from __future__ import annotations

import itertools
import os
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest


@pytest.fixture
def model(scripted_default: Any, e2e_env: Any) -> Any:
    """The scripted model as the user's default model, the word tools (Lookup, Note) loaded; returns
    the scripted handle."""
    e2e_env()
    return scripted_default


@pytest.fixture
def remounter() -> Callable[[Path, str], None]:
    """:func:`remount`, for tests."""
    return remount


@pytest.fixture
def api_valid() -> Callable[[list[dict[str, Any]]], None]:
    """:func:`valid_for_the_api`, for tests (this directory is not a package to import it from)."""
    return valid_for_the_api


def valid_for_the_api(messages: list[dict[str, Any]]) -> None:
    """What the Messages API checks of a history: it starts with the user, roles alternate, every
    tool_use is answered by the next message and every tool_result answers the message before it."""
    assert messages and messages[0]["role"] == "user"
    for before, after in itertools.pairwise(messages):
        assert before["role"] != after["role"], messages
    for i, m in enumerate(messages):
        if m["role"] != "user":
            continue
        calls = [b["id"] for b in messages[i - 1]["content"] if b["type"] == "tool_use"] if i else []
        results = [b["tool_use_id"] for b in m["content"] if b["type"] == "tool_result"]
        assert sorted(results) == sorted(calls), (i, results, calls)


SUDO = [] if os.geteuid() == 0 else ["sudo", "-n"]


def remount(mount: Path, options: str) -> None:
    """Change a mount's options (``ro``, ``rw``) in place."""
    subprocess.run([*SUDO, "mount", "-o", f"remount,{options}", str(mount)], check=True)


@pytest.fixture
def tiny_fs(tmp_path: Path) -> Iterator[Path]:
    """A 64 KB tmpfs, unmounted afterwards (:func:`remount` makes it read-only)."""
    mount = tmp_path / "tiny"
    mount.mkdir()
    sudo = SUDO
    subprocess.run([*sudo, "mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(mount)], check=True)
    os.chmod(mount, 0o777)
    try:
        yield mount
    finally:
        subprocess.run([*sudo, "umount", "-l", str(mount)], check=False)

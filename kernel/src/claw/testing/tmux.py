"""A real terminal for tests: ``claw`` run inside tmux, keys typed with ``send-keys``, the screen read with
``capture-pane``. Used by the line REPL's tests and claw-tui's. Needs tmux (``tests/setup.d/tmux.sh``)."""

from __future__ import annotations

import shlex
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest


def at_prompt(screen: str) -> bool:
    """The last line is the line REPL's empty prompt."""
    return screen.rstrip().endswith("\n>")


class Terminal:
    """A tmux server of its own (its own socket) in which each :meth:`start` runs ``claw`` in a new
    ``width`` x ``height`` terminal (160x50 unless given)."""

    def __init__(self, tmp_path: Path, env: dict[str, str], cwd: Path) -> None:
        assert shutil.which("tmux"), "tmux must be installed for these tests (tests/setup.d/tmux.sh)"
        self.socket = str(tmp_path / "tmux.sock")
        self.env = {"TERM": "xterm-256color", **env}
        self.cwd = cwd
        self.target = ""

    def tmux(self, *args: str) -> str:
        proc = subprocess.run(
            ["tmux", "-S", self.socket, "-f", "/dev/null", *args],
            env=self.env,
            cwd=self.cwd,
            capture_output=True,
            text=True,
            check=True,
        )
        return proc.stdout

    def start(
        self,
        *args: str,
        ready: Callable[[str], bool] = at_prompt,
        what: str = "the first screen",
        size: tuple[int, int] = (160, 50),
        term: str | None = None,
    ) -> str:
        """Run ``claw ARGS``, wait until ``ready(screen)`` and return the screen; the shell shows
        ``[exit N]`` on a line of its own once claw ends. ``term``: the ``TERM`` claw sees (tmux sets
        its own in the pane otherwise)."""
        exe = str(Path(sys.executable).with_name("claw"))
        prefix = f"TERM={shlex.quote(term)} " if term else ""
        command = f'{prefix}{shlex.join([exe, *args])}; echo "[exit $?]"; sleep 600'
        self.target = f"run{int(self.target[3:] or 0) + 1}"
        self.tmux("new-session", "-d", "-s", self.target, "-x", str(size[0]), "-y", str(size[1]), command)
        return self.wait(ready, what)

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-J", "-S", "-", "-t", self.target)

    def type(self, text: str) -> None:
        self.tmux("send-keys", "-t", self.target, "-l", text)

    def keys(self, *keys: str) -> None:
        self.tmux("send-keys", "-t", self.target, *keys)

    def resize(self, width: int, height: int) -> None:
        self.tmux("resize-window", "-t", self.target, "-x", str(width), "-y", str(height))

    def wait(self, predicate: Callable[[str], bool], what: str, timeout: float = 20) -> str:
        deadline = time.monotonic() + timeout
        while True:
            screen = self.screen()
            if predicate(screen):
                return screen
            if time.monotonic() > deadline:
                pytest.fail(f"timed out waiting for {what}; the terminal shows:\n{screen}")
            time.sleep(0.05)

    def wait_exit(self) -> str:
        return self.wait(lambda s: "[exit " in s, "claw to exit")

    def close(self) -> None:
        subprocess.run(["tmux", "-S", self.socket, "kill-server"], capture_output=True, env=self.env)

"""``claw`` in a real terminal (tmux) for REPL tests: keys reach it as a terminal sends them.

Needs tmux (``bash tests/setup.d/tmux.sh``). Each :class:`Terminal` runs its own tmux server (its own
socket), so tests never touch the user's tmux sessions.
"""

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
    """The last line is the REPL's empty prompt."""
    return screen.rstrip().endswith("\n>")


class Terminal:
    """A tmux server of its own (its own socket) in which each :meth:`start` runs ``claw`` in a new
    160x50 terminal."""

    def __init__(self, tmp_path: Path, env: dict[str, str], cwd: Path) -> None:
        assert shutil.which("tmux"), "tmux must be installed for these tests (tests/setup.d/tmux.sh)"
        self.socket = str(tmp_path / "tmux.sock")
        self.env = {**env, "TERM": "xterm-256color"}
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

    def start(self, *args: str, ready: Callable[[str], bool] = at_prompt) -> str:
        """Run ``claw ARGS``, wait until ``ready`` (its prompt) and return the screen; the shell shows ``[exit N]``
        on a line of its own once claw ends."""
        exe = str(Path(sys.executable).with_name("claw"))
        command = f'{shlex.join([exe, *args])}; echo "[exit $?]"; sleep 600'
        self.target = f"run{int(self.target[3:] or 0) + 1}"
        self.tmux("new-session", "-d", "-s", self.target, "-x", "160", "-y", "50", command)
        return self.wait(ready, "the first prompt")

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-J", "-S", "-", "-t", self.target)

    def type(self, text: str) -> None:
        self.tmux("send-keys", "-t", self.target, "-l", text)

    def keys(self, *keys: str) -> None:
        self.tmux("send-keys", "-t", self.target, *keys)

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

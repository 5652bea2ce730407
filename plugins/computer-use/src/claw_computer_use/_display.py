"""Whether computer use can run: an X display that answers, and the programs that drive it.

The probe is cheap (a socket connect and two ``PATH`` look-ups), so a session start and ``claw doctor``
can both run it; what it finds missing becomes the :class:`Unavailable` error a call made anyway gets.
"""

from __future__ import annotations

import re
import shutil
import socket
from collections.abc import Mapping

from claw import ToolError

#: The programs computer use runs, and the Debian/Ubuntu package each comes in.
PROGRAMS: dict[str, str] = {"xdotool": "xdotool", "import": "imagemagick"}

_DISPLAY = re.compile(r"^(?P<host>[^:]*):(?P<number>\d+)(?:\.\d+)?$")


class Unavailable(ToolError):
    """Computer use cannot run here; the message names everything missing."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("computer use is unavailable: " + "; ".join(problems))
        self.problems = problems


def display_of(env: Mapping[str, str], configured: str | None = None) -> str | None:
    """The display to drive: ``computerUse.display`` when set, else ``$DISPLAY``."""
    return configured or env.get("DISPLAY") or None


def x_server_answers(display: str, timeout: float = 1.0) -> bool:
    """Whether something accepts connections where ``display`` points: the local socket
    ``/tmp/.X11-unix/X<n>`` (or its abstract twin) for ``:n``, TCP port 6000+n for ``host:n``."""
    match = _DISPLAY.match(display)
    if match is None:
        return False
    host, number = match["host"], int(match["number"])
    if host in ("", "unix"):
        path = f"/tmp/.X11-unix/X{number}"
        return any(_connects(socket.AF_UNIX, address, timeout) for address in (path, "\0" + path))
    return _connects(socket.AF_INET, (host, 6000 + number), timeout)


def _connects(family: int, address: object, timeout: float) -> bool:
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        sock.settimeout(timeout)
        try:
            sock.connect(address)
        except OSError:
            return False
    return True


def problems(env: Mapping[str, str], display: str | None) -> list[str]:
    """What stops computer use, one phrase each; empty when it can run."""
    found = []
    if not display:
        found.append("DISPLAY is not set (start a virtual desktop with `claw computer-use desktop`)")
    elif not _DISPLAY.match(display):
        found.append(f"DISPLAY={display} is not an X display name (like :0 or host:1)")
    elif not x_server_answers(display):
        found.append(f"no X server is listening on DISPLAY={display}")
    path = env.get("PATH", "")
    for program, package in PROGRAMS.items():
        if shutil.which(program, path=path) is None:
            found.append(f"{program} is not installed or not on PATH (package {package})")
    return found

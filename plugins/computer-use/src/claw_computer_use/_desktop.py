"""A virtual desktop for headless machines: Xvfb with a window manager, up until interrupted.

Xvfb picks a free display number itself (``-displayfd``), so two desktops never collide, and keeps its
state when the last client leaves (``-noreset``: the pointer stays where the model put it); the window
manager is the first one installed of :data:`WINDOW_MANAGERS` (clicks on window decorations and focus
changes need one).
"""

from __future__ import annotations

import contextlib
import os
import re
import select
import shutil
import signal
import subprocess
import sys
import time

from claw import ClawError, UsageError, warn

WINDOW_MANAGERS = ("openbox", "fluxbox", "xfwm4", "twm")
STARTUP_SECONDS = 10.0


def parse_size(size: str) -> tuple[int, int]:
    match = re.fullmatch(r"(\d+)x(\d+)", size)
    if match is None or not (64 <= int(match[1]) <= 8192 and 64 <= int(match[2]) <= 8192):
        raise UsageError(
            f"--size must be WIDTHxHEIGHT between 64 and 8192 pixels, like 1280x800, not {size!r}"
        )
    return int(match[1]), int(match[2])


def start_xvfb(width: int, height: int) -> tuple[subprocess.Popen[bytes], str]:
    """Start Xvfb on a free display and return it with its ``DISPLAY``.

    :raises ClawError: when Xvfb is missing or did not come up.
    """
    if shutil.which("Xvfb") is None:
        raise ClawError("Xvfb is not installed (Debian/Ubuntu package xvfb)")
    read, write = os.pipe()
    try:
        proc = subprocess.Popen(
            [
                "Xvfb",
                "-displayfd",
                str(write),
                "-screen",
                "0",
                f"{width}x{height}x24",
                "-nolisten",
                "tcp",
                "-noreset",  # the server keeps its state (the pointer) between clients
                "-br",  # a black root window: screenshots of an empty desktop are the same every time
            ],
            pass_fds=(write,),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        os.close(write)
        number = _read_line(read, STARTUP_SECONDS)
    finally:
        os.close(read)
    if not number.isdigit():
        proc.kill()
        _, err = proc.communicate()
        last = err.decode("utf-8", "replace").strip().splitlines()
        raise ClawError(f"Xvfb did not start: {last[-1] if last else 'no display number reported'}")
    return proc, f":{number}"


def _read_line(fd: int, timeout: float) -> str:
    data, deadline = b"", time.monotonic() + timeout
    while not data.endswith(b"\n"):
        left = deadline - time.monotonic()
        if left <= 0 or not select.select([fd], [], [], left)[0]:
            break
        chunk = os.read(fd, 64)
        if not chunk:
            break
        data += chunk
    return data.decode().strip()


def run_desktop(size: str) -> None:
    """Start the desktop, print ``DISPLAY=:N`` on stdout, and stop it all on SIGINT/SIGTERM."""
    width, height = parse_size(size)
    xvfb, display = start_xvfb(width, height)
    children = [xvfb]
    manager = next((wm for wm in WINDOW_MANAGERS if shutil.which(wm)), None)
    try:
        if manager is None:
            warn(f"no window manager found ({', '.join(WINDOW_MANAGERS)}): windows get no focus handling")
        else:
            children.append(
                subprocess.Popen(
                    [manager],
                    env={**os.environ, "DISPLAY": display},
                    stdin=subprocess.DEVNULL,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
            )
        print(f"DISPLAY={display}", flush=True)
        sys.stderr.write(
            f"claw: virtual desktop {width}x{height} on {display} ({manager or 'no window manager'}); "
            "Ctrl-C stops it\n"
        )
        signal.signal(signal.SIGTERM, signal.default_int_handler)
        with contextlib.suppress(KeyboardInterrupt):
            xvfb.wait()
        if xvfb.returncode is not None:
            raise ClawError(f"Xvfb on {display} exited (status {xvfb.returncode})")
    finally:
        for child in reversed(children):
            if child.poll() is None:
                child.terminate()
        for child in children:
            try:
                child.wait(timeout=5)
            except subprocess.TimeoutExpired:
                child.kill()

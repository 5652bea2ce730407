"""Fixtures of the computer-use tests: a real X server per test (see :mod:`xvfb_support`)."""

from __future__ import annotations

import subprocess
from collections.abc import Callable, Iterator

import pytest
from xvfb_support import Display, start_xvfb


@pytest.fixture
def x_display() -> Iterator[Callable[[int, int], Display]]:
    """``x_display(width, height)``: a fresh Xvfb server, stopped with everything on it after the test."""
    displays: list[Display] = []

    def make(width: int = 1280, height: int = 800) -> Display:
        displays.append(start_xvfb(width, height))
        return displays[-1]

    yield make
    for display in displays:
        for proc in reversed(display.procs):
            proc.terminate()
        for proc in display.procs:
            try:
                proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                proc.kill()

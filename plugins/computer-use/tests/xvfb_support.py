"""Helpers of the computer-use tests: an Xvfb server started on a free display, X programs on it, and a
small PNG reader to look at the screenshots. Needs ``bash tests/setup.d/computer-use.sh``."""

from __future__ import annotations

import os
import shutil
import struct
import subprocess
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field

SETUP = "bash tests/setup.d/computer-use.sh"


@dataclass
class Display:
    """An Xvfb server and the X programs a test started on it."""

    name: str
    width: int
    height: int
    procs: list[subprocess.Popen[bytes]] = field(default_factory=list)

    @property
    def env(self) -> dict[str, str]:
        return {**os.environ, "DISPLAY": self.name}

    def start(self, *argv: str) -> subprocess.Popen[bytes]:
        proc = subprocess.Popen(argv, env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.procs.append(proc)
        return proc

    def xdotool(self, *args: str) -> str:
        return subprocess.run(
            ["xdotool", *args], env=self.env, capture_output=True, text=True, check=True, timeout=30
        ).stdout

    def xterm(self, title: str, geometry: str, command: str, background: str = "red") -> str:
        """Open an xterm running ``command`` and return its window id once it is on screen."""
        self.start(
            "xterm",
            "-T",
            title,
            "-bg",
            background,
            "-fg",
            "white",
            "-geometry",
            geometry,
            "-e",
            "sh",
            "-c",
            command,
        )
        return self.xdotool("search", "--sync", "--onlyvisible", "--name", title).split()[0]

    def pointer(self) -> tuple[int, int]:
        fields = dict(line.split("=", 1) for line in self.xdotool("getmouselocation", "--shell").split())
        return int(fields["X"]), int(fields["Y"])


def start_xvfb(width: int, height: int) -> Display:
    """Xvfb on a free display, started the way ``claw computer-use desktop`` starts it."""
    from claw_computer_use._desktop import start_xvfb as start

    for program in ("Xvfb", "xdotool", "import", "xterm", "xev"):
        assert shutil.which(program), f"{program} must be installed for these tests ({SETUP})"
    proc, display = start(width, height)
    return Display(display, width, height, [proc])


def wait_for(check: Callable[[], bool], timeout: float = 15.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.05)
    return check()


@dataclass
class Png:
    """A decoded 8-bit RGB/RGBA PNG: enough to check a screenshot's size and pixels. Rows are unfiltered
    on demand, top down (a full 1280x800 frame in pure Python would take seconds)."""

    width: int
    height: int
    channels: int
    raw: bytes
    rows: list[bytes] = field(default_factory=list)

    def pixel(self, x: int, y: int) -> tuple[int, int, int]:
        stride, n = self.width * self.channels, self.channels
        while len(self.rows) <= y:
            at = len(self.rows) * (stride + 1)
            kind, line = self.raw[at], bytearray(self.raw[at + 1 : at + 1 + stride])
            prev = self.rows[-1] if self.rows else bytes(stride)
            for i in range(stride):
                a, b, c = (line[i - n] if i >= n else 0), prev[i], (prev[i - n] if i >= n else 0)
                if kind == 1:
                    line[i] = (line[i] + a) & 0xFF
                elif kind == 2:
                    line[i] = (line[i] + b) & 0xFF
                elif kind == 3:
                    line[i] = (line[i] + (a + b) // 2) & 0xFF
                elif kind == 4:
                    p = a + b - c
                    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                    line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 0xFF
            self.rows.append(bytes(line))
        r, g, b = self.rows[y][x * n : x * n + 3]
        return r, g, b


def read_png(data: bytes) -> Png:
    """Parse ``data``; fails the test unless it is a valid 8-bit truecolour PNG (signature, CRCs, IEND)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, header, kind = 8, b"", None, b""
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        (crc,) = struct.unpack(">I", data[pos + 8 + length : pos + 12 + length])
        assert zlib.crc32(kind + body) == crc, f"bad CRC in {kind!r}"
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    assert header is not None and kind == b"IEND"
    width, height, depth, colour = header[:4]
    assert depth == 8 and colour in (2, 6), f"expected 8-bit RGB(A), got depth {depth} colour type {colour}"
    raw = zlib.decompress(idat)
    channels = 3 if colour == 2 else 4
    assert len(raw) == height * (width * channels + 1), "image data does not match the declared size"
    return Png(width, height, channels, raw)

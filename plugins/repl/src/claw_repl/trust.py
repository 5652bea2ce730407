"""The folder's trust question on the terminal (``claw_trust_dialog``), asked when an interactive session
starts in a folder that is not trusted and brings something needing trust: before the line editor takes
the terminal, so a plain line is read."""

from __future__ import annotations

import sys
from pathlib import Path

_ANSWERS = {"a": "always", "o": "once", "n": "untrusted"}


def ask_on_terminal(folder: Path, items: list[str]) -> str:
    """``always``, ``once`` or ``untrusted``; end of input: untrusted."""
    out = sys.stderr
    out.write(f"\nDo you trust the files in this folder?\n  {folder}\n")
    out.write("Trusting it lets what it brings run code or reach the network:\n")
    for item in items:
        out.write(f"  - {item}\n")
    while True:
        out.write("  [a] trust always  [o] trust once (this run)  [n] continue untrusted: ")
        out.flush()
        line = sys.stdin.readline()
        if not line:
            out.write("\n")
            return "untrusted"
        answer = _ANSWERS.get(line.strip().lower()[:1])
        if answer:
            return answer

"""``claw computer-use``: commands for the desktop the ``computer`` tool drives. Import-light: this
module loads for ``claw --help``; the work is in :mod:`claw_computer_use._desktop`."""

from __future__ import annotations

import click


@click.group("computer-use")
def computer_use() -> None:
    """Computer use on X11 (the computer tool's desktop)."""


@computer_use.command("desktop")
@click.option("--size", default="1280x800", show_default=True, help="Screen size, WIDTHxHEIGHT.")
def desktop(size: str) -> None:
    """Start a virtual desktop (Xvfb and a window manager) for a headless machine.

    Prints DISPLAY=:N (the display to use) and keeps the desktop up until interrupted.
    """
    from claw_computer_use._desktop import run_desktop

    run_desktop(size)

"""The ``renderers`` plugin: answers ``claw_output_renderer`` for ``--output-format text|json|stream-json``
(:mod:`claw_output.renderers`). Imported on every start: it imports only ``claw``; the renderers load when
a run asks for one."""

from __future__ import annotations

from typing import TYPE_CHECKING, TextIO

from claw import hookimpl

if TYPE_CHECKING:
    from claw import Renderer


@hookimpl(trylast=True)
def claw_output_renderer(format: str, partial: bool, out: TextIO) -> Renderer | None:
    """``trylast``: a plugin answering first replaces a format; one answering ``None`` leaves it here."""
    from claw_output.renderers import make_renderer

    return make_renderer(format, partial, out)

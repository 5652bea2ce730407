"""The built-in output renderers for ``--output-format text|json|stream-json`` (:mod:`claw._output`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, TextIO

from claw import hookimpl

if TYPE_CHECKING:
    from claw._output import Renderer


@hookimpl(trylast=True)
def claw_output_renderer(format: str, partial: bool, out: TextIO) -> Renderer | None:
    from claw._output import FORMATS, make_renderer

    return make_renderer(format, partial=partial, out=out) if format in FORMATS else None

"""The built-in output renderers for ``--output-format text|json|stream-json`` (:mod:`claw.output`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from claw import hookimpl

if TYPE_CHECKING:
    from claw.output import Renderer


@hookimpl(trylast=True)
def claw_output_renderer(format: str, partial: bool) -> Renderer | None:
    from claw.output import FORMATS, make_renderer

    return make_renderer(format, partial=partial) if format in FORMATS else None

"""``--output-format text`` without claw-output: each answer printed whole once complete, not streamed
(:mod:`.renderer`), so a run without a renderer plugin still shows its answers. A ``claw_output_renderer``
wrapper that answers only when no plugin did: claw-output's ``trylast`` renderers, like any plugin's,
come first."""

from __future__ import annotations

from collections.abc import Generator
from typing import TYPE_CHECKING, TextIO

from claw import hookimpl

if TYPE_CHECKING:
    from claw._output import Renderer


@hookimpl(wrapper=True)
def claw_output_renderer(
    format: str, partial: bool, out: TextIO
) -> Generator[None, Renderer | None, Renderer | None]:
    renderer = yield
    if renderer is not None or format != "text":
        return renderer
    from claw._builtins.whole_text.renderer import WholeText

    return WholeText(out)

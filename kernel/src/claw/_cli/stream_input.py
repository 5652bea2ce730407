"""What the CLI frame needs from the reader of a ``--input-format stream-json`` run's stdin, which is a
plugin's (claw-sdk's; docs/architecture.md): the frame runs the session the reader feeds."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Any, Protocol

from claw._plugins import missing_plugin

if TYPE_CHECKING:
    from claw._loop.options import LoopOptions
    from claw._messages import ContentBlock

#: The one line when no plugin reads a stream-json run's stdin.
NO_READER = missing_plugin("--input-format=stream-json needs", "claw-sdk")


class StreamJsonInput(Protocol):
    """The reader of a stream-json run's stdin, as ``claw_stream_input`` answers it (whose docstring says
    when the frame calls each method); a Protocol, so a reader needs no kernel base class. The run ends
    when :meth:`prompts` does (or raises)."""

    async def open(self, options: LoopOptions) -> None:
        """Start reading; return once the session may start. ``options`` (the run's
        :class:`claw.LoopOptions`) may still be changed here (an Agent SDK ``initialize`` does)."""
        ...

    def prompts(self, loop: Any) -> AsyncIterator[str | list[ContentBlock] | None]:
        """The prompts for ``loop`` (the started agent loop), in order, as the client sends them; ``None``
        when notices wake it idle (``SessionContext.wait_notices``): the frame runs ``run_notices``.

        :raises ClawError: input the reader cannot take; the turns before it stay recorded.
        """
        ...

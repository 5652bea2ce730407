"""What the CLI frame needs from the reader of a ``--input-format stream-json`` run's stdin.

The reader itself (Claude Code's NDJSON user messages, ``--replay-user-messages``, the Agent SDK's control
protocol) is a plugin's: claw-sdk answers ``claw_stream_input``. The kernel keeps only this contract,
because :func:`claw._cli.run.run_print` runs the session the reader feeds and must know what it calls.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from claw._loop.options import LoopOptions
    from claw._messages import ContentBlock

#: The one line when no plugin reads a stream-json run's stdin.
NO_READER = (
    "--input-format=stream-json needs claw-sdk, which is not installed or is disabled (pip install claw-sdk)"
)


class StreamJsonInput(Protocol):
    """The reader of a stream-json run's stdin, as ``claw_stream_input`` answers it. A Protocol, so a
    plugin's reader needs no kernel base class: it meets the contract by its two methods.

    The frame awaits :meth:`open` before the session starts, then runs each prompt :meth:`prompts`
    yields as the next turn of the same session; the run ends when the iterator does (or raises).
    """

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

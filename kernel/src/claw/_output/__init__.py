"""What a run prints on stdout: the :class:`Renderer` the agent loop reports to, with the JSON the loop
builds in :mod:`claw._output.shapes` (the renderers are claw-output's, the ``whole_text`` built-in prints
``text`` without it: docs/architecture.md)."""

from __future__ import annotations

from typing import Any, TextIO

from claw._errors import ClawError
from claw._messages import Message
from claw._plugins import missing_plugin
from claw._providers import ModelResponse, StreamEvent


class Renderer:
    """Receives what happens during a run. The base class ignores everything."""

    def init(self, facts: dict[str, Any]) -> None:
        """The session has started: ``system/init``'s own fields (``session_id``, ``cwd``, ``model``,
        ``tools``, ``mcp_servers``, ``permissionMode``, ``slash_commands``, ``apiKeySource``, ``plugins``,
        ``sandbox``), which claw-output's stream-json prints in Claude Code's shape."""

    def system(self, data: dict[str, Any]) -> None:
        """A ``system`` message's ``subtype`` and fields, ``session_id`` last: ``api_retry`` on each retry,
        ``compact_boundary``; claw-output's stream-json prints it in Claude Code's shape."""

    def stream_event(self, event: StreamEvent) -> None:
        """A piece of the answer as it streams."""

    def assistant(self, message: Message, response: ModelResponse) -> None:
        """A complete assistant message (stream-json prints it in Claude Code's shape)."""

    def user(self, message: Message) -> None:
        """Tool results going back to the model."""

    def result(self, data: dict[str, Any]) -> None:
        """The run's result object (the last thing printed)."""

    def hook_run(self, record: dict[str, Any], session_id: str) -> None:
        """A hook that has run, ``record`` as the session file keeps it (``--include-hook-events``)."""


def output_renderer(pm: Any, fmt: str, partial: bool, out: TextIO) -> Renderer:
    """The renderer of ``--output-format fmt`` writing to ``out``: the first plugin's answer to
    ``claw_output_renderer`` (claw-output's, then for ``text`` the ``whole_text`` built-in's, last).

    :raises ClawError: no plugin renders the format.
    """
    renderer = pm.hook.claw_output_renderer(format=fmt, partial=partial, out=out)
    if renderer is not None:
        return renderer
    raise ClawError(missing_plugin(f"--output-format {fmt} needs", "claw-output"))

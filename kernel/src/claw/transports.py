"""The transport contract: how claw connects to remote tool servers (MCP and others).

The kernel does not speak MCP; it keeps a registry of named transports so that a plugin can add a
way to connect (``ws``, a corporate proxy, ...) and another plugin (``claw-mcp``) can use it by the
``type`` a server's configuration names.
"""

from __future__ import annotations

import abc
from contextlib import AbstractAsyncContextManager
from typing import Any, ClassVar


class Transport(abc.ABC):
    """Opens a message stream pair to a server described by a configuration mapping."""

    #: The ``type`` value in server configuration: ``stdio``, ``sse``, ``http``, ``ws``.
    name: ClassVar[str]
    #: Other accepted ``type`` values, e.g. ``streamable-http`` for ``http``.
    aliases: ClassVar[tuple[str, ...]] = ()

    @abc.abstractmethod
    def connect(self, config: dict[str, Any]) -> AbstractAsyncContextManager[tuple[Any, Any]]:
        """Return an async context manager yielding ``(read_stream, write_stream)``.

        The stream objects are whatever the protocol library the consumer uses expects (for MCP,
        anyio memory streams of ``SessionMessage``); the context exit closes the connection.
        """

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


class MessageTransport(Transport):
    """A server reached by handing it one JSON-RPC message at a time, as a plain ``dict``.

    For servers that live in the host process rather than behind a pipe or a socket: the Claude Agent
    SDK's in-process MCP servers, reached over the stream-json control channel (``mcp_message``). The
    kernel speaks no protocol, so the consumer (``claw-mcp``) turns :meth:`exchange` into the streams
    its protocol library wants; :meth:`connect` is not used. The consumer adds ``server`` (the
    configured server name) to the configuration it passes.
    """

    def connect(self, config: dict[str, Any]) -> AbstractAsyncContextManager[tuple[Any, Any]]:
        raise NotImplementedError(f"{type(self).__name__} is a message transport: use exchange()")

    @abc.abstractmethod
    async def exchange(self, config: dict[str, Any], message: dict[str, Any]) -> dict[str, Any] | None:
        """Deliver ``message``; returns the reply to a request, ``None`` for a notification or a
        response (nothing comes back for those)."""

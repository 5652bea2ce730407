"""The session context claw-mcp's tests start: a trusted workspace (its ``.mcp.json`` counts), no
settings unless given, session id ``s``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import claw


def trusted_session(
    workspace: Path, env: dict[str, str], servers: dict[str, Any] | None = None, **fields: Any
) -> claw.SessionContext:
    """A :class:`claw.SessionContext` for ``workspace``, trusted for this run; ``servers`` (when given)
    written to its ``.mcp.json`` first; ``fields`` (``settings``, ``interactive``, ``transports``, ...)
    passed on."""
    if servers is not None:
        (workspace / ".mcp.json").write_text(json.dumps({"mcpServers": servers}), encoding="utf-8")
    fields = {"session_id": "s", "settings": {}, **fields}
    return claw.SessionContext(
        trust=claw.WorkspaceTrust(workspace, True, "this run"), workspace=workspace, env=env, **fields
    )

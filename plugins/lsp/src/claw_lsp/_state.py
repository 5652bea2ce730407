"""The stash key of a session's :class:`~claw_lsp._manager.LspManager`, importable without it.

The LSP tool creates the manager on its first call (so a session that never asks starts no server
and loads no pygls) and keeps it in the session's stash, where ``claw_tool_result`` (diagnostics
after edits) and ``claw_session_end`` (shutdown) find it.
"""

from __future__ import annotations

from typing import Any

import claw

MANAGER: claw.StashKey[Any] = claw.StashKey()

"""Where a session's :class:`~claw_lsp._manager.LspManager` lives, without importing it.

The LSP tool creates the manager on its first call (so a session that never asks starts no server
and loads no pygls) and keeps it in the session's stash; the PostToolUse handler only has the hook
event's ``session_id``, so the manager is also kept here by session id until the session ends.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import claw

if TYPE_CHECKING:
    from claw_lsp._manager import LspManager

MANAGER: claw.StashKey[Any] = claw.StashKey()
BY_SESSION: dict[str, LspManager] = {}

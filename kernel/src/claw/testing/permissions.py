"""Tables of permission cases: a folder laid out for them, every permission mode in table order, and one
call of an engine's ``decide`` the way the loop makes it. claw-permissions' engine table and
claw-tools-shell's ``Bash`` tests judge their tables with these, and a plugin that brings a tool or its own
permission decisions can too::

    CASES = {"read_out": [("Read", {"file_path": "{out}/x"})], ...}
    EXPECT = {"read_out": (ASK, ASK, ASK, DENY, ASK, ALLOW, ALLOW), ...}  # one column per MODES entry

    @pytest.mark.parametrize(("mode", "tool", "tool_input", "expected"), mode_matrix(CASES, EXPECT))
    def test_modes(permission_folder, mode, tool, tool_input, expected): ...

The ``permission_folder`` fixture (:mod:`claw.testing.plugin`) gives a :class:`PermissionFolder`.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ALLOW, ASK, DENY = "allow", "ask", "deny"
#: Every permission mode, in the column order of a table's expected decisions.
MODES = ("prompt", "read-only", "workspace-write", "dont-ask", "auto", "allow", "danger-full-access")
#: Claude Code's names for the modes (``--permission-mode default``...), each judged as the mode it names.
MODE_ALIASES = {
    "default": "prompt",
    "plan": "read-only",
    "acceptEdits": "workspace-write",
    "dontAsk": "dont-ask",
    "bypassPermissions": "danger-full-access",
}


@dataclass(frozen=True)
class PermissionFolder:
    """A workspace that gives every kind of path a case: ``a.txt``, ``sub/``, ``inlink`` (a symlink to
    ``sub``) and ``link`` (a symlink to ``outside``, a directory beside the workspace), with the home
    directory and the isolated environment. Case texts name them ``{ws}``, ``{out}`` and ``{home}``."""

    workspace: Path
    outside: Path
    home: Path
    env: dict[str, str]

    @classmethod
    def create(cls, workspace: Path, outside: Path, env: dict[str, str]) -> PermissionFolder:
        """Lay the folder out in ``workspace`` (which exists) and ``outside`` (which does not yet)."""
        outside.mkdir()
        (workspace / "sub").mkdir()
        (workspace / "a.txt").write_text("a")
        (workspace / "link").symlink_to(outside, target_is_directory=True)
        (workspace / "inlink").symlink_to(workspace / "sub", target_is_directory=True)
        return cls(workspace, outside, Path(env["HOME"]), env)

    def expand(self, text: str) -> str:
        """``text`` with ``{ws}``, ``{out}`` and ``{home}`` replaced by their paths (other braces are kept,
        so shell lines such as ``find -exec {} ;`` pass through)."""
        for key, path in (("ws", self.workspace), ("out", self.outside), ("home", self.home)):
            text = text.replace(f"{{{key}}}", str(path))
        return text

    def project_layer(self, permissions: Mapping[str, Any]) -> Any:
        """The project settings layer (``.claw/settings.json``) holding ``permissions``."""
        from claw._config import Layer

        path = self.workspace / ".claw" / "settings.json"
        return Layer("project", str(path), {"permissions": dict(permissions)}, self.workspace)

    def decide(self, engine: Any, tool: Any, tool_input: Mapping[str, Any]) -> Any:
        """``engine.decide`` for one call of ``tool`` (string values of ``tool_input`` expanded), in a
        fresh event loop; the engine's whole answer (``verdict``, and the ``units`` it judged)."""
        from claw import ToolContext

        ctx = ToolContext(workspace=self.workspace, session_id="s", env=self.env)
        expanded = {k: self.expand(v) if isinstance(v, str) else v for k, v in tool_input.items()}
        return asyncio.run(engine.decide(tool, expanded, ctx))


def mode_matrix(
    categories: Mapping[str, Sequence[tuple[Any, dict[str, Any]]]], expect: Mapping[str, Sequence[str]]
) -> list[Any]:
    """Every mode (:data:`MODES`, then each of :data:`MODE_ALIASES`) x every case of ``categories`` (name ->
    ``(tool, tool_input)`` pairs) as ``pytest.param(mode, tool, tool_input, expected, id="mode-name-i")``,
    ``expected`` read from ``expect[name]``, one decision per :data:`MODES` column."""
    import pytest

    modes = [*((mode, mode) for mode in MODES), *MODE_ALIASES.items()]
    return [
        pytest.param(mode, tool, tool_input, expect[name][MODES.index(column)], id=f"{mode}-{name}-{i}")
        for mode, column in modes
        for name, cases in categories.items()
        for i, (tool, tool_input) in enumerate(cases)
    ]

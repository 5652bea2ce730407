"""A workspace holding one of each customization a folder can bring (CLAUDE.md, a settings hook, a
``.mcp.json`` server, a custom command, a skill, an agent file), for the tests of the flags that leave
them out (``--bare``, ``--safe-mode``, ``--disable-slash-commands``), and readers of what a run sent."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

TIME_SERVER = str(Path(sys.executable).with_name("mcp-server-time"))


def customize(
    workspace: Path,
    claw_env: dict[str, str],
    kinds: tuple[str, ...] = ("commands", "skills", "agents"),
    hook_and_server: bool = True,
) -> None:
    """Write the customizations into ``workspace`` (the hook and MCP server unless ``hook_and_server`` is
    false; the command, skill and agent files of ``kinds``); the user settings choose the scripted model."""
    cfg = Path(claw_env["CLAW_CONFIG_DIR"])
    cfg.mkdir(parents=True, exist_ok=True)
    (cfg / "settings.json").write_text(json.dumps({"model": "scripted/default"}))
    (workspace / "CLAUDE.md").write_text("Always answer in BANANA-CASE.\n")
    if hook_and_server:
        hook = {"hooks": [{"type": "command", "command": "echo ran > hook-ran.txt"}]}
        (workspace / ".claw").mkdir()
        (workspace / ".claw" / "settings.json").write_text(
            json.dumps({"hooks": {"UserPromptSubmit": [hook]}})
        )
        (workspace / ".mcp.json").write_text(json.dumps({"mcpServers": {"time": {"command": TIME_SERVER}}}))
    names = {"commands": "greet.md", "skills": "tidy/SKILL.md", "agents": "critic.md"}
    for kind in kinds:
        path = workspace / ".claude" / kind / names[kind]
        path.parent.mkdir(parents=True, exist_ok=True)
        name = "tidy" if kind == "skills" else Path(names[kind]).stem
        path.write_text(f"---\nname: {name}\ndescription: a {kind} file\n---\nSay GREETING-BODY\n")


def sent(scripted: Any) -> tuple[str, dict[str, str]]:
    """The system prompt and the tools (name -> description) of the last model request."""
    request = scripted.requests[-1]
    system = request["system"] if isinstance(request["system"], str) else json.dumps(request["system"])
    return system, {t["name"]: t.get("description", "") for t in request.get("tools") or []}


def init_event(stdout: str) -> dict[str, Any]:
    """The ``system/init`` message of a ``--output-format stream-json`` run."""
    return next(e for e in map(json.loads, stdout.splitlines()) if e.get("subtype") == "init")

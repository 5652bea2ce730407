"""A plugin folder's hooks as claw-claude-plugins hands them to claw-hooks: each command hook with the
folder and data folder in its settings ``env``, as Claude Code sets them for a plugin's hooks."""

from __future__ import annotations

import json
from pathlib import Path

from claw_claude_plugins.folders import read


def test_each_command_hook_gets_the_plugin_folders_in_its_env(tmp_path: Path) -> None:
    root = tmp_path / "p"
    (root / "hooks").mkdir(parents=True)
    mine = {"type": "command", "command": "b", "env": {"CLAUDE_PLUGIN_DATA": "/own"}}
    hooks = {"PreToolUse": [{"matcher": "Bash", "hooks": [{"type": "command", "command": "a"}, mine]}]}
    (root / "hooks" / "hooks.json").write_text(json.dumps({"hooks": hooks}))
    loaded = read(root, {"HOME": str(tmp_path / "home")})
    data = str(tmp_path / "home" / ".claude" / "plugins" / "data" / "p-inline")
    first, second = loaded.hooks["hooks"]["PreToolUse"][0]["hooks"]
    assert first["env"] == {"CLAUDE_PLUGIN_ROOT": str(root), "CLAUDE_PLUGIN_DATA": data}
    assert second["env"] == {"CLAUDE_PLUGIN_ROOT": str(root), "CLAUDE_PLUGIN_DATA": "/own"}, "its own wins"
    assert loaded.data == Path(data), "a plugin with hooks has its data folder made"

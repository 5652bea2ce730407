"""A Claude Code plugin folder's agents (``SessionContext.plugin_folders``, which claw-sdk fills from
``--plugin-dir``): named ``<plugin>:<name>``, after the project's and user's definitions, with
``${CLAUDE_PLUGIN_ROOT}`` in the prompt replaced by the folder; a broken one names its file and line."""

from __future__ import annotations

from pathlib import Path

import claw
import pytest
from claw_agents.subagents import definitions


def _agent(path: Path, name: str, body: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"---\nname: {name}\ndescription: The {name}.\ntools: Read\n---\n{body}\n")


def test_plugin_agents_are_namespaced_and_rooted(
    tmp_path: Path, workspace: Path, claw_env: dict[str, str]
) -> None:
    root = tmp_path / "plug"
    _agent(root / "agents" / "reviewer.md", "reviewer", "Rules: ${CLAUDE_PLUGIN_ROOT}/RULES.md")
    _agent(root / "extra" / "one.md", "tester", "Test it.")
    _agent(workspace / ".claude" / "agents" / "mine.md", "myplug:tester", "The project's own.")
    folder = claw.PluginFolder(name="myplug", root=root, agents=(root / "agents", root / "extra" / "one.md"))
    found = definitions.discover(workspace, claw_env, None, (folder,))
    reviewer = found["myplug:reviewer"]
    assert (reviewer.prompt, reviewer.source, reviewer.tools) == (
        f"Rules: {root}/RULES.md",
        "plugin:myplug",
        ("Read",),
    )
    assert found["myplug:tester"].source == "project", "the project's definition comes first"
    assert list(found)[-1] == "general-purpose"


def test_a_broken_plugin_agent_names_its_file(
    tmp_path: Path, workspace: Path, claw_env: dict[str, str]
) -> None:
    bad = tmp_path / "plug" / "agents" / "bad.md"
    bad.parent.mkdir(parents=True)
    bad.write_text("no frontmatter\n")
    folder = claw.PluginFolder(name="myplug", root=tmp_path / "plug", agents=(bad.parent,))
    with pytest.raises(definitions.DefinitionError, match=f"{bad}:1: a sub-agent definition starts with"):
        definitions.discover(workspace, claw_env, None, (folder,))

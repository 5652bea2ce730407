"""Shared fixtures for cross-distribution tests."""

from __future__ import annotations

import json
import shutil
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parent.parent

#: The test tools of the end-to-end sessions: ``Lookup`` answers ``definition of <word>``, ``Note`` writes
#: ``note.txt`` in the workspace.
WORD_TOOLS = """
import claw
from claw import Tool, ToolResult, ToolSpec


class Lookup(Tool):
    spec = ToolSpec(name="Lookup", description="Look a word up.", read_only=True,
                    input_schema={"type": "object", "properties": {"word": {"type": "string"}},
                                  "required": ["word"]})

    async def run(self, input, ctx):
        return ToolResult(content="definition of " + input["word"])


class Note(Tool):
    spec = ToolSpec(name="Note", description="Write a note file.",
                    input_schema={"type": "object", "properties": {"text": {"type": "string"}}})

    async def run(self, input, ctx):
        (ctx.workspace / "note.txt").write_text(input["text"])
        return ToolResult(content="noted")


@claw.hookimpl
def claw_register_tools(register):
    register(Lookup())
    register(Note())
"""


@pytest.fixture(scope="session")
def repo() -> Path:
    return REPO


@pytest.fixture(scope="session")
def bwrap() -> str:
    """bubblewrap's path: the sandbox tests confine real commands with it."""
    path = shutil.which("bwrap")
    assert path, "bubblewrap must be installed for these tests (tests/setup.d/bubblewrap.sh)"
    return path


@pytest.fixture
def e2e_env(claw_env: dict[str, str], plugin_module: Any) -> Callable[..., dict[str, str]]:
    """``e2e_env(tools=WORD_TOOLS, **env)``: set up an end-to-end ``claw -p`` run: load the plugin module
    ``tools`` (source) with the test tools, make retries fast (scripted faults need no real back-off),
    and add ``env`` (credentials, endpoints) to the isolated environment, which it returns."""

    def prepare(tools: str = WORD_TOOLS, **env: str) -> dict[str, str]:
        plugin_module("e2e_tools", tools)
        claw_env.update(CLAW_RETRY_BASE_DELAY="0.001", CLAW_RETRY_MAX_DELAY="0.01")
        claw_env.update(env)
        return claw_env

    return prepare


@pytest.fixture
def anthropic_model(claw_env: dict[str, str], anthropic_server: Any) -> Any:
    """The Anthropic provider pointed at the loopback mock server, as the default model; returns the server."""
    claw_env["ANTHROPIC_API_KEY"] = "sk-ant-test"
    cfg = Path(claw_env["CLAW_CONFIG_DIR"])
    cfg.mkdir(parents=True, exist_ok=True)
    settings = {
        "model": "anthropic/claude-sonnet-4-6",
        "providers": {"anthropic": {"base_url": anthropic_server.url}},
    }
    (cfg / "settings.json").write_text(json.dumps(settings))
    return anthropic_server


@pytest.fixture
def scripted_default(scripted, claw_env):  # type: ignore[no-untyped-def]
    """The scripted model as the configured default (the SDK passes no --model unless asked)."""
    cfg = Path(claw_env["CLAW_CONFIG_DIR"])
    cfg.mkdir(parents=True, exist_ok=True)
    (cfg / "settings.json").write_text(json.dumps({"model": "scripted/default"}))
    return scripted


#: A stdio MCP server with one tool, ``ping`` (answers ``pong from <its folder>``), started from the plugin.
SERVER = """
import json, os, sys
for line in sys.stdin:
    m = json.loads(line)
    if "id" not in m or "method" not in m:
        continue
    result = {
        "initialize": {"protocolVersion": m.get("params", {}).get("protocolVersion"), "capabilities": {"tools": {}},
                       "serverInfo": {"name": "pinger", "version": "1"}},
        "tools/list": {"tools": [{"name": "ping", "description": "Ping.", "inputSchema": {"type": "object"}}]},
        "tools/call": {"content": [{"type": "text", "text": "pong from " + sys.argv[1]}]},
    }.get(m["method"], {})
    print(json.dumps({"jsonrpc": "2.0", "id": m["id"], "result": result}), flush=True)
"""


def _plugin_folder(root: Path, *, extra: str | None = None) -> Path:
    """A Claude Code plugin folder: a manifest, a ``UserPromptSubmit`` hook that writes ``hooked.txt``
    into the folder and an MCP server ``pinger``, both addressed through ``${CLAUDE_PLUGIN_ROOT}``; with
    ``extra``, a folder of that part too (``commands``)."""
    (root / ".claude-plugin").mkdir(parents=True)
    (root / ".claude-plugin" / "plugin.json").write_text(json.dumps({"name": "pinging", "version": "1.0.0"}))
    (root / "hooks").mkdir()
    hook = {"type": "command", "command": 'echo hooked > "${CLAUDE_PLUGIN_ROOT}/hooked.txt"'}
    (root / "hooks" / "hooks.json").write_text(
        json.dumps({"hooks": {"UserPromptSubmit": [{"hooks": [hook]}]}})
    )
    (root / "server.py").write_text(SERVER)
    server = {"command": sys.executable, "args": ["${CLAUDE_PLUGIN_ROOT}/server.py", "${CLAUDE_PLUGIN_ROOT}"]}
    (root / ".mcp.json").write_text(json.dumps({"mcpServers": {"pinger": server}}))
    if extra is not None:
        (root / extra).mkdir()
        (root / extra / "hello.md").write_text("Say hello.\n")
    return root


@pytest.fixture
def plugin_folder() -> Callable[..., Path]:
    """``plugin_folder(root, extra=None)``: write a Claude Code plugin folder (the Agent SDK's ``plugins``)
    at ``root``: see :func:`_plugin_folder`."""
    return _plugin_folder

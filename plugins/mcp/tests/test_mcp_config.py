"""Configuration: sources and precedence, ``${VAR}`` expansion, per-entry errors, --mcp-config."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from claw_mcp.config import BadEntry, ServerConfig, check_entry, expand, resolve


def write(path: Path, servers: dict) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"mcpServers": servers}), encoding="utf-8")
    return path


def test_expansion_with_defaults_and_missing_variables() -> None:
    missing: list[str] = []
    env = {"HOST": "example.org", "EMPTY": ""}
    assert expand("https://${HOST}/mcp", env, missing) == "https://example.org/mcp"
    assert expand("${PORT:-8080}", env, missing) == "8080"
    assert expand("${EMPTY:-fallback}", env, missing) == "fallback"
    assert expand("${EMPTY}", env, missing) == ""
    assert missing == []
    expand("${NOPE}/x", env, missing)
    assert missing == ["NOPE"]


def test_expansion_in_command_args_env_url_headers() -> None:
    env = {"BIN": "/opt/bin", "TOKEN": "t0k", "BASE": "https://api.example.com"}
    stdio = check_entry(
        "fs",
        {"command": "${BIN}/server", "args": ["--root", "${ROOT:-.}"], "env": {"KEY": "${TOKEN}"}},
        "f",
        "project",
        env,
    )
    assert isinstance(stdio, ServerConfig)
    assert stdio.type == "stdio"
    assert stdio.data["command"] == "/opt/bin/server" and stdio.data["args"] == ["--root", "."]
    assert stdio.data["env"] == {"KEY": "t0k"}
    http = check_entry(
        "api",
        {"type": "streamable-http", "url": "${BASE}/mcp", "headers": {"Authorization": "Bearer ${TOKEN}"}},
        "f",
        "user",
        env,
    )
    assert isinstance(http, ServerConfig)
    assert http.type == "http"  # the alias is normalised
    assert http.data["url"] == "https://api.example.com/mcp"
    assert http.data["headers"] == {"Authorization": "Bearer t0k"}


@pytest.mark.parametrize(
    ("entry", "reason"),
    [
        ({"args": ["x"]}, '"command" is required for a stdio server'),
        ({"command": "x", "args": "y"}, '"args" must be a list of strings'),
        ({"type": "sse"}, '"url" is required for a sse server'),
        ({"type": "http", "url": "u", "headers": {"A": 1}}, '"headers" must be an object of strings'),
        ({"command": "${SECRET_BIN}"}, "environment variable(s) not set: SECRET_BIN"),
        ("npx server", "must be an object, not str"),
    ],
)
def test_bad_entries_name_the_file_and_server(entry: object, reason: str) -> None:
    bad = check_entry("srv", entry, "/w/.mcp.json", "project", {})
    assert isinstance(bad, BadEntry)
    assert str(bad) == f"/w/.mcp.json: mcpServers.srv: {reason}"


def test_precedence_local_over_project_over_user(workspace: Path, claw_env: dict[str, str]) -> None:
    user = write(
        Path(claw_env["CLAW_CONFIG_DIR"]) / "settings.json",
        {"a": {"command": "user-a"}, "u": {"command": "u"}},
    )
    project = write(
        workspace / ".mcp.json",
        {"a": {"command": "project-a"}, "b": {"command": "project-b"}, "p": {"command": "p"}},
    )
    local = write(workspace / ".claw" / "settings.local.json", {"b": {"command": "local-b"}})
    resolved = resolve(workspace, claw_env, {}, trusted=True)
    servers = resolved.servers
    assert {n: s.data["command"] for n, s in servers.items()} == {
        "a": "project-a",
        "b": "local-b",
        "u": "u",
        "p": "p",
    }
    assert (servers["a"].scope, servers["a"].source) == ("project", str(project))
    assert (servers["b"].scope, servers["b"].source) == ("local", str(local))
    assert (servers["u"].scope, servers["u"].source) == ("user", str(user))


def test_cli_configs_strict_and_disabled(workspace: Path, claw_env: dict[str, str], tmp_path: Path) -> None:
    write(workspace / ".mcp.json", {"p": {"command": "p"}, "off": {"command": "off"}})
    extra = write(tmp_path / "extra.json", {"p": {"command": "from-file"}})
    inline = json.dumps({"mcpServers": {"i": {"type": "http", "url": "http://127.0.0.1:1/mcp"}}})
    resolved = resolve(
        workspace,
        claw_env,
        {"disabledMcpjsonServers": ["off"]},
        cli_configs=[str(extra), inline],
        trusted=True,
    )
    assert set(resolved.servers) == {"p", "i"}
    assert resolved.servers["p"].data["command"] == "from-file" and resolved.servers["p"].scope == "cli"
    assert resolved.servers["i"].source == "--mcp-config"
    strict = resolve(workspace, claw_env, {}, cli_configs=[inline], strict=True)
    assert set(strict.servers) == {"i"}


def test_unreadable_sources_are_reported_and_the_rest_still_load(
    workspace: Path, claw_env: dict[str, str]
) -> None:
    (workspace / ".mcp.json").write_text('{"mcpServers": {"a": ', encoding="utf-8")
    write(Path(claw_env["CLAW_CONFIG_DIR"]) / "settings.json", {"u": {"command": "u"}})
    resolved = resolve(workspace, claw_env, {}, cli_configs=["/no/such/file.json", "{oops"], trusted=True)
    assert set(resolved.servers) == {"u"}
    assert len(resolved.source_errors) == 3
    assert resolved.source_errors[0].startswith(f"{workspace / '.mcp.json'}:1:")
    assert "invalid JSON" in resolved.source_errors[0]
    assert resolved.source_errors[1] == "--mcp-config: no such file: /no/such/file.json"
    assert resolved.source_errors[2].startswith("--mcp-config:1:2: invalid JSON")


def test_folder_servers_need_trust_and_project_servers_approval(
    workspace: Path, claw_env: dict[str, str]
) -> None:
    write(Path(claw_env["CLAW_CONFIG_DIR"]) / "settings.json", {"u": {"command": "u"}})
    write(workspace / ".mcp.json", {"p": {"command": "p"}, "q": {"command": "q"}, "r": {"command": "r"}})
    write(workspace / ".claw" / "settings.local.json", {"l": {"command": "l"}})
    untrusted = resolve(workspace, claw_env, {"enableAllProjectMcpServers": True})
    assert set(untrusted.servers) == {"u"} and untrusted.untrusted == ["p", "q", "r", "l"]
    choices = {"enabledMcpjsonServers": ["p", "r"], "disabledMcpjsonServers": ["r"]}
    asked = resolve(workspace, claw_env, choices, trusted=True, ask_approval=True)
    assert set(asked.servers) == {"u", "p", "l"} and asked.unapproved == ["q"]  # a rejection wins
    headless = resolve(workspace, claw_env, choices, trusted=True)
    assert set(headless.servers) == {"u", "p", "q", "l"}  # -p starts what is not rejected
    everything = resolve(
        workspace, claw_env, {"enableAllProjectMcpServers": True}, trusted=True, ask_approval=True
    )
    assert set(everything.servers) == {"u", "p", "q", "r", "l"}

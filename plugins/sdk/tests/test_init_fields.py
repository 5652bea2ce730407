"""The options the TypeScript Agent SDK sends in ``initialize`` (``claw_sdk.init_fields``), through
in-process ``claw -p`` stream-json runs: the reply's ``*_applied`` fields say true only for what was
applied, the settings layers land where ``--settings`` and managed settings do, and a launch that
promised fields in ``initialize`` (``--initialize-fields``) ends when they do not come."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from claw.testing.script import Reply, Text

ARGS = ["-p", "--verbose", "--input-format", "stream-json", "--output-format", "stream-json"]


def _lines(*fields: dict[str, Any]) -> str:
    """An ``initialize`` request per ``fields`` (the first with id ``init``), then one user message."""
    requests = [
        {"type": "control_request", "request_id": f"init{i or ''}", "request": {"subtype": "initialize", **f}}
        for i, f in enumerate(fields)
    ]
    user = {"type": "user", "message": {"role": "user", "content": "hi"}}
    return "".join(json.dumps(m) + "\n" for m in [*requests[:1], user, *requests[1:]])


def _run(
    claw, fields: dict[str, Any], *args: str, later: dict[str, Any] | None = None
) -> tuple[Any, list[Any]]:  # type: ignore[no-untyped-def]
    done = claw(*ARGS, *args, input=_lines(fields, *([later] if later is not None else [])))
    return done, [json.loads(line) for line in done.stdout.splitlines()]


def _reply(messages: list[dict[str, Any]], request_id: str = "init") -> dict[str, Any]:
    return next(
        m["response"]
        for m in messages
        if m["type"] == "control_response" and m["response"]["request_id"] == request_id
    )


def test_the_reply_confirms_each_field_applied(claw, loop_env, tmp_path: Path) -> None:
    loop_env.script(Reply(Text("ok")))
    plugin = tmp_path / "plugin"
    (plugin / "output-styles").mkdir(parents=True)  # a part claw leaves out, with a warning
    fields = {
        "settings": {"permissions": {"allow": ["Touch"]}},
        "managedSettings": {"permissions": {"deny": ["Nap"]}},
        "disallowedTools": ["Boom"],
        "additionalDirectories": [str(tmp_path)],
        "plugins": [{"type": "local", "path": str(plugin)}],
    }
    done, messages = _run(claw, fields)
    assert done.exit_code == 0, done.stderr
    reply = _reply(messages)["response"]
    assert {k: v for k, v in reply.items() if k.endswith("_applied")} == {
        "hooks_applied": True,
        "settings_applied": True,
        "managed_settings_applied": True,
        "disallowed_tools_applied": True,
        "additional_directories_applied": True,
        "plugins_applied": True,
    }
    assert "plugin plugin: claw does not load output styles or LSP servers (output-styles)" in done.stderr
    init = next(m for m in messages if m.get("subtype") == "init")
    assert "Boom" not in init["tools"] and "Touch" in init["tools"]
    assert "Boom" not in {t["name"] for t in loop_env.requests[0]["tools"]}


def test_fields_not_sent_are_not_answered(claw, loop_env) -> None:
    loop_env.script(Reply(Text("ok")))
    _, messages = _run(claw, {})
    assert sorted(k for k in _reply(messages)["response"] if k.endswith("_applied")) == ["hooks_applied"]


def test_mcp_servers_without_claw_mcp_are_not_confirmed(claw, loop_env, claw_env) -> None:
    cfg = Path(claw_env["CLAW_CONFIG_DIR"])
    (cfg / "settings.json").write_text(
        json.dumps({"model": "scripted/default", "plugins": {"disabled": ["mcp"]}})
    )
    loop_env.script(Reply(Text("ok")))
    done, messages = _run(claw, {"mcpServers": {"x": {"command": "x"}}})
    assert _reply(messages)["response"]["mcp_servers_applied"] is False
    assert "claw-mcp plugin is not installed or is disabled" in done.stderr


def test_settings_that_set_what_is_read_at_start_are_not_confirmed(claw, loop_env) -> None:
    loop_env.script(Reply(Text("ok")))
    done, messages = _run(claw, {"settings": {"plugins": {"disabled": ["web"]}}})
    assert _reply(messages)["response"]["settings_applied"] is False
    assert "the Agent SDK's settings are not applied: plugins must be set before claw starts" in done.stderr


@pytest.mark.parametrize(
    ("admin", "mode"),
    [(None, "acceptEdits"), ({"permissions": {"defaultMode": "plan"}}, "plan")],
    ids=["managed-over-settings", "admin-file-over-managed"],
)
def test_managed_settings_are_policy_under_the_machines(claw, loop_env, admin, mode) -> None:  # type: ignore[no-untyped-def]
    """The SDK's managed settings win over its settings (and every file layer); the machine's managed
    settings file wins over both."""
    if admin is not None:
        claw.managed_settings.write_text(json.dumps(admin))
    loop_env.script(Reply(Text("ok")))
    fields = {
        "settings": {"permissions": {"defaultMode": "default"}},
        "managedSettings": {"permissions": {"defaultMode": "acceptEdits"}},
    }
    _, messages = _run(claw, fields)
    assert next(m for m in messages if m.get("subtype") == "init")["permissionMode"] == mode


def test_managed_settings_flag_is_a_managed_layer(claw, loop_env) -> None:
    """``managedSettingsDelivery: 'argv'`` (the SDK's default) passes ``--managed-settings JSON``."""
    loop_env.script(Reply(Text("ok")))
    policy = json.dumps({"permissions": {"defaultMode": "plan"}})
    _, messages = _run(
        claw, {"settings": {"permissions": {"defaultMode": "default"}}}, "--managed-settings", policy
    )
    assert next(m for m in messages if m.get("subtype") == "init")["permissionMode"] == "plan"


def test_a_missing_directory_is_the_initialize_error(claw, loop_env, tmp_path: Path) -> None:
    loop_env.script(Reply(Text("ok")))
    _, messages = _run(claw, {"additionalDirectories": [str(tmp_path / "nowhere")]})
    reply = _reply(messages)
    assert reply["subtype"] == "error"
    assert reply["error"] == f"initialize: additionalDirectories: not a directory: {tmp_path / 'nowhere'}"


@pytest.mark.parametrize(
    ("plugins", "error"),
    [
        ("plug", 'initialize: "plugins" must be a list of {"type": "local", "path": ...}'),
        ([{"type": "git", "path": "x"}], 'initialize: plugins: unsupported type "git" (only local)'),
        ([{"type": "local"}], 'initialize: each "plugins" entry needs a "path" (a string)'),
        ([{"type": "local", "path": "nowhere"}], "plugins: not a directory: nowhere"),
    ],
)
def test_a_malformed_plugins_list_is_the_initialize_error(claw, loop_env, plugins: Any, error: str) -> None:
    loop_env.script(Reply(Text("ok")))
    _, messages = _run(claw, {"plugins": plugins})
    reply = _reply(messages)
    assert (reply["subtype"], reply["error"]) == ("error", error)


def test_a_bad_plugin_manifest_ends_the_session_before_it_starts(claw, loop_env, tmp_path: Path) -> None:
    """The folders are read as the session starts (claw-claude-plugins, as ``--plugin-dir``): a broken
    one ends the run with its one line before the session (and the answer, which follows its ``init``)
    starts: the model is never asked."""
    (tmp_path / "p" / ".claude-plugin").mkdir(parents=True)
    (tmp_path / "p" / ".claude-plugin" / "plugin.json").write_text("{not json")
    (tmp_path / "q" / "hooks").mkdir(parents=True)
    (tmp_path / "q" / "hooks" / "hooks.json").write_text('{"hooks": []}')
    for folder, error in (
        ("p", "plugin.json:1:2: invalid JSON: Expecting property name"),
        ("q", 'q: "hooks" must be a JSON object'),
    ):
        done, messages = _run(claw, {"plugins": [{"type": "local", "path": str(tmp_path / folder)}]})
        done.assert_failure(1, error)
        assert messages == [] and loop_env.requests == []


def test_fields_in_a_later_initialize_are_an_error(claw, loop_env) -> None:
    loop_env.script(Reply(Text("ok")))
    _, messages = _run(claw, {}, later={"disallowedTools": ["Boom"]})
    assert _reply(messages, "init1") == {
        "subtype": "error",
        "request_id": "init1",
        "error": "initialize must be the first message to apply disallowedTools (the session has started)",
    }


def test_promised_fields_that_do_not_come_end_the_run(claw, loop_env) -> None:
    """``--initialize-fields`` (and ``--managed-settings-in-initialize``) promise fields in the first
    message; without them claw starts no session rather than run without those settings."""
    done, messages = _run(
        claw,
        {"disallowedTools": ["Boom"]},
        "--await-initialize",
        "--initialize-fields",
        "settings,disallowedTools",
        "--managed-settings-in-initialize",
    )
    assert done.exit_code == 1 and messages == []
    assert "asked for settings, managedSettings in the initialize request" in done.stderr
    assert loop_env.requests == []


def test_invalid_settings_end_the_run_as_a_bad_settings_flag_does(claw, loop_env) -> None:
    done, _ = _run(claw, {"settings": {"model": 5}})
    assert done.exit_code != 0
    assert "settings (Agent SDK initialize): model:" in done.stderr
    assert loop_env.requests == []


def test_a_bad_managed_settings_flag_is_a_usage_error(claw, loop_env) -> None:
    done = claw(*ARGS, "--managed-settings", "{not json", input=_lines({}))
    assert done.exit_code == 2
    assert "--managed-settings:1:2: invalid JSON" in done.stderr


def test_the_presets_exclude_dynamic_sections_and_a_new_sessions_title(claw, loop_env) -> None:
    # The TypeScript SDK's systemPrompt {preset, excludeDynamicSections} and its title option, sent in
    # initialize: applied as --exclude-dynamic-system-prompt-sections and -n would be.
    loop_env.script(Reply(Text("ok")), Reply(Text("again")))
    done, messages = _run(claw, {"excludeDynamicSections": True, "title": "fleet job"})
    assert done.exit_code == 0, done.stderr
    sent = loop_env.requests[0]
    assert "<env>" not in "".join(b["text"] for b in sent["system"])
    assert sent["messages"][0]["content"][0]["text"].startswith("<system-reminder>\n<env>")
    sid = next(m for m in messages if m.get("subtype") == "init")["session_id"]
    listed = {s["session_id"]: s["name"] for s in claw("sessions", "list", "--json").assert_success().json()}
    assert listed == {sid: "fleet job"}
    # a resumed session keeps its name, as the SDK says of its title
    done, _ = _run(claw, {"title": "other"}, "--resume", "fleet job")
    assert done.exit_code == 0, done.stderr
    assert [s["name"] for s in claw("sessions", "list", "--json").assert_success().json()] == ["fleet job"]

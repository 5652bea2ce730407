"""claw as the CLI behind the real Claude Agent SDK (Python): ``query()`` and ``ClaudeSDKClient`` with
``cli_path`` pointing at ``claw`` spawn it with the SDK's own flags and speak the stream-json control
protocol to it (initialize with hooks and in-process MCP servers, can_use_tool, hook_callback,
mcp_message, interrupt, set_permission_mode, mcp_status, get_context_usage); the scripted model's Bash
calls show on the file system what really ran. One session each runs on the OpenAI and Bedrock
loopback servers."""

from __future__ import annotations

import asyncio
import json
import logging
import sys
from pathlib import Path
from typing import Any

import pytest
from claude_agent_sdk import (
    AssistantMessage,
    ClaudeAgentOptions,
    ClaudeSDKClient,
    HookContext,
    HookMatcher,
    PermissionResultAllow,
    PermissionResultDeny,
    ResultMessage,
    StreamEvent,
    SystemMessage,
    ToolPermissionContext,
    create_sdk_mcp_server,
    query,
    tool,
)
from claw import _paths as paths
from claw._version import VERSION
from claw.testing.script import Fault, Reply, Text, ToolCall
from claw_output.renderers import CLAUDE_CODE_PROTOCOL_VERSION

CLAW = str(Path(sys.executable).with_name("claw"))


def _bash(command: str, id: str) -> Reply:
    return Reply(ToolCall("Bash", {"command": command}, id=id))


def _options(env: dict[str, str], workspace: Path, **more: Any) -> ClaudeAgentOptions:
    return ClaudeAgentOptions(cli_path=CLAW, cwd=str(workspace), env=dict(env), **more)


def _run_query(prompt: str, options: ClaudeAgentOptions) -> list[Any]:
    async def collect() -> list[Any]:
        return [m async for m in query(prompt=prompt, options=options)]

    return asyncio.run(collect())


def _events(env: dict[str, str], workspace: Path, session_id: str) -> list[dict[str, Any]]:
    log = paths.sessions_dir(workspace, env) / f"{session_id}.jsonl"
    return [json.loads(line) for line in log.read_text().splitlines()]


def test_the_sdk_client_drives_claw(scripted, claw_env, workspace: Path):  # type: ignore[no-untyped-def]
    cfg = Path(claw_env["CLAW_CONFIG_DIR"])
    cfg.mkdir(parents=True, exist_ok=True)
    (cfg / "settings.json").write_text(json.dumps({"model": "scripted/default"}))
    scripted.script(
        _bash("touch asked.txt", "toolu_1"),
        _bash("touch denied.txt", "toolu_2"),
        Reply(Text("done")),
        _bash("sleep 60 && touch late.txt", "toolu_sleep"),
        _bash("touch free.txt", "toolu_3"),
        Reply(Text("made it")),
    )
    asked: list[tuple[str, dict[str, Any], str | None]] = []
    sleep_allowed = asyncio.Event()

    async def can_use_tool(
        name: str, tool_input: dict[str, Any], context: ToolPermissionContext
    ) -> PermissionResultAllow | PermissionResultDeny:
        asked.append((name, tool_input, context.tool_use_id))
        command = tool_input["command"]
        if command == "touch asked.txt":
            return PermissionResultAllow(updated_input={"command": "touch rewritten.txt"})
        if command.startswith("sleep"):
            sleep_allowed.set()
            return PermissionResultAllow()
        return PermissionResultDeny(message="not that one")

    async def drive() -> tuple[list[Any], list[Any], list[Any], dict[str, Any] | None]:
        options = ClaudeAgentOptions(
            cli_path=str(Path(sys.executable).with_name("claw")),
            cwd=str(workspace),
            env=dict(claw_env),
            can_use_tool=can_use_tool,
        )
        async with ClaudeSDKClient(options) as client:
            info = await client.get_server_info()
            await client.query("make files")
            first = [m async for m in client.receive_response()]

            await client.query("have a nap")
            second = []
            async for message in client.receive_response():
                second.append(message)
                if isinstance(message, AssistantMessage):  # the sleep is about to run: stop it once
                    await asyncio.wait_for(sleep_allowed.wait(), 30)  # claw asked (and was allowed)
                    await client.interrupt()

            await client.set_permission_mode("bypassPermissions")
            await client.query("one more file")
            third = [m async for m in client.receive_response()]
        return first, second, third, info

    first, second, third, info = asyncio.run(drive())

    assert info is not None and info["pid"] > 0
    assert [(name, i["command"], tid) for name, i, tid in asked] == [
        ("Bash", "touch asked.txt", "toolu_1"),
        ("Bash", "touch denied.txt", "toolu_2"),
        ("Bash", "sleep 60 && touch late.txt", "toolu_sleep"),
    ]  # the last call ran in bypassPermissions mode without asking
    assert sorted(p.name for p in workspace.glob("*.txt")) == ["free.txt", "rewritten.txt"]
    done = first[-1]
    assert isinstance(done, ResultMessage) and done.result == "done" and not done.is_error
    assert done.permission_denials == [
        {"tool_name": "Bash", "tool_use_id": "toolu_2", "tool_input": {"command": "touch denied.txt"}}
    ]
    stopped = second[-1]
    assert isinstance(stopped, ResultMessage) and stopped.subtype == "error_during_execution"
    last = third[-1]
    assert isinstance(last, ResultMessage) and last.result == "made it"
    assert last.session_id == done.session_id == stopped.session_id
    log = paths.sessions_dir(workspace, claw_env) / f"{done.session_id}.jsonl"
    events = [json.loads(line) for line in log.read_text().splitlines()]
    assert [e["type"] for e in events].count("interrupted") == 1


def test_query_one_shot(scripted_default, claw_env, workspace: Path):  # type: ignore[no-untyped-def]
    scripted_default.script(Reply(Text("hello from claw")))
    messages = _run_query("say hello", _options(claw_env, workspace, system_prompt="Be brief."))

    init, answer, done = messages
    assert isinstance(init, SystemMessage) and init.subtype == "init"
    assert init.data["cwd"] == str(workspace) and "Bash" in init.data["tools"]
    assert isinstance(answer, AssistantMessage) and [b.text for b in answer.content] == ["hello from claw"]  # type: ignore[union-attr]
    assert isinstance(done, ResultMessage) and done.result == "hello from claw" and done.num_turns == 1
    assert done.usage is not None and done.usage["output_tokens"] == 5 and done.total_cost_usd is not None
    assert done.duration_ms >= 0 and done.session_id == init.data["session_id"]
    request = scripted_default.requests[0]
    assert request["messages"][0]["content"][0]["text"] == "say hello"
    assert request["system"][0]["text"].startswith("Be brief.")  # --system-prompt replaced claw's own
    assert [e["type"] for e in _events(claw_env, workspace, done.session_id)][1:4] == [
        "user",
        "assistant",
        "result",
    ]


def test_the_sdk_sees_the_protocol_level_claw_implements(  # type: ignore[no-untyped-def]
    scripted_default, claw_env, workspace: Path, caplog: pytest.LogCaptureFixture
):
    """claw reports Claude Code 2.0.0 in ``system/init``: the SDK no longer warns that the CLI is too old,
    and still warns that ``verbatim_prompts`` (gated at 2.1.248) is ignored, which is true: the prompt
    ``/greet bob`` runs the slash command instead of reaching the model as written."""
    (workspace / ".claw" / "commands").mkdir(parents=True)
    (workspace / ".claw" / "commands" / "greet.md").write_text("Say hello to $ARGUMENTS.\n")
    scripted_default.script(Reply(Text("hello bob")))
    caplog.set_level(logging.WARNING, logger="claude_agent_sdk")

    messages = _run_query("/greet bob", _options(claw_env, workspace, verbatim_prompts=True))

    assert messages[0].data["claude_code_version"] == CLAUDE_CODE_PROTOCOL_VERSION == "2.0.0"
    assert messages[0].data["claw_version"] == VERSION
    warnings = [r.getMessage() for r in caplog.records if r.name.startswith("claude_agent_sdk")]
    assert not [w for w in warnings if "too old" in w]
    assert [w for w in warnings if w.startswith("verbatim_prompts is enabled, but Claude Code version 2.0.0")]
    assert scripted_default.requests[0]["messages"][0]["content"][0]["text"] == "Say hello to bob."


def test_client_multi_turn_in_one_session(scripted_default, claw_env, workspace: Path):  # type: ignore[no-untyped-def]
    scripted_default.script(Reply(Text("first answer")), Reply(Text("second answer")))

    async def drive() -> tuple[list[Any], list[Any], dict[str, Any], dict[str, Any]]:
        async with ClaudeSDKClient(_options(claw_env, workspace)) as client:
            await client.query("one")
            first = [m async for m in client.receive_response()]
            await client.query("two")
            second = [m async for m in client.receive_response()]
            return first, second, await client.get_mcp_status(), await client.get_context_usage()

    first, second, mcp, usage = asyncio.run(drive())
    assert first[-1].result == "first answer" and second[-1].result == "second answer"
    assert first[-1].session_id == second[-1].session_id
    texts = [m["content"][0]["text"] for m in scripted_default.requests[1]["messages"]]
    assert texts == ["one", "first answer", "two"]  # the second turn saw the first
    assert mcp == {"mcpServers": []}
    assert usage["totalTokens"] > 0 and usage["maxTokens"] > usage["totalTokens"]


def test_an_sdk_hook_callback_blocks_a_tool(scripted_default, claw_env, workspace: Path):  # type: ignore[no-untyped-def]
    scripted_default.script(
        _bash("touch blocked.txt", "toolu_block"), _bash("touch fine.txt", "toolu_fine"), Reply(Text("ok"))
    )
    seen: list[tuple[str, str | None]] = []

    async def guard(data: Any, tool_use_id: str | None, context: HookContext) -> dict[str, Any]:
        seen.append((data["tool_input"]["command"], tool_use_id))
        if "blocked" in data["tool_input"]["command"]:
            return {
                "hookSpecificOutput": {
                    "hookEventName": "PreToolUse",
                    "permissionDecision": "deny",
                    "permissionDecisionReason": "no blocked files",
                }
            }
        return {}

    options = _options(
        claw_env,
        workspace,
        hooks={"PreToolUse": [HookMatcher(matcher="Bash", hooks=[guard])]},
        permission_mode="bypassPermissions",
        include_hook_events=True,
    )
    messages = _run_query("make files", options)

    assert seen == [("touch blocked.txt", "toolu_block"), ("touch fine.txt", "toolu_fine")]
    assert sorted(p.name for p in workspace.glob("*.txt")) == ["fine.txt"]
    results = {
        b["tool_use_id"]: b
        for m in scripted_default.requests[-1]["messages"]
        for b in m["content"]
        if b["type"] == "tool_result"
    }
    assert results["toolu_block"]["is_error"] and "no blocked files" in results["toolu_block"]["content"]
    hooks = [m.data for m in messages if isinstance(m, SystemMessage) and m.subtype == "hook_response"]
    assert [(h["hook_event"], h["outcome"]) for h in hooks] == [("PreToolUse", "success")] * 2


def test_an_in_process_sdk_mcp_tool(scripted_default, claw_env, workspace: Path):  # type: ignore[no-untyped-def]
    calls: list[dict[str, Any]] = []

    @tool("add", "Add two numbers", {"a": int, "b": int})
    async def add(args: dict[str, Any]) -> dict[str, Any]:
        calls.append(args)
        return {"content": [{"type": "text", "text": str(args["a"] + args["b"])}]}

    scripted_default.script(
        Reply(ToolCall("mcp__calc__add", {"a": 2, "b": 3}, id="toolu_add")), Reply(Text("it is 5"))
    )
    options = _options(
        claw_env,
        workspace,
        mcp_servers={"calc": create_sdk_mcp_server("calculator", tools=[add])},
        allowed_tools=["mcp__calc__add"],
    )
    messages = _run_query("add 2 and 3", options)

    init = messages[0]
    assert "mcp__calc__add" in init.data["tools"]
    assert (
        init.data["mcp_servers"][0]["name"] == "calc" and init.data["mcp_servers"][0]["status"] == "connected"
    )
    assert calls == [{"a": 2, "b": 3}]
    offered = {t["name"] for t in scripted_default.requests[0]["tools"]}
    assert "mcp__calc__add" in offered
    result = scripted_default.requests[1]["messages"][-1]["content"][0]
    assert result["tool_use_id"] == "toolu_add" and "5" in json.dumps(result["content"])
    assert messages[-1].result == "it is 5"


def test_interrupt_during_a_stream_leaves_the_session_resumable(scripted_default, claw_env, workspace: Path):  # type: ignore[no-untyped-def]
    scripted_default.script(
        Fault(
            kind="stall", after_events=1, seconds=60, reply=Reply(Text("a very long answer that never ends"))
        ),
        Reply(Text("after the interrupt")),
        Reply(Text("resumed fine")),
    )

    async def drive() -> tuple[list[Any], list[Any]]:
        async with ClaudeSDKClient(_options(claw_env, workspace, include_partial_messages=True)) as client:
            await client.query("talk a lot")
            stopped = []
            async for message in client.receive_response():
                stopped.append(message)
                if isinstance(message, StreamEvent) and message.event.get("type") == "content_block_delta":
                    await client.interrupt()
            await client.query("and now?")
            after = [m async for m in client.receive_response()]
            return stopped, after

    stopped, after = asyncio.run(drive())
    assert isinstance(stopped[-1], ResultMessage) and stopped[-1].subtype == "error_during_execution"
    assert after[-1].result == "after the interrupt"
    session_id = after[-1].session_id

    resumed = _run_query("still there?", _options(claw_env, workspace, resume=session_id))
    assert resumed[-1].result == "resumed fine" and resumed[-1].session_id == session_id
    texts = [b.get("text") for m in scripted_default.requests[-1]["messages"] for b in m["content"]]
    assert texts[0] == "talk a lot" and texts[-3:] == ["and now?", "after the interrupt", "still there?"]


def test_structured_output_with_a_json_schema(scripted_default, claw_env, workspace: Path):  # type: ignore[no-untyped-def]
    schema = {"type": "object", "properties": {"n": {"type": "integer"}}, "required": ["n"]}
    scripted_default.script(Reply(ToolCall("StructuredOutput", {"n": 7})))
    messages = _run_query(
        "count", _options(claw_env, workspace, output_format={"type": "json_schema", "schema": schema})
    )
    done = messages[-1]
    assert isinstance(done, ResultMessage) and done.structured_output == {"n": 7}
    assert any(t["name"] == "StructuredOutput" for t in scripted_default.requests[0]["tools"])


def test_a_session_on_openai(e2e_env, openai_server, workspace: Path):  # type: ignore[no-untyped-def]
    env = e2e_env(OPENAI_API_KEY="sk-e2e", OPENAI_BASE_URL=openai_server.base_url)
    openai_server.script(
        Reply(ToolCall("Lookup", {"word": "claw"}, id="call_1")), Reply(Text("A claw grips."))
    )
    messages = _run_query(
        "define claw", _options(env, workspace, model="openai/gpt-5.4-mini", allowed_tools=["Lookup"])
    )
    assert messages[-1].result == "A claw grips." and messages[-1].num_turns == 2
    assert openai_server.requests[0].json["model"] == "gpt-5.4-mini"


def test_a_session_on_bedrock(e2e_env, bedrock_server, workspace: Path):  # type: ignore[no-untyped-def]
    env = e2e_env(
        AWS_ACCESS_KEY_ID="AKIDE2E",
        AWS_SECRET_ACCESS_KEY="secret",
        AWS_REGION="us-west-2",
        AWS_ENDPOINT_URL_BEDROCK_RUNTIME=bedrock_server.url,
    )
    bedrock_server.script(Reply(Text("hello from bedrock")))
    messages = _run_query("hi", _options(env, workspace, model="bedrock/us.anthropic.claude-sonnet-4-6"))
    assert messages[-1].result == "hello from bedrock"
    assert bedrock_server.model_ids == ["us.anthropic.claude-sonnet-4-6"]


def test_every_flag_the_sdk_passes_is_honoured_or_warned_about(
    scripted, claw_env, workspace: Path, tmp_path: Path
):  # type: ignore[no-untyped-def]
    scripted.script(Reply(Text("all flags fine")))
    prompt_file = tmp_path / "system.md"
    prompt_file.write_text("From a file.")
    extra = tmp_path / "extra"
    extra.mkdir()
    stderr: list[str] = []
    options = _options(
        claw_env,
        workspace,
        system_prompt={"type": "file", "path": str(prompt_file)},
        tools=["Bash", "Read"],
        allowed_tools=["Read"],
        disallowed_tools=["Write"],
        max_turns=3,
        max_budget_usd=5.0,
        task_budget={"total": 1000},
        model="scripted/effort",
        fallback_model="scripted/backup",
        betas=["context-1m-2025-08-07"],
        permission_mode="acceptEdits",
        settings=json.dumps({"env": {"FROM_SETTINGS": "1"}}),
        setting_sources=["user", "project"],
        add_dirs=[str(extra)],
        mcp_servers={},
        strict_mcp_config=True,
        include_partial_messages=True,
        include_hook_events=True,
        thinking={"type": "enabled", "budget_tokens": 2000, "display": "summarized"},
        stderr=stderr.append,
    )
    messages = _run_query("go", options)

    init = next(m for m in messages if isinstance(m, SystemMessage) and m.subtype == "init")
    assert messages[-1].result == "all flags fine"
    assert init.data["permissionMode"] == "acceptEdits" and init.data["model"] == "effort"
    assert set(init.data["tools"]) >= {"Bash", "Read"} and "Write" not in init.data["tools"]
    assert any(isinstance(m, StreamEvent) for m in messages)
    request = scripted.requests[0]
    assert request["system"][0]["text"].startswith("From a file.")
    assert request["reasoning_effort"] == "low"  # a 2000-token thinking budget
    assert not [line for line in stderr if "[debug" in line]  # --verbose is stream-json's, not debug logs
    warnings = [line for line in stderr if line.startswith("claw: warning:")]
    assert warnings == [
        "claw: warning: --thinking-display has no effect in claw: thinking is shown as the model returns it",
        "claw: warning: --betas has no effect in claw: each provider sends the beta headers it needs",
        "claw: warning: --task-budget has no effect in claw; bound a run with --max-budget-usd or --max-turns",
    ]


@pytest.mark.parametrize(
    ("flag", "message"),
    [
        (["--plugin-dir", "nowhere"], "--plugin-dir: not a directory: nowhere"),
        (["--session-mirror"], "--session-mirror: claw does not mirror transcripts to an SDK session store"),
        (["--resume-session-at=abc"], "--resume-session-at: claw resumes a session only at its end"),
    ],
)
def test_flags_claw_cannot_honour_are_refused(claw, scripted, flag: list[str], message: str):  # type: ignore[no-untyped-def]
    claw("-p", "hi", *flag).assert_failure(2, message)
    assert scripted.requests == []

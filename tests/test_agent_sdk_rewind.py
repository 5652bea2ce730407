"""The real Claude Agent SDK's ``rewind_files`` against claw with ``enable_file_checkpointing``: files
``Edit``/``Write`` changed go back, byte for byte, to their state when a user message arrived (files
created since are deleted, files a ``Bash`` command changed are left, as in Claude Code), also from a
later process that resumed the session; an unknown message or checkpointing off is a clear error."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path
from typing import Any

import pytest
from claude_agent_sdk import ClaudeAgentOptions, ClaudeSDKClient, ResultMessage, UserMessage
from claw.testing.script import Reply, Text, ToolCall

CLAW = str(Path(sys.executable).with_name("claw"))
ORIGINAL = b"one\r\nkept\r\n"  # CRLF: the rewind restores bytes, not a re-encoded text


def _options(env: dict[str, str], workspace: Path, **more: Any) -> ClaudeAgentOptions:
    return ClaudeAgentOptions(
        cli_path=CLAW,
        cwd=str(workspace),
        env=dict(env),
        allowed_tools=["Read", "Edit", "Write", "Bash"],
        extra_args={"replay-user-messages": None},
        **more,
    )


async def _turn(client: ClaudeSDKClient, prompt: str) -> tuple[str, str]:
    """Run one turn; its user message's uuid (from the replayed message) and the session id."""
    await client.query(prompt)
    messages = [m async for m in client.receive_response()]
    echoed = next(m for m in messages if isinstance(m, UserMessage) and m.content == prompt)
    done = messages[-1]
    assert isinstance(done, ResultMessage) and not done.is_error, done
    assert echoed.uuid
    return echoed.uuid, done.session_id


def test_rewind_files_restores_edits_across_a_resume(scripted_default, claw_env, workspace: Path):  # type: ignore[no-untyped-def]
    tracked, created, by_bash = workspace / "a.txt", workspace / "new.txt", workspace / "bash.txt"
    tracked.write_bytes(ORIGINAL)
    scripted_default.script(
        Reply(
            ToolCall("Read", {"file_path": str(tracked)}, id="t1"),
            ToolCall("Edit", {"file_path": str(tracked), "old_string": "one", "new_string": "two"}, id="t2"),
            ToolCall("Write", {"file_path": str(created), "content": "fresh\n"}, id="t3"),
            ToolCall("Bash", {"command": "echo shell > bash.txt"}, id="t4"),
        ),
        Reply(Text("first done")),
        Reply(
            ToolCall("Edit", {"file_path": str(tracked), "old_string": "two", "new_string": "three"}, id="t5")
        ),
        Reply(Text("second done")),
    )
    seen: dict[str, Any] = {}
    errors: list[str] = []

    async def first_run() -> None:
        async with ClaudeSDKClient(_options(claw_env, workspace, enable_file_checkpointing=True)) as client:
            seen["m1"], seen["session"] = await _turn(client, "change things")
            seen["m2"], _ = await _turn(client, "change more")
            seen["after"] = tracked.read_bytes()
            await client.rewind_files(seen["m2"])
            seen["at m2"] = (tracked.read_bytes(), created.exists())

    async def resumed(checkpointing: bool) -> None:
        options = _options(
            claw_env, workspace, resume=seen["session"], enable_file_checkpointing=checkpointing
        )
        async with ClaudeSDKClient(options) as client:
            if not checkpointing:
                with pytest.raises(Exception) as refused:
                    await client.rewind_files(seen["m1"])
                errors.append(str(refused.value))
                return
            with pytest.raises(Exception) as refused:
                await client.rewind_files("no-such-message")
            errors.append(str(refused.value))
            await client.rewind_files(seen["m1"])

    asyncio.run(first_run())
    assert seen["after"] == b"three\r\nkept\r\n"
    assert seen["at m2"] == (b"two\r\nkept\r\n", True), "rewound to the second message: its edit undone"
    asyncio.run(resumed(checkpointing=False))
    assert tracked.read_bytes() == b"two\r\nkept\r\n", "nothing changed without checkpointing"
    asyncio.run(resumed(checkpointing=True))
    assert tracked.read_bytes() == ORIGINAL, "rewound to the first message, from a resumed session"
    assert not created.exists(), "a file created since the message is deleted"
    assert by_bash.read_text() == "shell\n", "Bash's changes are not tracked (as in Claude Code)"
    assert "file checkpointing is not enabled" in errors[0]
    assert 'no file checkpoint for user message "no-such-message"' in errors[1]


def test_a_subagents_edits_are_rewound_too(scripted_default, claw_env, workspace: Path):  # type: ignore[no-untyped-def]
    made = workspace / "by_child.txt"
    scripted_default.script(
        Reply(ToolCall("Agent", {"description": "writer", "prompt": "write the file"}, id="a1")),
        Reply(ToolCall("Write", {"file_path": str(made), "content": "child\n"}, id="c1")),  # the child's
        Reply(Text("written")),  # the child's answer
        Reply(Text("delegated")),
    )

    async def drive() -> bool:
        options = _options(claw_env, workspace, enable_file_checkpointing=True)
        options.allowed_tools = ["Agent", "Write"]
        async with ClaudeSDKClient(options) as client:
            message, _ = await _turn(client, "delegate the write")
            existed = made.exists()
            await client.rewind_files(message)
            return existed

    assert asyncio.run(drive()), "the sub-agent wrote the file"
    assert not made.exists(), "the file a sub-agent created during the message is deleted"


def test_a_fork_rewinds_edits_made_before_it(scripted_default, claw_env, workspace: Path):  # type: ignore[no-untyped-def]
    tracked = workspace / "a.txt"
    tracked.write_bytes(ORIGINAL)
    edit = {"file_path": str(tracked), "old_string": "one", "new_string": "two"}
    scripted_default.script(
        Reply(ToolCall("Read", {"file_path": str(tracked)}, id="p0"), ToolCall("Edit", edit, id="p1")),
        Reply(Text("parent done")),
        Reply(
            ToolCall("Read", {"file_path": str(tracked)}, id="f0"),
            ToolCall("Edit", {**edit, "old_string": "two", "new_string": "three"}, id="f1"),
        ),
        Reply(Text("fork done")),
    )
    seen: dict[str, Any] = {}

    async def parent() -> None:
        async with ClaudeSDKClient(_options(claw_env, workspace, enable_file_checkpointing=True)) as client:
            seen["m1"], seen["parent"] = await _turn(client, "edit in the parent")

    async def fork() -> None:
        options = _options(
            claw_env, workspace, resume=seen["parent"], fork_session=True, enable_file_checkpointing=True
        )
        async with ClaudeSDKClient(options) as client:
            seen["m2"], seen["fork"] = await _turn(client, "edit in the fork")
            seen["before rewind"] = tracked.read_bytes()
            await client.rewind_files(seen["m1"])

    asyncio.run(parent())
    parent_index = next(workspace.parent.rglob(f"{seen['parent']}.jsonl.checkpoints")) / "index.jsonl"
    kept = parent_index.read_bytes()
    asyncio.run(fork())
    assert seen["fork"] != seen["parent"], "a new session"
    assert seen["before rewind"] == b"three\r\nkept\r\n"
    assert tracked.read_bytes() == ORIGINAL, "the fork rewound an edit its parent made before the fork"
    assert parent_index.read_bytes() == kept, "the parent's checkpoints are left as they were"

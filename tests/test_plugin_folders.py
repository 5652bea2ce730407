"""Claude Code plugin folders loaded whole (``claw --plugin-dir DIR``, the Agent SDK's ``plugins``):
claw-claude-plugins reads the folder, claw-tools-workflow offers its commands and skills as ``/myplug:name``
and claw-agents its agents as ``myplug:name``, each through ``SessionContext.plugin_folders``, with ``${CLAUDE_PLUGIN_ROOT}``
replaced by the folder as Claude Code does. Cross-distribution: claw-claude-plugins, -sdk, -tools-workflow,
-tools-shell, -agents."""

from __future__ import annotations

import functools
import http.server
import json
import shutil
import threading
from pathlib import Path
from typing import Any

import pytest
from claw.testing.script import Reply, Text, ToolCall

HELLO = """---
description: Greet someone
argument-hint: NAME
allowed-tools: Bash(cat:*)
---
Say hello to $ARGUMENTS. Notes: !`cat ${CLAUDE_PLUGIN_ROOT}/notes.txt`
"""

CHECKLIST = """---
name: checklist
description: The release checklist
---
Follow the checklist in ${CLAUDE_PLUGIN_ROOT}/CHECKLIST.md.
"""

REVIEWER = """---
name: reviewer
description: Reviews a diff for bugs.
tools: Read
---
You review code against ${CLAUDE_PLUGIN_ROOT}/RULES.md.
"""


@pytest.fixture
def myplug(tmp_path: Path) -> Path:
    """A Claude Code plugin ``myplug`` with a command, a skill and an agent, each naming the folder."""
    root = tmp_path / "my-plugin"
    for part in (".claude-plugin", "commands", "skills/checklist", "agents"):
        (root / part).mkdir(parents=True)
    (root / ".claude-plugin" / "plugin.json").write_text(json.dumps({"name": "myplug", "version": "1.0.0"}))
    (root / "commands" / "hello.md").write_text(HELLO)
    (root / "skills" / "checklist" / "SKILL.md").write_text(CHECKLIST)
    (root / "agents" / "reviewer.md").write_text(REVIEWER)
    (root / "notes.txt").write_text("be kind")
    return root


def _text(message: dict[str, Any]) -> str:
    content = message["content"]
    if isinstance(content, str):
        return content
    return "".join(b.get("text", "") if b.get("type") != "tool_result" else _text(b) for b in content)


def _run(claw, *args: str) -> Any:  # type: ignore[no-untyped-def]
    return claw("--model", "scripted/default", *args).assert_success()


def test_a_plugin_command_expands_namespaced(claw, scripted, myplug: Path) -> None:
    """``/myplug:hello world``: the body with its argument, ``${CLAUDE_PLUGIN_ROOT}`` replaced before its
    ``!`cmd` `` ran (granted by the command's own ``allowed-tools``), as Claude Code does."""
    scripted.script(Reply(Text("hi")))
    _run(claw, "-p", "/myplug:hello world", "--plugin-dir", str(myplug))
    prompt = _text(scripted.requests[0]["messages"][-1])
    assert "Say hello to world. Notes: be kind" in prompt


def test_the_skill_tool_finds_a_plugin_skill(claw, scripted, myplug: Path) -> None:
    scripted.script(
        Reply(ToolCall("Skill", {"skill": "myplug:checklist"}, id="toolu_s")), Reply(Text("done"))
    )
    _run(claw, "-p", "release it", "--plugin-dir", str(myplug))
    assert f"Follow the checklist in {myplug}/CHECKLIST.md." in _text(scripted.requests[1]["messages"][-1])


def test_the_agent_tool_runs_a_plugin_agent(claw, scripted, myplug: Path) -> None:
    call = {"subagent_type": "myplug:reviewer", "description": "review", "prompt": "review the diff"}
    scripted.script(
        Reply(ToolCall("Agent", call, id="toolu_a")), Reply(Text("looks fine")), Reply(Text("ok"))
    )
    _run(claw, "-p", "review", "--plugin-dir", str(myplug))
    parent, child, after = scripted.requests
    agent = next(t for t in parent["tools"] if t["name"] == "Agent")
    assert "- myplug:reviewer: Reviews a diff for bugs. (Tools: Read)" in agent["description"]
    system = json.dumps(child["system"])
    assert f"You review code against {myplug}/RULES.md." in system
    assert [t["name"] for t in child["tools"]] == ["Read"]
    assert "looks fine" in _text(after["messages"][-1])


def test_the_sdk_plugins_field_loads_the_same(claw, scripted, myplug: Path) -> None:
    """The TypeScript SDK's ``plugins`` in ``initialize``: confirmed, and the command runs."""
    scripted.script(Reply(Text("hi")))
    init = {"subtype": "initialize", "plugins": [{"type": "local", "path": str(myplug)}]}
    lines = [
        {"type": "control_request", "request_id": "init", "request": init},
        {"type": "user", "message": {"role": "user", "content": "/myplug:hello world"}},
    ]
    args = ["-p", "--verbose", "--input-format", "stream-json", "--output-format", "stream-json"]
    done = claw("--model", "scripted/default", *args, input="".join(json.dumps(m) + "\n" for m in lines))
    done.assert_success()
    messages = [json.loads(line) for line in done.stdout.splitlines()]
    reply = next(m for m in messages if m["type"] == "control_response")
    assert reply["response"]["response"]["plugins_applied"] is True
    init = next(m for m in messages if m.get("subtype") == "init")
    assert init["plugins"][0] == {"name": "myplug", "path": str(myplug)}, "Claude Code's {name, path}"
    assert {"myplug:hello", "myplug:checklist"} <= set(init["slash_commands"])
    assert "Say hello to world. Notes: be kind" in _text(scripted.requests[0]["messages"][-1])


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # in-process runs share stderr
        pass


def test_a_plugin_url_zip_loads_as_its_folder_does(claw, scripted, myplug: Path, tmp_path: Path) -> None:
    """``--plugin-url`` (Claude Code's): the plugin folder zipped (its one top-level folder), served over
    loopback HTTP, fetched and unpacked for the run: its command and its agent work as ``--plugin-dir``'s."""
    shutil.make_archive(str(tmp_path / "served" / "my-plugin"), "zip", tmp_path, myplug.name)
    handler = functools.partial(_Quiet, directory=str(tmp_path / "served"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/my-plugin.zip"
    call = {"subagent_type": "myplug:reviewer", "description": "review", "prompt": "review the diff"}
    scripted.script(
        Reply(ToolCall("Agent", call, id="toolu_a")), Reply(Text("looks fine")), Reply(Text("ok"))
    )
    try:
        _run(claw, "-p", "/myplug:hello world", "--plugin-url", url)
    finally:
        server.shutdown()
        server.server_close()
    parent, child, _ = scripted.requests
    assert "Say hello to world. Notes: be kind" in _text(parent["messages"][-1])
    root = json.dumps(child["system"]).split("You review code against ", 1)[1].split("/RULES.md", 1)[0]
    assert root.endswith("/my-plugin/my-plugin") and "claw-plugin-url-" in root and root != str(myplug)


def test_the_plugins_bin_is_on_the_bash_tools_path(claw, scripted, myplug: Path) -> None:
    """As Claude Code: a plugin's ``bin/`` is on the ``PATH`` of what ``Bash`` runs (a command's
    ``!`cmd` `` here), before the ``PATH`` claw started with."""
    (myplug / "bin").mkdir()
    (myplug / "bin" / "myplug-greet").write_text("#!/bin/sh\necho greetings from bin\n")
    (myplug / "bin" / "myplug-greet").chmod(0o755)
    (myplug / "commands" / "greet.md").write_text(
        "---\nallowed-tools: Bash(myplug-greet)\n---\n!`myplug-greet`\n"
    )
    scripted.script(Reply(Text("hi")))
    _run(claw, "-p", "/myplug:greet", "--plugin-dir", str(myplug))
    assert _text(scripted.requests[0]["messages"][-1]).startswith("greetings from bin")


def test_output_styles_and_lsp_servers_are_left_out_with_a_warning(claw, scripted, myplug: Path) -> None:
    (myplug / "output-styles").mkdir()
    (myplug / "output-styles" / "terse.md").write_text("Be terse.\n")
    (myplug / ".lsp.json").write_text("{}")
    scripted.script(Reply(Text("hi")))
    done = _run(claw, "-p", "/myplug:hello world", "--plugin-dir", str(myplug))
    assert done.stderr.count("claw: warning: ") == 1
    assert "plugin myplug: claw does not load output styles or LSP servers (output-styles, .lsp.json)" in (
        done.stderr
    )
    assert "Say hello to world." in _text(scripted.requests[0]["messages"][-1])


def test_the_manifest_paths_replace_commands_and_add_to_skills(claw, scripted, myplug: Path) -> None:
    """As Claude Code: a manifest ``commands`` path replaces ``commands/``, a ``skills`` path adds to
    ``skills/``; a command named by its file is ``/plugin:<file name>``."""
    (myplug / "extra" / "more").mkdir(parents=True)
    (myplug / "extra" / "bye.md").write_text("Say bye to $ARGUMENTS.\n")
    (myplug / "extra" / "more" / "SKILL.md").write_text("More skill.\n")
    manifest = {"name": "myplug", "commands": "./extra/bye.md", "skills": ["./extra/more"]}
    (myplug / ".claude-plugin" / "plugin.json").write_text(json.dumps(manifest))
    scripted.script(Reply(ToolCall("Skill", {"skill": "myplug:hello"}, id="toolu_s")), Reply(Text("ok")))
    _run(claw, "-p", "/myplug:bye you", "--plugin-dir", str(myplug))
    assert "Say bye to you." in _text(scripted.requests[0]["messages"][-1])
    result = _text(scripted.requests[1]["messages"][-1])
    assert 'no skill or command named "myplug:hello"' in result
    assert "myplug:checklist" in result and "myplug:more" in result


def test_manifest_hooks_may_be_a_list_of_files_and_objects(claw, scripted, myplug: Path) -> None:
    """Claude Code's ``hooks`` (and ``mcpServers``) may be a list: the hooks of all of them run."""

    def hook(word: str) -> dict[str, Any]:
        command = f'echo {word} > "${{CLAUDE_PLUGIN_ROOT}}/{word}.txt"'
        return {"hooks": {"UserPromptSubmit": [{"hooks": [{"type": "command", "command": command}]}]}}

    (myplug / "one.json").write_text(json.dumps(hook("one")))
    manifest = {"name": "myplug", "hooks": ["./one.json", hook("two")]}
    (myplug / ".claude-plugin" / "plugin.json").write_text(json.dumps(manifest))
    scripted.script(Reply(Text("hi")))
    _run(claw, "-p", "hi", "--plugin-dir", str(myplug))
    assert (myplug / "one.txt").read_text() == "one\n" and (myplug / "two.txt").read_text() == "two\n"


GUARD = """#!/bin/sh
# A plugin's hook script as Claude Code runs it: its folder and data folder come in its environment.
echo "root=$CLAUDE_PLUGIN_ROOT data=$CLAUDE_PLUGIN_DATA" > "$CLAUDE_PLUGIN_DATA/seen.txt"
cat "$CLAUDE_PLUGIN_ROOT/policy.txt" >&2
exit 2
"""


def test_a_plugin_hook_script_gets_its_folders_in_its_environment_and_blocks(
    claw, scripted, myplug: Path, workspace: Path, claw_env: dict[str, str]
) -> None:
    """As Claude Code: a plugin's hook commands run with ``CLAUDE_PLUGIN_ROOT`` and ``CLAUDE_PLUGIN_DATA``
    set (a script reads them itself), and its exit code 2 blocks the tool call with its stderr as the
    reason; the user's own settings hooks do not get them."""
    (myplug / "hooks").mkdir()
    (myplug / "hooks" / "guard.sh").write_text(GUARD)
    (myplug / "hooks" / "guard.sh").chmod(0o755)
    (myplug / "policy.txt").write_text("myplug policy: no echo")
    guard = {"type": "command", "command": '"${CLAUDE_PLUGIN_ROOT}/hooks/guard.sh"'}
    hooks = {"hooks": {"PreToolUse": [{"matcher": "Bash", "hooks": [guard]}]}}
    (myplug / "hooks" / "hooks.json").write_text(json.dumps(hooks))
    user = Path(claw_env["HOME"]) / ".claude" / "settings.json"
    user.parent.mkdir(parents=True)
    spy = f'echo "root=${{CLAUDE_PLUGIN_ROOT-unset}} data=${{CLAUDE_PLUGIN_DATA-unset}}" > "{workspace}/user.txt"'
    user.write_text(json.dumps({"hooks": {"PreToolUse": [{"hooks": [{"type": "command", "command": spy}]}]}}))
    scripted.script(
        Reply(ToolCall("Bash", {"command": "echo ran > ran.txt"}, id="toolu_b")), Reply(Text("done"))
    )
    _run(claw, "-p", "go", "--plugin-dir", str(myplug), "--permission-mode", "bypassPermissions")
    assert not (workspace / "ran.txt").exists(), "exit code 2 blocks the call"
    assert "myplug policy: no echo" in _text(scripted.requests[1]["messages"][-1])
    data = Path(claw_env["HOME"]) / ".claude" / "plugins" / "data" / "myplug-inline"
    assert (data / "seen.txt").read_text() == f"root={myplug} data={data}\n"
    assert (workspace / "user.txt").read_text() == "root=unset data=unset\n"


def test_a_plugin_hooks_json_written_for_claude_code_loads_without_what_claw_cannot_run(
    claw, scripted, myplug: Path, workspace: Path
) -> None:
    """A Claude Code plugin's ``hooks/hooks.json`` is read as Claude Code's settings files are: an event,
    handler type or key claw does not have is left out with a warning, and the rest runs (with its
    folders in its environment); it is not an error that ends the run."""
    (myplug / "hooks").mkdir()
    spy = f'echo "root=$CLAUDE_PLUGIN_ROOT" > "{workspace}/ran.txt"'
    hooks = {
        "hooks": {
            "UserPromptSubmit": [{"hooks": [{"type": "command", "command": spy, "async": False}]}],
            "Notification": [{"hooks": [{"type": "command", "command": "true"}]}],
            "Stop": [{"hooks": [{"type": "prompt", "prompt": "done?"}]}],
        }
    }
    (myplug / "hooks" / "hooks.json").write_text(json.dumps(hooks))
    scripted.script(Reply(Text("hi")))
    res = _run(claw, "-p", "hi", "--plugin-dir", str(myplug))
    assert (workspace / "ran.txt").read_text() == f"root={myplug}\n"
    assert "hooks.Notification: claw has no such hook event; ignored" in res.stderr
    assert "claw does not run 'prompt' hooks" in res.stderr and "async" in res.stderr


@pytest.mark.parametrize(
    ("damage", "error"),
    [
        ("manifest", "--plugin-dir: {root}/.claude-plugin/plugin.json:1:2: invalid JSON"),
        ("unreadable", "--plugin-dir: myplug: cannot read {root}/commands/gone.md: No such file"),
        ("outside", "--plugin-dir: myplug: commands: ../elsewhere is not a file or folder inside"),
    ],
)
def test_a_broken_folder_ends_the_run_in_one_line(
    claw, scripted, myplug: Path, damage: str, error: str
) -> None:
    manifest = myplug / ".claude-plugin" / "plugin.json"
    if damage == "manifest":
        manifest.write_text("{not json")
    elif damage == "unreadable":
        (myplug / "commands" / "gone.md").symlink_to(myplug / "nowhere.md")
    else:
        manifest.write_text(json.dumps({"name": "myplug", "commands": "../elsewhere"}))
    done = claw("--model", "scripted/default", "-p", "hi", "--plugin-dir", str(myplug))
    done.assert_failure(2, error.format(root=myplug))
    assert len(done.stderr.strip().splitlines()) == 1 and scripted.requests == []


def test_a_plugin_command_runs_without_its_prefix_when_the_name_is_free(
    claw, scripted, myplug: Path, workspace: Path, tmp_path: Path
) -> None:
    """As Claude Code: ``/hello`` runs ``/myplug:hello`` while no other command has that name; a project
    command of that name, or a second plugin's, keeps it from either plugin."""
    scripted.script(Reply(Text("hi")), Reply(Text("hi")), Reply(Text("hi")))
    _run(claw, "-p", "/hello world", "--plugin-dir", str(myplug))
    assert "Say hello to world. Notes: be kind" in _text(scripted.requests[0]["messages"][-1])
    (workspace / ".claude" / "commands").mkdir(parents=True)
    (workspace / ".claude" / "commands" / "hello.md").write_text("Project hello to $ARGUMENTS.\n")
    _run(claw, "-p", "/hello world", "--plugin-dir", str(myplug))
    assert _text(scripted.requests[1]["messages"][-1]) == "Project hello to world."
    (workspace / ".claude" / "commands" / "hello.md").unlink()
    other = tmp_path / "other"
    (other / "commands").mkdir(parents=True)
    (other / "commands" / "hello.md").write_text("Other hello.\n")
    done = claw(
        "--model",
        "scripted/default",
        "-p",
        "/hello world",
        "--plugin-dir",
        str(myplug),
        "--plugin-dir",
        str(other),
    )
    done.assert_failure(1, "unknown slash command /hello")
    _run(claw, "-p", "/other:hello", "--plugin-dir", str(myplug), "--plugin-dir", str(other))
    assert _text(scripted.requests[2]["messages"][-1]) == "Other hello."


def test_plugin_dir_takes_the_folders_that_follow_as_claude_code_does(
    claw, scripted, myplug: Path, tmp_path: Path
) -> None:
    """Claude Code's ``--plugin-dir <paths...>`` is variadic (``--plugin-dir ./a ./b``); claw took one
    folder and stopped with "unexpected argument(s) after the prompt". Both folders load, and the slash
    command given after them stays the prompt."""
    other = tmp_path / "other"
    (other / ".claude-plugin").mkdir(parents=True)
    (other / ".claude-plugin" / "plugin.json").write_text(json.dumps({"name": "other"}))
    (other / "commands").mkdir()
    (other / "commands" / "bye.md").write_text("Say goodbye to $ARGUMENTS.\n")
    scripted.script(Reply(Text("hi")), Reply(Text("bye")))
    _run(claw, "--plugin-dir", str(myplug), str(other), "/myplug:hello world", "-p")
    assert "Say hello to world. Notes: be kind" in _text(scripted.requests[0]["messages"][-1])
    _run(claw, "-p", "--plugin-dir", str(myplug), str(other), "/other:bye you")
    assert _text(scripted.requests[1]["messages"][-1]) == "Say goodbye to you."

"""Output styles as Claude Code's: settings ``outputStyle`` picks a built-in or custom style; its text is the
system prompt's last section; a custom style drops claw's coding instructions unless
``keep-coding-instructions: true``; an unknown name warns once and runs with the default; ``--bare``
skips custom styles. Each asserts on the system prompt the scripted model was sent by ``claw -p``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from claw.testing.script import Reply, Text
from claw_prompt.sections import ANSWERING, BASE_PROMPT, CODING, IDENTITY

PIRATE = """---
name: Pirate
description: Answers like a pirate
keep-coding-instructions: {keep}
---
Always answer like a pirate, arr.
"""


def _system(request: dict[str, Any]) -> str:
    return "".join(block["text"] for block in request["system"])


def _choose(workspace: Path, style: str, file: str = "settings.json") -> None:
    folder = workspace / ".claude"
    folder.mkdir(exist_ok=True)
    (folder / file).write_text(json.dumps({"outputStyle": style}))


def _pirate(folder: Path, keep: str = "false") -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "pirate.md").write_text(PIRATE.format(keep=keep))


def test_without_a_style_the_prompt_is_claws_default_and_ends_with_memory(claw, loop_env, workspace):
    loop_env.script(Reply(Text("ok")))
    claw("-p", "hi").assert_success()
    system = _system(loop_env.requests[0])
    assert system.startswith(BASE_PROMPT) and "Output style" not in system


def test_explanatory_keeps_the_coding_instructions_and_ends_with_its_own(claw, loop_env, workspace):
    _choose(workspace, "explanatory", "settings.local.json")  # where Claude Code saves it; any case
    loop_env.script(Reply(Text("ok")))
    result = claw("-p", "hi").assert_success()
    system = _system(loop_env.requests[0])
    assert system.startswith(f"{IDENTITY}\n\n{CODING}\n\n<env>") and ANSWERING not in system
    assert system.rstrip().endswith("keep the insights accurate and concrete.")
    assert "# Output style: Explanatory" in system and result.stderr == ""


def test_learning_asks_the_user_for_todo_human_pieces(claw, loop_env, workspace):
    _choose(workspace, "Learning")
    loop_env.script(Reply(Text("ok")))
    claw("-p", "hi").assert_success()
    system = _system(loop_env.requests[0])
    assert "# Output style: Learning" in system and "TODO(human)" in system and CODING in system


def test_a_project_custom_style_replaces_the_coding_instructions(claw, loop_env, workspace):
    _pirate(workspace / ".claude" / "output-styles")
    _choose(workspace, "Pirate")
    loop_env.script(Reply(Text("ok")))
    claw("-p", "hi").assert_success()
    system = _system(loop_env.requests[0])
    assert system.startswith(f"{IDENTITY}\n\n<env>") and CODING not in system and ANSWERING not in system
    assert system.rstrip().endswith("Always answer like a pirate, arr.") and "description" not in system


def test_keep_coding_instructions_keeps_them_and_a_user_style_is_found_by_its_file_name(
    claw, claw_env, loop_env, workspace
):
    _pirate(Path(claw_env["HOME"]) / ".claude" / "output-styles", keep="true")
    _choose(workspace, "pirate")
    loop_env.script(Reply(Text("ok")))
    claw("-p", "hi").assert_success()
    system = _system(loop_env.requests[0])
    assert system.startswith(f"{IDENTITY}\n\n{CODING}\n\n<env>") and ANSWERING not in system
    assert system.rstrip().endswith("Always answer like a pirate, arr.")


def test_a_claw_folder_style_beats_a_claude_folder_style_of_the_same_name(claw, loop_env, workspace):
    _pirate(workspace / ".claude" / "output-styles")
    (workspace / ".claw" / "output-styles").mkdir(parents=True)
    (workspace / ".claw" / "output-styles" / "p.md").write_text("---\nname: pirate\n---\nClaw's pirate.")
    _choose(workspace, "Pirate")
    loop_env.script(Reply(Text("ok")))
    claw("-p", "hi").assert_success()
    system = _system(loop_env.requests[0])
    assert system.rstrip().endswith("Claw's pirate.") and "arr." not in system


def test_an_unknown_style_warns_once_naming_the_styles_and_runs_with_the_default(claw, loop_env, workspace):
    _pirate(workspace / ".claude" / "output-styles")
    _choose(workspace, "Shakespeare")
    loop_env.script(Reply(Text("ok")))
    result = claw("-p", "hi").assert_success()
    assert result.stdout == "ok\n" and _system(loop_env.requests[0]).startswith(BASE_PROMPT)
    assert result.stderr.splitlines() == [
        'claw: warning: outputStyle "Shakespeare": no such output style '
        "(available: default, Explanatory, Learning, Pirate); using default"
    ]


@pytest.mark.parametrize("flag", ["--bare", "--safe-mode"])
def test_bare_and_safe_mode_skip_custom_styles_but_keep_the_built_in_ones(claw, loop_env, workspace, flag):
    _pirate(workspace / ".claude" / "output-styles")
    _choose(workspace, "Pirate")
    loop_env.script(Reply(Text("skipped")), Reply(Text("learning")))
    skipped = claw(flag, "-p", "hi").assert_success()
    system = _system(loop_env.requests[0])
    assert system.startswith(BASE_PROMPT) and "arr." not in system and skipped.stderr == ""
    _choose(workspace, "Learning")
    claw(flag, "-p", "hi").assert_success()
    assert "# Output style: Learning" in _system(loop_env.requests[1])


def test_print_system_prompt_shows_the_style(claw, workspace):
    _choose(workspace, "Explanatory")
    printed = claw("print-system-prompt").assert_success()
    assert "# Output style: Explanatory" in printed.stdout


def test_style_frontmatter_is_yaml_and_a_broken_file_is_skipped_with_a_warning(claw, loop_env, workspace):
    folder = workspace / ".claude" / "output-styles"
    folder.mkdir(parents=True)
    (folder / "terse.md").write_text(
        "\ufeff---\r\nname: 'Terse: short'\r\ndescription: |\r\n  Short answers.\r\n  No fluff.\r\n"
        "keep-coding-instructions: TRUE\r\n---\r\nAnswer in one line.\r\n"
    )
    (folder / "broken.md").write_text('---\nname: broken\ndescription: "never closed\n---\nnever used\n')
    _choose(workspace, "terse: short")
    loop_env.script(Reply(Text("ok")))
    result = claw("-p", "hi").assert_success()
    system = _system(loop_env.requests[0])
    assert system.rstrip().endswith("Answer in one line.") and CODING in system
    assert result.stderr.splitlines() == [
        f"claw: warning: output style skipped: {folder / 'broken.md'}:3: invalid YAML frontmatter: "
        "found unexpected end of stream (while scanning a quoted scalar)"
    ]

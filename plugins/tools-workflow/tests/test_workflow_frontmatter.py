"""Command and skill frontmatter is YAML (``claw.parse_frontmatter``), as Claude Code reads it: block
scalars, ``argument-hint: [message]`` shown as written, an unquoted ``: `` in a description; a file whose
frontmatter is not YAML is skipped with one warning line, the others still load. Through ``claw -p /help``."""

from __future__ import annotations

from pathlib import Path


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def test_command_and_skill_frontmatter_is_yaml_and_a_broken_file_warns(claw, scripted, workspace):
    _write(
        workspace / ".claude" / "commands" / "note.md",
        "---\ndescription: >\n  Write a note\n  to the log.\nargument-hint: [message]\nallowed-tools:\n"
        "  - Write\n---\nNote: $ARGUMENTS\n",
    )
    _write(
        workspace / ".claude" / "skills" / "deploy" / "SKILL.md",
        "---\r\nname: ship\r\ndescription: Ship it: build, tag and push\r\n---\r\nShip.\r\n",
    )
    broken = _write(workspace / ".claude" / "commands" / "broken.md", '---\ndescription: "open\n---\nx\n')
    result = claw("-p", "/help", "--model", "scripted/default").assert_success()
    lines = result.stdout.splitlines()
    assert "/note [message]    Write a note to the log." in lines
    assert "/ship              Ship it: build, tag and push" in lines
    assert not [line for line in lines if line.startswith("/broken")]
    assert result.stderr.splitlines() == [
        f"claw: warning: command skipped: {broken}:2: invalid YAML frontmatter: "
        "found unexpected end of stream (while scanning a quoted scalar)"
    ]

"""The default sections: the instruction files (Claude Code's memory rules: load order, ``AGENTS.md`` as
the fallback, ``@imports`` with their depth, fences and cycles) and the environment beside them."""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path

from claw_prompt import instructions
from claw_prompt.sections import sections


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text))


def _prompt(workspace: Path, env: dict[str, str], date: dt.date = dt.date(2030, 1, 2)) -> str:
    return "\n\n".join(t for t in sections(workspace, env, date).values() if t)


def test_instruction_files_order_imports_and_fences(claw_env, tmp_path):
    cfg = Path(claw_env["CLAW_CONFIG_DIR"])
    _write(cfg / "CLAUDE.md", "user rules")
    repo = tmp_path / "repo"
    ws = repo / "pkg"
    _write(repo / "AGENTS.md", "agents at repo root")
    _write(
        ws / "CLAUDE.md",
        """\
        project rules, see @docs/style.md and `@not/imported.md`
        ```
        @also/not.md
        ```
        """,
    )
    _write(ws / "docs" / "style.md", "style guide @../deep/one.md")
    _write(ws / "deep" / "one.md", "level 2 @two.md")
    _write(ws / "deep" / "two.md", "level 3 @three.md")
    _write(ws / "deep" / "three.md", "level 4 @four.md")
    _write(ws / "deep" / "four.md", "level 5 must not load")
    _write(ws / "not" / "imported.md", "SPAN")
    _write(ws / "also" / "not.md", "FENCE")
    _write(ws / "CLAUDE.local.md", "my local notes")
    text = _prompt(ws, claw_env)
    order = [
        "user rules",
        "agents at repo root",
        "project rules",
        "style guide",
        "level 2",
        "level 3",
        "level 4",
        "my local notes",
    ]
    positions = [text.index(s) for s in order]
    assert positions == sorted(positions)
    assert "level 5" not in text and "SPAN" not in text and "FENCE" not in text
    assert "Today's date: 2030-01-02" in text and f"Working directory: {ws}" in text


def test_agents_md_only_without_claude_md(claw_env, tmp_path):
    ws = tmp_path / "w"
    _write(ws / "CLAUDE.md", "claude file")
    _write(ws / "AGENTS.md", "agents file")
    text = _prompt(ws, claw_env)
    assert "claude file" in text and "agents file" not in text


def test_import_cycles_are_included_once(tmp_path, claw_env):
    (tmp_path / "CLAUDE.md").write_text("root @a.md")
    (tmp_path / "a.md").write_text("A @b.md")
    (tmp_path / "b.md").write_text("B @a.md @CLAUDE.md @missing.md")
    files = instructions.load(tmp_path, claw_env)
    assert [f.path.name for f in files] == ["CLAUDE.md", "a.md", "b.md"]


def test_sections_in_claude_codes_order_and_memory_empty_without_files(claw_env, tmp_path):
    found = sections(tmp_path, claw_env, dt.date(2030, 1, 2), [tmp_path / "extra"])
    assert list(found) == ["instructions", "environment", "memory", "style"]
    assert found["instructions"].startswith("You are claw") and found["memory"] == found["style"] == ""
    assert f"Additional working directories: {tmp_path / 'extra'}\n" in found["environment"]

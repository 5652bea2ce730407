"""``claw.parse_frontmatter``: the one YAML frontmatter parser behind sub-agents, commands, skills and
output styles (docs/plugins.md, "Markdown frontmatter")."""

from __future__ import annotations

from pathlib import Path

import claw
import pytest
from claw.testing import assert_import_light


def test_yaml_values_keep_their_types_and_the_body_is_as_written() -> None:
    meta, body = claw.parse_frontmatter(
        "---\nname: reviewer  # a comment\ndescription: >\n  Reviews a diff.\n  Use often.\n"
        "tools: [Read, Grep]\nallowed-tools:\n  - Bash(git add:*)\n  - Read\nbackground: true\n"
        "maxTurns: 5\nmodel:\n---\n\nBody line.\n",
        "a.md",
    )
    assert meta == {
        "name": "reviewer",
        "description": "Reviews a diff. Use often.\n",
        "tools": ["Read", "Grep"],
        "allowed-tools": ["Bash(git add:*)", "Read"],
        "background": True,
        "maxTurns": 5,
        "model": None,
    }
    assert body == "\nBody line.\n"


def test_only_true_and_false_are_booleans_as_in_yaml_1_2() -> None:
    meta, _ = claw.parse_frontmatter("---\na: yes\nb: No\nc: on\nd: TRUE\ne: False\n---\n", "a.md")
    assert meta == {"a": "yes", "b": "No", "c": "on", "d": True, "e": False}


def test_bom_and_crlf_are_dropped() -> None:
    meta, body = claw.parse_frontmatter("\ufeff---\r\nname: x\r\n---\r\nline one\r\nline two\r\n", "a.md")
    assert meta == {"name": "x"} and body == "line one\nline two\n"


@pytest.mark.parametrize(
    "text", ["Just a body.\n", "", "\n---\nname: x\n---\n", "Title\n---\nname: x\n---\n"]
)
def test_a_file_that_does_not_start_with_dashes_is_all_body(text: str) -> None:
    assert claw.parse_frontmatter(text, "a.md") == ({}, text)


def test_empty_frontmatter_is_an_empty_mapping() -> None:
    assert claw.parse_frontmatter("---\n---\nbody", "a.md") == ({}, "body")
    assert claw.parse_frontmatter("---\n# only a comment\n---\nbody", "a.md") == ({}, "body")


def test_values_claude_code_accepts_but_strict_yaml_rejects_are_read_as_written() -> None:
    meta, body = claw.parse_frontmatter(
        "---\nname: hunter\ndescription: Use when: the user asks. Examples:\\n<example>Context: x\n"
        "  user: y</example>\nargument-hint: [pr-number] [priority]\nhint2: @file `code`\n"
        "tools: [Read, Grep]\n---\nBody\n",
        "a.md",
    )
    assert meta == {
        "name": "hunter",
        "description": "Use when: the user asks. Examples:\\n<example>Context: x user: y</example>",
        "argument-hint": "[pr-number] [priority]",
        "hint2": "@file `code`",
        "tools": ["Read", "Grep"],  # valid YAML is read as YAML even when another line needed the fallback
    }
    assert body == "Body\n"


@pytest.mark.parametrize(
    ("text", "line", "what"),
    [
        ("---\nname: a\ndescription: b\nthis line has no colon\n---\n", 4, "could not find expected ':'"),
        ('---\nname: a\ndescription: "never closed\n---\n', 3, "found unexpected end of stream"),
        ("---\nname: a\ntools:\n  - Read\n - Grep\n---\n", 5, "expected <block end>"),
        ("---\nname: a\nname: |\n   x\n  y\n---\n", 5, "expected <block end>, but found '<scalar>'"),
        ("---\n- a\n- b\n---\n", 2, "the frontmatter must be `key: value` lines, not a list"),
        ("---\njust text\n---\n", 2, "the frontmatter must be `key: value` lines, not a single value"),
        ("---\nname: a\n\nbody without a closing line\n", 1, "never closed with a --- line"),
    ],
)
def test_errors_are_one_line_naming_the_file_and_its_line(text: str, line: int, what: str) -> None:
    path = Path("/project/.claude/agents/a.md")
    with pytest.raises(claw.ConfigError) as caught:
        claw.parse_frontmatter(text, path)
    message = str(caught.value)
    assert message.startswith(f"{path}:{line}: ") and what in message and "\n" not in message


def test_the_error_is_the_one_left_after_the_fallback_at_its_own_line() -> None:
    text = "---\nname: a\ndescription: Use when: x,\n  or: y\nno colon here\n---\n"
    with pytest.raises(
        claw.ConfigError, match=r"^a\.md:5: invalid YAML frontmatter: could not find expected"
    ):
        claw.parse_frontmatter(text, "a.md")


def test_the_line_counts_from_the_file_even_after_a_bom_and_crlf() -> None:
    with pytest.raises(claw.ConfigError, match=r"^a\.md:3: invalid YAML frontmatter: could not find"):
        claw.parse_frontmatter("\ufeff---\r\nname: a\r\nno colon\r\n---\r\n", "a.md")


def test_yaml_is_imported_at_the_first_parse_not_with_the_module() -> None:
    # tests/test_startup_imports.py checks the same of ``claw --help`` as a whole
    assert_import_light("claw._frontmatter", banned={"yaml"})

"""The shell tool's one reader of bash syntax (tree-sitter-bash): commands, redirections, errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from claw_tools_shell._confine import effects
from claw_tools_shell._syntax import parse

CASES = [
    # the kernel's old reader saw "echo $(echo hi" and a write to "/tmp/x)" here
    ("echo $(echo hi > /tmp/x)", ["echo $(echo hi > /tmp/x)", "echo hi"], [], ["/tmp/x"]),
    ("a || b; c | d |& e & f\ng", ["a", "b", "c", "d", "e", "f", "g"], [], []),
    ("echo 'a && b'", ["echo 'a && b'"], [], []),
    ('echo "$(rm -rf /)"', ['echo "$(rm -rf /)"', "rm -rf /"], [], []),
    ("echo `whoami`", ["echo `whoami`", "whoami"], [], []),
    ("(cd x && make)", ["cd x", "make"], [], []),
    ("a $(b $(c))", ["a $(b $(c))", "b $(c)", "c"], [], []),
    ("echo hi >out.txt 2>err.log", ["echo hi"], [], ["out.txt", "err.log"]),
    ("cmd 2>&1 | tee log", ["cmd", "tee log"], [], []),
    ("cmd &> /dev/null; x >| f", ["cmd", "x"], [], ["f"]),
    ("sort < in.txt", ["sort"], ["in.txt"], []),
    ("diff <(ls a) <(ls b)", ["diff <(ls a) <(ls b)", "ls a", "ls b"], [], []),
    ("{ a; b; } > out", ["a", "b"], [], ["out"]),
    ("if true; then rm x; fi", ["true", "rm x"], [], []),
    ("[[ -f x ]] && case a in b) rm c;; esac", ["[[ -f x ]]", "rm c"], [], []),
    ("ls # && rm -rf /", ["ls"], [], []),
    ("echo a\\;b", ["echo a\\;b"], [], []),
    ("", [], [], []),
]


@pytest.mark.parametrize(("line", "commands", "reads", "writes"), CASES)
def test_commands_and_redirections(line, commands, reads, writes):
    syntax = parse(line)
    assert syntax.error is None
    assert [c.text for c in syntax.commands] == commands
    assert list(syntax.reads) == reads and list(syntax.writes) == writes


def test_words_are_unquoted():
    [cmd] = parse("""NODE_ENV=x npm test "a b" 'c d' e\\ f""").commands
    assert cmd.words == ("NODE_ENV=x", "npm", "test", "a b", "c d", "e f")


@pytest.mark.parametrize("line", ["echo 'x", 'echo "x', "echo $(x", "a )", "echo `x", "(a", 'echo "$("'])
def test_syntax_errors_are_reported_not_guessed(line):
    syntax = parse(line)
    assert syntax.error and not syntax.commands


def test_effects_follow_cd_and_substitutions(tmp_path):
    found = effects("echo $(echo hi > /tmp/x) && cd sub && echo y > out", tmp_path, {})
    assert found.writes == [Path("/tmp/x"), tmp_path / "sub" / "out"]
    assert found.unparsable is None

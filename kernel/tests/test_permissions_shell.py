"""Splitting shell command lines into the simple commands they run."""

from __future__ import annotations

import pytest
from claw.permissions.shell import Malformed, analyse, classify, forms

SPLITS = [
    ("a && b", ["a", "b"], []),
    ("a || b; c | d |& e & f\ng", ["a", "b", "c", "d", "e", "f", "g"], []),
    ("echo 'a && b'", ["echo 'a && b'"], []),
    ('echo "a; b" ; c', ['echo "a; b"', "c"], []),
    ('echo "$(rm -rf /)"', ['echo "$(rm -rf /)"', "rm -rf /"], []),
    ("echo '$(rm -rf /)'", ["echo '$(rm -rf /)'"], []),
    ("echo `whoami`", ["whoami", "echo `whoami`"], []),
    ("(cd x && make)", ["cd x", "make"], []),
    ("a $(b $(c))", ["c", "b $(c)", "a $(b $(c))"], []),
    ("echo hi > out.txt", ["echo hi"], ["out.txt"]),
    ("echo hi >out.txt 2>err.log", ["echo hi"], ["out.txt", "err.log"]),
    ("cmd 2>&1 | tee log", ["cmd", "tee log"], []),
    ("cmd &> /dev/null", ["cmd"], []),
    ("cmd >| f", ["cmd"], ["f"]),
    ("sort < in.txt", ["sort"], []),
    ("diff <(ls a) <(ls b)", ["ls a", "ls b", "diff <(ls a) <(ls b)"], []),
    ("{ a; b; }", ["a", "b"], []),
    ("if true; then rm x; fi", ["true", "rm x"], []),
    ("ls # && rm -rf /", ["ls"], []),
    ("echo a\\;b", ["echo a\\;b"], []),
    ("", [], []),
]


@pytest.mark.parametrize(("command", "commands", "writes"), SPLITS)
def test_split(command, commands, writes):
    result = analyse(command)
    assert sorted(result.commands) == sorted(commands)
    assert list(result.writes) == writes


@pytest.mark.parametrize("command", ["echo 'x", 'echo "x', "echo $(x", "a )", "echo `x", "(a", 'echo "$("'])
def test_malformed(command):
    with pytest.raises(Malformed):
        analyse(command)


@pytest.mark.parametrize(
    ("command", "allow_form", "deny_forms"),
    [
        ("npm test", ["npm test"], ["npm test"]),
        ("NODE_ENV=x npm test", ["npm test"], ["NODE_ENV=x npm test", "npm test"]),
        ("LD_PRELOAD=x npm test", ["LD_PRELOAD=x npm test"], ["LD_PRELOAD=x npm test", "npm test"]),
        ("timeout -s KILL 5 npm test", ["npm test"], ["timeout -s KILL 5 npm test", "npm test"]),
        (
            "nice -n 3 nohup stdbuf -oL npm test",
            ["npm test"],
            ["nice -n 3 nohup stdbuf -oL npm test", "npm test"],
        ),
        ("xargs rm", ["rm"], ["xargs rm", "rm"]),
        ("xargs -0 rm", ["xargs -0 rm"], ["xargs -0 rm"]),
        ("command -v rm", ["command -v rm"], ["command -v rm"]),
        ("time builtin noglob ls", ["ls"], ["time builtin noglob ls", "ls"]),
    ],
)
def test_forms(command, allow_form, deny_forms):
    assert list(forms(command, for_allow=True)) == allow_form
    assert list(forms(command, for_allow=False)) == deny_forms


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        ("ls -la src", ("read", ["src"])),
        ("cat a b", ("read", ["a", "b"])),
        ("git status", ("read", [])),
        ("git push", None),
        ("find . -name x", ("read", [".", "x"])),
        ("find . -exec rm {} ;", None),
        ("sort -o out in", None),
        ("mkdir -p a/b", ("file", ["a/b"])),
        ("rm x", None),
        ("LD_PRELOAD=x ls", None),
        ("cd", ("read", ["~"])),
        ("command -v python", ("read", [])),
    ],
)
def test_classify(command, expected):
    got = classify(command)
    assert (got if got is None else (got[0], list(got[1]))) == expected


def test_malformed_input_never_crashes_the_reader():
    import random

    rng = random.Random(1234)
    alphabet = [
        *list("ab \t\n;&|()<>$`'\"\\{}#=*2"),
        "$(",
        "&&",
        "||",
        "|&",
        ">>",
        "2>&1",
        "<(",
        "echo",
        "rm",
    ]
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30)))
        try:
            parsed = analyse(text)
        except Malformed:
            continue
        for cmd in parsed.commands:
            try:
                forms(cmd, for_allow=True)
                forms(cmd, for_allow=False)
                classify(cmd)
            except Malformed:
                pass

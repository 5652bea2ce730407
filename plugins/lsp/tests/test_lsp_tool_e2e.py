"""The LSP tool end to end: ``claw -p`` with the scripted model asks real language servers (pylsp,
basedpyright) about a two-file project; results come back 1-based and workspace-relative."""

from __future__ import annotations

import json
from pathlib import Path

from claw.testing.script import Reply, Text
from lsp_support import basedpyright, lsp, pylsp, results, run, text


def test_pylsp_answers_definition_references_hover_and_symbols(claw, scripted, project: Path):
    (project / ".lsp.json").write_text(json.dumps({"pylsp": pylsp()}))
    scripted.script(
        lsp("goToDefinition", "main.py", 5, 11),
        lsp("findReferences", "util.py", 1, 5),
        lsp("hover", "main.py", 5, 11),
        lsp("documentSymbol", "util.py"),
        lsp("workspaceSymbol", "main.py", 5, 11),
        Reply(Text("done")),
    )
    # no permission flag: LSP is a read-only tool, allowed in the default mode
    assert run(claw)["result"] == "done"
    definition, references, hover, symbols, workspace_symbols = (text(r) for r in results(scripted))
    assert definition == "1 definitions:\nutil.py:1:5: def greet(name: str, excited: bool = False) -> str:"
    assert references.splitlines() == [
        "4 references:",
        "main.py:1:18: from util import greet",
        'main.py:5:11: print(greet("world"))',
        'main.py:6:11: print(greet("claw", excited=True))',
        "util.py:1:5: def greet(name: str, excited: bool = False) -> str:",
    ]
    assert "greet(name: str, excited: bool = False) -> str" in hover and "Return a greeting." in hover
    assert symbols.splitlines() == ["1 symbols:", "greet (Function) util.py:1:1"]
    assert "greet (Function) util.py:1:1" in workspace_symbols and "main.py" in workspace_symbols
    assert not any(r.get("is_error") for r in results(scripted))


def test_basedpyright_is_a_second_server_with_call_hierarchy(claw, scripted, project: Path):
    settings = project / ".claude" / "settings.json"
    settings.parent.mkdir()
    settings.write_text(json.dumps({"lspServers": {"basedpyright": basedpyright()}}))
    scripted.script(
        lsp("hover", "main.py", 5, 11),
        lsp("incomingCalls", "util.py", 1, 5),
        lsp("workspaceSymbol", "main.py", 1, 1, query="gree"),
        Reply(Text("done")),
    )
    run(claw)
    hover, incoming, found = (text(r) for r in results(scripted))
    assert "def greet(" in hover and "excited: bool = False" in hover
    assert incoming == "1 callers:\nrun (Function) main.py:4:5: def run() -> None: [calls at 5:11, 6:11]"
    assert found == "1 symbols:\ngreet (Function) util.py:1:5"


def test_bad_positions_and_files_are_clear_errors(claw, scripted, project: Path, tmp_path: Path):
    (project / ".lsp.json").write_text(json.dumps({"pylsp": pylsp()}))
    outside = tmp_path / "elsewhere.py"
    outside.write_text("x = 1\n")
    (project / "notes.txt").write_text("hello\n")
    scripted.script(
        lsp("hover", str(outside), 1, 1),
        lsp("hover", "main.py", 99, 1),
        lsp("hover", "notes.txt", 1, 1),
        lsp("hover", "missing.py", 1, 1),
        lsp("prepareCallHierarchy", "util.py", 1, 5),
        Reply(Text("done")),
    )
    run(claw, "--dangerously-skip-permissions")
    outside_r, past_end, no_server, missing, unsupported = results(scripted)
    assert all(r["is_error"] for r in (outside_r, past_end, no_server, missing, unsupported))
    assert "is outside the workspace" in text(outside_r)
    assert text(past_end) == "line 99 is outside main.py (it has 6 lines)"
    assert text(no_server) == "no LSP server is configured for .txt files (configured: .py)"
    assert "missing.py does not exist" in text(missing)
    assert text(unsupported) == "LSP server 'pylsp' does not support prepareCallHierarchy"


def test_read_deny_rules_apply_to_lsp_calls(claw, scripted, project: Path):
    (project / ".lsp.json").write_text(json.dumps({"pylsp": pylsp()}))
    scripted.script(lsp("hover", "util.py", 1, 5), lsp("hover", "main.py", 5, 11), Reply(Text("done")))
    result = run(claw, "--disallowedTools", "Read(util.py)")
    denied, allowed = results(scripted)
    assert denied["is_error"] and not allowed.get("is_error")
    assert [d["tool_name"] for d in result["permission_denials"]] == ["LSP"]


def test_the_tool_is_offered_only_when_servers_are_configured(claw, scripted, project: Path):
    scripted.script(Reply(Text("done")), Reply(Text("done")))
    run(claw)
    (project / ".lsp.json").write_text(json.dumps({"pylsp": pylsp()}))
    run(claw)
    offered = [{t["name"] for t in request["tools"]} for request in scripted.requests]
    assert "LSP" not in offered[0] and "LSP" in offered[1]


def test_bare_runs_start_no_language_server(claw, scripted, project: Path):
    """``--bare`` skips LSP, as Claude Code's does (and ``CLAUDE_CODE_SIMPLE=1``, which it sets)."""
    (project / ".lsp.json").write_text(json.dumps({"pylsp": pylsp()}))
    scripted.script(Reply(Text("done")), Reply(Text("done")))
    run(claw, "--bare")
    claw.env["CLAUDE_CODE_SIMPLE"] = "1"
    run(claw)
    assert all("LSP" not in {t["name"] for t in request["tools"]} for request in scripted.requests)


def test_server_settings_answer_its_configuration_requests(claw, scripted, project: Path):
    """basedpyright reads ``basedpyright.analysis`` through ``workspace/configuration``: the entry's
    ``settings`` switch it to basic checking, so the unannotated parameter it reports by default is gone."""
    (project / "loose.py").write_text("def ident(x):\n    return x\n\n\nprint(nope)\n")
    off = {**basedpyright(), "settings": {"basedpyright": {"analysis": {"typeCheckingMode": "basic"}}}}
    for config in (basedpyright(), off):
        (project / ".lsp.json").write_text(json.dumps({"basedpyright": config}))
        scripted.script(lsp("diagnostics", "loose.py"), Reply(Text("done")))
        run(claw)
    default_mode, off_mode = (text(r) for r in results(scripted))
    assert "loose.py:1:11: " in default_mode and "(reportMissingParameterType) [basedpyright]" in default_mode
    assert "reportMissingParameterType" not in off_mode
    assert "loose.py:5:7: " in off_mode and '"nope" is not defined' in off_mode  # it did answer

"""Every tool of the four tool distributions is registered, with its aliases and source, as
``claw dump-manifests --json`` shows them."""

from __future__ import annotations

EXPECTED = {
    "claw-tools-files": {"Read", "Write", "Edit", "MultiEdit", "Glob", "Grep", "NotebookEdit"},
    "claw-tools-shell": {"Bash", "BashOutput", "KillShell"},
    "claw-tools-web": {"WebFetch", "RemoteTrigger"},
    "claw-tools-workflow": {"TodoWrite", "Sleep", "AskUser", "ToolSearch", "Skill"},
}
ALIASES = {
    "Read": ["read_file"],
    "Write": ["write_file"],
    "Edit": ["edit_file"],
    "Glob": ["glob_search"],
    "Grep": ["grep_search"],
    "Bash": ["bash"],
}
READ_ONLY = {
    "Read",
    "Glob",
    "Grep",
    "BashOutput",
    "WebFetch",
    "TodoWrite",
    "Sleep",
    "AskUser",
    "ToolSearch",
    "Skill",
}


def test_dump_manifests_lists_every_tool(claw):
    data = claw("dump-manifests", "--json").assert_success().json()
    tools = {t["name"]: t for t in data["tools"]}
    for dist, names in EXPECTED.items():
        for name in names:
            assert name in tools, f"{name} missing"
            assert tools[name]["source"].startswith(f"{dist} "), tools[name]["source"]
            assert tools[name]["input_schema"]["type"] == "object"
            assert tools[name]["aliases"] == ALIASES.get(name, [])
            assert tools[name]["read_only"] == (name in READ_ONLY), name
    settings = {s["name"]: s["source"] for s in data["settings"]}
    assert settings["webFetch"].startswith("claw-tools-web ") and settings["remoteTrigger"].startswith(
        "claw-tools-web "
    )


def test_claude_code_input_schemas(claw):
    """The properties Claude Code sends for its tools (reference: claude-code-shapes.md)."""
    data = claw("dump-manifests", "--json").assert_success().json()
    props = {
        t["name"]: (set(t["input_schema"]["properties"]), set(t["input_schema"].get("required", [])))
        for t in data["tools"]
    }
    assert props["Read"] == ({"file_path", "offset", "limit", "pages", "allow_large"}, {"file_path"})
    assert props["Write"] == ({"file_path", "content"}, {"file_path", "content"})
    assert props["Edit"] == (
        {"file_path", "old_string", "new_string", "replace_all"},
        {"file_path", "old_string", "new_string"},
    )
    assert props["Bash"] == (
        {"command", "timeout", "description", "run_in_background", "dangerouslyDisableSandbox"},
        {"command"},
    )
    assert props["Skill"] == ({"skill", "args"}, {"skill"})
    assert props["ToolSearch"] == ({"query", "max_results"}, {"query", "max_results"})
    assert props["Glob"][0] == {"pattern", "path"}
    assert props["Grep"][0] == {
        "pattern",
        "path",
        "glob",
        "type",
        "output_mode",
        "-i",
        "-n",
        "-A",
        "-B",
        "-C",
        "head_limit",
        "multiline",
    }
    assert props["NotebookEdit"][0] == {"notebook_path", "cell_id", "new_source", "cell_type", "edit_mode"}
    assert props["TodoWrite"][0] == {"todos"}
    assert props["WebFetch"] == ({"url", "prompt"}, {"url", "prompt"})
    assert props["MultiEdit"][0] == {"file_path", "edits"}

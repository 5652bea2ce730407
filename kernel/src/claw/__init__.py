"""claw: a plugin-first runtime for agentic coding.

This module is the public API for plugin authors; import from ``claw`` only, never from a
``claw._*`` module. Heavy names (the pydantic types) load on first access, so ``from claw import
hookimpl`` in a plugin's entry-point module costs next to nothing.

Writing a plugin takes two pieces. In ``pyproject.toml``::

    [project.entry-points.claw]
    hello = "claw_hello.plugin"

and in ``claw_hello/plugin.py``::

    import claw

    CLAW_API = ">=1.0,<2"            # the plugin API versions this plugin works with

    @claw.hookimpl
    def claw_register_tools(register):
        from claw_hello.tools import HelloTool   # the implementation loads only when tools are needed
        register(HelloTool())

See ``docs/plugins.md`` for every hook and ``claw.hookspecs`` for their contracts.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from claw._version import API_VERSION, VERSION

__version__ = VERSION

# name -> module that defines it; resolved on first attribute access (PEP 562).
_LAZY: dict[str, str] = {
    # the hook-implementation marker (``@claw.hookimpl``)
    "hookimpl": "claw._markers",
    # messages
    "Message": "claw.messages",
    "TextBlock": "claw.messages",
    "ImageBlock": "claw.messages",
    "ImageSource": "claw.messages",
    "ToolUseBlock": "claw.messages",
    "ToolResultBlock": "claw.messages",
    "ThinkingBlock": "claw.messages",
    "RedactedThinkingBlock": "claw.messages",
    "ContentBlock": "claw.messages",
    "Usage": "claw.messages",
    "StopReason": "claw.messages",
    # tools
    "Tool": "claw.tools",
    "ToolSpec": "claw.tools",
    "NativeTool": "claw.tools",
    "ToolResult": "claw.tools",
    "ToolContext": "claw.tools",
    "Completer": "claw.tools",
    "ToolError": "claw.tools",
    "ToolRef": "claw.tools",
    "Access": "claw.tools",
    "Stash": "claw.tools",
    "StashKey": "claw.tools",
    "tool": "claw.function_tools",
    "FunctionTool": "claw.function_tools",
    # providers
    "Provider": "claw.providers",
    "ModelInfo": "claw.providers",
    "Catalogue": "claw.providers",
    "load_catalogue": "claw.providers",
    "ModelRequest": "claw.providers",
    "ModelResponse": "claw.providers",
    "Pricing": "claw.providers",
    "CredentialStatus": "claw.providers",
    "Effort": "claw.providers",
    "StreamEvent": "claw.providers",
    "TextDelta": "claw.providers",
    "KeepAlive": "claw.providers",
    "ThinkingDelta": "claw.providers",
    "ToolUseStart": "claw.providers",
    "ToolInputDelta": "claw.providers",
    "ResponseComplete": "claw.providers",
    # events and hooks
    "HookEvent": "claw.events",
    "HookOutcome": "claw.events",
    "HookEventName": "claw.events",
    # firing them (``claw_hook_event``'s ``context``) and in-process hooks an embedder registers
    "HookContext": "claw.hook_dispatch",
    "CallbackHook": "claw.hook_dispatch",
    "HookCallback": "claw.hook_dispatch",
    "RuntimeEvent": "claw.events",
    # other extension points
    "Classifier": "claw.classifiers",
    "PermissionRequest": "claw.classifiers",
    "Verdict": "claw.classifiers",
    "Transport": "claw.transports",
    "MessageTransport": "claw.transports",
    "Sandbox": "claw.sandboxes",
    "SandboxPolicy": "claw.sandboxes",
    "SandboxSettings": "claw.settings",
    "sandbox_policy": "claw.sandboxes",
    "confine": "claw.sandboxes",
    "TaskBackend": "claw.tasks",
    "TaskHandle": "claw.tasks",
    "LocalTaskBackend": "claw.tasks",
    "TaskSpec": "claw.tasks",
    "TaskStatus": "claw.tasks",
    "StoppedTask": "claw.tasks",
    "TaskRecord": "claw.tasks",
    "TaskEvent": "claw.tasks",
    "TaskFilter": "claw.tasks",
    "TaskOutputChunk": "claw.tasks",
    "AgentsSettings": "claw.tasks",
    "select_task_backend": "claw.tasks",
    "task_argv": "claw.tasks",
    "task_env": "claw.tasks",
    "read_task_output": "claw.tasks",
    "decode_task_output": "claw.tasks",
    "kill_process_group": "claw.tasks",
    "process_start": "claw.tasks",
    "stop_process_group": "claw.tasks",
    # sub-agents: ``await ctx.session.run_subagent(claw.SubagentSpec(...))``
    "SubagentSpec": "claw.subagents",
    "SubagentResult": "claw.subagents",
    "SessionContext": "claw.session_context",
    "SlashCommand": "claw.session_context",
    "DoctorCheck": "claw.diagnostics",
    # services a plugin can replace (``claw_session_store``, ``claw_compactor``, ``claw_output_renderer``,
    # ``claw_interactive``, ``claw_permission_decision``): the built-ins answer with these
    "Session": "claw.sessions",
    "SessionState": "claw.sessions",
    "SessionStore": "claw.sessions",
    "CacheStats": "claw.sessions",
    "interrupted_results": "claw.sessions",
    "Compactor": "claw.compaction",
    "compacted_history": "claw.compaction",
    "Renderer": "claw.output",
    "TextRenderer": "claw.output",
    "LoopOptions": "claw.loop.options",
    # plugin commands (``claw_register_commands``) and ``claw_doctor_checks``
    "CommandContext": "claw.plugin_commands",
    "command_context": "claw.plugin_commands",
    "EffectiveSettings": "claw.config",
    # workspace trust: whether what the folder brings (hooks, .mcp.json, env, ``!`cmd` ``) may run
    "WorkspaceTrust": "claw.trust",
    "workspace_trust": "claw.trust",
    "TrustStore": "claw.trust",
    "table": "claw.cli._output",
    "emit_json": "claw.cli._output",
    # what an interactive front end (``claw_interactive``: claw-tui, claw-repl) needs beside ``CommandContext``
    "RESUME_PICK": "claw.cli.run_options",
    "PermissionQuestion": "claw.permissions.asking",
    "PermissionAnswer": "claw.permissions.asking",
    # a stream-json run's stdin (``claw_stream_input``) and what the Agent SDK's side (claw-sdk) needs
    # beside it: a client's permission answer (hook callbacks: ``CallbackHook`` above)
    "StreamJsonInput": "claw.cli.stream_input",
    "parse_answer": "claw.permissions.asking",
    # permissions: the contract a policy (claw-permissions) meets, the session's gate, the rule syntax
    "Decision": "claw.permissions.gate",
    "PermissionContext": "claw.permissions.gate",
    "PermissionGate": "claw.permissions.gate",
    "PermissionPolicy": "claw.permissions.gate",
    "PERMISSIONS": "claw.permissions.gate",
    "SESSION_SOURCE": "claw.permissions.gate",
    "normalize_mode": "claw.permissions.modes",
    "RuleError": "claw.permissions.syntax",
    "split_rule": "claw.permissions.syntax",
    "run_builtin": "claw.cli.slash_builtins",
    "command_names": "claw.cli.slash_builtins",
    "unknown_command": "claw.cli.slash_builtins",
    "SessionSummary": "claw.sessions",
    "history_file": "claw.paths",
    "sessions_dir": "claw.paths",
    # errors and helpers
    "ClawError": "claw.errors",
    "ApiError": "claw.errors",
    "ConfigError": "claw.errors",
    "PluginError": "claw.errors",
    "UsageError": "claw.errors",
    "MissingCredentials": "claw.errors",
    "ProviderNotFound": "claw.errors",
    "EndpointUnreachable": "claw.errors",
    "parse_retry_after": "claw.errors",
    "unreachable_cause": "claw.errors",
    "require": "claw.lazy",
    "model_text": "claw.text",
    "dumps": "claw.text",
    "satisfies": "claw.compat",
    # one-line messages on stderr, and structlog debug logging (stderr too)
    "warn": "claw.console",
    "error": "claw.console",
    "get_logger": "claw.log",
    "debugging": "claw.log",
    "http_request": "claw.log",
    "httpx_event_hooks": "claw.log",
    # where claw keeps configuration and state; JSON files read with file:line errors
    "config_dir": "claw.paths",
    "state_dir": "claw.paths",
    "PROJECT_DIR_NAME": "claw.paths",
    "read_json_file": "claw.config",
    "parse_json": "claw.config",
    # paths: the one glob semantics (gitignore + braces) and the one safe way to replace a file
    "PathPattern": "claw.globs",
    "IgnoreRules": "claw.globs",
    "match_path": "claw.globs",
    "atomic_write": "claw.files",
}

__all__ = ["API_VERSION", "VERSION", "__version__", *_LAZY]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'claw' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


if TYPE_CHECKING:
    from claw._markers import hookimpl
    from claw.classifiers import Classifier, PermissionRequest, Verdict
    from claw.cli._output import emit_json, table
    from claw.cli.run_options import RESUME_PICK
    from claw.cli.slash_builtins import command_names, run_builtin, unknown_command
    from claw.cli.stream_input import StreamJsonInput
    from claw.compaction import Compactor, compacted_history
    from claw.compat import satisfies
    from claw.config import EffectiveSettings, parse_json, read_json_file
    from claw.console import error, warn
    from claw.diagnostics import DoctorCheck
    from claw.errors import (
        ApiError,
        ClawError,
        ConfigError,
        EndpointUnreachable,
        MissingCredentials,
        PluginError,
        ProviderNotFound,
        UsageError,
        parse_retry_after,
        unreachable_cause,
    )
    from claw.events import HookEvent, HookEventName, HookOutcome, RuntimeEvent
    from claw.files import atomic_write
    from claw.function_tools import FunctionTool, tool
    from claw.globs import IgnoreRules, PathPattern, match_path
    from claw.hook_dispatch import CallbackHook, HookCallback, HookContext
    from claw.lazy import require
    from claw.log import debugging, get_logger, http_request, httpx_event_hooks
    from claw.loop.options import LoopOptions
    from claw.messages import (
        ContentBlock,
        ImageBlock,
        ImageSource,
        Message,
        RedactedThinkingBlock,
        StopReason,
        TextBlock,
        ThinkingBlock,
        ToolResultBlock,
        ToolUseBlock,
        Usage,
    )
    from claw.output import Renderer, TextRenderer
    from claw.paths import PROJECT_DIR_NAME, config_dir, history_file, sessions_dir, state_dir
    from claw.permissions.asking import PermissionAnswer, PermissionQuestion, parse_answer
    from claw.permissions.gate import (
        PERMISSIONS,
        SESSION_SOURCE,
        Decision,
        PermissionContext,
        PermissionGate,
        PermissionPolicy,
    )
    from claw.permissions.modes import normalize_mode
    from claw.permissions.syntax import RuleError, split_rule
    from claw.plugin_commands import CommandContext, command_context
    from claw.providers import (
        Catalogue,
        CredentialStatus,
        Effort,
        KeepAlive,
        ModelInfo,
        ModelRequest,
        ModelResponse,
        Pricing,
        Provider,
        ResponseComplete,
        StreamEvent,
        TextDelta,
        ThinkingDelta,
        ToolInputDelta,
        ToolUseStart,
        load_catalogue,
    )
    from claw.sandboxes import Sandbox, SandboxPolicy, confine, sandbox_policy
    from claw.session_context import SessionContext, SlashCommand
    from claw.sessions import (
        CacheStats,
        Session,
        SessionState,
        SessionStore,
        SessionSummary,
        interrupted_results,
    )
    from claw.settings import SandboxSettings
    from claw.subagents import SubagentResult, SubagentSpec
    from claw.tasks import (
        AgentsSettings,
        LocalTaskBackend,
        StoppedTask,
        TaskBackend,
        TaskEvent,
        TaskFilter,
        TaskHandle,
        TaskOutputChunk,
        TaskRecord,
        TaskSpec,
        TaskStatus,
        decode_task_output,
        kill_process_group,
        process_start,
        read_task_output,
        select_task_backend,
        stop_process_group,
        task_argv,
        task_env,
    )
    from claw.text import dumps, model_text
    from claw.tools import (
        Access,
        Completer,
        NativeTool,
        Stash,
        StashKey,
        Tool,
        ToolContext,
        ToolError,
        ToolRef,
        ToolResult,
        ToolSpec,
    )
    from claw.transports import MessageTransport, Transport
    from claw.trust import TrustStore, WorkspaceTrust, workspace_trust

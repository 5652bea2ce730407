"""claw: a plugin-first runtime for agentic coding.

This module is the public API for plugin authors; import from ``claw`` only, never from a
``claw._*`` module. Heavy names (the pydantic types) load on first access, so ``from claw import
hookimpl`` in a plugin's entry-point module costs next to nothing.

See ``docs/plugins.md`` for a whole plugin (its quick start), every hook and the names exported here,
and ``claw.hookspecs`` for the hooks' contracts.
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
    "Message": "claw._messages",
    "TextBlock": "claw._messages",
    "ImageBlock": "claw._messages",
    "ImageSource": "claw._messages",
    "ToolUseBlock": "claw._messages",
    "ToolResultBlock": "claw._messages",
    "ThinkingBlock": "claw._messages",
    "RedactedThinkingBlock": "claw._messages",
    "ContentBlock": "claw._messages",
    "Usage": "claw._messages",
    "StopReason": "claw._messages",
    # tools
    "Tool": "claw._tools",
    "ToolSpec": "claw._tools",
    "NativeTool": "claw._tools",
    "ToolResult": "claw._tools",
    "ToolContext": "claw._tools",
    "Completer": "claw._tools",
    "ToolError": "claw._tools",
    "ToolRef": "claw._tools",
    "Access": "claw._tools",
    "Stash": "claw._tools",
    "StashKey": "claw._tools",
    "tool": "claw._function_tools",
    "FunctionTool": "claw._function_tools",
    # providers
    "Provider": "claw._providers",
    "ModelInfo": "claw._providers",
    "ModelRequest": "claw._providers",
    "ModelResponse": "claw._providers",
    "Pricing": "claw._providers",
    "CredentialStatus": "claw._providers",
    "Effort": "claw._providers",
    "StreamEvent": "claw._providers",
    "TextDelta": "claw._providers",
    "KeepAlive": "claw._providers",
    "ThinkingDelta": "claw._providers",
    "ToolUseStart": "claw._providers",
    "ToolInputDelta": "claw._providers",
    "ResponseComplete": "claw._providers",
    # events and hooks
    "HookEvent": "claw._events",
    "HookOutcome": "claw._events",
    "HookEventName": "claw._events",
    # firing them (``claw_hook_event``'s ``context``) and in-process hooks an embedder registers
    "HookContext": "claw._hook_dispatch",
    "CallbackHook": "claw._hook_dispatch",
    "HookCallback": "claw._hook_dispatch",
    "RuntimeEvent": "claw._events",
    # other extension points
    "Classifier": "claw._classifiers",
    "PermissionRequest": "claw._classifiers",
    "Verdict": "claw._classifiers",
    "Transport": "claw._transports",
    "MessageTransport": "claw._transports",
    "Sandbox": "claw._sandboxes",
    "SandboxPolicy": "claw._sandboxes",
    "SandboxSettings": "claw._settings",
    "sandbox_policy": "claw._sandboxes",
    "confine": "claw._sandboxes",
    "TaskBackend": "claw._tasks",
    "TaskHandle": "claw._tasks",
    "LocalTaskBackend": "claw._builtins.local_tasks.backend",
    "TaskSpec": "claw._tasks",
    "TaskStatus": "claw._tasks",
    "StoppedTask": "claw._tasks",
    "TaskNotification": "claw._task_notification",
    "TaskRecord": "claw._tasks",
    "TaskEvent": "claw._tasks",
    "TaskFilter": "claw._tasks",
    "TaskOutputChunk": "claw._tasks",
    "select_task_backend": "claw._tasks",
    "task_argv": "claw._builtins.local_tasks.processes",
    "task_env": "claw._builtins.local_tasks.processes",
    "read_task_output": "claw._builtins.local_tasks.processes",
    "decode_task_output": "claw._builtins.local_tasks.processes",
    "kill_process_group": "claw._builtins.local_tasks.processes",
    "process_start": "claw._builtins.local_tasks.processes",
    "stop_process_group": "claw._builtins.local_tasks.processes",
    # sub-agents: ``await ctx.session.run_subagent(claw.SubagentSpec(...))``
    "SubagentSpec": "claw._subagents",
    "SubagentResult": "claw._subagents",
    "SessionContext": "claw._session_context",
    "SlashCommand": "claw._session_context",
    "PluginFolder": "claw._session_context",
    "DoctorCheck": "claw._diagnostics",
    # services a plugin can replace (``claw_session_store``, ``claw_compactor``, ``claw_output_renderer``,
    # ``claw_interactive``, ``claw_permission_decision``): the built-ins answer with these
    "Session": "claw._sessions",
    "SessionState": "claw._sessions",
    "SessionStore": "claw._sessions",
    "CacheStats": "claw._sessions",
    "Compactor": "claw._compaction",
    "compacted_history": "claw._compaction",
    "Renderer": "claw._output",
    "LoopOptions": "claw._loop.options",
    # plugin commands (``claw_register_commands``) and ``claw_doctor_checks``
    "CommandContext": "claw._plugin_commands",
    "command_context": "claw._plugin_commands",
    "EffectiveSettings": "claw._config",
    # workspace trust: whether what the folder brings (hooks, .mcp.json, env, ``!`cmd` ``) may run
    "WorkspaceTrust": "claw._trust",
    "TrustStore": "claw._builtins.trust_store.store",
    "table": "claw._cli._output",
    "emit_json": "claw._cli._output",
    # what an interactive front end (``claw_interactive``: claw-tui, claw-repl) needs beside ``CommandContext``
    "RESUME_PICK": "claw._cli.run_options",
    "PermissionQuestion": "claw._permissions.asking",
    "PermissionAnswer": "claw._permissions.asking",
    # the contract a stream-json run's reader of stdin meets (``claw_stream_input``: claw-sdk's) and what
    # the Agent SDK's side needs beside it: a client's permission answer (hook callbacks: ``CallbackHook``)
    "StreamJsonInput": "claw._cli.stream_input",
    "parse_answer": "claw._permissions.asking",
    # permissions: the contract a policy (claw-permissions) meets, the session's gate, the rule syntax
    "Decision": "claw._permissions.gate",
    "PermissionContext": "claw._permissions.gate",
    "PermissionGate": "claw._permissions.gate",
    "PermissionPolicy": "claw._permissions.gate",
    "PERMISSIONS": "claw._permissions.gate",
    "RuleError": "claw._permissions.syntax",
    "split_rule": "claw._permissions.syntax",
    # built-in slash commands (``claw_register_slash_commands``) and their dispatch for the front ends
    "BuiltinCommand": "claw._cli.slash_builtins",
    "BuiltinContext": "claw._cli.slash_builtins",
    "run_builtin": "claw._cli.slash_builtins",
    "command_names": "claw._cli.slash_builtins",
    "unknown_command": "claw._cli.slash_builtins",
    "SessionSummary": "claw._sessions",
    "history_file": "claw._paths",
    "sessions_dir": "claw._paths",
    # errors and helpers
    "ClawError": "claw._errors",
    "ApiError": "claw._errors",
    "ConfigError": "claw._errors",
    "PluginError": "claw._errors",
    "UsageError": "claw._errors",
    "MissingCredentials": "claw._errors",
    "ProviderNotFound": "claw._errors",
    "EndpointUnreachable": "claw._errors",
    "require": "claw._lazy",
    "model_text": "claw._text",
    "dumps": "claw._text",
    "satisfies": "claw._compat",
    # one-line messages on stderr, and structlog debug logging (stderr too)
    "warn": "claw._console",
    "error": "claw._console",
    "get_logger": "claw._log",
    "debugging": "claw._log",
    "http_request": "claw._log",
    # ``--bare`` (CLAUDE_CODE_SIMPLE): whether a plugin skips what it would discover on its own
    "bare": "claw._builtins.bare.mode",
    "safe_mode": "claw._builtins.bare.mode",
    # where claw keeps configuration and state; JSON files read with file:line errors
    "config_dir": "claw._paths",
    "claude_config_dir": "claw._paths",
    "state_dir": "claw._paths",
    "PROJECT_DIR_NAME": "claw._paths",
    "read_json_file": "claw._config",
    "parse_json": "claw._config",
    # paths: the one glob semantics (gitignore + braces) and the one safe way to replace a file
    "PathPattern": "claw._globs",
    "match_path": "claw._globs",
    "atomic_write": "claw._files",
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
    from claw._builtins.bare.mode import bare, safe_mode
    from claw._builtins.local_tasks.backend import LocalTaskBackend
    from claw._builtins.local_tasks.processes import (
        decode_task_output,
        kill_process_group,
        process_start,
        read_task_output,
        stop_process_group,
        task_argv,
        task_env,
    )
    from claw._builtins.trust_store.store import TrustStore
    from claw._classifiers import Classifier, PermissionRequest, Verdict
    from claw._cli._output import emit_json, table
    from claw._cli.run_options import RESUME_PICK
    from claw._cli.slash_builtins import (
        BuiltinCommand,
        BuiltinContext,
        command_names,
        run_builtin,
        unknown_command,
    )
    from claw._cli.stream_input import StreamJsonInput
    from claw._compaction import Compactor, compacted_history
    from claw._compat import satisfies
    from claw._config import EffectiveSettings, parse_json, read_json_file
    from claw._console import error, warn
    from claw._diagnostics import DoctorCheck
    from claw._errors import (
        ApiError,
        ClawError,
        ConfigError,
        EndpointUnreachable,
        MissingCredentials,
        PluginError,
        ProviderNotFound,
        UsageError,
    )
    from claw._events import HookEvent, HookEventName, HookOutcome, RuntimeEvent
    from claw._files import atomic_write
    from claw._function_tools import FunctionTool, tool
    from claw._globs import PathPattern, match_path
    from claw._hook_dispatch import CallbackHook, HookCallback, HookContext
    from claw._lazy import require
    from claw._log import debugging, get_logger, http_request
    from claw._loop.options import LoopOptions
    from claw._markers import hookimpl
    from claw._messages import (
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
    from claw._output import Renderer
    from claw._paths import PROJECT_DIR_NAME, config_dir, history_file, sessions_dir, state_dir
    from claw._paths import claude_config_dir as claude_config_dir  # Claude Code's ~/.claude
    from claw._permissions.asking import PermissionAnswer, PermissionQuestion, parse_answer
    from claw._permissions.gate import (
        PERMISSIONS,
        Decision,
        PermissionContext,
        PermissionGate,
        PermissionPolicy,
    )
    from claw._permissions.syntax import RuleError, split_rule
    from claw._plugin_commands import CommandContext, command_context
    from claw._providers import (
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
    )
    from claw._sandboxes import Sandbox, SandboxPolicy, confine, sandbox_policy
    from claw._session_context import PluginFolder, SessionContext, SlashCommand
    from claw._sessions import (
        CacheStats,
        Session,
        SessionState,
        SessionStore,
        SessionSummary,
    )
    from claw._settings import SandboxSettings
    from claw._subagents import SubagentResult, SubagentSpec
    from claw._task_notification import TaskNotification
    from claw._tasks import (
        StoppedTask,
        TaskBackend,
        TaskEvent,
        TaskFilter,
        TaskHandle,
        TaskOutputChunk,
        TaskRecord,
        TaskSpec,
        TaskStatus,
        select_task_backend,
    )
    from claw._text import dumps, model_text
    from claw._tools import (
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
    from claw._transports import MessageTransport, Transport
    from claw._trust import WorkspaceTrust

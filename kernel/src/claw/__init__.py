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

# module -> the public names it defines, each resolved on first attribute access (PEP 562); the
# TYPE_CHECKING imports below say the same for type checkers (tests/test_public_api.py keeps them in step).
_MODULES: dict[str, str] = {
    "claw._markers": "hookimpl",
    "claw._messages": (
        "Message TextBlock ImageBlock ImageSource ToolUseBlock ToolResultBlock ThinkingBlock "
        "RedactedThinkingBlock ContentBlock Usage StopReason"
    ),
    "claw._tools": (
        "Tool ToolSpec NativeTool ToolResult ToolContext Completer ToolError ToolRef Access Stash StashKey"
    ),
    "claw._function_tools": "tool FunctionTool",
    "claw._providers": (
        "Provider ModelInfo ModelRequest ModelResponse Pricing CredentialStatus Effort StreamEvent "
        "TextDelta KeepAlive ThinkingDelta ToolUseStart ToolInputDelta ResponseComplete"
    ),
    "claw._events": "HookEvent HookOutcome HookEventName RuntimeEvent",
    "claw._hook_dispatch": "HookContext CallbackHook HookCallback",
    "claw._classifiers": "Classifier PermissionRequest Verdict",
    "claw._transports": "Transport MessageTransport",
    "claw._sandboxes": "Sandbox SandboxPolicy sandbox_policy confine",
    "claw._settings": "SandboxSettings",
    "claw._tasks": (
        "TaskBackend TaskHandle TaskSpec TaskStatus StoppedTask TaskRecord TaskEvent TaskFilter "
        "TaskOutputChunk select_task_backend"
    ),
    "claw._builtins.local_tasks.backend": "LocalTaskBackend",
    "claw._task_notification": "TaskNotification",
    "claw._builtins.local_tasks.processes": (
        "task_argv task_env read_task_output decode_task_output kill_process_group process_start "
        "stop_process_group"
    ),
    "claw._subagents": "SubagentSpec SubagentResult",
    "claw._session_context": "SessionContext SlashCommand PluginFolder",
    "claw._builtins.doctor.check": "DoctorCheck",
    "claw._sessions": "Session SessionState SessionStore CacheStats SessionSummary",
    "claw._compaction": "Compactor compacted_history",
    "claw._output": "Renderer",
    "claw._loop.options": "LoopOptions",
    "claw._plugin_commands": "CommandContext command_context",
    "claw._config": "EffectiveSettings read_json_file parse_json",
    "claw._trust": "WorkspaceTrust",
    "claw._builtins.trust_store.store": "TrustStore",
    "claw._cli._output": "table emit_json",
    "claw._cli.run_options": "RESUME_PICK",
    "claw._cli.variadic": "VariadicOption",
    "claw._permissions.asking": "PermissionQuestion PermissionAnswer",
    "claw._cli.stream_input": "StreamJsonInput",
    "claw._builtins.prompt_tool.approver": "parse_answer",
    "claw._permissions.gate": "Decision PermissionContext PermissionGate PermissionPolicy PERMISSIONS",
    "claw._permissions.syntax": "RuleError split_rule",
    "claw._cli.slash_builtins": "BuiltinCommand",
    "claw._builtins.slash_commands.dispatch": "run_builtin command_names unknown_command",
    "claw._builtins.slash_commands.context": "BuiltinContext",
    "claw._paths": "history_file sessions_dir config_dir claude_config_dir state_dir PROJECT_DIR_NAME",
    "claw._errors": (
        "ClawError ApiError ConfigError PluginError UsageError MissingCredentials ProviderNotFound "
        "EndpointUnreachable"
    ),
    "claw._lazy": "require",
    "claw._text": "model_text dumps",
    "claw._compat": "satisfies",
    "claw._console": "warn error",
    "claw._log": "get_logger debugging",
    "claw._builtins.bare.mode": "bare safe_mode",
    "claw._globs": "PathPattern",
    "claw._files": "atomic_write",
    "claw._frontmatter": "parse_frontmatter",
}
_LAZY = {name: module for module, names in _MODULES.items() for name in names.split()}

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
    from claw._builtins.doctor.check import DoctorCheck
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
    from claw._builtins.prompt_tool.approver import parse_answer
    from claw._builtins.slash_commands.context import BuiltinContext
    from claw._builtins.slash_commands.dispatch import command_names, run_builtin, unknown_command
    from claw._builtins.trust_store.store import TrustStore
    from claw._classifiers import Classifier, PermissionRequest, Verdict
    from claw._cli._output import emit_json, table
    from claw._cli.run_options import RESUME_PICK
    from claw._cli.slash_builtins import BuiltinCommand
    from claw._cli.stream_input import StreamJsonInput
    from claw._cli.variadic import VariadicOption
    from claw._compaction import Compactor, compacted_history
    from claw._compat import satisfies
    from claw._config import EffectiveSettings, parse_json, read_json_file
    from claw._console import error, warn
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
    from claw._frontmatter import parse_frontmatter
    from claw._function_tools import FunctionTool, tool
    from claw._globs import PathPattern
    from claw._hook_dispatch import CallbackHook, HookCallback, HookContext
    from claw._lazy import require
    from claw._log import debugging, get_logger
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
    from claw._permissions.asking import PermissionAnswer, PermissionQuestion
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

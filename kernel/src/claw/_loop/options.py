"""What a session's loop is asked to do (:class:`LoopOptions`) and how a prompt ended (:class:`Outcome`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # only annotations: the options are built before the loop's modules load (start-up)
    from claw._hook_dispatch import CallbackHook
    from claw._providers import Effort
    from claw._session_context import PluginFolder
    from claw._tools import Tool


@dataclass
class ParentLink:
    """What a sub-agent's loop takes from the session that started it (``SessionContext.run_subagent``)."""

    session_id: str
    transcript_path: str
    agent_type: str
    #: The parent's session tools the child is offered (MCP tools: the parent's connections).
    session_tools: list[Tool]
    #: The parent's provider instances, shared (one client per provider for the whole run).
    providers: dict[str, Any]


@dataclass
class LoopOptions:
    """What the command line (or an embedder) chose for this session."""

    model: str | None = None
    fallback_models: list[str] | None = None
    reasoning_effort: Effort | None = None
    max_turns: int | None = None
    max_budget_usd: float | None = None
    permission_mode: str | None = None
    allowed_tools: list[str] = field(default_factory=list)
    disallowed_tools: list[str] = field(default_factory=list)
    #: ``--tools``: ``None`` offers every registered tool, a list only those (session tools always).
    tools: list[str] | None = None
    #: ``--add-dir``: more directories the permission engine and tools treat like the workspace.
    add_dirs: list[Path] = field(default_factory=list)
    system_prompt: str | None = None
    append_system_prompt: str | None = None
    exclude_dynamic_sections: bool = False  # claw-prompt's --exclude-dynamic-system-prompt-sections
    json_schema: dict[str, Any] | None = None
    session_dir: Path | None = None
    resume: str | None = None
    fork: bool = False
    session_id: str | None = None
    persist: bool = True
    interactive: bool = False
    #: Passed to plugins as ``SessionContext.extra``: the values of their run options
    #: (``claw_register_run_options``) by parameter name.
    extra: dict[str, Any] = field(default_factory=dict)
    #: Claude Code plugin folders for this run, as :attr:`claw.SessionContext.plugin_folders`.
    plugin_folders: tuple[PluginFolder, ...] = ()
    #: Plugins' values the session's start record keeps, read back on resume as ``SessionState.meta``.
    meta: dict[str, Any] = field(default_factory=dict)
    #: Asks the user about tool calls (the REPL); ``None`` in ``-p`` runs.
    asker: Any = None
    #: Asks a program instead (a :data:`claw._permissions.asking.PermissionApprover`: a stream-json client).
    approver: Any = None
    #: ``--permission-prompt-tool NAME``: the tool that answers permission questions.
    permission_prompt_tool: str | None = None
    #: Lets tools ask the user questions (``ToolContext.ask``).
    tool_asker: Any = None
    #: In-process hooks the embedder adds to the settings' (the Agent SDK's callbacks): the registration
    #: point for :class:`claw.CallbackHook`; ``claw_hook_event`` handlers see them in ``context.callbacks``.
    hooks: list[CallbackHook] = field(default_factory=list)
    #: Settings layers the embedder adds, ``(scope, label, data[, origin])``: :meth:`claw._app.App.add_settings`.
    settings: list[tuple[str, str, dict[str, Any]] | tuple[str, str, dict[str, Any], str]] = field(
        default_factory=list
    )
    #: Transports the embedder adds to the app's, by ``type`` (the Agent SDK's in-process MCP servers).
    transports: dict[str, Any] = field(default_factory=dict)
    #: Called with the record of every hook run, after the session recorded it (``--include-hook-events``).
    on_hook_run: Any = None
    #: Where this session works instead of the app's workspace (a sub-agent's git worktree).
    workspace: Path | None = None
    #: Set for a sub-agent's session: no ``claw_session_start``/``SessionStart``, ``SubagentStart``
    #: and ``SubagentStop`` instead of ``SessionStart`` and ``Stop``.
    parent: ParentLink | None = None


@dataclass
class Outcome:
    """The end of one prompt: the result object and the process exit code it implies."""

    result: dict[str, Any]
    exit_code: int
    error: str | None = None

"""Sessions and the loop

A session's life as the agent loop runs it: what its system prompt says, its start and end, control requests
from an Agent SDK client, where its events are kept, how a long history is compacted and where background
tasks run. Hooks the loop
calls may return an awaitable; the kernel awaits it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from claw._markers import hookspec

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Awaitable, Callable, Mapping, Sequence
    from pathlib import Path

    from claw._compaction import Compactor
    from claw._config import EffectiveSettings
    from claw._session_context import SessionContext
    from claw._sessions import SessionStore
    from claw._subagents import SubagentResult, SubagentSpec
    from claw._tasks import StoppedTask, TaskBackend


@hookspec
def claw_system_prompt(
    workspace: Path,
    env: Mapping[str, str],
    settings: EffectiveSettings,
    date: dt.date,
    additional_dirs: Sequence[Path],
) -> dict[str, str] | None:
    """Sections of the system prompt, by name: what the model is told before a session's first prompt
    (and a sub-agent's), and what ``claw print-system-prompt`` prints.

    The default, the ``prompt`` plugin of claw-prompt (``trylast``), answers ``instructions`` (claw's own),
    ``environment`` (working directory, platform, date, git state), ``memory`` (the user's ``CLAUDE.md``
    files) and ``style`` (settings ``outputStyle``, `cli.md <cli.md#the-system-prompt>`_). The kernel merges the answers in the reverse of pluggy's
    call order (the default's first, then the others in plugin load order) into one ordered set: a new
    name adds a section after those before it, a name already there replaces that section's text where
    it stands (answer ``instructions`` to replace claw's own instructions, ``""`` to drop a section). An
    answer that is not a dict of strings is ignored, with one line naming its plugin. ``instructions``
    always comes first; ``--system-prompt`` replaces its text and ``--append-system-prompt`` follows the
    last section; sections are joined with blank lines. With no ``instructions`` answer (claw-prompt
    disabled and nothing replacing it) the model gets the other sections and the flags' text, and one
    line on stderr names claw-prompt. ``environment`` and ``memory``, whoever answers them, are per-machine:
    ``--exclude-dynamic-system-prompt-sections`` moves them to the first user message (``cli.md``).

    :param workspace: the session's working directory, resolved.
    :param env: the run's environment variables.
    :param settings: the effective settings.
    :param date: the day to state (``print-system-prompt --date``, else today).
    :param additional_dirs: the directories treated like the workspace besides it (settings
        ``permissions.additionalDirectories``, then ``--add-dir``), resolved.
    :returns: section name -> text, in the order the sections go into the prompt; or ``None``.

    .. versionadded:: 1.1
    """


@hookspec
def claw_session_start(session: SessionContext) -> Awaitable[None] | None:
    """A session is starting, after settings are loaded and before the first model request.

    Plugins start connections here (MCP servers). All implementations run concurrently; one that
    raises is reported and the session goes on. The awaitable gets ``session.start_timeout`` seconds
    (settings ``sessionStartTimeout``, see `cli.md <cli.md>`_); give up a little sooner so what did
    start is offered. When the user has not set that, a plugin may ask for another wait with
    ``session.request_start_timeout(seconds)`` in the hook itself, before returning its awaitable (the
    loop reads ``start_timeout`` once every plugin's hook has returned; the longest wait asked for wins):
    claw-mcp asks for ``MCP_TIMEOUT`` + 1 s, so its message naming the slow server comes first.

    ``session.add_tool(tool)`` adds a tool for this session only,
    ``session.add_command(claw.SlashCommand(...))`` adds a slash command, and
    ``session.set_status(name, status, ...)`` reports state (for example an MCP server's).
    ``add_tool`` also works later in the session (from a tool's ``run``, through ``ctx.session``): the
    tool is offered from the model's next request on. ``session.remove_tool(tool)`` and
    ``session.remove_command(command)`` withdraw what was added (claw-mcp swaps a server's tools when
    it sends ``notifications/tools/list_changed``), also from the next request on.
    ``await session.call_tool(name, input)`` runs a tool for the user outside the model's turn (what a
    Markdown command's ``!`cmd``` does with ``Bash``): the permission engine decides as for the
    model's calls, no hooks run, and a denial or failure raises :class:`claw.ToolError` saying why.

    :param session: the session being started.
    :returns: ``None``, or an awaitable the kernel awaits (with the other plugins', concurrently).

    .. versionadded:: 1.0
    """


@hookspec
def claw_session_end(session: SessionContext) -> Awaitable[None] | None:
    """A session is ending (success, error or Ctrl-C). Close connections and child processes here.

    Always called, in a ``finally``, even when the run failed; also when a sub-agent's session ends (it
    had no :func:`claw_session_start`), so stop what ``session`` (its stash, its id) started, no more.

    :param session: the session that is ending (the one :func:`claw_session_start` saw).
    :returns: ``None``, or an awaitable the kernel awaits.

    .. versionadded:: 1.0
    """


@hookspec(firstresult=True)
def claw_subagent_runner(
    session: SessionContext,
) -> Callable[[SubagentSpec], Awaitable[SubagentResult]] | None:
    """What runs ``session``'s sub-agents (:meth:`claw.SessionContext.run_subagent` says what a run is),
    asked at each run: claw's built-in ``subagents`` answers ``trylast`` with child loops beside the
    session's; a plugin that answers replaces it. With no answer the sub-agent fails with one line. The
    runner's errors are the caller's (the ``Agent`` tool's). Stops at first non-None result.

    :param session: the session that asks (the parent).
    :returns: a function running one sub-agent to its :class:`claw.SubagentResult`, or ``None``.

    .. versionadded:: 1.1
    """


@hookspec(firstresult=True)
def claw_control_request(
    subtype: str, request: dict[str, Any], session: SessionContext
) -> dict[str, Any] | str | Awaitable[dict[str, Any] | str | None] | None:
    """Answer a stream-json control request the reader of the control protocol does not answer itself
    (`agent-sdk.md <agent-sdk.md>`_): claw-mcp answers the Agent SDK's ``mcp_reconnect`` and
    ``mcp_toggle``.

    Called by claw-sdk's reader (:func:`claw_stream_input`) once the session has started, for a subtype
    outside its own (``initialize``, ``interrupt``, ``set_permission_mode``, ``set_model``,
    ``mcp_status``, ``get_context_usage``, ``stop_task``, ``rewind_files``). Stops at first non-None
    result. Return ``None`` (not an awaitable) for a subtype your plugin does not own. An awaitable is
    awaited while the session goes on (other control requests and a running turn are not held up) and
    its answer sent once it resolves. With no answer the client gets "unsupported control request subtype"; a plugin that
    raises is reported and the client gets an error naming it.

    :param subtype: the request's ``subtype`` (``"mcp_toggle"``).
    :param request: the whole ``request`` object, with Claude Code's field names (``serverName``).
    :param session: the running session.
    :returns: the success response's ``response`` object (a dict), an error message (a string), an
        awaitable of either, or ``None`` to leave the request to the next plugin.

    .. versionadded:: 1.1
    """


@hookspec(firstresult=True)
def claw_stop_task(
    task_id: str, session: SessionContext
) -> StoppedTask | Awaitable[StoppedTask | None] | None:
    """Stop the background task ``task_id`` of ``session`` (the sub-agent's for a task a sub-agent
    started; the Agent SDK's ``stop_task``, through ``session.stop_task``): the plugin that started it ends
    it: claw-tools-shell for ``Bash`` ``run_in_background`` jobs, claw-agents for background sub-agents and
    detached tasks.

    Stops at first non-None result. Return ``None`` for an id your plugin does not own.

    :param task_id: the id the task was reported with (``system/task_started``'s ``task_id``).
    :param session: the running session.
    :returns: the task (``status="stopped"`` once ended by this call; ``completed``/``failed`` when it
        had ended before), an awaitable of it, or ``None``.

    .. versionadded:: 1.1
    """


@hookspec
def claw_task_ended(task: StoppedTask, session: SessionContext) -> None:
    """A background task of ``session`` has ended other than through :func:`claw_stop_task` (its
    command exited, its sub-agent finished or failed, the model or the session's end stopped it): the
    plugin that started it calls ``session.task_ended(task)``, which calls this hook on the event loop.
    claw-sdk reports it to the Agent SDK (``task_updated`` and ``task_notification``, once per task).

    :param task: the task, with ``status`` ``completed``, ``failed`` or ``stopped``.
    :param session: the session that started the task.
    :returns: nothing.

    .. versionadded:: 1.1
    """


@hookspec(firstresult=True)
def claw_session_store(directory: Path, persist: bool) -> SessionStore | None:
    """The store that keeps this run's session: where its events go and where ``--resume`` finds one.

    Stops at first non-None result. A plugin's answer comes before the default's (``trylast``): the
    ``session_store`` plugin of the ``claw-sessions`` distribution answers with claw's JSONL files
    (`sessions <sessions.md>`_). With no plugin's answer the ``unsaved_sessions`` built-in's store keeps
    nothing and ``--resume``/``--continue`` fail naming ``claw-sessions``. A :class:`claw.SessionStore` has three methods: ``resume(spec)`` returns
    the :class:`claw.SessionState` of the session ``--resume``/``--continue`` names (raising
    :class:`claw.ClawError` when there is none), ``open(resume=..., fork=..., session_id=..., start=...)``
    returns the :class:`claw.Session` the loop appends to (``resume`` is that state or ``None`` for a
    new session; ``start`` holds the ``session_start`` event's fields), and ``list()`` the
    :class:`claw.SessionSummary` rows a ``/resume`` picker and ``claw sessions list`` show. A ``Session``
    is built from a ``SessionState`` and a writer with ``append(event, sync=...)``, ``path`` and
    ``close()``.

    :param directory: the sessions directory (``--session-dir``, else the workspace's under the state
        directory).
    :param persist: ``False`` with ``--no-session-persistence``: keep nothing on disk.
    :returns: a :class:`claw.SessionStore`, or ``None`` to leave it to the next plugin.

    .. versionadded:: 1.1
    """


@hookspec(firstresult=True)
def claw_compactor(settings: EffectiveSettings) -> Compactor | None:
    """How a long session is compacted to stay inside the model's context window.

    Stops at first non-None result. A plugin's answer comes before the default's (``trylast``): the
    ``compaction`` plugin of claw-compaction answers with a summarising compactor configured by settings
    ``compaction``; with no answer nothing compacts (`sessions <sessions.md#compaction>`_ says both).
    :func:`claw.compacted_history` is the usual ``compacted`` answer. A compactor decides when (``due(context_tokens,
    context_window)``, for automatic compaction), where the kept tail starts (``split(messages)``, or
    ``None`` when there is nothing to compact), what the model is asked to summarise (``request(older)``)
    and the history that replaces the session's (``compacted(summary, kept)``); the loop sends the
    request, runs the ``PreCompact``/``PostCompact`` hooks and records the result.

    :param settings: the effective settings.
    :returns: a :class:`claw.Compactor`, or ``None`` to leave it to the next plugin.

    .. versionadded:: 1.1
    """


@hookspec
def claw_register_task_backends(register: Callable[[TaskBackend], None]) -> None:
    """Register background task backends (where sub-agents, detached tasks and scheduled tasks run).

    The kernel's built-in ``local_tasks`` registers ``local``. A backend (:class:`claw.TaskBackend`) implements
    ``start(name, work) -> TaskHandle`` (in-process work) and the async detached-task methods `agents
    <agents.md#for-backend-authors>`_ lists (``stop(id)`` ends the task's whole process group).
    A prompt task runs ``claw -p`` as a child process
    and a command task a shell command (``claw.task_argv``). Settings ``agents.backend`` selects one
    (``claw.select_task_backend``; default ``embedded``, else ``local``). A backend that keeps in-process work
    (``local`` does) also implements ``handle(task_id)`` and ``handles()``, so tools such as
    ``TaskOutput`` find it by id (claw-agents' background sub-agents run there under their agent id).
    Sessions see the backends as ``SessionContext.task_backends``.

    :param register: called with a :class:`claw.TaskBackend` instance.
    :returns: nothing; backends are registered through ``register``.

    .. versionadded:: 1.0
    """

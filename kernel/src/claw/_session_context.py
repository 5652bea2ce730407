"""What session-scoped plugins see: :class:`SessionContext`, passed to ``claw_session_start`` and
``claw_session_end``."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from claw._tools import Stash, Tool, ToolResult, ToolSpec
from claw._transports import Transport

if TYPE_CHECKING:
    from claw._subagents import SubagentResult, SubagentSpec
    from claw._tasks import StoppedTask, TaskBackend


_CALL = re.compile(r"/([A-Za-z0-9_][A-Za-z0-9_.:-]*)(?:\s+(.*))?\Z", re.S)


class SlashCall(NamedTuple):
    name: str
    args: str


def slash_call(prompt: str) -> SlashCall | None:
    """The slash command call ``prompt`` is (``/name args``), or ``None`` for an ordinary prompt; what
    counts as one: docs/cli.md, "Slash commands"."""
    m = _CALL.match(prompt.strip())
    return SlashCall(m.group(1), (m.group(2) or "").strip()) if m else None


@dataclass(frozen=True)
class SlashCommand:
    """A ``/name args`` command: Markdown commands from ``.claw/commands/``, MCP prompts, ...

    :param expand: turns the argument string into the prompt text sent to the model."""

    name: str
    description: str
    expand: Callable[[str], Awaitable[str]]
    argument_hint: str = ""
    #: Who provides it, for listings: ``project``, ``user``, ``mcp:<server>``.
    source: str = ""
    #: Permission rules granted while the expanded prompt's turn runs (frontmatter ``allowed-tools``).
    allowed_tools: tuple[str, ...] = ()
    #: The model that turn should use (frontmatter ``model``), or ``None`` for the session's model.
    model: str | None = None
    #: False when the model may not run it through the ``Skill`` tool (``disable-model-invocation``).
    model_invocable: bool = True


@dataclass(frozen=True)
class PluginFolder:
    """A Claude Code plugin folder of this run (``--plugin-dir``, ``enabledPlugins``): claw-claude-plugins
    reads it, and the plugins owning each part load it from :attr:`SessionContext.plugin_folders` (so no
    plugin imports another). Absolute paths: files, or directories of ``*.md`` (of ``<n>/SKILL.md``)."""

    name: str
    root: Path
    commands: tuple[Path, ...] = ()
    skills: tuple[Path, ...] = ()
    agents: tuple[Path, ...] = ()
    #: ``${CLAUDE_PLUGIN_DATA}``: the plugin's data folder, which outlives its updates.
    data: Path | None = None

    def expand(self, text: str) -> str:
        """``text`` with ``${CLAUDE_PLUGIN_ROOT}`` and ``${CLAUDE_PLUGIN_DATA}`` replaced, as Claude Code does."""
        text = text.replace("${CLAUDE_PLUGIN_ROOT}", str(self.root))
        return text.replace("${CLAUDE_PLUGIN_DATA}", str(self.data)) if self.data else text


#: Seconds the agent loop waits for ``claw_session_start`` when neither the user nor a plugin chose.
DEFAULT_START_TIMEOUT = 30.0


class SessionContext:
    """The running session, as plugins may use it.

    :param session_id: the session's id (a UUID string).
    :param workspace: the workspace root.
    :param settings: the effective settings as a plain mapping.
    :param env: the process environment.
    :param interactive: whether a person can answer questions (a terminal, not ``-p``).
    :param transports: the app's transport registry (``type`` -> :class:`claw.Transport` subclass,
        aliases included), for plugins that connect to servers by configured type (``claw-mcp``).
    :param call_tool: runs a tool call for the user (the agent loop's; see :meth:`call_tool`).
    :param run_subagent: runs a child session (the agent loop's; see :meth:`run_subagent`).
    :param task_backends: returns the app's task backends by name (registered on first use; see
        :attr:`task_backends`; the kernel's ``local`` one runs work on this event loop).
    :param trust: the folder's :class:`claw.WorkspaceTrust` (see :attr:`trust`).
    :param start_timeout: seconds the agent loop waits for ``claw_session_start``, as the user set
        them (settings ``sessionStartTimeout``); ``None``: :data:`DEFAULT_START_TIMEOUT`, or what
        plugins ask for (:meth:`request_start_timeout`; ``claw_session_start`` says how to use it).
    :param call_hook: calls a session hook through pluggy with ``session=`` this context and returns its
        result and each plugin's answer (the agent loop's ``call_attributed``): how :meth:`task_ended`,
        :meth:`stop_task` and :meth:`control_request` reach the plugins."""

    def __init__(
        self,
        *,
        session_id: str,
        workspace: Path,
        settings: Mapping[str, Any],
        env: Mapping[str, str],
        interactive: bool = False,
        extra: Mapping[str, Any] | None = None,
        transports: Mapping[str, type[Transport]] | None = None,
        call_tool: Callable[[str, Mapping[str, Any]], Awaitable[ToolResult]] | None = None,
        start_timeout: float | None = None,
        run_subagent: Callable[[SubagentSpec], Awaitable[SubagentResult]] | None = None,
        task_backends: Callable[[], Mapping[str, TaskBackend]] | None = None,
        trust: Any = None,
        call_hook: Callable[..., tuple[Any, list[Any]]] | None = None,
    ) -> None:
        self.session_id = session_id
        self.workspace = workspace
        self.settings = settings
        self.env = env
        self.interactive = interactive
        #: The values of plugins' run options (``claw_register_run_options``) by parameter name, and
        #: the kernel's ``json_schema`` (``--json-schema``).
        self.extra: Mapping[str, Any] = extra or {}
        self.transports: Mapping[str, type[Transport]] = transports or {}
        #: The run's Claude Code plugin folders (set by the agent loop from ``LoopOptions.plugin_folders``).
        self.plugin_folders: tuple[PluginFolder, ...] = ()
        self.stash = Stash()
        self._tools: list[Tool] = []
        self._call_tool = call_tool
        self._run_subagent = run_subagent
        self._task_backends = task_backends
        self._call_hook = call_hook
        self._default_backends: Mapping[str, TaskBackend] | None = None
        #: The folder's trust (:class:`claw.WorkspaceTrust`): plugins that read the folder's own files
        #: (``.mcp.json``, commands with ``!`cmd` ``) act on them only when ``trust.trusted``. ``None``
        #: (a context built without one) counts as untrusted.
        self.trust = trust
        self.start_timeout = DEFAULT_START_TIMEOUT if start_timeout is None else start_timeout
        self._asked: list[float] | None = [] if start_timeout is None else None  # None: the user chose
        #: The session's sandbox (a :class:`claw.Sandbox`, set by the agent loop), or ``None``.
        self.sandbox: Any = None
        #: Bumped by :meth:`add_tool` and :meth:`remove_tool`: the agent loop rebuilds the model's tool
        #: list before its next request when it changes (an MCP server authorised mid-session, or one
        #: whose tools changed).
        self.tools_version = 0
        #: Status lines for ``system/init``'s ``mcp_servers`` and ``claw doctor``: ``{"name", "status", ...}``.
        self._statuses: dict[str, dict[str, Any]] = {}
        self._commands: dict[str, SlashCommand] = {}
        #: What plugins report to the session's clients (``system/init``, ``initialize``): docs/plugins.md.
        self.facts: dict[str, Any] = {}
        #: Every tool the model is offered this session, set by the agent loop once assembled
        #: (``ToolSearch`` reads it).
        self.available_tools: list[ToolSpec] = []
        self._notices: list[str] = []
        self._noticed = asyncio.Event()  # set while notices wait
        self._loop = _running_loop()  # where notify() hands a notice sent from a worker thread
        self._background: dict[asyncio.Future[Any], bool] = {}
        #: This session's transcript file (set by the agent loop; ``None`` when nothing is kept on disk).
        self.transcript_path: Path | None = None
        #: The sub-agents of this session still running, by agent id (their session id): their own
        #: contexts, set by the agent loop while :meth:`run_subagent` runs; how a plugin reaches a running
        #: child (its ``notify``, its ``transcript_path``): docs/plugins.md, "What a tool gets".
        self.subagents: dict[str, SessionContext] = {}

    def request_start_timeout(self, seconds: float) -> None:
        """Ask the agent loop to wait ``seconds`` for ``claw_session_start`` instead of the default: in that
        hook itself; the longest wait asked for wins, one the user set is kept (``claw_session_start``'s
        documentation says when and why)."""
        if self._asked is not None:
            self._asked.append(seconds)
            self.start_timeout = max(self._asked)

    def task_backend(self) -> TaskBackend:
        """The task backend settings ``agents.backend`` select (:func:`claw.select_task_backend`), where
        background and scheduled work of this session runs.

        :raises ConfigError: when settings name a backend that is not installed."""
        from claw._tasks import select_task_backend

        return select_task_backend(self.task_backends, self.settings)

    @property
    def task_backends(self) -> Mapping[str, TaskBackend]:
        """The registered task backends by name (``claw_register_task_backends``), the same instances
        for the whole session: the ``local`` one keeps the handles of the work started on it."""
        if self._task_backends is not None:
            return self._task_backends()
        if self._default_backends is None:  # built outside a run (tests, embedding): no plugins to ask
            from claw._builtins.local_tasks.backend import LocalTaskBackend

            self._default_backends = {"local": LocalTaskBackend()}
        return self._default_backends

    def add_tool(self, tool: Tool) -> None:
        """Offer ``tool`` to the model for this session only (MCP tools, sub-agent tools)."""
        self._tools.append(tool)
        self.tools_version += 1

    def remove_tool(self, tool: Tool) -> None:
        """Stop offering ``tool`` (this very object) from the next model request on: an MCP server
        said its tool list changed. Removing a tool that is not offered does nothing."""
        kept = [t for t in self._tools if t is not tool]
        if len(kept) != len(self._tools):
            self._tools = kept
            self.tools_version += 1

    @property
    def trusted(self) -> bool:
        """Whether the folder is trusted (:attr:`trust`), the one test plugins make."""
        return bool(self.trust is not None and self.trust.trusted)

    @property
    def session_tools(self) -> list[Tool]:
        return list(self._tools)

    async def call_tool(self, name: str, input: Mapping[str, Any]) -> ToolResult:
        """Run tool ``name`` for the user, outside the model's turn (``claw_session_start``'s documentation):
        the permission engine decides, with the running command's ``allowed-tools`` granted; no hooks run.

        :raises ToolError: the tool does not exist, the call is denied (the message says why), or
            the tool failed."""
        from claw._tools import ToolError

        if self._call_tool is None:
            raise ToolError("tools cannot be called outside a running session")
        return await self._call_tool(name, input)

    async def run_subagent(self, spec: SubagentSpec) -> SubagentResult:
        """Run a sub-agent to the end of its turn and return how it ended (:mod:`claw._subagents`; what the
        child gets, and how ``spec.on_answer`` keeps it alive for its tracked work: docs/plugins.md, "What a
        tool gets"). Calls may run concurrently. Its end (or cancelling this) is its session's.

        :raises ClawError: the child could not start (an unknown model, missing credentials).
        :raises ToolError: no session is running, or nothing runs sub-agents (the ``subagents`` built-in
            disabled, no plugin in its place)."""
        from claw._tools import ToolError

        if self._run_subagent is None:
            raise ToolError("sub-agents cannot run outside a running session")
        return await self._run_subagent(spec)

    def notify(self, text: str) -> None:
        """Tell the model ``text`` (a ``<task-notification>``) with its next request, the running turn's
        else the next prompt's; safe from a worker thread: docs/plugins.md, "What a tool gets"."""
        if self._loop is not None and _running_loop() is not self._loop and not self._loop.is_closed():
            self._loop.call_soon_threadsafe(self.notify, text)
            return
        self._notices.append(text)
        self._noticed.set()

    def task_ended(self, task: StoppedTask) -> None:
        """Announce that a background task this session's plugin started has ended (``claw_task_ended``;
        when to call it: docs/plugins.md, "What a tool gets")."""
        self._hook("claw_task_ended", task=task)

    def stop_task(self, task_id: str) -> StoppedTask | Awaitable[StoppedTask | None] | None:
        """Ask the plugin that started background task ``task_id`` to stop it (``claw_stop_task``, how
        claw-sdk answers the Agent SDK's ``stop_task``): its answer, or ``None`` when no plugin owns it."""
        return self._hook("claw_stop_task", task_id=task_id)[0]

    def control_request(self, subtype: str, request: dict[str, Any]) -> tuple[Any, str]:
        """The plugins' answer to a stream-json control request (``claw_control_request``: one the
        reader of the control protocol does not answer itself) and the name of the plugin that gave it,
        for an error naming it should its awaitable fail; ``(None, "")`` when none answers."""
        answer, answers = self._hook("claw_control_request", subtype=subtype, request=request)
        return answer, answers[-1].plugin.name if answer is not None and answers else ""

    def _hook(self, name: str, **kwargs: Any) -> tuple[Any, list[Any]]:
        return self._call_hook(name, **kwargs) if self._call_hook is not None else (None, [])

    def take_notices(self) -> list[str]:
        """The notices not told yet (:meth:`notify`), oldest first; the agent loop empties them."""
        notices, self._notices = self._notices, []
        self._noticed.clear()
        return notices

    async def wait_notices(self, *work: asyncio.Future[Any]) -> None:
        """Return once notices wait (:meth:`notify`): an idle front end's cue to wake the model; or once any
        of ``work`` has ended (a kept-alive sub-agent's tracked work, which may end with no notice)."""
        noticed = asyncio.ensure_future(self._noticed.wait())
        try:
            await asyncio.wait((noticed, *work), return_when=asyncio.FIRST_COMPLETED)
        finally:
            noticed.cancel()

    @property
    def has_notices(self) -> bool:
        """Whether notices wait to be told (:meth:`notify`)."""
        return bool(self._notices)

    def track(self, work: Awaitable[Any], wait: bool = True) -> None:
        """Background work whose end the model hears of (:meth:`notify` before it ends). ``claw -p`` waits
        for it (``wait=False``: not, a ``Bash`` job may be a server) before ending a turn; a sub-agent is
        kept alive for any of it (:meth:`run_subagent`). Its errors are the caller's to report."""
        future = asyncio.ensure_future(work)
        self._background[future] = wait
        future.add_done_callback(lambda f: self._background.pop(f, None))

    @property
    def background(self) -> list[asyncio.Future[Any]]:
        """The tracked background work still running that ``claw -p`` waits for (:meth:`track`)."""
        return [f for f, wait in self._background.items() if wait and not f.done()]

    @property
    def tracked(self) -> list[asyncio.Future[Any]]:
        """All the tracked background work still running, waited for or not (:meth:`track`)."""
        return [f for f in self._background if not f.done()]

    def add_command(self, command: SlashCommand) -> None:
        """Offer a slash command for this session; a later command with the same name wins."""
        self._commands[command.name] = command

    def remove_command(self, command: SlashCommand) -> None:
        """Withdraw ``command`` (this very object; a later one with the same name stays)."""
        if self._commands.get(command.name) is command:
            del self._commands[command.name]

    @property
    def commands(self) -> dict[str, SlashCommand]:
        return dict(self._commands)

    def set_status(self, name: str, status: str, **detail: Any) -> None:
        """Record the state of a server or connection (``connected``, ``failed``, ``needs-auth``)."""
        self._statuses[name] = {"name": name, "status": status, **detail}

    @property
    def statuses(self) -> list[dict[str, Any]]:
        return list(self._statuses.values())


def _running_loop() -> asyncio.AbstractEventLoop | None:
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None

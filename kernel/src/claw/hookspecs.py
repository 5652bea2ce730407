"""The plugin contract: every extension point of claw, as pluggy hook specifications.

Plugins implement these with ``@claw.hookimpl`` in the module their ``claw`` entry point names.
That module is imported on every start, ``claw --help`` included, so it must import only ``claw``
(and ``click`` for commands); vendor SDKs are imported inside the registered objects at first use
(see :func:`claw.require`).

Registration hooks take a ``register`` callback rather than returning values: the kernel's callback
checks the type, rejects a name another plugin already holds and records which distribution
registered what (``claw dump-manifests``), applying registrations in plugin load order so the first
plugin to register a name keeps it.

Every hook is called through pluggy (``pm.hook.<name>(...)``): ``tryfirst``/``trylast``,
``wrapper=True`` and ``firstresult`` behave as pluggy documents, and ``CLAW_TRACE_PLUGINS=1`` traces
every call. Each implementation runs inside a guard set up when its plugin registers: one that raises is
reported once (naming its plugin), counts as "no result", and the other plugins' results still arrive; a
plugin that raises in a registration hook registers nothing.

Hooks are grouped by lifecycle phase: registration (called once per run, after loading), session,
and events.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TextIO

import pluggy

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable
    from pathlib import Path

    import click

    from claw.classifiers import Classifier, Verdict
    from claw.compaction import Compactor
    from claw.config import EffectiveSettings
    from claw.diagnostics import DoctorCheck
    from claw.events import HookEvent, HookOutcome, RuntimeEvent
    from claw.loop.options import LoopOptions
    from claw.output import Renderer
    from claw.permissions.gate import PermissionContext, PermissionPolicy
    from claw.plugin_commands import CommandContext
    from claw.providers import Provider
    from claw.sandboxes import Sandbox
    from claw.session_context import SessionContext
    from claw.sessions import SessionStore
    from claw.tasks import TaskBackend
    from claw.tools import Tool, ToolContext, ToolResult
    from claw.transports import Transport

hookspec = pluggy.HookspecMarker("claw")

# --------------------------------------------------------------------------------------------
# Registration: called once per run after plugins load, in plugin load order (kernel builtins
# first, then entry points sorted by distribution name).
# --------------------------------------------------------------------------------------------


@hookspec
def claw_register_providers(register: Callable[[type[Provider]], None]) -> None:
    """Register model providers.

    Call ``register(MyProvider)`` with a :class:`claw.Provider` **subclass**, once per provider. ``name``
    is the prefix users address models with (``anthropic/claude-sonnet-4-6``); a name already
    registered is rejected. ``model_prefixes`` resolves bare model ids. The class is instantiated only
    when a run uses one of its models.

    ``models()`` returns :class:`claw.ModelInfo` (capabilities and prices). ``credentials()`` reports
    whether a key is present without printing it. ``stream(request)`` yields stream events and ends
    with ``ResponseComplete``. ``model_info(model_id)`` (a classmethod, from the catalogue) resolves
    names; once the provider is instantiated with its settings, the kernel asks the instance's
    ``describe(model_id)`` instead, for capability checks (images, tools), output limits, context
    window and prices, for the primary model and fallbacks, and hands the result to ``stream`` as
    ``request.info`` (read it with ``self.info_of(request)``, which describes the model itself for a
    request built by hand). ``request.reasoning_effort`` is the level the user asked for: map it onto
    ``info.effort_levels`` (``claw_wire.effort_of`` does, with Claude Code's warning). ``describe``'s
    default returns ``model_info(model_id)``; override it when settings can declare models
    (``providers.openai.models``, ``providers.foundry.deployments``), and override
    ``declared_models()`` (default: none) to return their ids, so ``claw models`` lists them (marked
    ``settings``) as ``describe`` reports them. Both run on an instance built from settings without
    credentials, so they must not import the SDK nor use the network.

    ``default_model()`` (default: ``None``) names the model the provider runs when the user names
    none; the kernel asks it of the provider a ``CLAUDE_CODE_USE_*`` switch selects, else of each
    provider in turn until one reports credentials (see `configuration
    <configuration.md#which-model-runs>`_), so the vendor's default lives in its plugin. Return
    ``None`` when there is no sensible guess (an OpenAI-compatible server that declares no models):
    that provider is then never chosen implicitly.

    Providers raise :class:`claw.ApiError` and never retry on their own: retries, backoff, the
    idle-stream watchdog and fallbacks live in the kernel. A provider speaking Anthropic Messages or
    OpenAI Chat Completions should depend on the shared translation library ``claw-wire`` and use
    ``claw_wire`` (see `cloud providers <cloud-providers.md#for-plugin-authors-claw_wire>`_).

    :param register: the kernel's registration callback; takes a :class:`claw.Provider` subclass.
    :returns: nothing; providers are registered through ``register``.

    .. versionadded:: 1.0
    """


@hookspec
def claw_register_tools(register: Callable[[Tool], None]) -> None:
    """Register tools the model can call.

    Call ``register(tool)`` with a :class:`claw.Tool` instance, or a function made a tool with
    ``@claw.tool``. ``spec`` holds the name, description, JSON schema, ``read_only`` flag and
    ``aliases``. ``access(input, ctx)`` returns the :class:`claw.Access` items (paths read or written,
    commands, URLs) that permission rules judge. ``run(input, ctx)`` returns a :class:`claw.ToolResult`.
    Two tools with the same ``spec.name`` (or a name clashing with another tool's alias) are not both
    kept: the second is rejected with a message naming both distributions. Tools that depend on a
    live connection (MCP) register later, per session, through :func:`claw_session_start`.

    A tool that runs shell lines reads them itself and declares one ``Access(kind="execute",
    command=..., argv=[...], forms=[...], command_class=...)`` per simple command,
    ``Access(kind="write", path=..., redirect=True)`` per redirection target, or
    ``Access(kind="execute", command=line, error="why")`` when the line does not parse (the engine
    then asks); the kernel has no shell grammar of its own.

    The kernel checks every call's input against ``spec.input_schema`` with ``jsonschema`` (the whole
    schema: types, ``required``, ``additionalProperties``, ``enum``, bounds, nested items) before
    hooks, permissions and ``run``; input that breaks it becomes an ``is_error`` result such as
    ``InputValidationError: Echo failed due to the following issue: the required parameter `text` is
    missing``, as in Claude Code. So ``run`` may rely on the schema and check only what a schema
    cannot say (a file exists, a string is not blank); put bounds in the schema rather than in code.
    In unit tests, ``claw.testing.call_tool(tool, ctx, **input)`` runs a call the way the loop does.

    Two more ``ToolSpec`` fields serve tools that drive more than files (the computer-use plugin uses
    both). ``native=claw.NativeTool(type=..., params={...}, betas=(...))`` is a tool type the model's
    API defines itself: the Anthropic Messages wire (Anthropic, Vertex AI, Foundry) sends ``{"type":
    type, "name": name, **params}`` instead of the schema and adds the ``betas`` to the request's
    ``anthropic-beta`` header; every other wire sends ``input_schema`` as a function, so keep a schema
    that takes the same input. ``needs_approval=True``: no permission mode's default and no ``auto``
    classifier allows a call; outside the ``allow``/``danger-full-access`` modes it runs only when an
    allow rule, a PreToolUse hook or the user allows it.

    An image a tool returns may set ``claw.ImageBlock(..., session_placeholder="(screenshot ...)")``:
    the model gets the image, the session file keeps that text instead (screenshots are large and
    stale once the turn is over).

    A tool that needs a model for a side job calls ``await ctx.complete(model, system, prompt)``: one
    request, ``prompt`` as the only user message, to ``model`` (any address: ``provider/model-id``, an
    alias), through the session's providers, retry policy and cost accounting; it returns the
    answer's text and raises :class:`claw.ClawError` / :class:`claw.ApiError` when the model cannot be
    reached. ``ctx.small_model`` is the session's small fast model (settings ``smallFastModel``,
    ``ANTHROPIC_SMALL_FAST_MODEL``, else the main model's provider's ``Provider.small_model``), or
    ``None`` when none is configured. Both are ``None`` when the tool runs outside an agent loop.
    Text from outside (a web page, a file) is untrusted: fence it so it cannot pose as the
    instructions, as ``WebFetch`` does (a tag with a random nonce, and a system prompt saying the
    fenced text is data).

    :param register: the kernel's registration callback; takes a :class:`claw.Tool` instance.
    :returns: nothing; tools are registered through ``register``.

    .. versionadded:: 1.0
    """


@hookspec
def claw_register_classifiers(register: Callable[[Classifier], None]) -> None:
    """Register permission classifiers for the ``auto`` mode.

    In the ``auto`` permission mode the engine asks classifiers in order. A classifier returns a
    :class:`claw.Verdict`, or ``None`` to pass. A classifier that fails must answer ``ask``.

    :param register: called with a :class:`claw.Classifier` instance; names must be unique.
    :returns: nothing; classifiers are registered through ``register``.

    .. versionadded:: 1.0
    """


@hookspec
def claw_register_transports(register: Callable[[type[Transport]], None]) -> None:
    """Register transports for remote tool servers (``stdio``, ``sse``, ``http``, ``ws``, ...).

    ``connect(config)`` is an async context manager that yields a read stream and a write stream.

    :param register: called with a :class:`claw.Transport` subclass; its ``name`` and ``aliases``
        are the server ``type`` values it serves and must be unique.
    :returns: nothing; transports are registered through ``register``.

    .. versionadded:: 1.0
    """


@hookspec
def claw_register_sandboxes(register: Callable[[type[Sandbox]], None]) -> None:
    """Register sandboxes that confine commands and file access.

    A sandbox is made once per session with the effective :class:`claw.SandboxSettings`
    (``self.settings``) and implements ``available()`` and ``wrap(argv, policy)``;
    ``unavailable_reason()`` (one line, shown to the model and by status commands) and ``describe()`` (a
    dict for the ``init`` event and the session file) have defaults. ``policy`` is a
    :class:`claw.SandboxPolicy` built by ``claw.sandbox_policy(settings, workspace, additional_dirs, env)``:
    filesystem mode, writable paths, read-denied paths, network mode and allowed domains. A tool marks an
    access ``sandboxed=True`` when the call will run confined; ``sandbox.autoAllowBashIfSandboxed`` then
    allows what the mode would ask about. A plugin that starts processes for the model (a transport, a
    tool) confines them with ``session.confine(argv)`` (:class:`claw.SessionContext`) or
    ``claw.confine(sandbox, settings, argv, workspace, env)``, which raise ``ConfigError`` when no usable
    sandbox is configured.

    :param register: called with a :class:`claw.Sandbox` subclass with a unique ``name``.
    :returns: nothing; sandboxes are registered through ``register``.

    .. versionadded:: 1.0
    """


@hookspec
def claw_register_task_backends(register: Callable[[TaskBackend], None]) -> None:
    """Register background task backends (where sub-agents, detached tasks and scheduled tasks run).

    The kernel registers ``local``. A backend (:class:`claw.TaskBackend`) implements
    ``start(name, work) -> TaskHandle`` (in-process work) and the detached-task methods, all async:
    ``submit(TaskSpec) -> TaskRecord``, ``get(id)``, ``list(TaskFilter)``,
    ``output(id, offset, limit) -> TaskOutputChunk(text, next_offset, done)``, ``wait(id, timeout)`` and
    ``stop(id)`` (ends the task's whole process group). A prompt task runs ``claw -p`` as a child process
    and a command task a shell command (``claw.task_argv``). Settings ``agents.backend`` selects one
    (``claw.select_task_backend``; default ``embedded``, else ``local``). A backend that keeps in-process work
    (``local`` does) also implements ``handle(task_id)`` and ``handles()``, so tools such as
    ``TaskOutput`` find it by id (claw-agents' background sub-agents run there under their agent id).
    Sessions see the backends as ``SessionContext.task_backends``.

    :param register: called with a :class:`claw.TaskBackend` instance.
    :returns: nothing; backends are registered through ``register``.

    .. versionadded:: 1.0
    """


@hookspec
def claw_register_commands(cli: click.Group) -> None:
    """Add subcommands to the ``claw`` command line.

    Add them with ``cli.add_command(...)`` or ``@cli.command()``. This hook runs for ``claw --help``
    too, so the command's module must stay import-light: import heavy code inside the command's
    callback. A command name already taken is rejected. Inside a command, ``claw.command_context(ctx)``
    (with ``@click.pass_context``) returns the run's :class:`claw.CommandContext`: workspace,
    environment, settings, registered transports and ``run_hook(event)``; ``claw.table(rows, headers)``
    prints an aligned table.

    :param cli: the root ``claw`` click group.
    :returns: nothing; commands are added to ``cli``.

    .. versionadded:: 1.0
    """


@hookspec
def claw_register_run_options(register: Callable[[click.Option], None]) -> None:
    """Add options to ``claw`` runs (``claw -p`` and the REPL), such as claw-mcp's ``--mcp-config``.

    Called through pluggy while the root command's arguments are parsed, before click reads them (for
    ``claw --help`` too, which lists the options; never for ``claw --version``). The plugins are
    those the settings enable, read with the ``--work-dir``, ``--settings`` and ``--setting-sources``
    given on the same command line. Call ``register(click.Option([...], ...))`` once per option.
    An option whose parameter name or any flag is already claw's own or another plugin's is rejected
    with a message naming the plugin (``plugins.overrides`` can hand a name to a plugin, as for
    tools); a plugin that raises adds no option.

    The value (click's, after its type and callback) reaches the session as
    ``SessionContext.extra[<parameter name>]`` (``session.extra["mcp_config"]``), also when the
    option was not given (its default). As with :func:`claw_register_commands`, keep the hook
    import-light.

    :param register: the kernel's registration callback; it takes a :class:`click.Option`.
    :returns: nothing; options are added through ``register``.

    .. versionadded:: 1.0
    """


@hookspec
def claw_register_settings(register: Callable[..., None]) -> None:
    """Declare the settings keys a plugin owns, so they are validated and not reported as unknown.

    Call ``register(key, model, description)`` where ``key`` is a top-level settings key
    (``mcpServers``) and ``model`` a pydantic model or type its value must match. The value is
    validated in every settings file, with errors that name the file and the key path. A key whose
    value makes the plugin run commands or reach the network adds ``requires_trust=True``: in a folder
    the user has not trusted, the folder's own settings files (project, local) do not set it
    (``docs/trust.md``).

    :param register: the kernel's registration callback:
        ``register(key, model, description, *, requires_trust=False)``.
    :returns: nothing; keys are declared through ``register``.

    .. versionadded:: 1.0
    """


@hookspec
def claw_doctor_checks(settings: EffectiveSettings, env: dict[str, str]) -> list[DoctorCheck] | None:
    """Contribute lines to ``claw doctor`` (server reachability, missing binaries, token state).

    Must be quick and must not print secrets. A plugin that raises shows as a failed check.

    :param settings: the effective settings (:class:`claw.EffectiveSettings`: ``data``, ``sources``,
        ``layers``).
    :param env: the process environment.
    :returns: a list of :class:`claw.DoctorCheck` (``section``, ``name``, ``status``, ``detail``), or
        ``None`` for nothing to report.

    .. versionadded:: 1.0
    """


@hookspec
def claw_trust_items(workspace: Path, env: dict[str, str]) -> list[str] | None:
    """Name what the folder brings that this plugin runs only once the folder is trusted.

    The plugin reads the folder's own files (``.mcp.json``, ``.claw/commands``); the lines appear in
    the trust dialog, in the line ``-p --require-trust`` prints in an untrusted folder, in
    ``claw doctor`` and in ``claw config show``. Settings keys registered with ``requires_trust`` are
    listed by the kernel already. Must be quick; never include secret values (name a variable, not its
    value).

    :param workspace: the folder (the workspace root).
    :param env: the process environment.
    :returns: one short line per item (``MCP server "db": npx db-server (.mcp.json)``), or ``None``.

    .. versionadded:: 1.0
    """


@hookspec(firstresult=True)
def claw_trust_dialog(folder: Path, items: list[str]) -> str | None:
    """Ask the person at the terminal whether to trust ``folder`` (interactive runs only).

    The kernel asks when an interactive session starts in a folder that is not trusted and brings
    something that needs trust. A full-screen interface draws the question itself by answering this
    hook; with no answer, the line REPL asks on the terminal. Stops at first non-None result.

    :param folder: the folder's real path.
    :param items: what trusting it would enable, one line each (hook commands, MCP server commands,
        environment variable names).
    :returns: ``"always"`` (trust and remember), ``"once"`` (trust for this run), ``"untrusted"``
        (continue without what needs trust), or ``None`` to let the next plugin or the kernel ask.

    .. versionadded:: 1.0
    """


# --------------------------------------------------------------------------------------------
# Views: ``firstresult``; the first plugin that answers draws it, with none the kernel's own remains.
# --------------------------------------------------------------------------------------------


@hookspec(firstresult=True)
def claw_render_timeline(session_id: str, events: list[dict[str, Any]], limit: int | None) -> bool | None:
    """Draw ``claw timeline --format pretty`` on stdout, e.g. with the renderer of a UI's transcript view
    so both look the same. Not called for ``json`` and ``md``, which programs parse.

    Stops at first non-None result. With no answer, claw prints its table of events.

    :param session_id: the session's id.
    :param events: the session file's events, oldest first (the shapes ``claw timeline --format json``
        summarises).
    :param limit: ``--limit``: show only the last this many events (``None``: all).
    :returns: ``True`` once drawn, ``None`` to leave it to the next implementation (finally claw's
        table).

    .. versionadded:: 1.1
    """


# --------------------------------------------------------------------------------------------
# Session: called by the agent loop. Implementations may return an awaitable; the kernel awaits it.
# --------------------------------------------------------------------------------------------


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

    Always called, in a ``finally``, even when the run failed.

    :param session: the session that is ending (the one :func:`claw_session_start` saw).
    :returns: ``None``, or an awaitable the kernel awaits.

    .. versionadded:: 1.0
    """


@hookspec(firstresult=True)
def claw_control_request(
    subtype: str, request: dict[str, Any], session: SessionContext
) -> dict[str, Any] | str | Awaitable[dict[str, Any] | str | None] | None:
    """Answer a stream-json control request the kernel does not own (`agent-sdk.md <agent-sdk.md>`_):
    claw-mcp answers the Agent SDK's ``mcp_reconnect`` and ``mcp_toggle``.

    Called once the session has started, for a subtype outside the kernel's own (``initialize``,
    ``interrupt``, ``set_permission_mode``, ``set_model``, ``mcp_status``, ``get_context_usage``,
    ``stop_task``, ``rewind_files``). Stops at first non-None result. Return ``None`` (not an
    awaitable) for a subtype your plugin does not own. An awaitable is awaited while the session goes
    on (other control requests and a running turn are not held up) and its answer sent once it
    resolves. With no answer the client gets "unsupported control request subtype"; a plugin that
    raises is reported and the client gets an error naming it.

    :param subtype: the request's ``subtype`` (``"mcp_toggle"``).
    :param request: the whole ``request`` object, with Claude Code's field names (``serverName``).
    :param session: the running session.
    :returns: the success response's ``response`` object (a dict), an error message (a string), an
        awaitable of either, or ``None`` to leave the request to the next plugin.

    .. versionadded:: 1.1
    """


# --------------------------------------------------------------------------------------------
# Services: ``firstresult`` hooks a built-in plugin (``claw.builtins.*``, see
# :data:`claw.plugins.BUILTIN_PLUGINS`) answers with ``trylast=True``. A plugin that answers replaces
# the built-in (its implementation runs first); settings ``plugins.disabled`` can switch a built-in off.
# --------------------------------------------------------------------------------------------


@hookspec(firstresult=True)
def claw_session_store(directory: Path, persist: bool) -> SessionStore | None:
    """The store that keeps this run's session: where its events go and where ``--resume`` finds one.

    Stops at first non-None result. A plugin's answer comes before the built-in's (``trylast``). The
    built-in ``session_store`` plugin answers with claw's JSONL files (`sessions <sessions.md>`_). A store
    has two methods: ``resume(spec)`` returns the :class:`claw.SessionState` of the session
    ``--resume``/``--continue`` names (raising :class:`claw.ClawError` when there is none), and
    ``open(resume=..., fork=..., session_id=..., start=...)`` returns the :class:`claw.Session` the loop
    appends to (``resume`` is that state or ``None`` for a new session; ``start`` holds the
    ``session_start`` event's fields). A ``Session`` is built from a ``SessionState`` and a writer with
    ``append(event, sync=...)``, ``path`` and ``close()``.

    :param directory: the sessions directory (``--session-dir``, else the workspace's under the state
        directory).
    :param persist: ``False`` with ``--no-session-persistence``: keep nothing on disk.
    :returns: a :class:`claw.SessionStore`, or ``None`` to leave it to the next plugin.

    .. versionadded:: 1.1
    """


@hookspec(firstresult=True)
def claw_compactor(settings: EffectiveSettings) -> Compactor | None:
    """How a long session is compacted to stay inside the model's context window.

    Stops at first non-None result. A plugin's answer comes before the built-in's (``trylast``). The
    built-in ``compaction`` plugin answers with a summarising compactor configured by settings
    ``compaction`` (`sessions <sessions.md#compaction>`_). A compactor decides when (``due(context_tokens,
    context_window)``, for automatic compaction), where the kept tail starts (``split(messages)``, or
    ``None`` when there is nothing to compact), what the model is asked to summarise (``request(older)``)
    and the history that replaces the session's (``compacted(summary, kept)``); the loop sends the
    request, runs the ``PreCompact``/``PostCompact`` hooks and records the result.

    :param settings: the effective settings.
    :returns: a :class:`claw.Compactor`, or ``None`` to leave it to the next plugin.

    .. versionadded:: 1.1
    """


@hookspec(firstresult=True)
def claw_output_renderer(format: str, partial: bool, out: TextIO) -> Renderer | None:
    """What prints a ``claw -p`` run on stdout, for ``--output-format``.

    Stops at first non-None result. A plugin's answer comes before the built-in's (``trylast``). The
    built-in ``renderers`` plugin answers for ``text``, ``json`` and ``stream-json`` (Claude Code's
    shapes, `cli <cli.md>`_). A :class:`claw.Renderer` receives ``system``, ``stream_event``,
    ``assistant``, ``user`` and ``result`` calls as the run goes; it writes the run's output to ``out``
    and nothing else (diagnostics go to stderr). While the run goes on, ``sys.stdout`` points at stderr so
    that nothing else can mix into the output: write to ``out``, not to ``sys.stdout``.

    :param format: the ``--output-format`` value (``text``, ``json`` or ``stream-json``).
    :param partial: ``--include-partial-messages``: stream each delta as well.
    :param out: the process's real standard output, reserved for the renderer.
    :returns: a :class:`claw.Renderer`, or ``None`` to leave it to the next plugin.

    .. versionadded:: 1.1
    """


@hookspec(firstresult=True)
def claw_interactive(context: CommandContext, options: LoopOptions, initial: str | None) -> int | None:
    """Run an interactive session (``claw`` on a terminal, or ``claw --repl``) until the user ends it.

    Stops at first non-None result. A plugin's answer comes before the built-in's (``trylast``). The
    built-in ``repl`` plugin answers with claw's line REPL. ``context.agent_loop(options, renderer)``
    makes the session's loop: ``await loop.start()``, then ``await loop.run_prompt(text)`` per prompt, and
    ``await loop.close(reason)`` in a ``finally``. Called before the agent loop is imported and settings are
    validated, so a screen can go up first; the folder's trust question comes with the first
    ``agent_loop`` call of an interactive session (``claw_trust_dialog``), which a front end with its own
    event loop makes from a worker thread. A front end that cannot serve this terminal (claw-tui
    with ``TERM=dumb`` or stdin not a terminal) returns ``None``. ``options.resume`` is
    :data:`claw.RESUME_PICK` after ``claw --resume`` without an id: let the person pick a session (the
    line REPL cannot, and refuses with a usage error).

    :param context: the run (workspace, environment, settings) as plugin commands see it.
    :param options: the session's options from the command line (model, permission mode, ...).
    :param initial: a prompt given on the command line, to run first; ``None`` for none.
    :returns: the process exit code, or ``None`` to leave it to the next plugin.

    .. versionadded:: 1.1
    """


@hookspec(firstresult=True)
def claw_permission_decision(
    tool: Tool, tool_input: dict[str, Any], ctx: ToolContext, mode: str
) -> Verdict | Awaitable[Verdict | None] | None:
    """Decide on one tool call before the session's permission policy: ``allow``, ``deny`` or ``ask``.

    Stops at first non-None result. With no answer the session's policy decides
    (``claw_permission_policy``: the rule engine of ``claw-permissions``, or the kernel's safe default;
    `permissions <permissions.md>`_). A plugin that answers decides instead: its ``deny`` is final, its
    ``ask`` goes to the person or approver as a rule's would, and PreToolUse hooks that answered ``allow``
    or ``ask`` still apply on top. Return ``None`` (not an awaitable) to leave the call to the next plugin
    and finally to the policy; an awaitable always answers, and one that resolves to ``None`` denies the
    call.

    :param tool: the tool being called (``tool.name``, ``tool.spec``, ``tool.access(...)``).
    :param tool_input: the input the model gave (after PreToolUse hooks changed it).
    :param ctx: the session's tool context (workspace, settings, stash).
    :param mode: the session's permission mode, canonical name (``prompt``, ``read-only``, ...).
    :returns: a :class:`claw.Verdict` (or a :class:`claw.Decision`), an awaitable of one, or ``None`` to
        leave it to the next plugin.

    .. versionadded:: 1.1
    """


# --------------------------------------------------------------------------------------------
# Events
# --------------------------------------------------------------------------------------------


@hookspec(firstresult=True)
def claw_hook_event(event: HookEvent) -> HookOutcome | Awaitable[HookOutcome | None] | None:
    """Programmatic hook handler: see or veto a step.

    Called for the same events as command hooks in settings (PreToolUse, PostToolUse,
    UserPromptSubmit, Stop, SessionStart, plugin install events, ...). Handlers run most recently
    registered first (pluggy's LIFO; ``tryfirst``/``trylast`` move one). Stops at first non-None
    result. An ``async def`` handler always answers (its coroutine is the result); awaited, ``None``
    means "continue". A handler that raises is reported and treated as "continue"; one whose awaitable
    takes longer than settings ``pluginHookTimeout`` (60 s) is reported the same way. Command hooks
    from settings run after the programmatic handlers.

    :param event: the event, with the same fields command hooks receive on stdin.
    :returns: ``None`` to continue, or a :class:`claw.HookOutcome` (or an awaitable of one) to
        ``block``, ``allow``, ``ask`` or ``modify`` the step or add context.

    .. versionadded:: 1.0
    """


@hookspec
def claw_tool_result(
    tool_name: str, tool_input: dict[str, Any], result: ToolResult, ctx: ToolContext
) -> str | Awaitable[str | None] | None:
    """Add context to a tool's successful result, after it ran (diagnostics after an edit).

    Every implementation is called (not ``firstresult``: one plugin's text never hides another's);
    the texts they return (awaited when awaitable, concurrently) are appended to the result the model
    sees, in call order, before ``PostToolUse`` hooks run. Return ``None`` to add nothing. Unlike a
    ``claw_hook_event`` handler this is no hook: it is not recorded as a hook run, not listed by
    ``claw hooks list``, and cannot block. Bound any wait yourself: the tool call waits for it, up to
    settings ``pluginHookTimeout`` (60 s), after which the plugin is reported and adds nothing. A
    plugin that raises is reported and adds nothing.

    :param tool_name: the tool's name (``Edit``), as the model called it.
    :param tool_input: the input the tool ran with (after hooks and approvers changed it).
    :param result: what the tool returned.
    :param ctx: the session's tool context (workspace, settings, stash).
    :returns: text to append to the result, an awaitable of it, or ``None`` to add nothing.

    .. versionadded:: 1.0
    """


@hookspec
def claw_runtime_event(event: RuntimeEvent) -> None:
    """Observe everything that happens (telemetry, audit logs, OpenTelemetry export).

    Called synchronously on the loop's thread for every :class:`claw.RuntimeEvent` (model requests,
    retries, tool calls, permission decisions, ...): keep it fast and hand slow work to a queue.
    Exceptions are reported once per plugin and otherwise swallowed.

    :param event: the runtime event.
    :returns: nothing; a return value is ignored.

    .. versionadded:: 1.0
    """


# --------------------------------------------------------------------------------------------
# Permissions: the session's policy (``claw-permissions`` answers with its rule engine)
# --------------------------------------------------------------------------------------------


@hookspec(firstresult=True)
def claw_permission_policy(
    context: PermissionContext,
) -> Callable[[PermissionContext], PermissionPolicy] | None:
    """Choose a session's permission policy: what decides tool calls no ``claw_permission_decision``
    plugin decided, which tools are offered, and what rules answers and programs add.

    Stops at first non-None result. Called once per session (and by ``claw permissions``), when the loop starts. The answer is the
    policy's builder (its class, say), which the kernel calls with ``context``: an error it raises
    (:class:`claw.ConfigError` for a bad rule, naming the file) ends the run before a session file
    exists. The ``permissions`` plugin (``claw-permissions``) answers
    ``trylast`` with its rule engine; a plugin answering first replaces it. With no answer the kernel's
    safe default decides: tools that only read inside the workspace run, everything else is asked
    about (denied in ``-p``), the bypass modes allow everything.

    :param context: the session's settings, workspace, roots, ``--allowed-tools`` and
        ``--disallowed-tools`` rules, classifiers and model opener.
    :returns: a callable building a :class:`claw.PermissionPolicy` from the context, or ``None`` to
        leave it to the next plugin.

    .. versionadded:: 1.1
    """


@hookspec(firstresult=True)
def claw_permission_rule_test(
    rule: str, workspace: Path, env: dict[str, str], tool_lookup: Callable[[str], Any] | None
) -> Callable[[HookEvent], bool] | None:
    """Compile a command hook's ``if`` condition (a permission rule such as ``Bash(git *)``) into a test
    on tool events, with the policy's rule semantics. Stops at first non-None result. With no answer the hook runs on every tool event
    its matcher selects, and a warning says so.

    :param rule: the rule text from settings (its syntax was checked when settings loaded).
    :param workspace: the session's workspace.
    :param env: the environment (``HOME`` for ``~`` paths).
    :param tool_lookup: the session's tool by name, for the accesses a call declares; ``None`` outside
        a session.
    :returns: the test, or ``None`` to leave it to the next plugin.

    .. versionadded:: 1.1
    """

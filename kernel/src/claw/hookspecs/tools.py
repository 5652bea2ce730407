"""Tools and permissions

What the model can do and who allows it: tools, the transports that reach remote tool servers, sandboxes that
confine commands, the classifiers of the ``auto`` mode, the decision on each call and context added to a
result. Tools that depend on a live connection (MCP) register per session instead, through
``claw_session_start``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from claw._markers import hookspec

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable
    from pathlib import Path

    from claw._classifiers import Classifier, Verdict
    from claw._events import HookEvent
    from claw._permissions.gate import PermissionContext, PermissionPolicy
    from claw._sandboxes import Sandbox
    from claw._tools import Tool, ToolContext, ToolResult
    from claw._transports import Transport


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
    tool) confines them with ``claw.confine(session.sandbox, session.settings.get("sandbox"), argv,
    session.workspace, session.env)`` (:class:`claw.SessionContext`), which raises ``ConfigError`` when no
    usable sandbox is configured.

    :param register: called with a :class:`claw.Sandbox` subclass with a unique ``name``.
    :returns: nothing; sandboxes are registered through ``register``.

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


@hookspec
def claw_tool_call(tool_name: str, tool_input: dict[str, Any], ctx: ToolContext, tool_use_id: str) -> None:
    """A permitted tool call is about to run: observe it (claw-sdk saves the files ``Write``/``Edit``
    change, for the Agent SDK's ``rewind_files``). Every implementation is called; one that raises is
    reported and the call runs.

    :param tool_name: the tool's name (``Edit``).
    :param tool_input: the input it will run with.
    :param ctx: the session's tool context (``ctx.resolve(path)``, ``ctx.session_id``).
    :param tool_use_id: the call's id.
    :returns: nothing.

    .. versionadded:: 1.1
    """


@hookspec
def claw_tool_result(
    tool_name: str, tool_input: dict[str, Any], result: ToolResult, ctx: ToolContext, tool_use_id: str
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
    :param tool_use_id: the call's id (claw-sdk reports a background task it started under it).
    :returns: text to append to the result, an awaitable of it, or ``None`` to add nothing.

    .. versionadded:: 1.0
    """


# Permissions: the session's policy (``claw-permissions`` answers with its rule engine)


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
    ``safe_policy`` built-in decides: tools that only read inside the workspace run, everything else is
    asked about (denied in ``-p``), the bypass modes allow everything (disabled too: no run starts).

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

"""Plugins, commands and settings

What a plugin adds to claw itself: subcommands, built-in slash commands, options on runs, the settings keys
it owns, lines in ``claw doctor``, what a folder brings that runs only once the folder is trusted, where
that trust is remembered and how a run settles it; and, answered by built-ins, which plugins are installed
and what adds a subcommand or flag the command line does not know.
``claw_register_commands`` and ``claw_register_run_options`` run for ``claw --help`` too, so keep them
import-light."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from claw._markers import hookspec

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path
    from typing import TextIO

    import click

    from claw import DoctorCheck
    from claw._cli.slash_builtins import BuiltinCommand
    from claw._cli.stream_input import StreamJsonInput
    from claw._config import EffectiveSettings
    from claw._entry_points import Found
    from claw._loop.options import LoopOptions
    from claw._plugin_commands import CommandContext
    from claw._session_context import PluginFolder
    from claw._sessions import SessionState
    from claw._trust import WorkspaceTrust


@hookspec
def claw_register_commands(cli: click.Group) -> None:
    """Add subcommands to the ``claw`` command line.

    Add them with ``cli.add_command(...)`` or ``@cli.command()``. This hook runs for ``claw --help``
    too, so the command's module must stay import-light: import heavy code inside the command's
    callback. A command name already taken is rejected unless settings ``plugins.overrides`` hand the name
    to this plugin (as for tools), claw's own too (``doctor``, ``plugins``, ``resume-session``: built-in
    plugins, which register first). Inside a command, ``claw.command_context(ctx)`` (with
    ``@click.pass_context``) returns the run's :class:`claw.CommandContext`: workspace, environment,
    settings, registries and ``run_hook(event)``; ``claw.table(rows, headers)`` prints an aligned table
    and ``claw.emit_json(data)`` indented JSON.

    :param cli: the root ``claw`` click group.
    :returns: nothing; commands are added to ``cli``.

    .. versionadded:: 1.0
    """


@hookspec
def claw_register_slash_commands(register: Callable[[BuiltinCommand], None]) -> None:
    """Add built-in slash commands: a ``/name args`` that acts on the session without a model turn, typed
    in the REPL or TUI, given to ``claw -p`` (stream-json input too) or ``claw resume-session FILE``.

    ``register(claw.BuiltinCommand(name, summary, run, argument_hint=""))``; ``await run(context, args)``
    gets a :class:`claw.BuiltinContext` (the session, its messages, model, usage and cost, context use,
    permission mode, ``compact()``, ``help_text``, ``trust_store()``, and ``out`` for its report) and raises
    :class:`claw.ClawError` with one line when it fails. claw-commands registers ``/help``, ``/compact``,
    ``/cost``, ``/status``, ``/export [FILE]`` and ``/trust``. A built-in beats a session's slash command
    of its name (as in Claude Code); a name taken is rejected as for tools: a first-party plugin's unless
    settings ``plugins.overrides`` hand it over (``{"cost": "my-dist"}``). Called once per run, when
    first needed.

    :param register: the kernel's registration callback; it takes a :class:`claw.BuiltinCommand`.
    :returns: nothing; commands are added through ``register``.

    .. versionadded:: 1.1
    """


@hookspec(firstresult=True)
def claw_slash_dispatcher() -> Any:
    """Run the built-in slash commands (:func:`claw_register_slash_commands`) for the front ends
    (``claw.run_builtin``, ``claw.command_names``, ``claw.unknown_command``) and ``claw -p "/cost"``.

    Stops at first non-None result. claw's ``slash_commands`` built-in answers (``trylast``). With no
    answer no line is a built-in command and a ``/name`` prompt is one error line naming the built-in.
    The answer's methods each get the started agent loop: ``await run(loop, line, out)`` runs ``line``
    when it calls a built-in (its report on ``out``) and returns whether it did, raising
    :class:`claw.ClawError` when the command fails or ``line`` calls no command at all;
    ``await prompt(loop, prompt)`` runs a prompt calling one of the session's commands (``/review``) as
    the turn, returning the loop's outcome, or raises the error naming an unknown one;
    ``names(loop, commands)`` maps every name a prompt accepts after ``/``, the session's ``commands``
    too, to its description; ``unknown(loop, line, commands)`` the error for a ``/name`` none of them.

    :returns: the dispatcher, or ``None`` to leave it to the next plugin.

    .. versionadded:: 1.1
    """


@hookspec
def claw_register_run_options(register: Callable[[click.Option], None]) -> None:
    """Add options to ``claw`` runs (``claw -p`` and the REPL), such as claw-mcp's ``--mcp-config``.

    Called through pluggy while the root command's arguments are parsed, before click reads them (for
    ``claw --help`` too, which lists the options; never for ``claw --version``). The plugins are
    those the settings enable, read with the ``--work-dir``, ``--settings`` and ``--setting-sources``
    given on the same command line. Call ``register(click.Option([...], ...))`` once per option; for a
    flag Claude Code declares variadic (``--mcp-config <configs...>``), ``claw.VariadicOption([...],
    takes=...)``, whose value goes on over the next words ``takes`` accepts (``VariadicOption.path_word``,
    ``VariadicOption.rule_words`` or a function of the plugin's).
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
    (``docs/trust.md``). ``claude_code=adapt`` reads the key in Claude Code's own settings files:
    ``adapt(value, file)`` returns the value without what the plugin cannot use, warning about each part.

    :param register: the kernel's registration callback:
        ``register(key, model, description, *, requires_trust=False, claude_code=None)``.
    :returns: nothing; keys are declared through ``register``.

    .. versionadded:: 1.0
    """


@hookspec(firstresult=True)
def claw_entry_points(group: str, env: dict[str, str]) -> list[Found] | None:
    """The installed distributions' entry points in ``group`` (``claw``: the plugins a run loads).

    Stops at first non-None result. Called once per run, after the built-in plugins register and before
    any other plugin loads, so a built-in answers it: ``entry_point_cache`` answers from an index in the
    state directory kept until a distribution is installed or removed. With no answer (it is disabled)
    the kernel reads every distribution's metadata, as :func:`importlib.metadata.entry_points` does.

    :param group: the entry-point group.
    :param env: the process environment (where the state directory is).
    :returns: each entry point as a ``claw._entry_points.Found`` (``name``, ``value``, ``dist``,
        ``version``), or ``None`` to leave it to the next plugin.

    .. versionadded:: 1.1
    """


@hookspec
def claw_doctor_checks(
    settings: EffectiveSettings, env: dict[str, str], context: CommandContext
) -> list[DoctorCheck] | None:
    """Contribute lines to ``claw doctor`` (server reachability, missing binaries, token state).

    Must be quick and must not print secrets. A plugin that raises shows as a failed check. The
    sections ``claw``, ``config``, ``trust``, ``state``, ``plugins``, ``model`` and ``providers`` print
    first, in that order, whoever answers them (claw-commands answers ``trust``, ``state`` and
    ``providers``); other sections follow in answer order. Not called while a settings file is broken
    (a failed ``config`` check).

    :param settings: the effective settings (:class:`claw.EffectiveSettings`: ``data``, ``sources``,
        ``layers``, ``trust``).
    :param env: the process environment.
    :param context: the run (:class:`claw.CommandContext`: workspace, registries, ``trust_items()``),
        as a plugin command gets it.
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
def claw_trust_store(env: dict[str, str]) -> Any:
    """Where the folders the user trusted are remembered (``docs/trust.md``).

    Stops at first non-None result. The ``trust_store`` built-in answers (``trylast``) with
    :class:`claw.TrustStore`, ``<state dir>/trusted-folders.json``; a plugin answering first replaces it
    (an organisation's list, say). A store has ``trusted_root(folder)`` (the trusted folder ``folder``
    is, or is inside, by real path; ``None`` when none is) and ``add(folder)``, which the trust dialog's
    "always" answer and ``/trust`` call; ``claw trust --list``/``--revoke`` also need ``folders()`` and
    ``remove(folder)``. With no answer nothing is remembered: a run asks again, or runs untrusted.

    :param env: the process environment (where the state directory is).
    :returns: the store (a :class:`claw.TrustStore` or an object with those two methods), or ``None`` to
        leave it to the next plugin.

    .. versionadded:: 1.1
    """


@hookspec(firstresult=True)
def claw_settle_trust(context: CommandContext, options: LoopOptions) -> WorkspaceTrust | None:
    """Settle the folder's trust for a run as it starts: ``claw -p`` before its session, an interactive
    front end at its first session (``docs/trust.md``). Asked once per run. Stops at first non-None result.

    The ``workspace_trust`` built-in answers (``trylast``): ``-p`` trusted unless ``--require-trust``, an
    interactive run asking (:func:`claw_trust_dialog`). With no answer the trust the store remembers
    stands, and in a folder not trusted the kernel says in one line what is skipped.

    :param context: the run (its workspace, environment, ``trust_items()``).
    :param options: the run's options (``options.interactive``; plugin flags in ``options.extra``).
    :returns: the run's :class:`claw.WorkspaceTrust`, or ``None`` to leave it to the next plugin.

    .. versionadded:: 1.1
    """


# Runs: a ``claw`` run's options and its stream-json input side (the claw-sdk plugin speaks the
# Claude Agent SDK's control protocol through these).


@hookspec
def claw_adjust_run(options: LoopOptions) -> str | None:
    """Adjust a run's options, made from its command line, before anything runs (``claw -p`` and an
    interactive session alike): map a plugin's own run options onto claw's, or refuse them.

    The values of the options plugins added (:func:`claw_register_run_options`) are in ``options.extra``
    (claw-sdk maps ``--thinking`` onto ``options.reasoning_effort``). Called as pluggy calls hooks, the
    plugin registered last first; the built-ins that own claw's run flags are wrappers, so their values
    are on ``options`` before any plugin's adjustment, and a contradiction among them ends the run
    (``claw.UsageError``) before any runs. Settings are not read yet (:func:`claw_adjust_session` comes
    once they are).

    :param options: the run's :class:`claw.LoopOptions`, changed in place.
    :returns: ``None``, or a message refusing the run: it ends with that usage error (exit 2) before
        anything runs. A plugin running it elsewhere raises ``click.exceptions.Exit(0)`` (claw-agents' ``--bg``).

    .. versionadded:: 1.1
    """


@hookspec
def claw_adjust_session(
    options: LoopOptions, context: CommandContext, resumed: SessionState | None
) -> str | None:
    """Adjust a session's options once settings are read and the folder's trust settled, for what settings
    choose to load (claw-claude-plugins: the Claude Code plugins ``enabledPlugins`` turns on). Layers
    appended to ``options.settings`` join the settings. Not called for sub-agents (they run with their
    parent's).

    :param options: the session's :class:`claw.LoopOptions`, changed in place (give ``extra`` keys new
        values: a front end copies the options for each new session).
    :param context: the run (:class:`claw.CommandContext`: ``settings`` with trust applied, workspace).
    :param resumed: the session ``--resume``/``--continue`` goes on with, read back (its ``meta``: what
        plugins kept in ``options.meta`` last time, claw-agents' main-thread agent), ``None`` for a new one.
    :returns: ``None``, or a message ending the run (exit 1) before the session starts.

    .. versionadded:: 1.1
    """


@hookspec
def claw_plugin_folders(extra: dict[str, Any], context: CommandContext) -> list[PluginFolder] | None:
    """The Claude Code plugin folders a run would load, for a command that has no session (``claw agents
    list`` shows their agents); a run gets them on ``LoopOptions.plugin_folders`` instead.

    :param extra: the run options' values by parameter name, as given before the command
        (``ctx.find_root().params``: claw-claude-plugins reads ``plugin_dir``).
    :param context: the command's run (settings with trust applied, workspace, environment).
    :returns: the folders, or ``None`` (one that cannot be read is a warning line: the command goes on).

    .. versionadded:: 1.1
    """


@hookspec(firstresult=True)
def claw_stream_input(
    stdin: TextIO, out: TextIO, options: LoopOptions, replay: bool, permission_prompt: bool
) -> StreamJsonInput | None:
    """Read the stdin of a ``claw -p --input-format stream-json`` run: the client's messages.

    Stops at first non-None result. The answer meets :class:`claw.StreamJsonInput` (a Protocol): the
    kernel awaits its ``open(options)`` before the session starts and runs each prompt its
    ``prompts(loop)`` yields as the next turn. The kernel has no reader of its own: with no answer the
    run ends with one line naming claw-sdk (exit 1). claw-sdk answers (``trylast``, so another plugin's
    reader goes first) with its reader of Claude Code's user messages and the Claude Agent SDK's control
    protocol (`agent-sdk.md <agent-sdk.md>`_): ``initialize``, ``interrupt``, ``can_use_tool`` and the
    rest. A reader asks the session's plugins (:func:`claw_control_request`, :func:`claw_stop_task`)
    with ``loop.ctx.control_request``/``stop_task``.

    :param stdin: the process's standard input.
    :param out: the process's real standard output, shared with the stream-json renderer (write whole
        lines).
    :param options: the run's :class:`claw.LoopOptions` (``open`` may still change them).
    :param replay: ``--replay-user-messages``: echo each user message before its turn.
    :param permission_prompt: ``--permission-prompt-tool stdio``: permission questions go to the
        client; a reader that answers must set ``options.approver``.
    :returns: the reader, or ``None`` to leave stdin to the next plugin.

    .. versionadded:: 1.1
    """


@hookspec(firstresult=True)
def claw_unknown_name(name: str) -> str | None:
    """Why ``claw`` does not know ``name``, a subcommand (``sessions``) or a flag (``--plugin-dir``): the
    text of the one usage error (exit 2) the command line gives instead of click's "No such option" or
    its guess at a typo. Stops at first non-None result. The ``install_hints`` built-in answers
    (``trylast``) for the names of disabled built-ins and of first-party distributions not installed or
    disabled.

    :param name: the subcommand or flag as typed.
    :returns: the error's text, naming what to install or enable, or ``None`` to leave it to click.

    .. versionadded:: 1.1
    """

"""The root ``claw`` group: global options, and the commands plugins add (built-ins' first)."""

from __future__ import annotations

import difflib
import itertools
import os
import re
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from claw._cli import resume_collection
from claw._cli.run_options import run_options
from claw._version import version_line

if TYPE_CHECKING:
    from collections.abc import Callable

    from claw._plugins import Registration


class CliState:
    """Global options, and the :class:`claw._app.App` built from them on first use."""

    def __init__(self) -> None:
        self.work_dir: Path | None = None
        self.settings: str | None = None
        self.verbose = False
        self.setting_sources: tuple[str, ...] | None = None
        #: Options plugins added to this run (``claw_register_run_options``), in load order.
        self.plugin_options: list[click.Option] = []
        self._app: Any = None

    #: The root's parameters the plugins (through the settings) depend on: read before they load.
    PLACE = ("work_dir", "settings_arg", "setting_sources")

    def follow(self, params: dict[str, Any]) -> None:
        """Take the root's parsed ``params``; the app is built anew if they name another workspace or
        settings than it was built for (see :meth:`ClawGroup._add_plugin_options`)."""
        place = tuple(params.get(name) for name in self.PLACE)
        if place != (self.work_dir, self.settings, self.setting_sources):
            self.work_dir, self.settings, self.setting_sources = place
            self._app = None
        self.verbose = bool(params.get("verbose"))

    @property
    def app(self) -> Any:
        if self._app is None:
            from claw._app import App

            self._app = App(
                workspace=self.work_dir,
                cli_settings=self.settings,
                setting_sources=self.setting_sources,
            )
        return self._app


_COMMAND_LIKE = re.compile(r"^[a-z][a-z0-9_-]*$")


class ClawGroup(click.Group):
    """Lists built-in commands without importing them and adds plugin commands on demand.

    A first positional argument that is not a command is the prompt (``claw "fix the test"``,
    ``claw -p "fix the test"``), as in Claude Code; it is kept in ``ctx.meta["claw.prompt"]``.
    """

    def get_params(self, ctx: click.Context) -> list[click.Parameter]:
        """The kernel's options, then those plugins added to this invocation (kept on the context, not
        on the shared command object), then ``--help``."""
        params = super().get_params(ctx)
        added = ctx.meta.get(_RUN_OPTIONS, [])
        return [*params[: len(self.params)], *added, *params[len(self.params) :]]

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        ctx.meta["claw.argv"] = list(args)  # as given: claw-agents' --bg runs the same command line detached
        self._add_plugin_options(ctx, args)
        try:
            self._check_values(ctx, args)
            index = self._prompt_index(ctx, args)
            if index is not None:
                ctx.meta["claw.prompt"] = args[index]
                args = [a for i, a in enumerate(args) if i != index and not (a == "--" and i == index - 1)]
            rest = super().parse_args(ctx, args)
        except click.NoSuchOption as exc:
            unread = ctx.meta.get(_UNREAD_SETTINGS)
            if unread is not None:  # maybe a plugin's option: the settings that hid it are the error
                raise unread from None
            if (unknown := _unknown(exc.option_name, ctx)) is not None:
                raise unknown from None
            raise
        if index is not None and ctx._protected_args:
            extra = " ".join(ctx._protected_args + ctx.args)
            raise click.UsageError(
                f"unexpected argument(s) after the prompt: {extra} (quote the whole prompt)"
            )
        if isinstance(ctx.obj, CliState):
            ctx.obj.follow(ctx.params)
        # Start-up is over once the plugins are loaded, except for a print run: its start-up goes on
        # through importing the agent loop and starting it (run_print resumes collection then).
        if not (ctx.params.get("print_mode") and not ctx._protected_args):
            resume_collection()
        return rest

    def _add_plugin_options(self, ctx: click.Context, args: list[str]) -> None:
        """Load the plugins and add their run options before click parses ``args``, as docs/architecture.md
        ("Run options: plugins on the command line") tells step by step. ``--version`` (``-v``, as in Claude
        Code) loads no plugin: unknown options are ignored so it answers."""
        head = args[: args.index("--")] if "--" in args else args
        if "--version" in head or "-v" in head:
            ctx.ignore_unknown_options = True
            return
        if "--safe-mode" in head:  # before the plugins load: safe mode loads no third-party one
            os.environ["CLAUDE_CODE_SAFE_MODE"] = "1"
        state = CliState()
        try:  # plugins' options are not known yet: a value of one that reads --work-dir is taken for the
            # flag (the full parse corrects that), and what the early reading cannot take, the full one reports
            given, _ = self._parse(ctx, head, interspersed=True)
        except click.UsageError:
            given = {}
        early = {p.name: p for p in self.params if p.name in CliState.PLACE and p.name in given}
        state.follow({name: p.process_value(ctx, given[name]) for name, p in early.items()})
        from claw._errors import ConfigError

        try:
            state.plugin_options = _collect_run_options(state.app, self, ctx)
        except ConfigError as exc:
            # A settings file that cannot be read: the plugins cannot load, which ``claw doctor``
            # reports as a check, and a run as this error when it needs the settings.
            ctx.meta[_UNREAD_SETTINGS] = exc
        ctx.obj = state
        ctx.meta[_RUN_OPTIONS] = state.plugin_options

    def _check_values(self, ctx: click.Context, args: list[str]) -> None:
        """An option's value that is another option is a value forgotten: click would take ``-p`` for the
        model in ``claw --model -p "fix it"``, or ``--verbose`` for the text of ``--append-system-prompt``."""
        parser = self.make_parser(ctx)
        known = {**parser._long_opt, **parser._short_opt}
        for flag, value in itertools.pairwise(args[: args.index("--") if "--" in args else None]):
            option = known.get(flag)
            if option and option.takes_value and not option.obj._flag_needs_value and value in known:
                raise click.UsageError(f"Option '{flag}' requires an argument ({value} is an option).")

    def _parse(
        self, ctx: click.Context, args: list[str], *, interspersed: bool
    ) -> tuple[dict[str, Any], list[str]]:
        """click's own reading of ``args`` with the options known so far (the kernel's, and plugins' once
        added), without processing a value: the raw values by parameter name, and the arguments left
        from the first positional on (all of them, and options it does not know, with ``interspersed``)."""
        parser = self.make_parser(ctx)
        parser.allow_interspersed_args = interspersed
        parser.ignore_unknown_options |= interspersed
        given, rest, _ = parser.parse_args(list(args))
        return given, rest

    def _prompt_index(self, ctx: click.Context, args: list[str]) -> int | None:
        """Where the prompt is in ``args``, or ``None`` when the first positional names a command.

        With ``-p`` the first positional is always the prompt (``claw -p doctor`` asks the model about
        "doctor"). Without it, a single command-like word is taken as a command, so a typo such as
        ``claw doctr`` is a usage error rather than a paid request; a prompt with spaces is a prompt.
        """
        _, rest = self._parse(ctx, args, interspersed=False)
        i = len(args) - len(rest)
        if not rest or (i > 0 and args[i - 1] == "--") or any(a in ("-p", "--print") for a in args):
            return i if rest else None
        return None if rest[0] in self.commands or _COMMAND_LIKE.match(rest[0]) else i

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        """As click's, but an unknown command name (only single command-like words get here, see
        :meth:`_prompt_index`) names what adds it (``claw_unknown_name``), else the nearest command,
        built-in or plugin, or, when none is close, says how to send the word as a prompt instead. A
        usage error either way (exit 2)."""
        name = args[0]
        if ctx.resilient_parsing or name.startswith("-") or self.get_command(ctx, name) is not None:
            return super().resolve_command(ctx, args)
        if (unknown := _unknown(name, ctx)) is not None:
            raise unknown
        close = difflib.get_close_matches(name, self.list_commands(ctx), n=1, cutoff=0.6)
        hint = f"did you mean {close[0]!r}?" if close else f"to send it as a prompt: claw -p {name}"
        raise click.UsageError(f"no such command {name!r}; {hint}", ctx)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*self.commands, *state_of(ctx).app.commands.all()})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self.commands:
            return self.commands[cmd_name]
        unread = ctx.meta.get(_UNREAD_SETTINGS)
        if unread is None:
            return state_of(ctx).app.commands.get(cmd_name)
        # Settings that cannot be read: the built-ins' commands still answer, loaded on the defaults
        # (``claw doctor`` reports what is broken); a plugin's command needs the settings.
        command = _defaults_app(state_of(ctx)).commands.builtin().get(cmd_name)
        if command is None:
            raise unread
        return command


class _StagingGroup(click.Group):
    """The group ``claw_register_commands`` is given: each command added goes to the ``register`` of
    :meth:`claw._plugins.PluginManager.collect`, which notes the plugin that added it."""

    def __init__(self, register: Callable[..., None]) -> None:
        super().__init__(name="claw")
        self.register = register

    def add_command(self, cmd: click.Command, name: str | None = None) -> None:
        self.register(name or cmd.name or "", cmd)


class PluginCommands:
    """The subcommands plugins add (``claw_register_commands``) to one app, collected once, in two
    steps. The built-in plugins load first, so they own their names (another plugin takes one only when
    settings ``plugins.overrides`` hand it over, as for tools): looking one up (``claw plugins``) calls
    only the built-ins' hook, and the other plugins' command modules stay unimported."""

    def __init__(self, app: Any) -> None:
        self.app = app
        #: command name -> Registration((name, command), plugin).
        self._found: dict[str, Registration[Any]] = {}
        self._steps: set[bool] = set()

    def get(self, name: str) -> click.Command | None:
        if name not in self.app.pm.overrides and name in self.builtin():
            return self._found[name].obj[1]
        return self.all().get(name)

    def builtin(self) -> dict[str, click.Command]:
        """The built-ins' commands."""
        self._collect(builtins=True)
        return {n: reg.obj[1] for n, reg in self._found.items() if reg.plugin.status == "builtin"}

    def all(self) -> dict[str, click.Command]:
        self._collect(builtins=True)
        if False not in self._steps:
            start = time.perf_counter()
            self._collect(builtins=False)
            self.app.timed("register commands", start)
        return {n: reg.obj[1] for n, reg in self._found.items()}

    def _collect(self, *, builtins: bool) -> None:
        """Call ``claw_register_commands`` (through pluggy) on the built-ins or the others, once each."""
        if builtins in self._steps:
            return
        self._steps.add(builtins)
        self.app.pm.collect(
            "claw_register_commands",
            "commands",
            lambda item: [item[0]],
            lambda name, command: (name, command),
            builtins=builtins,
            into=self._found,
            given=lambda register: {"cli": _StagingGroup(register)},
        )


def _defaults_app(state: CliState) -> Any:
    """An app for the workspace on claw's default settings, with the built-in plugins only: where the
    built-ins' commands come from while the settings cannot be read."""
    from claw._app import App

    env = {k: v for k, v in os.environ.items() if k != "CLAW_PLUGIN_MODULES"}
    app = App(workspace=state.work_dir, env=env, load_entry_points=False)
    app.layers = []
    return app


def _unknown(name: str, ctx: click.Context) -> click.UsageError | None:
    """The usage error for ``name``, a subcommand or flag claw does not know, when a plugin says why
    (``claw_unknown_name``: the ``install_hints`` built-in names the distribution or built-in that adds
    it)."""
    why = state_of(ctx).app.pm.hook.claw_unknown_name(name=name)
    return click.UsageError(why, ctx) if why else None


#: ``ctx.meta`` key of the options plugins added to the invocation.
_RUN_OPTIONS = "claw.run_options"
#: ``ctx.meta`` key of the :class:`claw.ConfigError` that kept plugins from loading.
_UNREAD_SETTINGS = "claw.unread_settings"


def _collect_run_options(app: Any, root: click.Group, ctx: click.Context) -> list[click.Option]:
    """Call ``claw_register_run_options`` once (through pluggy); reject an option whose parameter name
    or flag is the kernel's (the root's options, ``--help``) or, via the plugin manager, another's."""
    kernel = {n for p in root.get_params(ctx) for n in (p.name, *p.opts, *p.secondary_opts) if n}

    def names_of(option: Any) -> list[str]:
        if not isinstance(option, click.Option):
            raise TypeError(f"expected a click.Option, got {option!r}")
        names = [*option.opts, *option.secondary_opts, *([option.name] if option.name else [])]
        taken = next((n for n in names if n in kernel), None)
        if taken is not None:
            where = "" if taken == names[0] else f" (of {names[0]})"
            raise ValueError(f'"{taken}"{where} is already an option of claw itself')
        return names

    from claw._plugins import unique

    registry = app.pm.collect("claw_register_run_options", "run_options", names_of)
    # An option keeps its place only while it still holds all its names (plugins.overrides may have
    # handed one of them to another plugin's option).
    return [r.obj for r in unique(registry) if all(registry[n] is r for n in names_of(r.obj))]


def state_of(ctx: click.Context) -> CliState:
    """The invocation's state (for subcommand modules too), made while the root's arguments are parsed
    (see :meth:`ClawGroup._add_plugin_options`), else from its parsed options."""
    root = ctx.find_root()
    if not isinstance(root.obj, CliState):
        root.obj = CliState()
        root.obj.follow(root.params)
    return root.obj


def _setting_sources(ctx: click.Context, param: click.Parameter, value: str | None) -> tuple[str, ...] | None:
    """``"user,project"`` -> ``("user", "project")``; an empty value loads no file scope."""
    if value is None:
        return None
    from claw._config import FILE_SCOPES

    names = tuple(dict.fromkeys(n.strip() for n in value.split(",") if n.strip()))
    bad = [n for n in names if n not in FILE_SCOPES]
    if bad:
        raise click.BadParameter(f"unknown source {bad[0]!r} (choose from user, project, local)", ctx, param)
    return names


def _print_version(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    if value and not ctx.resilient_parsing:
        click.echo(version_line())
        ctx.exit()


@click.group(
    cls=ClawGroup,
    invoke_without_command=True,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.option(
    "-v",
    "--version",
    is_flag=True,
    expose_value=False,
    is_eager=True,
    callback=_print_version,
    help="Show the version and exit.",
)
@click.option(
    "--work-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Workspace directory (default: the current directory).",
)
@click.option(
    "--settings",
    "settings_arg",
    metavar="FILE|JSON",
    help="Extra settings for this run: a file or an inline JSON object.",
)
@click.option(
    "--setting-sources",
    "setting_sources",
    metavar="SOURCES",
    callback=_setting_sources,
    help="Comma-separated settings file scopes to read: user, project, local (default all). "
    "--settings and managed settings always apply.",
)
@click.option("--verbose", is_flag=True, help="Debug logging on stderr and full tracebacks.")
@run_options
@click.pass_context
def cli(
    ctx: click.Context,
    work_dir: Path | None,
    settings_arg: str | None,
    setting_sources: tuple[str, ...] | None,
    verbose: bool,
    **run_params: Any,
) -> None:
    """claw: an agentic coding runtime. A model reads, edits and runs code in your workspace,
    under the permissions, hooks and plugins you choose.

    \b
    claw -p "PROMPT"     answer once and exit (the prompt may also come on stdin)
    claw ["PROMPT"]      interactive session (a terminal is needed)"""
    if work_dir is not None and not work_dir.is_dir():
        raise click.BadParameter(f"no such directory: {work_dir}", param_hint="--work-dir")
    if verbose and not os.environ.get("CLAUDE_CODE_ENTRYPOINT", "").startswith("sdk"):
        # Spawned by the Claude Agent SDK (which sets CLAUDE_CODE_ENTRYPOINT), --verbose is only what
        # stream-json output requires, as in Claude Code: no debug lines in the application's stderr.
        from claw import _log as log

        log.configure(verbose=True)
    if ctx.invoked_subcommand is None:
        from claw._cli.run import run_root

        run_root(ctx, ctx.meta.get("claw.prompt"), run_params)

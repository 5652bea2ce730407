"""Running a session from the command line: ``claw -p PROMPT`` (print mode), ``claw [PROMPT]`` (the
line REPL) and ``claw resume-session FILE``.

Flags follow Claude Code's (``code.claude.com/docs/en/cli-reference``); see ``docs/cli.md``. This module
holds no option table (:mod:`claw._cli.run_options`), so ``claw --help`` need not import it.
"""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

import click

from claw._cli.reserved_stdout import reserved_stdout
from claw._cli.run_options import RESUME_PICK
from claw._errors import ClawError, UsageError, internal_error

if TYPE_CHECKING:
    from claw._cli._root import CliState
    from claw._cli.stream_input import StreamJsonInput


def add_dirs(values: Sequence[str]) -> list[Path]:
    """``--add-dir`` values, absolute (relative to the current directory); each must be a directory."""
    for value in values:
        if not Path(value).expanduser().is_dir():
            raise UsageError(f"--add-dir: not a directory: {value}")
    return [Path(v).expanduser().resolve() for v in values]


def loop_options(state: CliState, params: dict[str, Any]) -> Any:
    """:class:`claw.LoopOptions` from the root command's parameters; the values of the options plugins
    added go to ``extra`` (``SessionContext.extra``), and the plugins adjust them (``claw_adjust_run``).
    Settings are not read here (the loop applies their defaults when it starts): an interactive front end
    gets its options, and its screen up, before settings are validated.

    :raises UsageError: a bad combination of flags, or a plugin refusing one of its own.
    """
    from claw._loop.options import LoopOptions

    options = LoopOptions(
        model=params.get("model"),
        fallback_models=list(params.get("fallback_model") or []) or None,
        reasoning_effort=params.get("reasoning_effort"),
        max_turns=params.get("max_turns"),
        max_budget_usd=params.get("max_budget_usd"),
        extra={o.name: params.get(o.name) for o in state.plugin_options if o.name},
    )
    refusal = next((r for r in state.app.pm.hook.claw_adjust_run(options=options) if r), None)
    if options.resume == RESUME_PICK and params.get("print_mode"):
        raise UsageError("--resume needs a session id (or latest) with -p")
    if refusal is not None:
        raise UsageError(str(refusal))
    return options


def _interactive(pm: Any, front_end: dict[str, Any]) -> int:
    """The exit code of the interactive front end (``claw_interactive``).

    :raises ClawError: none answered: no front end is installed and enabled, or those there are cannot
        serve this terminal (claw-tui with ``TERM=dumb``, stdin not a terminal); the one line says what to
        install."""
    code = pm.hook.claw_interactive(**front_end)
    if code is not None:
        return code
    install = "pip install claw-repl (the line REPL) or claw-tui (full screen); claw -p PROMPT needs neither"
    declined = sorted({record.dist or record.name for record in pm.implementers("claw_interactive")})
    if declined:
        raise ClawError(
            f"no interactive front end serves this terminal ({', '.join(declined)} declined): {install}"
        )
    raise ClawError(f"no interactive front end is installed or enabled: {install}")


def run_root(ctx: click.Context, prompt: str | list[str] | None, params: dict[str, Any]) -> None:
    """The root command without a subcommand: print mode, the REPL, or help. ``prompt`` may be lines
    to run in order (``resume-session FILE /compact /cost "next step"``), in print mode."""
    from claw._cli._root import state_of

    state = state_of(ctx)
    prompt, params = _seed_spellings(prompt, params)
    print_mode = bool(params.get("print_mode"))
    interactive_stdin = sys.stdin is not None and sys.stdin.isatty()
    fmt = params.get("output_format") or "text"
    stream_input = params.get("input_format") == "stream-json"
    if stream_input and fmt != "stream-json":  # checked first: the REPL (text output) is no exception
        raise UsageError("--input-format=stream-json requires --output-format=stream-json")
    prompt_tool = params.get("permission_prompt_tool")
    if prompt_tool == "stdio" and not stream_input:
        raise UsageError("--permission-prompt-tool stdio requires --input-format=stream-json")
    if params.get("replay_user_messages") and not stream_input:
        raise UsageError("--replay-user-messages requires --input-format=stream-json")
    for flag in ("include_hook_events", "include_partial_messages"):  # lines only stream-json prints
        if params.get(flag) and fmt != "stream-json":
            raise UsageError(f"--{flag.replace('_', '-')} requires --output-format=stream-json")
    if not print_mode and (interactive_stdin or params.get("repl")):
        from claw._plugin_commands import CommandContext

        if fmt != "text":
            raise UsageError("--output-format applies to print mode (-p) only")
        if prompt_tool:
            raise UsageError("--permission-prompt-tool applies to print mode (-p) only")
        initial = prompt if isinstance(prompt, str) else None  # lines come only with resume-session (-p)
        # The front end first, then everything else: its screen goes up before the agent loop, settings
        # validation and the trust question (``CommandContext.agent_loop``) are paid for.
        front_end = dict(
            context=CommandContext(state.app), options=loop_options(state, params), initial=initial
        )
        ctx.exit(_interactive(state.app.pm, front_end))
    lines: list[str] = []
    if stream_input:
        if prompt:
            raise UsageError("with --input-format=stream-json the prompts come on stdin, not as an argument")
    else:
        lines = _with_stdin(
            state.app, prompt, "" if sys.stdin is None or interactive_stdin else sys.stdin.read(10 << 20)
        )
        if not any(line.strip() for line in lines):
            if not print_mode:
                click.echo(ctx.get_help())
                return
            raise UsageError("no prompt: give it as an argument or on stdin when using --print")
    if fmt == "stream-json" and not state.verbose:
        raise ClawError("when using --print, --output-format=stream-json requires --verbose")
    if stream_input and sys.stdin is None:
        raise UsageError("--input-format=stream-json needs a standard input")
    with reserved_stdout() as out:
        options = loop_options(state, params)
        state.app.settle_trust(options)
        reader = _stream_input(state.app, options, out, params) if stream_input else lines
        code = run_print(state.app, options, reader, params, out=out)
    ctx.exit(code)


def _stream_input(app: Any, options: Any, out: TextIO, params: dict[str, Any]) -> StreamJsonInput:
    """The reader of stdin: a plugin's (``claw_stream_input``: claw-sdk's reads Claude Code's user
    messages and speaks the Agent SDK's control protocol).

    :raises ClawError: no plugin reads stdin (nor, with ``--permission-prompt-tool stdio``, asks the client).
    """
    from claw._cli.stream_input import NO_READER

    replay, ask = bool(params.get("replay_user_messages")), params.get("permission_prompt_tool") == "stdio"
    reader = app.pm.hook.claw_stream_input(
        stdin=sys.stdin, out=out, options=options, replay=replay, permission_prompt=ask
    )
    if reader is None:
        raise ClawError(NO_READER)
    return reader


def _seed_spellings(
    prompt: str | list[str] | None, params: dict[str, Any]
) -> tuple[str | list[str] | None, dict[str, Any]]:
    """claw-code-go's spellings, as the flags they stand for: ``--prompt PROMPT`` is ``-p PROMPT``,
    ``--repl`` (the REPL even off a terminal) excludes print mode."""
    params = dict(params)
    if params.get("prompt_text") is not None:
        if prompt is not None:
            raise UsageError("--prompt and a prompt argument cannot be used together")
        prompt, params["print_mode"] = params["prompt_text"], True
    if params.get("repl") and params.get("print_mode"):
        raise UsageError("--repl and -p/--print/--prompt cannot be used together")
    return prompt, params


def _with_stdin(app: Any, prompt: str | list[str] | None, piped: str) -> list[str]:
    """The lines to run: piped stdin goes before the prompt, separated by a blank line; after
    ``resume-session``'s lines it is the prompt, unless the last line is one (then it goes before it)."""
    lines = [prompt] if isinstance(prompt, str) else list(prompt or [])
    if not piped:
        return lines
    from claw._session_context import slash_call

    last = slash_call(lines[-1]) if lines and isinstance(prompt, list) else None
    if not lines or (last is not None and last.name in app.slash_commands):
        return [*lines, piped]
    return [*lines[:-1], f"{piped.rstrip()}\n\n{lines[-1]}"]


class Terminated(ClawError):
    """Ended by SIGTERM (a CI timeout) or SIGHUP (a closed terminal) as by Ctrl-C: exit 143 or 129."""


def run_print(
    app: Any, options: Any, prompt: list[str] | StreamJsonInput, params: dict[str, Any], *, out: TextIO
) -> int:
    """Run each prompt of a list, or each a stream-json client sends (:class:`~claw.StreamJsonInput`), as
    the next turn of one session (:func:`_session`); returns the exit code (1 if any turn failed). ``out``
    is the real stdout (:func:`claw._cli.reserved_stdout.reserved_stdout`). Ctrl-C raises
    ``KeyboardInterrupt`` (exit 130) after the session is saved."""
    import asyncio

    try:
        return asyncio.run(_session(app, options, prompt, params, out))
    except asyncio.CancelledError as exc:
        end = Terminated(f"terminated by {exc.args[0] if exc.args else 'SIGTERM'}; the session is saved")
        end.exit_code = 129 if exc.args == ("SIGHUP",) else 143
        raise end from None


async def _session(
    app: Any, options: Any, prompt: list[str] | StreamJsonInput, params: dict[str, Any], out: TextIO
) -> int:
    """:func:`run_print`'s session, in the ``--output-format`` of ``params``. A built-in ``/command``
    (``claw_slash_dispatcher``) runs in a prompt's place, its report on stdout (:func:`_builtin`). With ``--include-hook-events`` (stream-json), every hook run is reported as
    ``hook_started``/``hook_response`` messages."""
    import asyncio
    import signal
    import time

    from claw._cli import resume_collection
    from claw._loop import AgentLoop
    from claw._output import output_renderer, shapes

    fmt = params.get("output_format") or "text"
    renderer = output_renderer(app.pm, fmt, bool(params.get("include_partial_messages")), out)
    if not isinstance(prompt, list):
        await prompt.open(options)  # an initialize request configures the session it starts
    loop = AgentLoop(app, options, renderer)
    session_id = lambda: loop.session.id if loop.session is not None else ""  # noqa: E731
    if params.get("include_hook_events"):
        options.on_hook_run = lambda record: renderer.hook_run(record, session_id())
    reason, task = "other", asyncio.current_task()
    for sig in (signal.SIGTERM, signal.SIGHUP) if task is not None else ():
        asyncio.get_running_loop().add_signal_handler(sig, task.cancel, sig.name)  # type: ignore[union-attr]
    started = time.perf_counter()
    try:
        await loop.start()
        # Start-up ends at the run's first wait for I/O (the first request's connection, normally),
        # so building and sending that request still happens with the collector paused; or at the
        # end of the first turn, should nothing in it wait (_run_all).
        asyncio.get_running_loop().call_soon(resume_collection)
        prompts = _listed(prompt) if isinstance(prompt, list) else prompt.prompts(loop)
        exit_code, turns = await _run_all(loop, prompts, out if fmt == "text" else None)
    except asyncio.CancelledError:
        reason = "interrupted"
        raise
    except Exception as exc:
        if fmt == "json":  # the one result object was not printed: print it, then fail as usual
            message = str(exc) if isinstance(exc, ClawError) else internal_error(exc)
            elapsed = (time.perf_counter() - started) * 1000
            renderer.result(shapes.error_result(message, session_id(), elapsed))
        raise
    finally:
        await loop.close(reason)
    if not turns:
        raise ClawError("no prompt: stdin held no user message (--input-format=stream-json)")
    return exit_code


async def _listed(lines: list[str]) -> AsyncIterator[Any]:
    for line in lines:
        yield line


async def _builtin(loop: Any, dispatcher: Any, prompt: str, report: TextIO | None) -> int | None:
    """Run built-in ``/command`` ``prompt``: its exit code (``None``: it is none). Its report goes to
    ``report`` (text output), else, as Claude Code's, into a ``system/local_command_output`` message and
    the ``result`` (json, stream-json): a client waiting for each message's result gets one, an error
    one for a command that failed or does not exist (the session goes on with the next message)."""
    import io
    import time

    from claw import _console as console
    from claw._output import shapes

    started, said, session_id = time.perf_counter(), io.StringIO(), loop.session.id
    try:
        if not await dispatcher.run(loop, prompt, report or said):
            return None
    except ClawError as exc:
        if report is not None:
            raise
        console.error(str(exc))
        loop.renderer.result(
            shapes.error_result(str(exc), session_id, (time.perf_counter() - started) * 1000)
        )
        return 1
    if report is None:
        text = said.getvalue().rstrip("\n")
        loop.renderer.system({"subtype": "local_command_output", "content": text, "session_id": session_id})
        elapsed = (time.perf_counter() - started) * 1000
        loop.renderer.result(shapes.error_result(text, session_id, elapsed, subtype="success"))
    return 0


async def _run_all(loop: Any, prompts: AsyncIterator[Any], report: TextIO | None) -> tuple[int, int]:
    """Each prompt as the next turn (a built-in ``/command`` in its place), ``None`` (a stream-json
    reader woken while idle) as a turn of the notices waiting; ``(exit code, prompted turns)``."""
    from claw import _console as console
    from claw._cli import resume_collection
    from claw._session_context import slash_call

    exit_code, turns = 0, 0
    async for each in prompts:
        if each is None:
            outcome = await loop.run_notices(loop.ctx.take_notices())
        else:
            turns += 1
            # Only a /command can be a built-in: the dispatcher (and the built-ins) load for one.
            slash = isinstance(each, str) and slash_call(each)
            dispatcher = loop.app.pm.hook.claw_slash_dispatcher() if slash else None
            code = await _builtin(loop, dispatcher, each, report) if dispatcher is not None else None
            if code is not None:
                exit_code = max(exit_code, code)
                continue
            outcome = await loop.run_prompt(each)
        resume_collection()
        if outcome.error:
            console.error(outcome.error)
        exit_code = max(exit_code, outcome.exit_code)
    return exit_code, turns

"""The line REPL: ``claw`` (or ``claw "PROMPT"``) on a terminal. It is claw-repl's ``claw_interactive``
answer (:mod:`claw_repl.plugin`); a plugin can put another front end in its place.

Lines come from :mod:`claw_repl.line_input`: on a terminal a line editor with history (kept per
workspace under the state dir) and Tab completion of slash commands; otherwise plain lines.
Built-in commands (run by :func:`claw.run_builtin`; claw-commands' ``/help``, ``/compact``, ``/cost``,
``/status``, ``/export``, ``/trust`` and other plugins'), and ``/exit`` / ``/quit``; any other ``/name args`` expands a slash command from the session
(``.claw/commands``, MCP prompts, ...) and sends the result as the prompt. Tool calls that need approval are asked about on the terminal: allow once, for the
session, always, or deny.

Ctrl-C during a turn stops that turn (the session keeps what happened, unanswered tool calls are
marked interrupted) and returns to the prompt; at the prompt it drops the line being typed. Ctrl-D (end
of input) ends the session; so does SIGINT when input is piped, with exit 130.
"""

from __future__ import annotations

import asyncio
import json
import signal
import sys
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, TextIO

import claw

from claw_repl.line_input import Interrupted, LineReader, Woken, open_reader

if TYPE_CHECKING:
    from claw import CommandContext, LoopOptions


def banner(loop: Any) -> str:
    """The lines shown as the REPL starts: what answers (model), where (workspace), under which
    permission mode and in which session. Plain information on stderr, not a warning.

    Each fact is ``name: value``; the model's is where how it was chosen (a default) belongs."""
    assert loop.session is not None
    facts = [
        f"model: {loop.model_choice.describe(loop.chain[0].address)}",  # and why it was chosen
        f"workspace: {loop.workspace}",
        f"permission mode: {loop.permissions.mode}",
    ]
    named = f"{loop.session.state.name} ({loop.session.id})" if loop.session.state.name else loop.session.id
    return (
        f"claw {claw.VERSION} | " + " | ".join(facts) + "\n"
        f"session {named}; /help for commands, Up/Down for earlier prompts, "
        "Ctrl-C stops a turn, Ctrl-D exits"
    )


#: How often the REPL, notices waiting, looks again for an empty prompt to wake the model at.
WAKE_POLL_SECONDS = 1.0

_CHOICES = {"y": "once", "s": "session", "a": "always", "n": "deny"}


class Terminal:
    """The person at the terminal, for the permission engine and for tools that ask.

    ``stop_turn`` stops the running turn and says whether there was one: Ctrl-C typed as a key while a
    question waits (the line editor takes the terminal raw, so no SIGINT) stops the turn as a SIGINT
    would."""

    def __init__(self, reader: LineReader, stop_turn: Callable[[], bool]) -> None:
        self.reader = reader
        self.stop_turn = stop_turn

    async def ask_permission(self, tool_name: str, tool_input: Mapping[str, Any], reason: str) -> str:
        """``once``, ``session``, ``always`` or ``deny``."""
        summary = json.dumps(dict(tool_input), ensure_ascii=False)
        if len(summary) > 300:
            summary = summary[:300] + "..."
        sys.stderr.write(f"\nclaw wants to use {tool_name}: {summary}\n")
        if reason:
            sys.stderr.write(f"  ({reason})\n")
        while True:
            answer = await self._answer(
                "  [y] allow once  [s] allow for this session  [a] always allow  [n] deny: "
            )
            if answer is None:
                return "deny"
            choice = _CHOICES.get(answer.strip().lower()[:1])
            if choice:
                return choice

    async def ask_question(self, question: str, options: list[str] | None) -> str | None:
        """``ToolContext.ask``."""
        hint = f" ({' / '.join(options)})" if options else ""
        return await self._answer(f"\n{question}{hint}\n> ")

    async def _answer(self, prompt: str) -> str | None:
        try:
            return await self.reader.read(prompt)
        except Interrupted:
            if self.stop_turn():
                await asyncio.get_running_loop().create_future()  # the turn's cancellation lands here
            return None


async def _handle(loop: Any, line: str) -> Any:
    """Run one input line: a built-in command (``/help``, ``/compact``, ``/cost``, ...), else a prompt or
    a session /command it expands; returns the turn's outcome (``None`` for a built-in)."""
    if await claw.run_builtin(loop, line, sys.stderr):
        return None
    return await loop.run_prompt(line)


async def _read_or_wake(reader: LineReader, loop: Any) -> str | None:
    """The next prompt line, ``None`` at end of input; :raises Woken: when notices came (a background
    command or sub-agent ended, ``SessionContext.notify``) while the prompt stood empty, so the model
    reacts without anyone typing, as in Claude Code. :raises Interrupted: on Ctrl-C."""

    async def watch() -> None:
        await loop.ctx.wait_notices()  # the cue a stream-json session wakes on too (claw-sdk)
        while not (loop.ctx.has_notices and reader.wake()):  # half a prompt typed: the notices wait
            await asyncio.sleep(WAKE_POLL_SECONDS)

    watcher = asyncio.ensure_future(watch())
    try:
        return await reader.read(prompt(loop.session.state.name, sys.stdout), history=True)
    finally:
        watcher.cancel()


def prompt(name: str, screen: TextIO) -> str:
    """The prompt, led by the session's ``name`` (``-n``, ``/rename``) when it has one, as Claude Code shows
    it in its prompt box; on a terminal the name also titles the window (OSC 0), as Claude Code's does."""
    if not name:
        return "\n> "
    if screen.isatty():
        screen.write(f"\x1b]0;{name}\x07")
        screen.flush()
    return f"\n[{name}] > "


def _verdict(line: str, commands: Mapping[str, Any], loop: Any) -> str:
    """What the REPL does with an input line: ``"run"`` it, ``"skip"`` it (empty, or an unknown
    /command, reported) or ``"exit"`` (``/exit``, ``/quit``)."""
    if not line:
        return "skip"
    if line.split(maxsplit=1)[0] in ("/exit", "/quit"):
        return "exit"
    unknown = claw.unknown_command(line, commands, loop)
    if unknown is not None:
        claw.error(str(unknown))
        return "skip"
    return "run"


def run_repl(context: CommandContext, options: LoopOptions, initial: str | None) -> int:
    """Run the REPL until ``/exit`` or end of input; returns the exit code (claw-repl's
    ``claw_interactive``)."""
    from claw_repl.render import ReplRenderer, notice_lines

    async def main() -> int:
        main_task = asyncio.current_task()
        turn: asyncio.Task[Any] | None = None
        commands: Mapping[str, Any] = {}
        reader = open_reader(
            claw.history_file(context.workspace, context.env), lambda: claw.command_names(commands, loop)
        )

        def stop_turn() -> bool:
            if turn is None or turn.done():
                return False
            turn.cancel()
            return True

        def on_sigint() -> None:
            if not stop_turn() and not reader.interrupt() and main_task is not None:
                main_task.cancel()  # piped input: nothing to clear, end the session

        terminal = Terminal(reader, stop_turn)
        options.interactive = True
        options.asker = terminal.ask_permission
        options.tool_asker = terminal.ask_question
        loop = context.agent_loop(options, ReplRenderer(context.renderer()))
        reason = "prompt_input_exit"
        asyncio.get_running_loop().add_signal_handler(signal.SIGINT, on_sigint)
        try:
            await loop.start()
            assert loop.session is not None and loop.ctx is not None
            commands = loop.ctx.commands
            sys.stderr.write(banner(loop) + "\n")
            sys.stderr.flush()
            if initial is not None:
                reader.remember(initial)
            pending = initial
            while True:
                try:
                    line = pending if pending is not None else await _read_or_wake(reader, loop)
                except Interrupted:
                    continue
                except Woken:  # the notices are the turn's message (loop.run_notices), one line each here
                    notices = loop.ctx.take_notices()
                    sys.stderr.write("".join(line + "\n" for line in notice_lines(notices)))
                    sys.stderr.flush()
                    work = loop.run_notices(notices)
                else:
                    pending = None
                    if line is None:
                        break
                    line = line.strip()
                    verdict = _verdict(line, commands, loop)
                    if verdict == "exit":
                        break
                    if verdict == "skip":
                        continue
                    work = _handle(loop, line)
                turn = asyncio.ensure_future(work)
                try:
                    outcome = await turn
                except (
                    claw.ClawError
                ) as exc:  # a /command that failed to expand, /export to a file that exists
                    claw.error(str(exc))
                    continue
                except asyncio.CancelledError:
                    if main_task is not None and main_task.cancelling():
                        raise
                    sys.stderr.write("\n(interrupted)\n")
                    continue
                finally:
                    turn = None
                if outcome is not None and outcome.error:
                    claw.error(outcome.error)
        except asyncio.CancelledError:
            reason = "interrupted"
            raise
        finally:
            asyncio.get_running_loop().remove_signal_handler(signal.SIGINT)
            await loop.close(reason)
        return 0

    try:
        return asyncio.run(main())
    except asyncio.CancelledError:
        raise KeyboardInterrupt from None

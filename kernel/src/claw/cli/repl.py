"""The line REPL: ``claw`` (or ``claw "PROMPT"``) on a terminal. The full-screen TUI comes later.

Built-in commands (:mod:`claw.cli.slash_builtins`): ``/help``, ``/compact``, ``/cost``, ``/status``,
``/export``, and ``/exit``; any other ``/name args`` expands a slash command from the session
(``.claw/commands``, MCP prompts, ...) and sends the result as the prompt. Tool calls
that need approval are asked about on the terminal: allow once, for the session, always, or deny.

Ctrl-C during a turn stops that turn (the session keeps what happened, unanswered tool calls are
marked interrupted) and returns to the prompt; Ctrl-C at the prompt ends the session (exit 130).
"""

from __future__ import annotations

import asyncio
import json
import signal
import sys
import threading
from collections.abc import Mapping
from typing import Any

from claw import console
from claw.cli import slash_builtins
from claw.errors import ClawError
from claw.loop import slash

_CHOICES = {"y": "once", "s": "session", "a": "always", "n": "deny"}


def _prompt_line(prompt: str) -> str | None:
    sys.stderr.write(prompt)
    sys.stderr.flush()
    line = sys.stdin.readline()
    return None if line == "" else line.rstrip("\n")


async def read_line(prompt: str) -> str | None:
    """Read a line without blocking the event loop, on a daemon thread: a thread blocked on the terminal
    must not keep the process alive once the session ends (``asyncio.to_thread`` would)."""
    loop = asyncio.get_running_loop()
    future: asyncio.Future[str | None] = loop.create_future()

    def deliver(value: str | None, error: BaseException | None) -> None:
        if future.done():
            return
        if error is not None:
            future.set_exception(error)
        else:
            future.set_result(value)

    def work() -> None:
        try:
            line = _prompt_line(prompt)
        except Exception as exc:
            loop.call_soon_threadsafe(deliver, None, exc)
        else:
            loop.call_soon_threadsafe(deliver, line, None)

    threading.Thread(target=work, name="claw-repl-input", daemon=True).start()
    return await future


async def ask_permission(tool_name: str, tool_input: Mapping[str, Any], reason: str) -> str:
    """The terminal asker handed to the permission engine: ``once``, ``session``, ``always`` or ``deny``."""
    summary = json.dumps(dict(tool_input), ensure_ascii=False)
    if len(summary) > 300:
        summary = summary[:300] + "..."
    sys.stderr.write(f"\nclaw wants to use {tool_name}: {summary}\n")
    if reason:
        sys.stderr.write(f"  ({reason})\n")
    while True:
        answer = await read_line("  [y] allow once  [s] allow for this session  [a] always allow  [n] deny: ")
        if answer is None:
            return "deny"
        choice = _CHOICES.get(answer.strip().lower()[:1])
        if choice:
            return choice


async def ask_question(question: str, options: list[str] | None) -> str | None:
    """``ToolContext.ask`` on a terminal."""
    hint = f" ({' / '.join(options)})" if options else ""
    return await read_line(f"\n{question}{hint}\n> ")


def run_repl(app: Any, options: Any, initial: str | None) -> int:
    """Run the REPL until ``/exit`` or end of input; returns the exit code."""
    from claw.loop import AgentLoop
    from claw.output import ReplRenderer

    options.interactive = True
    options.asker = ask_permission
    options.tool_asker = ask_question

    async def main() -> int:
        loop = AgentLoop(app, options, ReplRenderer())
        reason = "prompt_input_exit"
        main_task = asyncio.current_task()
        turn: asyncio.Task[Any] | None = None

        def on_sigint() -> None:
            if turn is not None and not turn.done():
                turn.cancel()  # stop this turn, stay in the REPL
            elif main_task is not None:
                main_task.cancel()  # at the prompt: end the session

        asyncio.get_running_loop().add_signal_handler(signal.SIGINT, on_sigint)
        try:
            await loop.start()
            assert loop.session is not None and loop.ctx is not None
            console.warn(loop.model_line(), once=False)
            console.warn(f"session {loop.session.id}; /help for commands, Ctrl-C stops a turn", once=False)
            pending = initial
            while True:
                line = pending if pending is not None else await read_line("\n> ")
                pending = None
                if line is None:
                    break
                line = line.strip()
                if not line:
                    continue
                call = slash.parse(line)
                if call is not None and call.name in ("exit", "quit"):
                    break
                try:
                    if await slash_builtins.run(loop, line, sys.stderr):
                        continue
                except ClawError as exc:  # /export to a file that exists
                    console.error(str(exc))
                    continue
                turn = asyncio.create_task(loop.run_prompt(line))  # expands any other /command
                try:
                    outcome = await turn
                except ClawError as exc:  # an unknown /command, one that failed to expand
                    console.error(str(exc))
                    continue
                except asyncio.CancelledError:
                    if main_task is not None and main_task.cancelling():
                        raise
                    sys.stderr.write("\n(interrupted)\n")
                    continue
                finally:
                    turn = None
                if outcome.error:
                    console.error(outcome.error)
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

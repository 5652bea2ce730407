"""The line REPL: ``claw`` (or ``claw "PROMPT"``) on a terminal. The full-screen TUI comes later.

Built-in commands: ``/help``, ``/compact``, ``/exit``; any other ``/name args`` expands a slash command
from the session (``.claw/commands``, MCP prompts, ...) and sends the result as the prompt. Tool calls
that need approval are asked about on the terminal: allow once, for the session, always, or deny.
"""

from __future__ import annotations

import asyncio
import json
import sys
from collections.abc import Mapping
from typing import Any

from claw import console

HELP = """\
/help              this list
/compact           summarise older turns now to free context
/exit              end the session (also Ctrl-D)
/<command> [args]  run a slash command ({commands})"""

_CHOICES = {"y": "once", "s": "session", "a": "always", "n": "deny"}


def _prompt_line(prompt: str) -> str | None:
    sys.stderr.write(prompt)
    sys.stderr.flush()
    line = sys.stdin.readline()
    return None if line == "" else line.rstrip("\n")


async def ask_permission(tool_name: str, tool_input: Mapping[str, Any], reason: str) -> str:
    """The terminal asker handed to the permission engine: ``once``, ``session``, ``always`` or ``deny``."""
    summary = json.dumps(dict(tool_input), ensure_ascii=False)
    if len(summary) > 300:
        summary = summary[:300] + "..."
    sys.stderr.write(f"\nclaw wants to use {tool_name}: {summary}\n")
    if reason:
        sys.stderr.write(f"  ({reason})\n")
    while True:
        answer = await asyncio.to_thread(
            _prompt_line, "  [y] allow once  [s] allow for this session  [a] always allow  [n] deny: "
        )
        if answer is None:
            return "deny"
        choice = _CHOICES.get(answer.strip().lower()[:1])
        if choice:
            return choice


async def ask_question(question: str, options: list[str] | None) -> str | None:
    """``ToolContext.ask`` on a terminal."""
    hint = f" ({' / '.join(options)})" if options else ""
    return await asyncio.to_thread(_prompt_line, f"\n{question}{hint}\n> ")


def run_repl(app: Any, options: Any, initial: str | None) -> int:
    """Run the REPL until ``/exit`` or end of input; returns the exit code."""
    from claw.loop import AgentLoop
    from claw.output import TextRenderer

    options.interactive = True
    options.asker = ask_permission
    options.tool_asker = ask_question

    async def main() -> int:
        loop = AgentLoop(app, options, TextRenderer())
        reason = "prompt_input_exit"
        try:
            await loop.start()
            assert loop.session is not None and loop.ctx is not None
            console.warn(f"session {loop.session.id}; /help for commands", once=False)
            pending = initial
            while True:
                line = pending if pending is not None else await asyncio.to_thread(_prompt_line, "\n> ")
                pending = None
                if line is None:
                    break
                line = line.strip()
                if not line:
                    continue
                if line.startswith("/"):
                    name, _, args = line[1:].partition(" ")
                    if name in ("exit", "quit"):
                        break
                    if name == "help":
                        sys.stderr.write(
                            HELP.format(commands=", ".join(sorted(loop.ctx.commands)) or "none") + "\n"
                        )
                        continue
                    if name == "compact":
                        if await loop.compact("manual"):
                            sys.stderr.write("compacted\n")
                        continue
                    command = loop.ctx.commands.get(name)
                    if command is None:
                        console.error(f"unknown command /{name}; /help lists them")
                        continue
                    line = await command.expand(args)
                outcome = await loop.run_prompt(line)
                if outcome.error:
                    console.error(outcome.error)
        except asyncio.CancelledError:
            reason = "interrupted"
            raise
        finally:
            await loop.close(reason)
        return 0

    return asyncio.run(main())

"""The options of a ``claw`` run (``claw -p``, ``claw [PROMPT]``, ``claw resume-session``), as click
declares them. Flags follow Claude Code's (``code.claude.com/docs/en/cli-reference``); see ``docs/cli.md``.
Imported for ``claw --help``, so it holds only the table.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

EFFORTS = ("low", "medium", "high", "xhigh", "max")
_FILE = click.Path(exists=True, dir_okay=False, path_type=Path)

#: ``options.resume`` for ``claw --resume`` without an id: an interactive front end lets the person pick
#: (claw-tui); the line REPL (claw-repl) cannot, and says so.
RESUME_PICK = ""

_OPTIONS: list[Callable[[Any], Any]] = [
    click.option(
        "-p",
        "--print",
        "print_mode",
        is_flag=True,
        help="Answer the prompt and exit (non-interactive). The prompt may come on stdin.",
    ),
    click.option(
        "--prompt",
        "prompt_text",
        metavar="PROMPT",
        help="claw-code-go's spelling of -p PROMPT.",
    ),
    click.option(
        "--repl", is_flag=True, help="Start the interactive REPL even when stdin is not a terminal."
    ),
    click.option(
        "--model",
        metavar="MODEL",
        help="provider/model-id, an alias (sonnet, opus, haiku) or a bare id. Overrides settings model.",
    ),
    click.option(
        "--fallback-model",
        "fallback_model",
        multiple=True,
        metavar="MODEL[,MODEL]",
        help="Models tried in order when the model's retries are exhausted.",
    ),
    click.option(
        "--reasoning-effort",
        "--effort",
        "reasoning_effort",
        type=click.Choice(EFFORTS),
        help="Reasoning effort; a level the model lacks maps to one it supports (with a warning).",
    ),
    click.option("--max-turns", type=click.IntRange(min=1), help="Stop after N model turns."),
    click.option(
        "--max-budget-usd",
        type=click.FloatRange(min=0),
        help="Stop once the run has cost this much.",
    ),
    click.option(
        "--output-format",
        type=click.Choice(["text", "json", "stream-json"]),
        default="text",
        help="text (streamed), json (one result object) or stream-json (one event per line; needs --verbose).",
    ),
    click.option(
        "--input-format",
        type=click.Choice(["text", "stream-json"]),
        default="text",
        help="text (the prompt) or stream-json (NDJSON user messages on stdin, one turn each; "
        "needs --output-format stream-json).",
    ),
    click.option(
        "--replay-user-messages",
        is_flag=True,
        help="With stream-json input and output: echo each user message on stdout before its turn.",
    ),
    click.option(
        "--include-partial-messages",
        is_flag=True,
        help="With stream-json: also print stream_event lines as the answer streams.",
    ),
    click.option(
        "--include-hook-events",
        is_flag=True,
        help="With stream-json: print hook_started and hook_response system messages.",
    ),
    click.option(
        "--session-dir",
        type=click.Path(file_okay=False, path_type=Path),
        help="Where session files live (default: the workspace's folder in the state dir).",
    ),
    click.option(
        "-r",
        "--resume",
        is_flag=False,
        flag_value="",
        metavar="[ID|latest|PATH]",
        help="Resume a session; without an id, pick one (in the full-screen UI, claw-tui).",
    ),
    click.option("--session", metavar="ID", help="claw-code-go's spelling of --resume ID."),
    click.option(
        "-c", "--continue", "continue_", is_flag=True, help="Resume the latest session of this workspace."
    ),
    click.option("--fork-session", is_flag=True, help="With --resume/--continue: continue in a new session."),
    click.option("--session-id", metavar="UUID", help="Use this id for the new session."),
    click.option("--no-session-persistence", is_flag=True, help="Do not save the session."),
    click.option(
        "--permission-mode",
        metavar="MODE",
        help="default, acceptEdits, plan, auto, dontAsk, bypassPermissions (or claw's modes).",
    ),
    click.option(
        "--dangerously-skip-permissions", is_flag=True, help="Same as --permission-mode bypassPermissions."
    ),
    click.option(
        "--permission-prompt-tool",
        metavar="TOOL|stdio",
        help="With -p: the MCP tool (mcp__server__tool) that answers permission questions; stdio: ask "
        "the stream-json client (can_use_tool).",
    ),
    click.option(
        "--allowed-tools",
        "--allowedTools",
        "allowed_tools",
        multiple=True,
        metavar="RULES",
        help='Permission rules to allow, e.g. "Bash(git log *)" Read.',
    ),
    click.option(
        "--disallowed-tools",
        "--disallowedTools",
        "disallowed_tools",
        multiple=True,
        metavar="RULES",
        help="Permission rules to deny; a bare tool name hides the tool.",
    ),
    click.option(
        "--tools",
        metavar="NAMES",
        help='Offer only these tools ("Bash,Edit,Read"); "" for none, "default" for all.',
    ),
    click.option(
        "--add-dir",
        "add_dir",
        multiple=True,
        metavar="DIR",
        help="Also let tools work in this directory (repeatable).",
    ),
    click.option("--system-prompt", help="Replace claw's own instructions."),
    click.option(
        "--system-prompt-file",
        type=_FILE,
        help="Replace claw's own instructions with this file's text.",
    ),
    click.option("--append-system-prompt", help="Add text to the end of the system prompt."),
    click.option(
        "--append-system-prompt-file",
        type=_FILE,
        help="Add this file's text to the end of the system prompt.",
    ),
]


def run_options(f: Any) -> Any:
    for option in reversed(_OPTIONS):
        f = option(f)
    return f

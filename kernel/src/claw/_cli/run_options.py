"""The options of a ``claw`` run (``claw -p``, ``claw [PROMPT]``, ``claw resume-session``), as click
declares them. Flags follow Claude Code's (``code.claude.com/docs/en/cli-reference``); see ``docs/cli.md``.
Imported for ``claw --help``, so it holds only the table.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click

EFFORTS = ("low", "medium", "high", "xhigh", "max")

#: ``options.resume`` for ``claw --resume`` without an id: an interactive front end lets the person pick
#: (claw-tui); the line REPL (claw-repl) cannot, and says so.
RESUME_PICK = ""


def _named(kind: click.ParamType, name: str) -> click.ParamType:
    """``kind`` saying ``'abc' is not a valid number`` rather than click's ``... valid float range``."""
    kind.name = name
    return kind


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
        type=click.Choice(EFFORTS, case_sensitive=False),
        help="Reasoning effort; a level the model lacks maps to one it supports (with a warning).",
    ),
    click.option(
        "--max-turns",
        type=_named(click.IntRange(min=1), "integer"),
        metavar="N",
        help="Stop after N model turns.",
    ),
    click.option(
        "--max-budget-usd",
        type=_named(click.FloatRange(min=0), "number"),
        metavar="USD",
        help="Stop once the run has cost this many US dollars.",
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
]


def run_options(f: Any) -> Any:
    for option in reversed(_OPTIONS):
        f = option(f)
    return f

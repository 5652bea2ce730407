"""The Claude Code flags the Claude Agent SDKs pass that claw's own options do not cover.

The SDKs (Python ``claude-agent-sdk``, TypeScript ``@anthropic-ai/claude-agent-sdk``) spawn their CLI
with flags built from the caller's options; see ``docs/agent-sdk.md`` for the full table. Each flag
here is honoured, mapped to claw's nearest equivalent, accepted with a warning where ignoring it only
changes how the answer is shown or billed, or refused with a message naming what to do instead where
ignoring it would lose data or silently change what runs. This module is imported for ``claw --help``,
so only the option table is at module level.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

_FILE = click.Path(exists=True, dir_okay=False, path_type=Path)

OPTIONS: list[Callable[[Any], Any]] = [
    click.option(
        "--system-prompt-file",
        type=_FILE,
        default=None,
        help="Replace claw's own instructions with this file's text.",
    ),
    click.option(
        "--append-system-prompt-file",
        type=_FILE,
        default=None,
        help="Add this file's text to the end of the system prompt.",
    ),
    click.option(
        "--max-thinking-tokens",
        type=click.IntRange(min=0),
        default=None,
        metavar="N",
        help="Claude Code's thinking budget, as the nearest --effort level.",
    ),
    click.option(
        "--thinking",
        type=click.Choice(["adaptive", "enabled", "disabled"]),
        default=None,
        help="Claude Code's thinking switch: adaptive and enabled keep claw's default, disabled is --effort low.",
    ),
    click.option(
        "--thinking-display",
        type=click.Choice(["summarized", "omitted"]),
        default=None,
        help="Accepted for the Agent SDK; claw shows thinking as the model returns it.",
    ),
    click.option(
        "--include-hook-events",
        is_flag=True,
        help="With stream-json: print hook_started and hook_response system messages.",
    ),
    click.option(
        "--betas",
        multiple=True,
        metavar="NAMES",
        help="Accepted for the Agent SDK; claw sends the beta headers each provider needs itself.",
    ),
    click.option(
        "--task-budget",
        type=click.IntRange(min=1),
        default=None,
        metavar="TOKENS",
        help="Accepted for the Agent SDK; use --max-budget-usd to bound a run.",
    ),
    click.option(
        "--allow-dangerously-skip-permissions",
        is_flag=True,
        help="Accepted for the Agent SDK: claw always lets a session switch to bypassPermissions.",
    ),
    click.option("--plugin-dir", multiple=True, metavar="DIR", hidden=True),
    click.option("--session-mirror", is_flag=True, hidden=True),
    click.option("--resume-session-at", default=None, metavar="UUID", hidden=True),
    click.option("--resume-drops-turn", default=None, hidden=True),
]

#: Flags claw refuses, with what to do instead (ignoring them would lose data or change what runs).
_REFUSED = {
    "plugin_dir": "--plugin-dir: claw does not load Claude Code plugins from a directory for one run; "
    "install the plugin from a marketplace (claw plugin install) instead",
    "session_mirror": "--session-mirror: claw does not mirror transcripts to an SDK session store; "
    "its sessions are JSONL files in the state dir (drop the SDK's session_store option)",
    "resume_session_at": "--resume-session-at: claw resumes a session only at its end; "
    "fork it with --resume ID --fork-session instead",
    "resume_drops_turn": "--resume-drops-turn: claw resumes a session only at its end",
}

#: Budgets of Claude Code's ``--max-thinking-tokens`` -> the effort claw asks for instead (up to).
_EFFORT_BUDGETS = ((4096, "low"), (16384, "medium"), (32768, "high"), (65536, "xhigh"))


def effort_for_budget(tokens: int) -> str:
    """The effort level closest to a thinking budget: 0 (no thinking) and small budgets are ``low``."""
    return next((effort for limit, effort in _EFFORT_BUDGETS if tokens <= limit), "max")


def resolve(params: dict[str, Any]) -> dict[str, Any]:
    """``params`` with the SDK flags turned into claw's own (``--system-prompt-file`` into
    ``system_prompt``, a thinking budget into ``reasoning_effort``), warnings printed for the ones
    accepted without effect.

    :raises UsageError: for a refused flag, or a file flag given with its text flag.
    """
    from claw import console
    from claw.errors import UsageError

    params = dict(params)
    for name, why in _REFUSED.items():
        if params.get(name):
            raise UsageError(why)
    for flag, text, key in (
        ("--system-prompt-file", "--system-prompt", "system_prompt"),
        ("--append-system-prompt-file", "--append-system-prompt", "append_system_prompt"),
    ):
        path = params.get(key + "_file")
        if path is None:
            continue
        if params.get(key) is not None:
            raise UsageError(f"{text} and {flag} cannot be used together")
        try:
            params[key] = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise UsageError(f"{flag}: cannot read {path}: {exc}") from None
    if not params.get("reasoning_effort"):
        if params.get("thinking") == "disabled":
            params["reasoning_effort"] = "low"
        elif params.get("max_thinking_tokens") is not None:
            params["reasoning_effort"] = effort_for_budget(params["max_thinking_tokens"])
    if params.get("thinking_display"):
        console.warn("--thinking-display has no effect in claw: thinking is shown as the model returns it")
    if params.get("betas"):
        console.warn("--betas has no effect in claw: each provider sends the beta headers it needs")
    if params.get("task_budget") is not None:
        console.warn("--task-budget has no effect in claw; bound a run with --max-budget-usd or --max-turns")
    return params

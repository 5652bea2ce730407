"""The Claude Code flags the Claude Agent SDKs pass that claw's own options do not cover.

The SDKs (Python ``claude-agent-sdk``, TypeScript ``@anthropic-ai/claude-agent-sdk``) spawn their CLI
with flags built from the caller's options; see ``docs/agent-sdk.md`` for the full table. Each flag
here is mapped to claw's nearest equivalent, accepted with a warning where ignoring it only changes how
the answer is shown or billed, or refused with a message naming what to do instead where ignoring it
would lose data or silently change what runs. This module is imported for ``claw --help``, so it
holds only the option table and what reads it.
"""

from __future__ import annotations

import re
from typing import Any

import claw
import click

#: Words after ``--betas``'s value that are more beta names (Claude Code's ``<betas...>``): dated header
#: names (``context-1m-2025-08-07``), or several joined by commas; a prompt is not one.
_BETA = r"[a-z][a-z0-9-]*-\d{4}-\d{2}-\d{2}"
_BETAS = re.compile(rf"{_BETA}(?:,{_BETA})*")


def options() -> list[click.Option]:
    """The SDK's flags, as options of ``claw`` runs; their values reach ``LoopOptions.extra``."""
    return [
        click.Option(
            ["--max-thinking-tokens"],
            type=click.IntRange(min=0),
            default=None,
            metavar="N",
            help="Claude Code's thinking budget, as the nearest --effort level.",
        ),
        click.Option(
            ["--thinking"],
            type=click.Choice(["adaptive", "enabled", "disabled"]),
            default=None,
            help="Claude Code's thinking switch: adaptive and enabled keep claw's default, disabled is "
            "--effort low.",
        ),
        click.Option(
            ["--thinking-display"],
            type=click.Choice(["summarized", "omitted"]),
            default=None,
            help="Accepted for the Agent SDK; claw shows thinking as the model returns it.",
        ),
        claw.VariadicOption(
            ["--betas"],
            takes=_BETAS.fullmatch,
            metavar="NAMES...",
            help="Accepted for the Agent SDK; claw sends the beta headers each provider needs itself.",
        ),
        click.Option(
            ["--task-budget"],
            type=click.IntRange(min=1),
            default=None,
            metavar="TOKENS",
            help="Accepted for the Agent SDK; use --max-budget-usd to bound a run.",
        ),
        click.Option(
            ["--allow-dangerously-skip-permissions"],
            is_flag=True,
            help="Accepted for the Agent SDK: claw always lets a session switch to bypassPermissions.",
        ),
        # The TypeScript SDK's launch flags for options it sends in ``initialize`` (claw_sdk.init_fields).
        click.Option(["--await-initialize"], is_flag=True, hidden=True),
        click.Option(["--initialize-fields"], default=None, metavar="FIELDS", hidden=True),
        click.Option(["--managed-settings-in-initialize"], is_flag=True, hidden=True),
        click.Option(["--managed-settings"], default=None, metavar="JSON", hidden=True),
        click.Option(["--session-mirror"], is_flag=True, hidden=True),
        click.Option(["--resume-session-at"], default=None, metavar="UUID", hidden=True),
        click.Option(["--resume-drops-turn"], default=None, hidden=True),
    ]


#: Flags claw refuses, with what to do instead (ignoring them would lose data or change what runs).
_REFUSED = {
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


def adjust(options: Any) -> str | None:
    """Apply the SDK flags' values (``options.extra``) to :class:`claw.LoopOptions`: a thinking budget
    or switch becomes ``reasoning_effort`` (unless ``--effort`` was given); warnings are printed for the
    flags accepted without effect. Returns why the run is refused, for a refused flag."""
    from claw import warn

    values: dict[str, Any] = options.extra
    refused = next((why for name, why in _REFUSED.items() if values.get(name)), None)
    if refused is not None:
        return refused
    refused = (
        _managed_settings(options, values["managed_settings"]) if values.get("managed_settings") else None
    )
    if refused is not None:
        return refused
    if not options.reasoning_effort:
        if values.get("thinking") == "disabled":
            options.reasoning_effort = "low"
        elif values.get("max_thinking_tokens") is not None:
            options.reasoning_effort = effort_for_budget(values["max_thinking_tokens"])
    if values.get("thinking_display"):
        warn("--thinking-display has no effect in claw: thinking is shown as the model returns it")
    if values.get("betas"):
        warn("--betas has no effect in claw: each provider sends the beta headers it needs")
    if values.get("task_budget") is not None:
        warn("--task-budget has no effect in claw; bound a run with --max-budget-usd or --max-turns")
    return None


def _managed_settings(options: Any, value: str) -> str | None:
    """``--managed-settings JSON`` (the SDK's ``managedSettings``): a managed layer, as policy; returns why
    the run is refused when it cannot be applied."""
    from claw import ClawError, parse_json

    from claw_sdk.init_fields import add_settings

    try:
        if add_settings(options, parse_json(value, "--managed-settings"), "managedSettings", "managed"):
            return None
    except ClawError as exc:
        return str(exc)
    return "--managed-settings: these settings must be set before claw starts"

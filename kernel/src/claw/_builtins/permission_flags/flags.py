"""The permission flags' table and their mapping onto :class:`claw.LoopOptions` (imported for ``claw --help``:
click only)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from claw._loop.options import LoopOptions

_RULE = re.compile(r"[^\s,()]+(?:\([^)]*\))?")
#: A word Claude Code's variadic ``--allowedTools A B`` takes as one more rule: a tool name (capitalised,
#: or an MCP ``mcp__`` name) with an optional ``(specifier)``, or several joined by commas.
_NAME = r"(?:[A-Z][\w-]*|mcp__[\w-]*)(?:\([^)]*\))?"
_MORE_RULES = re.compile(rf"{_NAME}(?:\s*,\s*{_NAME})*")


class _RulesOption(click.Option):
    """An option whose value goes on over the next words that read as rules, as Claude Code's
    ``--allowedTools <tools...>`` (commander's variadic option) does: ``--allowedTools "Bash(git log *)"
    Read`` is two rules. A prompt with spaces, an option or a lowercase word ends it."""

    def add_to_parser(self, parser: Any, ctx: click.Context) -> None:
        super().add_to_parser(parser, ctx)
        # click has no variadic option: its parser's entry for this option gets the words first
        option = parser._long_opt[self.opts[0]]
        process = option.process

        def take_rules(value: Any, state: Any) -> None:
            words = [value]
            while state.rargs and _MORE_RULES.fullmatch(state.rargs[0]):
                words.append(state.rargs.pop(0))
            process(" ".join(words), state)

        option.process = take_rules


def options() -> list[click.Option]:
    """The options, in the order ``claw --help`` lists them."""
    return [
        click.Option(
            ["--permission-mode"],
            metavar="MODE",
            help="default, acceptEdits, plan, auto, dontAsk, bypassPermissions (or claw's modes).",
        ),
        click.Option(
            ["--dangerously-skip-permissions"],
            is_flag=True,
            help="Same as --permission-mode bypassPermissions.",
        ),
        click.Option(
            ["--permission-prompt-tool"],
            metavar="TOOL|stdio",
            help="With -p: the MCP tool (mcp__server__tool) that answers permission questions; stdio: ask "
            "the stream-json client (can_use_tool).",
        ),
        _RulesOption(
            ["--allowed-tools", "--allowedTools", "allowed_tools"],
            multiple=True,
            metavar="RULES",
            help='Permission rules to allow, e.g. "Bash(git log *)" Read.',
        ),
        _RulesOption(
            ["--disallowed-tools", "--disallowedTools", "disallowed_tools"],
            multiple=True,
            metavar="RULES",
            help="Permission rules to deny; a bare tool name hides the tool.",
        ),
        click.Option(
            ["--tools"],
            metavar="NAMES",
            help='Offer only these tools ("Bash,Edit,Read"); "" for none, "default" for all.',
        ),
        click.Option(
            ["--add-dir", "add_dir"],
            multiple=True,
            metavar="DIR",
            help="Also let tools work in this directory (repeatable).",
        ),
    ]


def split_rules(values: tuple[str, ...] | list[str]) -> list[str]:
    """``("Bash(git log *) Read", "Edit,Write")`` -> ``["Bash(git log *)", "Read", "Edit", "Write"]``."""
    return [m.group(0) for v in values for m in _RULE.finditer(v)]


def adjust(options: LoopOptions) -> str | None:
    """The flags' values (``options.extra``) onto ``options``; an ``--add-dir`` that is no directory
    refused. ``--permission-prompt-tool stdio`` is the stream-json client's, which the CLI frame asks."""
    from claw._cli.run import add_dirs
    from claw._errors import UsageError

    given = options.extra
    try:
        options.add_dirs = add_dirs(given.get("add_dir") or ())
    except UsageError as exc:
        return str(exc)
    tools = given.get("tools")
    options.tools = None if tools is None or tools.strip() == "default" else split_rules([tools])
    skip = given.get("dangerously_skip_permissions")
    options.permission_mode = "bypassPermissions" if skip else given.get("permission_mode")
    prompt_tool = given.get("permission_prompt_tool")
    options.permission_prompt_tool = prompt_tool if prompt_tool != "stdio" else None
    options.allowed_tools = split_rules(given.get("allowed_tools") or ())
    options.disallowed_tools = split_rules(given.get("disallowed_tools") or ())
    return None

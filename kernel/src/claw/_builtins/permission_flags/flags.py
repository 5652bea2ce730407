"""The permission flags' table and their mapping onto :class:`claw.LoopOptions` (imported for ``claw --help``:
click only)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import click

from claw._cli.variadic import VariadicOption

if TYPE_CHECKING:
    from claw._loop.options import LoopOptions

_RULE = re.compile(r"[^\s,()]+(?:\([^)]*\))?")


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
        VariadicOption(
            ["--allowed-tools", "--allowedTools", "allowed_tools"],
            takes=VariadicOption.rule_words,
            metavar="RULES...",
            help='Permission rules to allow, e.g. "Bash(git log *)" Read.',
        ),
        VariadicOption(
            ["--disallowed-tools", "--disallowedTools", "disallowed_tools"],
            takes=VariadicOption.rule_words,
            metavar="RULES...",
            help="Permission rules to deny; a bare tool name hides the tool.",
        ),
        VariadicOption(
            ["--tools"],
            takes=VariadicOption.rule_words,
            metavar="NAMES...",
            help='Offer only these tools (Bash,Edit,Read); "" for none, "default" for all.',
        ),
        VariadicOption(
            ["--add-dir", "add_dir"],
            takes=VariadicOption.path_word,
            metavar="DIRS...",
            help="Also let tools work in these directories.",
        ),
    ]


def split_rules(values: tuple[str, ...] | list[str]) -> list[str]:
    """``("Bash(git log *) Read", "Edit,Write")`` -> ``["Bash(git log *)", "Read", "Edit", "Write"]``.

    :raises ValueError: a parenthesis left open or unopened: ``"Bash(git log *"`` would read as ``Bash``
        and three words, and allow every command.
    """
    for value in values:
        if _RULE.sub("", value).strip(" \t\n,"):
            raise ValueError(f"unbalanced parenthesis in {value!r}")
    return [m.group(0) for v in values for m in _RULE.finditer(v)]


def adjust(options: LoopOptions) -> str | None:
    """The flags' values (``options.extra``) onto ``options``; an ``--add-dir`` that is no directory or a
    rule with an unbalanced parenthesis refused. ``--permission-prompt-tool stdio`` is the stream-json
    client's, which the CLI frame asks."""
    from claw._cli.run import add_dirs
    from claw._errors import UsageError

    given = options.extra
    try:
        options.add_dirs = add_dirs(given.get("add_dir") or ())
    except UsageError as exc:
        return str(exc)
    for key in ("tools", "allowed_tools", "disallowed_tools"):
        try:
            setattr(options, key, split_rules(given.get(key) or ()))
        except ValueError as exc:
            return f"--{key.replace('_', '-')}: {exc}"
    tools = given.get("tools") or ()
    if not tools or " ".join(tools).strip() == "default":
        options.tools = None
    skip = given.get("dangerously_skip_permissions")
    options.permission_mode = "bypassPermissions" if skip else given.get("permission_mode")
    prompt_tool = given.get("permission_prompt_tool")
    options.permission_prompt_tool = prompt_tool if prompt_tool != "stdio" else None
    return None

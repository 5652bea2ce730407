"""Claude Code's variadic flags (commander's ``--add-dir <directories...>``) in click, which has none: one
option class for the kernel's flags and plugins' run options alike (imported for ``claw --help``: click
only)."""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from typing import Any

import click

#: A permission rule or tool name (capitalised, or an MCP ``mcp__`` name, globs too) with an optional
#: ``(specifier)``, or several joined by commas: ``Read``, ``"Bash(git log *)"``, ``Edit,Write``, ``mcp__*``.
_NAME = r"(?:[A-Z][\w*-]*|mcp__[\w*-]*|\*)(?:\([^)]*\))?"
_RULES = re.compile(rf"{_NAME}(?:\s*,\s*{_NAME})*")


class VariadicOption(click.Option):
    """An option that, like Claude Code's ``<values...>`` flags, also takes the words after its value
    (``--add-dir ../apps ../lib``), each one value as if the flag were repeated. Unlike commander, which
    takes every word up to the next option, it takes them while ``takes`` (:meth:`path_word`,
    :meth:`rule_words`, ...) accepts them, so a prompt after the flag stays the prompt."""

    def __init__(self, *args: Any, takes: Callable[[str], object], **kwargs: Any) -> None:
        super().__init__(*args, multiple=True, **kwargs)
        self.takes = takes

    def add_to_parser(self, parser: Any, ctx: click.Context) -> None:
        super().add_to_parser(parser, ctx)
        # click's parser has one entry for all of the option's spellings: it gets the words first
        option = parser._long_opt.get(self.opts[0]) or parser._short_opt[self.opts[0]]
        process = option.process

        def take_words(value: Any, state: Any) -> None:
            process(value, state)
            while state.rargs and self.takes(state.rargs[0]):
                process(state.rargs.pop(0), state)

        option.process = take_words

    @staticmethod
    def path_word(word: str) -> bool:
        """A word that reads as a path: it starts with ``.`` or ``~`` or holds a separator, and has no
        space or leading ``-``. ``/review`` (a slash command as prompt) counts only if it is a directory."""
        if not word or word[0] == "-" or any(c.isspace() for c in word):
            return False
        if word[0] == "/" and "/" not in word[1:]:
            return os.path.isdir(word)
        return word[0] in ".~" or "/" in word or os.sep in word

    @staticmethod
    def rule_words(word: str) -> bool:
        """A word that reads as rules or tool names: a lowercase word or a sentence is a prompt."""
        return _RULES.fullmatch(word) is not None

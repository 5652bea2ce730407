"""A bash command line read with a real bash grammar: the simple commands it runs (nested ones in
``$(...)``, backticks and ``<(...)`` included), and the files its redirections read and write.

The grammar is tree-sitter's (``tree-sitter`` + ``tree-sitter-bash``), chosen over ``bashlex``:

- coverage: bashlex raises on ``[[ ... ]]``, arrays, ``$(( ))`` and ``case``, all common in model
  commands; tree-sitter-bash parses them and marks what it cannot read as an error node, which we
  turn into "cannot be analysed" (the permission engine then asks instead of guessing);
- speed: about 200,000 parses a second against bashlex's 3,000, which matters on the permission
  path (the engine's benchmark wants > 50,000 decisions a second);
- maintenance and wheels: both are maintained by the tree-sitter organisation with abi3/manylinux
  wheels for every CPython, where bashlex is a pure-Python port of an old bash parser;
- import cost: about 25 ms, paid at the first ``Bash`` call, never at start-up.

This module is the one reader of shell syntax: ``Bash.access()`` declares what it finds to the
permission engine (one ``execute`` access per simple command, ``read``/``write`` accesses for
redirections) and :mod:`claw_tools_shell._confine` builds its write and ``cd`` checks on it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

#: Nodes that run one command (``[[ ... ]]`` and ``export X=1`` included).
_COMMANDS = frozenset({"command", "declaration_command", "unset_command", "test_command"})
#: Redirection operators that write their target (``>&`` only when the target is not a descriptor).
_WRITES = frozenset({">", ">>", ">|", "&>", "&>>", "<>", ">&"})
#: Redirection targets that are not files.
_HARMLESS = frozenset({"/dev/null", "/dev/stdout", "/dev/stderr", "/dev/tty", "/dev/zero"})


@dataclass
class Command:
    """One simple command: its text as written (redirections left out), its words unquoted, and the
    files its redirections read and write."""

    text: str
    words: tuple[str, ...]
    #: Where each word starts in ``text`` (so a form of the command can be cut from it as written).
    starts: tuple[int, ...] = ()
    reads: list[str] = field(default_factory=list)
    writes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Syntax:
    """What one command line runs, reads and writes, in the order it appears."""

    commands: tuple[Command, ...] = ()
    #: Files read by ``<`` redirections.
    reads: tuple[str, ...] = ()
    #: Files written by ``>``, ``>>``, ``&>``, ``>|`` ... redirections (``/dev/null`` and friends left out).
    writes: tuple[str, ...] = ()
    #: Why the line cannot be analysed (a syntax error), or ``None``.
    error: str | None = None
    #: Redirections before any command (``> out.txt`` alone truncates ``out.txt``).
    orphans: Command | None = None


@lru_cache(maxsize=1)
def _parser() -> Any:
    import tree_sitter
    import tree_sitter_bash

    return tree_sitter.Parser(tree_sitter.Language(tree_sitter_bash.language()))


@lru_cache(maxsize=4096)
def parse(line: str) -> Syntax:
    """Read ``line``. Pure, so cached: the same commands come back again and again in a session."""
    source = line.encode("utf-8", "surrogateescape")
    root = _parser().parse(source).root_node
    if root.has_error:
        return Syntax(error=_error(root, source))
    reader = _Reader(source)
    reader.visit(root)
    return Syntax(tuple(reader.commands), tuple(reader.reads), tuple(reader.writes), orphans=reader.orphans)


def _error(root: Any, source: bytes) -> str:
    """A short description of the first error node (``unexpected ")"``, ``missing ")"``)."""
    stack = [root]
    while stack:
        node = stack.pop()
        if node.is_missing:
            return f'missing "{node.type}"'
        if node.type == "ERROR":
            text = source[node.start_byte : node.end_byte].decode("utf-8", "replace").strip()
            return f"unexpected {text[:40]!r}" if text else "syntax error"
        stack.extend(reversed(node.children))
    return "syntax error"


class _Reader:
    def __init__(self, source: bytes) -> None:
        self.source = source
        self.commands: list[Command] = []
        self.reads: list[str] = []
        self.writes: list[str] = []
        self.orphans: Command | None = None

    def text(self, node: Any) -> str:
        return self.source[node.start_byte : node.end_byte].decode("utf-8", "surrogateescape")

    def visit(self, node: Any) -> None:
        kind = node.type
        if kind in _COMMANDS or (
            kind in ("variable_assignment", "variable_assignments")
            and node.parent is not None
            and node.parent.type not in _COMMANDS
            and node.parent.type != "variable_assignments"
        ):
            self.command(node)
        elif kind == "file_redirect":
            self.redirect(node)
        for child in node.children:
            self.visit(child)

    def command(self, node: Any) -> None:
        if node.type == "variable_assignment":
            self.commands.append(Command(self.text(node).strip(), (self.word(node),), (0,)))
            return
        parts = [c for c in node.children if c.type not in ("file_redirect", "herestring_redirect")]
        if not parts:
            return
        base = parts[0].start_byte
        text = self.source[base : parts[-1].end_byte].decode("utf-8", "surrogateescape")
        starts = tuple(
            len(self.source[base : c.start_byte].decode("utf-8", "surrogateescape")) for c in parts
        )
        self.commands.append(Command(text.rstrip(), tuple(self.word(c) for c in parts), starts))

    def redirect(self, node: Any) -> None:
        op = next((c.type for c in node.children if not c.is_named), "")
        target_node = node.child_by_field_name("destination") or next(
            (c for c in reversed(node.children) if c.is_named and c.type != "file_descriptor"), None
        )
        if target_node is None:
            return
        target = self.word(target_node)
        if self.commands:
            owner = self.commands[-1]
        else:
            owner = self.orphans = self.orphans or Command("", ())
        if op == "<":
            self.reads.append(target)
            owner.reads.append(target)
        elif op in _WRITES:
            if op == ">&" and (target.isdigit() or target == "-"):
                return  # 2>&1: duplicates a descriptor
            if target not in _HARMLESS and not target.startswith("/dev/fd/"):
                self.writes.append(target)
                owner.writes.append(target)

    def word(self, node: Any) -> str:
        """A word with its quotes removed; expansions and substitutions stay as written."""
        kind = node.type
        text = self.text(node)
        if kind == "raw_string":
            return text[1:-1]
        if kind == "string":
            return _unescape(text[1:-1], _DOUBLE_QUOTED_ESCAPES)
        if kind in ("concatenation", "command_name", "variable_assignment"):
            return "".join(self.word(c) for c in node.children) if node.children else text
        if kind == "word":
            return _unescape(text)
        return text


#: What a backslash escapes inside double quotes (elsewhere there it stays a backslash).
_DOUBLE_QUOTED_ESCAPES = '$`"\\\n'


def _unescape(text: str, escapable: str | None = None) -> str:
    """``text`` with its backslash escapes resolved: of any character (a bare word), or of those in
    ``escapable`` only (a double-quoted string's body)."""
    if "\\" not in text:
        return text
    out, i = [], 0
    while i < len(text):
        if text[i] == "\\" and i + 1 < len(text) and (escapable is None or text[i + 1] in escapable):
            out.append(text[i + 1])
            i += 2
            continue
        out.append(text[i])
        i += 1
    return "".join(out)

"""What a shell command line would write, and where it would ``cd``: read before the command runs.

This is a static reading of the command, for two uses: ``Bash.access()`` reports the write targets it
finds to the permission engine, and in the modes that confine writes the tool refuses a command
that writes, or changes directory, outside the workspace (and ``permissions.additionalDirectories``)
before starting it. The line is read by :mod:`claw_tools_shell._syntax` (a bash grammar): redirections,
``;``/``&&``/``||``/pipes/subshells/``$(...)``/backticks; on top of it this module follows ``bash -c`` strings, ``cd`` (tracked through the line),
``VAR=value`` prefixes and wrappers (``sudo``, ``env``, ``nohup``, ``timeout``, ``nice``, ``time``,
``command``, ``exec``, ``xargs``), and the usual writers: ``rm``, ``rmdir``, ``mkdir``, ``touch``,
``tee``, ``cp``, ``mv``, ``install``, ``ln``, ``rsync``, ``chmod``, ``chown``, ``chgrp``, ``truncate``,
``shred``, ``unlink``, ``dd of=``, ``sed -i``, ``find -delete``/``-exec <writer>``, ``tar -x [-C]``,
``unzip [-d]``, ``curl -o``, ``wget -O/-P``. Variables assigned earlier in the line and the environment
are expanded; a target that still depends on an unknown value is refused in the confining modes.
It is not a sandbox: a program that writes on its own (``python -c ...``) is not seen; configure a
sandbox (settings ``sandbox.enabled``, the claw-sandbox plugin) for a hard boundary.
"""

from __future__ import annotations

import itertools
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from claw_tools_shell._syntax import parse

#: Modes in which commands may not write outside the workspace (read-only ones: not at all).
CONFINED_MODES = frozenset({"workspace-write", "acceptEdits", "read-only", "plan"})
READ_ONLY_MODES = frozenset({"read-only", "plan"})

_HARMLESS = {"/dev/null", "/dev/stdout", "/dev/stderr", "/dev/tty", "/dev/zero"}
_WRAPPERS = {"sudo", "nohup", "nice", "time", "command", "exec", "builtin", "stdbuf", "xargs", "doas"}
_SHELLS = {"sh", "bash", "zsh", "dash", "ksh"}
_VAR = re.compile(r"\$(?:\{(\w+)\}|(\w+))")


@dataclass
class Effects:
    """What a command line would do to the file system, as far as can be read from it."""

    writes: list[Path] = field(default_factory=list)
    cds: list[Path] = field(default_factory=list)
    #: Write or ``cd`` targets whose location depends on something unknown before the run
    #: (``> $OUT`` with ``OUT`` unset, ``> "$(mktemp)"``).
    unresolved: list[str] = field(default_factory=list)
    #: Set when the line could not be parsed (unbalanced quotes): nothing can be vouched for.
    unparsable: str | None = None


class _Reader:
    def __init__(self, cwd: Path, env: Mapping[str, str]) -> None:
        self.cwd = cwd
        self.env = env
        #: Shell variables assigned earlier in the line (``OUT=/tmp/x; echo > $OUT``).
        self.vars: dict[str, str] = {}
        self.effects = Effects()

    def _value(self, m: re.Match[str]) -> str:
        name = m.group(1) or m.group(2)
        return self.vars.get(name, self.env.get(name, m.group(0)))

    def path(self, word: str) -> Path:
        original = word
        word = _VAR.sub(self._value, word)
        if "$" in word or "`" in word:
            self.effects.unresolved.append(original)
        if word == "~" or word.startswith("~/"):
            word = self.env.get("HOME", str(Path.home())) + word[1:]
        # A glob is judged by the directory it starts in.
        for i, c in enumerate(word):
            if c in "*?[":
                word = word[:i].rpartition("/")[0] or "."
                break
        p = Path(word)
        return Path(os.path.normpath(p if p.is_absolute() else self.cwd / p))

    def write(self, word: str) -> None:
        if word in _HARMLESS or word.startswith("/dev/fd/") or word.startswith("&"):
            return
        self.effects.writes.append(self.path(word))

    def line(self, command: str, depth: int = 0) -> None:
        if depth > 4:
            return
        syntax = parse(command)
        if syntax.error:
            self.effects.unparsable = syntax.error
            return
        for simple in (syntax.orphans, *syntax.commands):
            if simple is None:
                continue
            for target in simple.writes:
                self.write(target)
            if simple.words:
                self.simple(list(simple.words), depth)

    def simple(self, args: list[str], depth: int) -> None:
        if args and all(re.fullmatch(r"\w+=.*", a, re.S) for a in args):
            for a in args:  # plain assignments: remembered for later words of the line
                name, _, value = a.partition("=")
                self.vars[name] = _VAR.sub(self._value, value)
            return
        args = _unwrap(args)
        if not args:
            return
        name, rest = os.path.basename(args[0]), args[1:]
        if name in ("cd", "pushd"):
            operands = [a for a in rest if not a.startswith("-") or a == "-"]
            target = operands[0] if operands else "~"
            if target != "-":
                self.cwd = self.path(target)
                self.effects.cds.append(self.cwd)
            return
        if name in _SHELLS or name == "eval":
            script = _shell_script(name, rest)
            if script is not None:
                self.line(script, depth + 1)
            return
        for target in _write_targets(name, rest):
            self.write(target)


def _unwrap(args: list[str]) -> list[str]:
    """Drop ``VAR=value`` prefixes and wrapper commands to find the command that runs."""
    while args:
        head = args[0]
        if re.fullmatch(r"\w+=.*", head):
            args = args[1:]
        elif head == "env":
            args = args[1:]
            while args and (args[0].startswith("-") or "=" in args[0]):
                args = args[1:]
        elif head in ("timeout", "nice") and len(args) > 1:
            args = args[1:]
            while args and (args[0].startswith("-") or re.fullmatch(r"[\d.]+[smhd]?", args[0])):
                args = args[1:]
        elif head in _WRAPPERS:
            args = args[1:]
            while args and args[0].startswith("-"):
                args = args[1:]
        else:
            break
    return args


def _shell_script(name: str, rest: list[str]) -> str | None:
    if name == "eval":
        return " ".join(rest)
    for i, a in enumerate(rest):
        if a == "-c" or (a.startswith("-") and not a.startswith("--") and "c" in a):
            return rest[i + 1] if i + 1 < len(rest) else None
    return None


def _operands(rest: list[str]) -> list[str]:
    out, options = [], True
    for a in rest:
        if options and a == "--":
            options = False
        elif options and a.startswith("-") and a != "-":
            continue
        else:
            out.append(a)
    return out


_PLAIN_WRITERS = {"rm", "rmdir", "mkdir", "touch", "tee", "shred", "unlink", "truncate"}
_WRITERS = _PLAIN_WRITERS | {"chmod", "chown", "chgrp", "cp", "mv", "install", "rsync", "ln", "dd", "sed"}


def _write_targets(name: str, rest: list[str]) -> list[str]:
    ops = _operands(rest)
    if name in _PLAIN_WRITERS:
        return ops
    if name in ("chmod", "chown", "chgrp"):
        return ops[1:]
    if name in ("cp", "mv", "install", "rsync", "ln"):
        for i, a in enumerate(rest):
            if a in ("-t", "--target-directory") and i + 1 < len(rest):
                return [rest[i + 1]]
            if a.startswith("--target-directory="):
                return [a.split("=", 1)[1]]
        if name == "ln" and len(ops) == 1:
            return ["."]
        return ops[-1:] if len(ops) > 1 else []
    if name == "dd":
        return [a[3:] for a in rest if a.startswith("of=")]
    if name == "find":
        starts = list(itertools.takewhile(lambda a: not a.startswith(("-", "(", "!")), rest)) or ["."]
        runs_writer = any(
            a in ("-exec", "-execdir", "-ok", "-okdir")
            and i + 1 < len(rest)
            and os.path.basename(rest[i + 1]) in _WRITERS
            for i, a in enumerate(rest)
        )
        return starts if "-delete" in rest or runs_writer else []
    if name == "tar":
        first = rest[0] if rest else ""
        extracting = (
            any(a in ("-x", "--extract", "--get") for a in rest)
            or (not first.startswith("-") and "x" in first)
            or any(a.startswith("-") and not a.startswith("--") and "x" in a for a in rest)
        )
        if not extracting:
            return []
        for i, a in enumerate(rest):
            if a in ("-C", "--directory") and i + 1 < len(rest):
                return [rest[i + 1]]
            if a.startswith("--directory="):
                return [a.split("=", 1)[1]]
        return ["."]
    if name == "unzip":
        return [rest[i + 1] for i, a in enumerate(rest) if a == "-d" and i + 1 < len(rest)] or ["."]
    if name == "curl":
        return [rest[i + 1] for i, a in enumerate(rest) if a in ("-o", "--output") and i + 1 < len(rest)] + [
            a.split("=", 1)[1] for a in rest if a.startswith("--output=")
        ]
    if name == "wget":
        return [
            rest[i + 1]
            for i, a in enumerate(rest)
            if a in ("-O", "--output-document", "-P", "--directory-prefix") and i + 1 < len(rest)
        ]
    if name == "sed" and any(
        a == "-i" or (a.startswith("-i") and not a.startswith("--")) or a.startswith("--in-place")
        for a in rest
    ):
        has_script_option = any(a in ("-e", "-f") or a.startswith(("--expression", "--file")) for a in rest)
        files = _operands(_drop_option_values(rest, {"-e", "-f"}))
        return files if has_script_option else files[1:]
    return []


def _drop_option_values(rest: list[str], takes_value: set[str]) -> list[str]:
    out, skip = [], False
    for a in rest:
        if skip:
            skip = False
            continue
        if a in takes_value:
            skip = True
            continue
        out.append(a)
    return out


def effects(command: str, cwd: Path, env: Mapping[str, str]) -> Effects:
    """Read ``command`` as run from ``cwd``: the paths it writes and the directories it enters."""
    reader = _Reader(cwd, env)
    reader.line(command)
    return reader.effects


def _inside(path: Path, roots: list[Path]) -> bool:
    resolved = path.resolve()
    return any(resolved == r or resolved.is_relative_to(r) for r in roots)


def violation(command: str, *, cwd: Path, roots: list[Path], mode: str, env: Mapping[str, str]) -> str | None:
    """Why ``command`` may not run in ``mode``, or ``None``. ``roots``: resolved workspace dirs."""
    if mode not in CONFINED_MODES:
        return None
    found = effects(command, cwd, env)
    if found.unparsable:
        return f"the command cannot be checked ({found.unparsable}); it was not run"
    if found.unresolved:
        return (
            f"the command writes to or enters {found.unresolved[0]}, whose location depends on values unknown "
            f"before it runs; in the {mode} permission mode that cannot be checked, so it was not run "
            "(spell the path out)"
        )
    if mode in READ_ONLY_MODES and found.writes:
        return f"the command writes {found.writes[0]}, and the {mode} permission mode allows no writes; it was not run"
    for target in found.writes:
        if not _inside(target, roots):
            return (
                f"the command writes {target}, outside the workspace ({roots[0]}); the {mode} permission mode "
                "confines writes to the workspace and additional directories, so it was not run"
            )
    for target in found.cds:
        if not _inside(target, roots):
            return (
                f"the command changes directory to {target}, outside the workspace ({roots[0]}); the {mode} "
                "permission mode keeps commands in the workspace, so it was not run"
            )
    return None

"""How the permission engine sees one simple command the shell tool read: the forms ``Bash(...)`` rules
match it by, and whether it only reads (the mode's defaults let such commands run).

Claude Code's semantics, which the engine applies to what this module declares: every simple command
of a line must be allowed (``Bash(npm test *)`` allows ``npm test && rm -rf /`` only if ``rm -rf /``
is allowed too), and a deny or ask rule on any of them decides for the line. For allow rules a
command is known by the program that really runs: leading ``VAR=value`` words are dropped only when
every variable is harmless (:data:`SAFE_ENV_VARS`: ``LD_PRELOAD=x npm test`` must not match
``Bash(npm test)``), then the wrappers ``timeout time nice nohup stdbuf command builtin noglob`` and a
bare ``xargs``. Deny and ask rules match every form (as written, without assignments, without
wrappers), so no prefix hides a denied command.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import claw

from claw_tools_shell._syntax import Command

#: Variables a leading ``VAR=value`` may set and still match an allow rule (Claude Code strips only
#: variables that cannot change which program runs or what it loads).
SAFE_ENV_VARS = frozenset(
    {
        "NODE_ENV", "RUST_BACKTRACE", "RUST_LOG", "PYTHONUNBUFFERED", "PYTHONDONTWRITEBYTECODE",
        "FORCE_COLOR", "NO_COLOR", "CI", "DEBUG", "LANG", "LC_ALL", "TZ", "GOOS", "GOARCH",
        "CGO_ENABLED", "TERM", "COLUMNS",
    }
)  # fmt: skip

#: Programs that only read files and print (with the exceptions in :func:`classify`).
READ_ONLY_COMMANDS = frozenset(
    {
        "ls", "cat", "head", "tail", "wc", "pwd", "echo", "printf", "grep", "egrep", "fgrep", "rg",
        "find", "file", "stat", "du", "df", "which", "whoami", "id", "date", "uname", "true",
        "false", "test", "[", "diff", "cmp", "sort", "uniq", "cut", "tr", "nl", "tree", "basename",
        "dirname", "realpath", "readlink", "cd", "hostname", "type", "less", "more", "md5sum",
        "sha1sum", "sha256sum", "jq", "column", "comm", "expr", "seq", "sleep",
    }
)  # fmt: skip
_READ_ONLY_GIT = frozenset({"status", "log", "diff", "show", "rev-parse", "ls-files", "blame", "describe"})
_FIND_WRITES = ("-exec", "-execdir", "-ok", "-okdir", "-delete", "-fprint", "-fprint0", "-fprintf", "-fls")
#: File commands the ``workspace-write`` mode runs when every path stays inside (``acceptEdits``).
FILE_COMMANDS = frozenset({"mkdir", "touch", "mv", "cp"})
_OPTION_VALUES = {
    "timeout": frozenset({"-s", "-k", "--signal", "--kill-after"}),
    "time": frozenset(),
    "nice": frozenset({"-n", "--adjustment"}),
    "stdbuf": frozenset({"-i", "-o", "-e"}),
    "command": frozenset(),
}


def access(cmd: Command) -> claw.Access:
    """The ``execute`` access the shell tool declares for one simple command."""
    kind, operands = classify(cmd.words) or (None, ())
    return claw.Access(
        kind="execute",
        command=cmd.text,
        argv=list(cmd.words),
        forms=forms(cmd),
        command_class=kind,
        operands=list(operands),
    )


def forms(cmd: Command) -> list[str]:
    """The forms rules match besides the command as written: the first for allow rules, every one
    (and the command as written) for deny and ask rules."""
    words, text = cmd.words, cmd.text
    if not words or len(cmd.starts) != len(words):
        return []
    k = _assignments(words)
    if k == len(words):
        return []
    stripped = text[cmd.starts[k] :].strip()
    run = _unwrap(words, k)
    unwrapped = text[cmd.starts[run] :].strip()
    harmless = all(w.split("=", 1)[0] in SAFE_ENV_VARS for w in words[:k])
    allow = unwrapped if harmless else text
    return list(dict.fromkeys((allow, stripped, unwrapped)))


def classify(words: Sequence[str]) -> tuple[Literal["read", "file"], tuple[str, ...]] | None:
    """``("read" | "file", operands)`` for a read-only or simple file command, else ``None``.

    ``operands`` are the arguments that may be paths (every non-option argument; for ``git``, those
    that look like paths): the engine checks they stay inside the workspace and that no Read deny rule
    covers them. A leading assignment of a variable outside :data:`SAFE_ENV_VARS` leaves the command
    unclassified.
    """
    k = _assignments(words)
    if any(w.split("=", 1)[0] not in SAFE_ENV_VARS for w in words[:k]):
        return None
    words = words[_unwrap(words, k) :]
    if not words:
        return None
    head, args = words[0], list(words[1:])
    if head == "command" and args[:1] in (["-v"], ["-V"]):
        return "read", ()
    if head == "git":
        sub = next((a for a in args if not a.startswith("-")), "")
        if sub not in _READ_ONLY_GIT or any(a.startswith(("--output", "-o")) for a in args):
            return None
        return "read", tuple(a for a in args if _path_like(a) and not a.startswith("-"))
    if head == "find" and any(a.startswith(_FIND_WRITES) for a in args):
        return None
    if head == "sort" and any(a == "-o" or a.startswith("--output") for a in args):
        return None
    if head in READ_ONLY_COMMANDS:
        if head == "cd":
            return "read", tuple(args[:1]) or ("~",)
        return "read", tuple(a for a in args if not a.startswith("-"))
    if head in FILE_COMMANDS:
        return "file", tuple(a for a in args if not a.startswith("-"))
    return None


def _assignments(words: Sequence[str]) -> int:
    """How many leading words are ``VAR=value`` assignments."""
    k = 0
    while k < len(words) and _is_assignment(words[k]):
        k += 1
    return k


def _is_assignment(word: str) -> bool:
    name, eq, _ = word.partition("=")
    return bool(eq) and name.isidentifier()


def _unwrap(words: Sequence[str], i: int) -> int:
    """Index of the word that really runs, wrappers from ``i`` on skipped (``timeout 5 npm test``)."""
    while i < len(words):
        head = words[i]
        if head in _OPTION_VALUES:
            if head == "command" and words[i + 1 : i + 2] in (("-v",), ("-V",)):
                return i  # a lookup, not a run
            nxt = _skip_options(words, i + 1, _OPTION_VALUES[head]) + (head == "timeout")  # its duration
        elif head in ("nohup", "builtin", "noglob") or (
            head == "xargs" and i + 1 < len(words) and not words[i + 1].startswith("-")
        ):
            nxt = i + 1
        else:
            return i
        if nxt >= len(words):
            return i
        i = nxt
    return i


def _skip_options(words: Sequence[str], i: int, with_value: frozenset[str]) -> int:
    while i < len(words) and words[i].startswith("-") and words[i] != "-":
        opt = words[i]
        i += 1
        if opt == "--":
            break
        if opt in with_value and "=" not in opt:
            i += 1
    return i


def _path_like(value: str) -> bool:
    return value.startswith(("/", "~", ".")) or "/" in value

"""Shell command analysis for permission rules: split a command line into the simple commands it
runs, so that ``Bash(npm test *)`` allows ``npm test && rm -rf /`` only if ``rm -rf /`` is allowed
too.

This is a conservative, shlex-like reader of POSIX shell syntax, not a shell: whatever it cannot
follow (an unterminated quote, an unbalanced parenthesis) makes the whole command "malformed", and
the engine then asks instead of guessing. It understands:

- separators ``&&``, ``||``, ``;``, ``|``, ``|&``, ``&`` and newlines;
- subshells ``( ... )``, groups ``{ ...; }``, command substitution ``$( ... )`` and backticks, and
  process substitution ``<( ... )`` / ``>( ... )``: the inner commands are judged on their own;
- quotes (``'...'``, ``"..."``, backslash escapes) when finding operators and words;
- output redirections (``>``, ``>>``, ``&>``, ``2>``, ``>|``): their targets are writes;
- leading ``VAR=value`` assignments and the wrappers ``timeout time nice nohup stdbuf command
  builtin noglob`` and bare ``xargs``, which are stripped to find the command that really runs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

_OPERATOR_CHARS = frozenset(";&|\n")
#: Deeper nesting than this is treated as malformed (and asks) rather than analysed.
_MAX_DEPTH = 64
_KEYWORDS = frozenset({"then", "do", "else", "elif", "if", "while", "until", "!", "{", "time"})
_CLOSERS = frozenset({"fi", "done", "esac", "}"})
#: Redirection targets that do not write a file.
_HARMLESS_TARGETS = frozenset({"/dev/null", "/dev/stdout", "/dev/stderr", "/dev/tty"})

#: Variables a leading ``VAR=value`` may set and still match an allow rule (Claude Code strips only
#: variables that cannot change which program runs or what it loads).
SAFE_ENV_VARS = frozenset(
    {
        "NODE_ENV",
        "RUST_BACKTRACE",
        "RUST_LOG",
        "PYTHONUNBUFFERED",
        "PYTHONDONTWRITEBYTECODE",
        "FORCE_COLOR",
        "NO_COLOR",
        "CI",
        "DEBUG",
        "LANG",
        "LC_ALL",
        "TZ",
        "GOOS",
        "GOARCH",
        "CGO_ENABLED",
        "TERM",
        "COLUMNS",
    }
)


class Malformed(ValueError):
    """The command cannot be analysed safely (unbalanced quotes or parentheses)."""


@dataclass
class Word:
    """One shell word: its unquoted value and where it sits in the segment's text."""

    value: str
    start: int
    end: int


@dataclass
class Analysis:
    """What a command line runs and writes."""

    #: Every simple command, as written (whitespace-trimmed), nested ones included.
    commands: list[str] = field(default_factory=list)
    #: Files written by output redirections.
    writes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Parsed:
    """An immutable :class:`Analysis` (what :func:`analyse` returns and caches)."""

    commands: tuple[str, ...]
    writes: tuple[str, ...]


@lru_cache(maxsize=4096)
def analyse(command: str) -> Parsed:
    """Split ``command`` into simple commands and redirection targets. Pure, so results are cached:
    the same commands come back again and again in a session.

    :raises Malformed: when quotes or parentheses do not balance.
    """
    out = Analysis()
    _split(command, out, 0)
    return Parsed(tuple(out.commands), tuple(out.writes))


def _find_close(text: str, i: int) -> int:
    """Index of the ``)`` closing the ``(`` just before ``i``, honouring quotes and nesting."""
    depth = 1
    n = len(text)
    while i < n:
        c = text[i]
        if c == "\\":
            i += 2
            continue
        if c == "'":
            i = _skip_single(text, i + 1)
            continue
        if c == '"':
            i = _skip_double(text, i + 1)
            continue
        if c == "`":
            j = _find_backtick(text, i + 1)
            i = j + 1
            continue
        if c == "(":
            depth += 1
            if depth > _MAX_DEPTH:
                raise Malformed("too deeply nested")
        elif c == ")":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    raise Malformed("unbalanced parenthesis")


def _skip_single(text: str, i: int) -> int:
    """Index just past the ``'`` closing a single-quoted string that starts at ``i``."""
    j = text.find("'", i)
    if j < 0:
        raise Malformed("unterminated single quote")
    return j + 1


def _skip_double(text: str, i: int, substitution: Callable[[str], None] | None = None) -> int:
    """Index just past the ``"`` closing a double-quoted string that starts at ``i``; ``substitution``
    is given the body of each ``$(...)`` and backtick command inside it (they still run)."""
    n = len(text)
    while i < n:
        c = text[i]
        if c == "\\":
            i += 2
            continue
        if c == '"':
            return i + 1
        if c == "$" and text.startswith("$(", i):
            j = _find_close(text, i + 2)
            start = i + 2
        elif c == "`":
            j = _find_backtick(text, i + 1)
            start = i + 1
        else:
            i += 1
            continue
        if substitution is not None:
            substitution(text[start:j])
        i = j + 1
    raise Malformed("unterminated double quote")


def _find_backtick(text: str, i: int) -> int:
    n = len(text)
    while i < n:
        c = text[i]
        if c == "\\":
            i += 2
            continue
        if c == "`":
            return i
        i += 1
    raise Malformed("unterminated backtick")


def _split(text: str, out: Analysis, depth: int) -> None:
    if depth > _MAX_DEPTH:
        raise Malformed("too deeply nested")
    start = 0
    i = 0
    n = len(text)
    seg_has_word = False
    while i < n:
        c = text[i]
        if c == "\\":
            i += 2
            seg_has_word = True
            continue
        if c == "'":
            i = _skip_single(text, i + 1)
            seg_has_word = True
            continue
        if c == '"':
            # Substitutions inside double quotes still run: collect them.
            inside: list[str] = []
            i = _skip_double(text, i + 1, inside.append)
            for inner in inside:
                _split(inner, out, depth + 1)
            seg_has_word = True
            continue
        if c == "`":
            j = _find_backtick(text, i + 1)
            _split(text[i + 1 : j], out, depth + 1)
            i = j + 1
            seg_has_word = True
            continue
        if c == "$" and text.startswith("$(", i):
            j = _find_close(text, i + 2)
            inner = text[i + 2 : j]
            if inner.startswith("(") and inner.endswith(")"):
                inner = inner[1:-1]  # $(( arithmetic )): judged like a command, conservatively
            _split(inner, out, depth + 1)
            i = j + 1
            seg_has_word = True
            continue
        if c in "<>" and text.startswith("(", i + 1):
            j = _find_close(text, i + 2)
            _split(text[i + 2 : j], out, depth + 1)
            i = j + 1
            seg_has_word = True
            continue
        if c == "(" and not seg_has_word:
            j = _find_close(text, i + 1)
            _split(text[i + 1 : j], out, depth + 1)
            # Anything after the closing paren (redirections) stays in the segment.
            text = text[:i] + " " * (j + 1 - i) + text[j + 1 :]
            i = j + 1
            continue
        if c == ")":
            raise Malformed("unbalanced parenthesis")
        if c in _OPERATOR_CHARS and not _redirect_char(text, i):
            _segment(text[start:i], out)
            i += 2 if text.startswith(("&&", "||", "|&", ";;"), i) else 1
            start = i
            seg_has_word = False
            continue
        if c == "#" and (i == 0 or text[i - 1] in " \t\n;&|("):
            j = text.find("\n", i)
            _segment(text[start:i], out)
            i = n if j < 0 else j
            start = i
            continue
        if not c.isspace():
            seg_has_word = True
        i += 1
    _segment(text[start:], out)


def _redirect_char(text: str, i: int) -> bool:
    """True for the ``&`` of ``&>``/``>&`` and the ``|`` of ``>|``: part of a redirection."""
    c = text[i]
    prev = text[i - 1] if i else ""
    if c == "&":
        return text.startswith(">", i + 1) or prev in ("<", ">")
    return c == "|" and prev == ">"


def _segment(text: str, out: Analysis) -> None:
    words = words_of(text)
    # Drop shell keywords and group braces that only structure the line.
    while words and words[0].value in _KEYWORDS and words[0].value != "time":
        words = words[1:]
    if not words or (len(words) == 1 and words[0].value in _CLOSERS):
        return
    kept: list[Word] = []
    k = 0
    while k < len(words):
        w = words[k]
        target = _redirect_target(w, words[k + 1] if k + 1 < len(words) else None)
        if target is not None:
            path, consumed = target
            if path and path not in _HARMLESS_TARGETS:
                out.writes.append(path)
            k += consumed
            continue
        kept.append(w)
        k += 1
    if kept and kept[-1].value == "}":
        kept = kept[:-1]
    if kept:
        out.commands.append(text[kept[0].start : kept[-1].end].strip())


def _redirect_target(w: Word, nxt: Word | None) -> tuple[str, int] | None:
    """``(target, words consumed)`` when ``w`` is an output redirection, else ``None``."""
    v = w.value
    op_end = 0
    # Optional fd number or '&' before the operator: 2> &> 1>>
    while op_end < len(v) and v[op_end].isdigit():
        op_end += 1
    if op_end < len(v) and v[op_end] == "&" and v[op_end + 1 : op_end + 2] == ">":
        op_end += 1
    rest = v[op_end:]
    if rest.startswith("<"):
        # Input redirection (and here-documents): reads, not writes; consume the operand.
        if rest in ("<", "<<", "<<<", "<<-"):
            return "", 2 if nxt is not None else 1
        return "", 1
    if not rest.startswith(">"):
        return None
    op = ">>" if rest.startswith(">>") else (">|" if rest.startswith(">|") else ">")
    target = rest[len(op) :]
    if target.startswith("&"):  # 2>&1: duplicates a descriptor
        return "", 1
    if target:
        return target, 1
    if nxt is None:
        return "", 1
    if nxt.value.startswith("&"):
        return "", 2
    return nxt.value, 2


def words_of(text: str) -> list[Word]:
    """Split one simple command into words, removing quotes (shlex-like, POSIX rules).

    Redirection operators stay attached to their word (``2>/dev/null``) or form their own word
    (``>``), which :func:`_redirect_target` understands.

    :raises Malformed: on an unterminated quote.
    """
    words: list[Word] = []
    i = 0
    n = len(text)
    while i < n:
        while i < n and text[i].isspace():
            i += 1
        if i >= n:
            break
        start = i
        buf: list[str] = []
        while i < n and not text[i].isspace():
            c = text[i]
            if c == "\\":
                if i + 1 < n:
                    buf.append(text[i + 1])
                i += 2
            elif c == "'":
                j = _skip_single(text, i + 1)
                buf.append(text[i + 1 : j - 1])
                i = j
            elif c == '"':
                j = _skip_double(text, i + 1)
                buf.append(_unescape_double(text[i + 1 : j - 1]))
                i = j
            elif c in "<>" and buf and not all(ch.isdigit() or ch in "&<>" for ch in buf):
                break  # "a>b": the word ends where the operator starts
            else:
                buf.append(c)
                i += 1
        words.append(Word("".join(buf), start, i))
    return words


def _unescape_double(body: str) -> str:
    out: list[str] = []
    i = 0
    while i < len(body):
        c = body[i]
        if c == "\\" and i + 1 < len(body) and body[i + 1] in '$`"\\\n':
            out.append(body[i + 1])
            i += 2
            continue
        out.append(c)
        i += 1
    return "".join(out)


# --- finding the command that really runs --------------------------------------------------------


def _is_assignment(value: str) -> bool:
    name, eq, _ = value.partition("=")
    return bool(eq) and name.isidentifier()


def _skip_options(words: list[Word], i: int, with_value: frozenset[str]) -> int:
    while i < len(words) and words[i].value.startswith("-") and words[i].value != "-":
        opt = words[i].value
        i += 1
        if opt == "--":
            break
        if opt in with_value and "=" not in opt:
            i += 1
    return i


def strip_wrappers(words: list[Word]) -> list[Word]:
    """Drop wrappers that run another command (``timeout 5 npm test`` -> ``npm test``)."""
    while words:
        head = words[0].value
        i: int | None
        if head == "timeout":
            i = _skip_options(words, 1, frozenset({"-s", "-k", "--signal", "--kill-after"}))
            i += 1  # the duration
        elif head == "time":
            i = _skip_options(words, 1, frozenset())
        elif head == "nice":
            i = _skip_options(words, 1, frozenset({"-n", "--adjustment"}))
        elif head in ("nohup", "builtin", "noglob"):
            i = 1
        elif head == "stdbuf":
            i = _skip_options(words, 1, frozenset({"-i", "-o", "-e"}))
        elif head == "command":
            if len(words) > 1 and words[1].value in ("-v", "-V"):
                return words  # a lookup, not a run
            i = _skip_options(words, 1, frozenset())
        elif head == "xargs":
            i = 1 if len(words) > 1 and not words[1].value.startswith("-") else None
        else:
            i = None
        if i is None or i >= len(words):
            return words
        words = words[i:]
    return words


@lru_cache(maxsize=4096)
def forms(command: str, *, for_allow: bool) -> tuple[str, ...]:
    """The strings a rule is matched against for one simple command.

    For allow rules, one form: leading ``VAR=value`` words removed only when every variable is in
    :data:`SAFE_ENV_VARS` (``LD_PRELOAD=x npm test`` must not match ``Bash(npm test)``), then
    wrappers stripped. For deny and ask rules, every form (as written, without assignments, without
    wrappers), so no prefix hides a denied command.
    """
    return tuple(_forms(command, for_allow))


def _forms(command: str, for_allow: bool) -> list[str]:
    words = words_of(command)
    if not words:
        return [command]
    results = [command] if not for_allow else []
    k = 0
    while k < len(words) and _is_assignment(words[k].value):
        k += 1
    if k and for_allow and not all(w.value.split("=", 1)[0] in SAFE_ENV_VARS for w in words[:k]):
        return [command]
    rest = words[k:]
    if not rest:
        return results or [command]
    stripped = command[rest[0].start :].strip()
    if stripped not in results:
        results.append(stripped)
    unwrapped = strip_wrappers(rest)
    if unwrapped is not rest:
        text = command[unwrapped[0].start :].strip()
        if for_allow:
            results = [text]
        elif text not in results:
            results.append(text)
    return results


# --- commands that only read ----------------------------------------------------------------------

#: Programs that only read files and print (with the exceptions in :func:`read_only_paths`).
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
#: ``acceptEdits``-style file commands ``workspace-write`` runs when every path is inside.
FILE_COMMANDS = frozenset({"mkdir", "touch", "mv", "cp"})


def _path_like(value: str) -> bool:
    return value.startswith(("/", "~", ".")) or "/" in value


@lru_cache(maxsize=4096)
def classify(command: str) -> tuple[str, tuple[str, ...]] | None:
    """``("read" | "file", paths)`` for a read-only or simple file command, else ``None``.

    ``paths`` are the arguments that may be paths (every non-option argument; for ``git``, those
    that look like paths): the engine checks they stay inside the workspace and that no Read deny
    rule covers them. A leading assignment of a variable outside
    :data:`SAFE_ENV_VARS` makes the command unclassified.
    """
    return _classify(words_of(command))


@lru_cache(maxsize=4096)
def classify_words(argv: tuple[str, ...]) -> tuple[str, tuple[str, ...]] | None:
    """:func:`classify` for a command whose words a shell parser already read (quotes removed)."""
    return _classify([Word(value, 0, 0) for value in argv])


def _classify(words: list[Word]) -> tuple[str, tuple[str, ...]] | None:
    k = 0
    while k < len(words) and _is_assignment(words[k].value):
        if words[k].value.split("=", 1)[0] not in SAFE_ENV_VARS:
            return None
        k += 1
    words = strip_wrappers(words[k:])
    if not words:
        return None
    head = words[0].value
    args = [w.value for w in words[1:]]
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
        paths = tuple(a for a in args if not a.startswith("-"))
        if head == "cd":
            paths = tuple(args[:1]) or ("~",)
        return "read", paths
    if head in FILE_COMMANDS:
        return "file", tuple(a for a in args if not a.startswith("-"))
    return None

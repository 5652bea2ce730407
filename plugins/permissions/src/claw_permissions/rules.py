"""Permission rules in Claude Code's syntax, parsed once and matched fast.

``Tool`` names a tool (or, for ``Read``/``Edit``, every read or write); ``Tool(specifier)`` narrows
it. Which accesses a specifier matches depends on the tool named:

- ``Read``/``Glob``/``Grep`` (and ``read_file``, ``glob_search``, ``grep_search``): read accesses by
  gitignore-style path; a Read *deny* or *ask* rule also covers writes to those paths.
- ``Edit``/``Write``/``MultiEdit``/``NotebookEdit`` (``edit_file``, ``write_file``): write accesses.
  Claude Code ignores ``Write(...)`` specifiers with a warning; claw treats them like ``Edit(...)``
  so a deny is never silently dropped.
- ``Bash`` (``bash``): execute accesses by command: ``*`` globs anywhere, ``Bash(ls *)`` with a word
  boundary (also matches bare ``ls``), the legacy ``Bash(npm run test:*)`` prefix form.
- ``WebFetch``: network accesses by ``domain:example.com`` or ``domain:*.example.com``.
- any other tool: ``Tool(key:value)`` matches when the input's ``key`` matches the glob ``value``;
  ``Tool(value)`` matches the first of the input's ``command``/``file_path``/``path``/``url``/
  ``pattern``/``name`` values.

Tool names: ``mcp__server`` and ``mcp__server__*`` cover every tool of a server; ``*`` globs work in
names; the seed's names are aliases of Claude Code's.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from claw import split_rule

from claw_permissions import paths

#: The seed design's tool names, accepted wherever a tool name is.
SEED_ALIASES: dict[str, str] = {
    "read_file": "Read",
    "write_file": "Write",
    "edit_file": "Edit",
    "glob_search": "Glob",
    "grep_search": "Grep",
    "bash": "Bash",
}

READ_TOOLS = frozenset({"Read", "Glob", "Grep", "NotebookRead", "LS"})
WRITE_TOOLS = frozenset({"Edit", "Write", "MultiEdit", "NotebookEdit"})
EXEC_TOOLS = frozenset({"Bash"})
NETWORK_TOOLS = frozenset({"WebFetch"})

_SUBJECT_KEYS = ("command", "file_path", "path", "notebook_path", "url", "pattern", "name", "skill")


def canonical_tool(name: str) -> str:
    return SEED_ALIASES.get(name, name)


@dataclass(frozen=True, slots=True)
class Rule:
    """One parsed rule.

    ``kind`` is the access kind a specifier (or a bare ``Read``/``Edit``) matches; ``None`` for
    rules on a tool's name and input only.
    """

    text: str
    behavior: str  # allow | ask | deny
    source: str
    tool: str
    specifier: str | None
    kind: str | None
    match: Callable[[str], bool] | None = None
    #: For rules on other tools' input (``Agent(model:opus)``).
    match_input: Callable[[Mapping[str, Any]], bool] | None = None

    def describe(self) -> str:
        return f'{self.behavior} rule "{self.text}" from {self.source}'

    def names_tool(self, name: str, aliases: tuple[str, ...] = ()) -> bool:
        """Whether this rule's tool name covers a tool called ``name`` (or one of its aliases)."""
        rule_tool = self.tool
        for candidate in (name, *aliases):
            c = canonical_tool(candidate)
            if rule_tool == c:
                return True
            if rule_tool.startswith("mcp__") and _mcp_covers(rule_tool, c):
                return True
            if "*" in rule_tool and fnmatch.fnmatchcase(c, rule_tool):
                return True
        return False


def _mcp_covers(rule_tool: str, name: str) -> bool:
    if rule_tool.endswith("__*"):
        return name.startswith(rule_tool[:-1])
    if rule_tool.count("__") == 1:  # mcp__server: the whole server
        return name.startswith(rule_tool + "__")
    return False


def command_matcher(spec: str) -> Callable[[str], bool]:
    """A Bash specifier as a full-match test on one simple command."""
    if spec.endswith(":*"):
        spec = spec[:-2].rstrip() + " *"
    if spec.endswith(" *"):
        head = spec[:-2]
        regex = _glob_regex(head) + r"(?:\s.*)?"
    else:
        regex = _glob_regex(spec)
    compiled = re.compile(regex, re.DOTALL)
    return lambda command: compiled.fullmatch(command) is not None


def _glob_regex(glob: str) -> str:
    return ".*".join(re.escape(part) for part in glob.split("*"))


def domain_matcher(spec: str) -> Callable[[str], bool]:
    """``domain:example.com`` matches that host; ``domain:*.example.com`` its subdomains. Without
    ``domain:`` the specifier is a glob over the whole URL."""
    if spec.startswith("domain:"):
        want = spec[len("domain:") :].lower()

        def match(url: str) -> bool:
            host = (urlsplit(url).hostname or "").lower()
            if want.startswith("*."):
                return host.endswith(want[1:])
            return fnmatch.fnmatchcase(host, want)

        return match
    return lambda url: fnmatch.fnmatchcase(url, spec)


def input_matcher(spec: str) -> Callable[[Mapping[str, Any]], bool]:
    key, sep, value = spec.partition(":")
    if sep and key.isidentifier():

        def by_key(tool_input: Mapping[str, Any]) -> bool:
            got = tool_input.get(key)
            return got is not None and fnmatch.fnmatchcase(str(got), value)

        return by_key

    def by_subject(tool_input: Mapping[str, Any]) -> bool:
        for k in _SUBJECT_KEYS:
            got = tool_input.get(k)
            if isinstance(got, str):
                return fnmatch.fnmatchcase(got, spec)
        return False

    return by_subject


def parse_rule(text: str, behavior: str, source: str, *, anchor: str, cwd: str, home: str) -> Rule:
    """Parse one rule.

    :param anchor: the directory ``/path`` patterns are relative to (the settings file's anchor).
    :param cwd: the directory ``./path`` and bare patterns are relative to (the workspace).
    :raises RuleError: when the rule is malformed.
    """
    tool, spec = split_rule(text)
    tool = canonical_tool(tool)
    if spec in ("", "*") and tool in EXEC_TOOLS | NETWORK_TOOLS:
        spec = None  # Bash(*) is Bash
    if spec == "**" and tool in READ_TOOLS | WRITE_TOOLS:
        spec = None
    if spec is None:
        kind = "read" if tool == "Read" else "write" if tool == "Edit" else None
        return Rule(text, behavior, source, tool, None, kind)
    if tool in READ_TOOLS or tool in WRITE_TOOLS:
        kind = "read" if tool in READ_TOOLS else "write"
        return Rule(text, behavior, source, tool, spec, kind, paths.compile_pattern(spec, anchor, cwd, home))
    if tool in EXEC_TOOLS:
        return Rule(text, behavior, source, tool, spec, "execute", command_matcher(spec))
    if tool in NETWORK_TOOLS:
        return Rule(text, behavior, source, tool, spec, "network", domain_matcher(spec))
    return Rule(text, behavior, source, tool, spec, None, match_input=input_matcher(spec))


def split_tool_list(values: Sequence[str]) -> list[str]:
    """``--allowed-tools`` values: each may hold several rules separated by commas or spaces
    outside parentheses (``"Read,Bash(git log *)"``)."""
    out: list[str] = []
    for value in values:
        depth = 0
        cur: list[str] = []
        for c in value:
            if c == "(":
                depth += 1
            elif c == ")":
                depth = max(0, depth - 1)
            if depth == 0 and (c == "," or c.isspace()):
                if "".join(cur).strip():
                    out.append("".join(cur).strip())
                cur = []
                continue
            cur.append(c)
        if "".join(cur).strip():
            out.append("".join(cur).strip())
    return out

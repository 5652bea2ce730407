"""Markdown YAML frontmatter: one parser for every Markdown file claw reads in Claude Code's formats
(sub-agents, slash commands, skills, output styles), so they all accept the same YAML. docs/plugins.md
("Markdown frontmatter") states the behaviour; PyYAML does the parsing, imported at first use so
start-up never pays for it."""

from __future__ import annotations

import functools
import json
import re
from os import PathLike
from typing import TYPE_CHECKING, Any

from claw._errors import ConfigError

if TYPE_CHECKING:
    import yaml

#: A top-level ``key: value`` line, for the fallback that quotes a value strict YAML rejects.
_ENTRY = re.compile(r"([A-Za-z_][\w.-]*)[ \t]*:[ \t]+(\S.*)")
_BOOL = "tag:yaml.org,2002:bool"


def parse_frontmatter(text: str, where: str | PathLike[str]) -> tuple[dict[str, Any], str]:
    """Split a Markdown file into its YAML frontmatter (a mapping between a first line ``---`` and the
    next ``---`` line) and its body (the text after that line, as written). A leading BOM and CRLF line
    ends are dropped; a file that does not start with ``---`` is all body, with ``{}``. Values keep their
    YAML types (``true`` is a bool, ``[a, b]`` a list); only ``true``/``false`` are booleans (YAML 1.2,
    as Claude Code reads them: ``yes`` stays a string). A single-line value strict YAML rejects, such as
    an unquoted ``description: Use when: x`` that Claude Code accepts, is read as the text it says.

    :param where: the file (or a label) that starts every error message.
    :raises ConfigError: ``<where>:<line>: what``: frontmatter never closed, invalid YAML (the line is
        the file's), or YAML that is not a mapping. Callers decide whether that is fatal.
    """
    lines = text.removeprefix("\ufeff").replace("\r\n", "\n").split("\n")
    if lines[0].strip() != "---":
        return {}, "\n".join(lines)
    end = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), None)
    if end is None:
        raise ConfigError(f"{where}:1: the frontmatter opened here is never closed with a --- line")
    data = _load("\n".join(lines[1:end]), where)
    if data is None:
        data = {}
    if not isinstance(data, dict):
        kind = "list" if isinstance(data, list) else "single value"
        raise ConfigError(f"{where}:2: the frontmatter must be `key: value` lines, not a {kind}")
    return {str(key): value for key, value in data.items()}, "\n".join(lines[end + 1 :])


def _load(source: str, where: str | PathLike[str]) -> object:
    """``source`` as YAML, else as YAML once each rejected single-line value is quoted (Claude Code's
    loader accepts those); an error is what remains after that, at the file's line."""
    import yaml

    try:
        return yaml.load(source, Loader=_loader())
    except yaml.YAMLError:
        pass
    try:
        return yaml.load(_quote_rejected(source), Loader=_loader())
    except yaml.YAMLError as exc:
        raise ConfigError(_message(exc, where)) from None


def _quote_rejected(source: str) -> str:
    """``source`` with each top-level ``key: value`` entry that is not YAML on its own (with the indented
    lines continuing it) rewritten as ``key: "<its text>"``; quoted and block (``|``, ``>``) values stay.
    Blank lines take the place of the continuation lines, so every line keeps its number for errors."""
    import yaml

    entries: list[list[str]] = []
    for line in source.split("\n"):
        if entries and _ENTRY.match(entries[-1][0]) and (not line.strip() or line[:1] in " \t"):
            entries[-1].append(line)
        else:
            entries.append([line])
    out: list[str] = []
    for entry in entries:
        match = _ENTRY.match(entry[0])
        if match and match.group(2)[0] not in "\"'|>":
            try:
                yaml.load("\n".join(entry), Loader=_loader())
            except yaml.YAMLError:
                words = " ".join(part.strip() for part in [match.group(2), *entry[1:]] if part.strip())
                quoted = f"{match.group(1)}: {json.dumps(words, ensure_ascii=False)}"
                entry = [quoted] + [""] * (len(entry) - 1)
        out.extend(entry)
    return "\n".join(out)


def _message(error: yaml.YAMLError, where: str | PathLike[str]) -> str:
    """``<where>:<line>: invalid YAML frontmatter: <why>``; the line is where the offending token starts
    (a "while scanning" context marks it; the problem mark may be the end of the text)."""
    import yaml

    if not isinstance(error, yaml.MarkedYAMLError):
        return f"{where}:2: invalid YAML frontmatter: {error}"
    scanning = error.context and error.context.startswith("while scanning") and error.context_mark
    mark = error.context_mark if scanning else error.problem_mark
    line = mark.line + 2 if mark else 2  # the frontmatter's first line is the file's second
    context = f" ({error.context})" if error.context else ""
    return f"{where}:{line}: invalid YAML frontmatter: {error.problem}{context}"


@functools.cache
def _loader() -> type[yaml.SafeLoader]:
    """PyYAML's safe loader with YAML 1.2 booleans (``true``/``false`` only): under YAML 1.1 a
    ``description: No`` or ``name: on`` would silently become a bool."""
    import yaml

    class Loader(yaml.SafeLoader):
        yaml_implicit_resolvers = {
            first: [r for r in resolvers if r[0] != _BOOL]
            for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
        }

    Loader.add_implicit_resolver(_BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))
    return Loader

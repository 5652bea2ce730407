"""Markdown slash commands and skills, as Claude Code lays them out.

Where they come from (a later source wins a name clash):

1. user commands: ``<config dir>/commands/**/*.md`` (``claw.config_dir``: ``$CLAW_CONFIG_DIR`` or
   ``~/.config/claw``), then user skills ``<config dir>/skills/<name>/SKILL.md``;
2. project commands: ``.claude/commands/**/*.md`` then ``.claw/commands/**/*.md``, then project skills
   ``.claude/skills/<name>/SKILL.md`` and ``.claw/skills/<name>/SKILL.md``.

So project beats user, ``.claw`` beats ``.claude``, and a skill beats a command of the same name.
A command in a subdirectory is named ``dir:name`` (``frontend/component.md`` -> ``/frontend:component``).
The commands and skills of the run's Claude Code plugin folders (``--plugin-dir``, ``enabledPlugins``:
:attr:`claw.SessionContext.plugin_folders`) come first, named ``<plugin>:<name>`` as in Claude Code, with
``${CLAUDE_PLUGIN_ROOT}`` and ``${CLAUDE_PLUGIN_DATA}`` replaced (:meth:`claw.PluginFolder.expand`); each also answers to ``<name>`` alone when no
other command has that name.

YAML frontmatter (between ``---`` lines, :func:`claw.parse_frontmatter`; a file whose frontmatter is not
YAML is skipped with a warning): ``description``, ``argument-hint``, ``allowed-tools`` (a comma-separated
string or a list), ``model``, ``disable-model-invocation``; skills also ``name``. Without a description,
the first non-empty body line is used.

Body substitutions when the command is expanded with an argument string:

- ``$ARGUMENTS``: the whole argument string;
- ``$ARGUMENTS[N]``: the N-th argument, **0-based** (Claude Code's current convention);
- ``$1`` .. ``$9``: the N-th argument, **1-based** (shell's and older Claude Code's convention);
  ``$0`` is left as written;
- ``${CLAW_SESSION_ID}`` / ``${CLAUDE_SESSION_ID}``, ``${CLAW_PROJECT_DIR}`` / ``${CLAUDE_PROJECT_DIR}``.

Arguments split like shell words (quotes group); a missing argument expands to nothing. When the
body uses none of the argument placeholders and arguments were given, they are appended as
``ARGUMENTS: <args>``, as Claude Code does.

Then, as in Claude Code:

- ``!`command` `` runs ``command`` with the ``Bash`` tool through the session's permission engine
  (:meth:`claw.SessionContext.call_tool`; the command's ``allowed-tools`` are granted when the user
  typed it, so ``allowed-tools: Bash(git status:*)`` lets ``!`git status` `` run unasked) and is
  replaced by its output; a denied or failed command is replaced by a note saying why. Only
  ``!`...` `` written in the file runs: arguments are substituted inside it, but an argument cannot
  add one. A project command's ``!`cmd` `` runs only in a trusted folder (``claw.SessionContext.trusted``,
  see ``docs/trust.md``); otherwise a note says it was not run.
- ``@path`` (after a space or at a line start) names a file inside the workspace: its text, up to
  :data:`MAX_FILE_CHARS`, is appended to the prompt in a ``<file path="...">`` block. A path that is
  not a readable file inside the workspace is left as written (``@decorator``, ``@someone``).
"""

from __future__ import annotations

import dataclasses
import itertools
import re
import shlex
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import claw

_ARG_PLACEHOLDER = re.compile(r"\$ARGUMENTS\[(\d+)\]|\$ARGUMENTS|\$([1-9])(?!\d)")
_VARS = re.compile(r"\$\{(CLAW|CLAUDE)_(SESSION_ID|PROJECT_DIR)\}")
_BANG = re.compile(r"!`([^`\n]+)`")
_AT = re.compile(r"(?:(?<=\s)|^)@([^\s`'\"<>()\[\]{},;]+)", re.M)
#: A sentinel standing for the i-th ``!`cmd` `` while arguments are substituted.
_SLOT = "\x00cmd{}\x00"
_SLOTS = re.compile("\x00cmd(\\d+)\x00")
#: Characters of one ``@file`` inlined into a command's prompt.
MAX_FILE_CHARS = 100_000
#: The file a skill folder holds (``<name>/SKILL.md``).
SKILL_FILE = "SKILL.md"


@dataclass(frozen=True)
class CommandFile:
    """A parsed command or skill file."""

    name: str
    path: Path
    body: str
    source: str
    meta: Mapping[str, object] = field(default_factory=dict)

    @property
    def description(self) -> str:
        text = self.meta.get("description")
        if isinstance(text, str) and text.strip():
            return text.strip()
        first = next(
            (line.strip().lstrip("#").strip() for line in self.body.splitlines() if line.strip()), ""
        )
        return first[:120]

    @property
    def allowed_tools(self) -> tuple[str, ...]:
        value = self.meta.get("allowed-tools")
        if isinstance(value, list):
            return tuple(str(v).strip() for v in value if str(v).strip())
        if isinstance(value, str):
            return tuple(_split_rules(value))
        return ()


def _split_rules(value: str) -> list[str]:
    """``Bash(git add:*), Read`` -> two rules (commas inside parentheses stay)."""
    out, depth, current = [], 0, ""
    for c in value:
        if c == "(":
            depth += 1
        elif c == ")":
            depth = max(0, depth - 1)
        if c == "," and depth == 0:
            out.append(current.strip())
            current = ""
        else:
            current += c
    out.append(current.strip())
    return [r for r in out if r]


def _as_written(value: object) -> str:
    """A value as its YAML flow text: Claude Code's ``argument-hint: [message]`` means the text
    ``[message]``, which YAML reads as a list (``[optional: x]`` as a list of one mapping)."""
    if isinstance(value, list):
        return "[" + ", ".join(_as_written(v) for v in value) + "]"
    if isinstance(value, dict):
        return ", ".join(f"{k}: {_as_written(v)}" for k, v in value.items())
    return str(value)


def _load(path: Path, name: str, source: str) -> CommandFile | None:
    try:
        text = claw.model_text(path.read_bytes())  # bytes that are not UTF-8 reach the model as U+FFFD
    except OSError as exc:
        claw.warn(f"cannot read command file {path}: {exc}")
        return None
    try:
        meta, body = claw.parse_frontmatter(text, path)
    except claw.ConfigError as exc:
        claw.warn(f"command skipped: {exc}")
        return None
    return CommandFile(name=name, path=path, body=body.lstrip("\n"), source=source, meta=meta)


def _commands_in(directory: Path, source: str) -> list[CommandFile]:
    if not directory.is_dir():
        return []
    found = []
    for path in sorted(directory.rglob("*.md")):
        if not path.is_file():
            continue
        rel = path.relative_to(directory).with_suffix("")
        name = ":".join(rel.parts)
        command = _load(path, name, source)
        if command:
            found.append(command)
    return found


def _skills_in(directory: Path, source: str) -> list[CommandFile]:
    if not directory.is_dir():
        return []
    return [s for path in sorted(directory.glob(f"*/{SKILL_FILE}")) if (s := _skill(path, source))]


def _skill(path: Path, source: str) -> CommandFile | None:
    """The skill in ``path`` (a ``SKILL.md``), named by its folder or its frontmatter ``name``."""
    skill = _load(path, path.parent.name, source)
    declared = skill.meta.get("name") if skill else None
    if skill and isinstance(declared, str) and declared.strip():
        return dataclasses.replace(skill, name=declared.strip())
    return skill


def _plugin_commands(folder: claw.PluginFolder) -> list[CommandFile]:
    """A Claude Code plugin folder's commands then skills (each path a directory of them, or one)."""
    source = f"plugin:{folder.name}"
    found: list[CommandFile | None] = []
    for path in folder.commands:
        found += _commands_in(path, source) if path.is_dir() else [_load(path, path.stem, source)]
    for path in folder.skills:
        one = path / SKILL_FILE
        found += [_skill(one, source)] if one.is_file() else _skills_in(path, source)
    return [
        dataclasses.replace(c, name=f"{folder.name}:{c.name}", body=folder.expand(c.body))
        for c in found
        if c is not None
    ]


def discover(
    workspace: Path, env: Mapping[str, str], plugins: Sequence[claw.PluginFolder] = ()
) -> dict[str, CommandFile]:
    """Every command and skill visible from ``workspace`` and in the ``plugins`` folders, by name,
    precedence applied; in bare mode (``claw.bare``) only the folders' (``--plugin-dir``): Claude Code's
    ``--bare`` skips the discovery of custom commands and skills."""
    if claw.safe_mode(env):  # ``--safe-mode``: no custom command or skill at all (Claude Code's)
        return {}
    named = [c for folder in plugins for c in _plugin_commands(folder)]
    if claw.bare(env):
        return {c.name: c for c in named}
    user = claw.config_dir(env)
    layers = [
        *named,
        *_commands_in(user / "commands", "user"),
        *_skills_in(user / "skills", "user"),
        *_commands_in(workspace / ".claude" / "commands", "project"),
        *_commands_in(workspace / ".claw" / "commands", "project"),
        *_skills_in(workspace / ".claude" / "skills", "project"),
        *_skills_in(workspace / ".claw" / "skills", "project"),
    ]
    return {c.name: c for c in layers}


def split_args(args: str) -> list[str]:
    try:
        return shlex.split(args)
    except ValueError:
        return args.split()


def _substitute(text: str, args: str, values: Mapping[str, str]) -> tuple[str, bool]:
    """``text`` with argument placeholders and variables filled in, and whether it had placeholders."""
    words = split_args(args)
    used = False

    def arg(m: re.Match[str]) -> str:
        nonlocal used
        used = True
        if m.group(1) is not None:
            i = int(m.group(1))
        elif m.group(2) is not None:
            i = int(m.group(2)) - 1
        else:
            return args
        return words[i] if i < len(words) else ""

    text = _ARG_PLACEHOLDER.sub(arg, text)
    return _VARS.sub(lambda m: values[m.group(2)], text), used


def expand(body: str, args: str, *, session_id: str, project_dir: Path) -> str:
    """Fill in ``$ARGUMENTS``, ``$ARGUMENTS[N]`` (0-based), ``$1``..``$9`` (1-based) and the
    ``${CLAW_*}``/``${CLAUDE_*}`` variables; see the module docstring."""
    values = {"SESSION_ID": session_id, "PROJECT_DIR": str(project_dir)}
    text, used = _substitute(body, args, values)
    if not used and args.strip():
        text = f"{text.rstrip()}\n\nARGUMENTS: {args.strip()}"
    return text


async def render(
    body: str,
    args: str,
    session: claw.SessionContext | None,
    *,
    session_id: str,
    project_dir: Path,
    may_run: bool = True,
) -> str:
    """:func:`expand`, then run the body's ``!`cmd` `` lines and inline its ``@file`` references
    (see the module docstring); without a session, or when ``may_run`` is false (a project command
    in a folder not trusted), commands are not run (a note says so)."""
    commands = _BANG.findall(body)
    numbers = itertools.count()
    slotted = _BANG.sub(lambda m: _SLOT.format(next(numbers)), body)
    text = expand(slotted, args, session_id=session_id, project_dir=project_dir)
    files = _files(text, project_dir)
    values = {"SESSION_ID": session_id, "PROJECT_DIR": str(project_dir)}
    outputs = [
        await _run(_substitute(c, args, values)[0], session)
        if may_run
        else f"[!`{c}` not run: the folder is not trusted (/trust)]"
        for c in commands
    ]
    return _SLOTS.sub(lambda m: outputs[int(m.group(1))], text).rstrip() + files


async def _run(command: str, session: claw.SessionContext | None) -> str:
    """The output of one ``!`cmd` ``, or a bracketed note when it did not run or failed."""
    if session is None:
        return f"[!`{command}` not run: no session]"
    try:
        result = await session.call_tool("Bash", {"command": command, "description": "slash command"})
    except claw.ToolError as exc:
        return f"[!`{command}` not run: {exc}]"
    content = result.content
    out = content if isinstance(content, str) else "".join(getattr(b, "text", "") for b in content)
    return out.rstrip("\n")


def _files(text: str, workspace: Path) -> str:
    """``<file>`` blocks for the ``@path`` references in ``text`` that name files in the workspace."""
    root = workspace.resolve()
    blocks: list[str] = []
    seen: set[Path] = set()
    for m in _AT.finditer(text):
        raw = m.group(1).rstrip(".:!?")
        path = (root / raw).resolve()
        if path in seen or not path.is_relative_to(root) or not path.is_file():
            continue
        seen.add(path)
        try:
            with path.open(encoding="utf-8", errors="replace") as fh:  # U+FFFD, as claw.model_text
                content = fh.read(MAX_FILE_CHARS + 1)
        except OSError:
            continue
        if len(content) > MAX_FILE_CHARS:
            content = content[:MAX_FILE_CHARS] + f"\n[... cut at {MAX_FILE_CHARS} characters]"
        blocks.append(f'<file path="{path.relative_to(root)}">\n{content.rstrip(chr(10))}\n</file>')
    return "".join("\n\n" + b for b in blocks)


def slash_command(
    command: CommandFile, *, session_id: str, project_dir: Path, session: claw.SessionContext | None = None
) -> claw.SlashCommand:
    may_run = command.source != "project" or (session is not None and session.trusted)

    async def run(args: str) -> str:
        return await render(
            command.body, args, session, session_id=session_id, project_dir=project_dir, may_run=may_run
        )

    hint = command.meta.get("argument-hint")
    model = command.meta.get("model")
    return claw.SlashCommand(
        name=command.name,
        description=command.description,
        expand=run,
        argument_hint=_as_written(hint) if hint else "",
        source=command.source,
        allowed_tools=command.allowed_tools if may_run else (),  # a grant the folder makes needs trust
        model=str(model) if model else None,
        model_invocable=command.meta.get("disable-model-invocation") is not True,
    )


def project_commands_running(workspace: Path, env: Mapping[str, str]) -> list[str]:
    """One line per ``!`cmd` `` of the folder's own commands and skills (``claw_trust_items``)."""
    return [
        f"/{c.name} runs !`{cmd}` ({c.path.relative_to(workspace)})"
        for c in discover(workspace, env).values()
        if c.source == "project"
        for cmd in _BANG.findall(c.body)
    ]


def register_all(session: claw.SessionContext) -> None:
    """Offer the session every Markdown command and skill (``claw_session_start``), and each plugin
    command under its name without the prefix where that is nobody else's (:func:`shorthands`); the
    skills' names are the session's ``skills`` fact (``system/init``)."""
    found = discover(session.workspace, session.env, session.plugin_folders)
    session.facts["skills"] = [c.name for c in found.values() if c.path.name == SKILL_FILE]
    commands = [*found.values(), *shorthands(found, session.commands).values()]
    for command in commands:
        session.add_command(
            slash_command(
                command, session_id=session.session_id, project_dir=session.workspace, session=session
            )
        )


def shorthands(found: Mapping[str, CommandFile], taken: Mapping[str, object]) -> dict[str, CommandFile]:
    """As Claude Code: a plugin command also runs typed without its prefix (``/hello`` for
    ``/myplug:hello``) when no other command or skill, and no other plugin's command, has that name."""
    plugin = [(c.name.split(":", 1)[1], c) for c in found.values() if c.source.startswith("plugin:")]
    bare = Counter(name for name, _ in plugin)
    return {
        name: dataclasses.replace(c, name=name)
        for name, c in plugin
        if bare[name] == 1 and name not in found and name not in taken
    }

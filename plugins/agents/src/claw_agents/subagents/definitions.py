"""Sub-agent definitions, as Claude Code reads them.

A definition is a Markdown file whose frontmatter names the agent and whose body is its system
prompt::

    ---
    name: reviewer
    description: Reviews a diff for bugs. Use after every change.
    tools: Read, Grep, Glob
    model: haiku
    ---
    You review code. ...

Where they come from, the first of a name winning: ``--agents JSON`` (Claude Code's
``{"name": {"description", "prompt", "tools", "model"}}``), the project's ``.claw/agents/`` and
``.claude/agents/``, the user's ``$CLAW_CONFIG_DIR/agents/`` and ``~/.claude/agents/``, the run's Claude
Code plugin folders (``--plugin-dir``, ``enabledPlugins``: named ``<plugin>:<name>``,
``${CLAUDE_PLUGIN_ROOT}`` and ``${CLAUDE_PLUGIN_DATA}`` in the prompt replaced, as in Claude Code), then the built-in ``general-purpose``. A file with broken
frontmatter is an error naming the file and line.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import claw

GENERAL_PURPOSE_PROMPT = """\
You are a sub-agent started by another agent for one task. Do the task completely with the tools you \
have: search and read the code, run what needs running, make the changes asked for. You cannot ask \
the user anything; decide sensibly and say what you assumed.

When you are done, answer with a concise report for the agent that started you: what you found or \
changed (files as path:line), and anything left undone. That report is all it sees of your work."""


class DefinitionError(claw.ConfigError):
    """A definition that cannot be read; the message names the file (and line)."""


@dataclass(frozen=True)
class AgentDefinition:
    """One sub-agent type.

    :param tools: the tool names it is offered; ``None`` offers all of the parent's.
    :param source: where it came from (``built-in``, ``--agents``, ``project``, ``user``, ``plugin:<name>``).
    """

    name: str
    description: str
    prompt: str
    tools: tuple[str, ...] | None = None
    disallowed_tools: tuple[str, ...] = ()
    model: str | None = None
    permission_mode: str | None = None
    source: str = "built-in"
    path: Path | None = None

    def as_dict(self) -> dict[str, Any]:
        """The definition for ``claw agents show --json``."""
        return {
            "name": self.name,
            "description": self.description,
            "tools": list(self.tools) if self.tools is not None else None,
            "disallowedTools": list(self.disallowed_tools),
            "model": self.model,
            "permissionMode": self.permission_mode,
            "source": self.source,
            "path": str(self.path) if self.path else None,
            "prompt": self.prompt,
        }


GENERAL_PURPOSE = AgentDefinition(
    name="general-purpose",
    description=(
        "General-purpose agent for researching complex questions, searching for code and carrying out "
        "multi-step tasks. Use it when a search or a piece of work would take many steps of your own."
    ),
    prompt=GENERAL_PURPOSE_PROMPT,
)


def _tool_list(value: Any, where: str) -> tuple[str, ...] | None:
    """``"Read, Grep"``, ``["Read", "Grep"]`` or ``"*"`` (all: ``None``)."""
    if value is None:
        return None
    if isinstance(value, str):
        names = [n.strip() for n in value.split(",")]
    elif isinstance(value, list) and all(isinstance(n, str) for n in value):
        names = [n.strip() for n in value]
    else:
        raise DefinitionError(f"{where}: tools must be a comma-separated list of tool names")
    names = [n for n in names if n]
    return None if names == ["*"] else tuple(names)


def _definition(
    data: Mapping[str, Any], prompt: str, source: str, where: str, path: Path | None
) -> AgentDefinition:
    name, description = data.get("name"), data.get("description")
    if not isinstance(name, str) or not name.strip():
        raise DefinitionError(f"{where}: missing `name`")
    if not isinstance(description, str) or not description.strip():
        raise DefinitionError(f"{where}: missing `description`")
    model = data.get("model")
    mode = data.get("permissionMode")
    if model is not None and not isinstance(model, str):
        raise DefinitionError(f"{where}: model must be a string")
    if mode is not None and not isinstance(mode, str):
        raise DefinitionError(f"{where}: permissionMode must be a string")
    return AgentDefinition(
        name=name.strip(),
        description=description.strip(),
        prompt=prompt,
        tools=_tool_list(data.get("tools"), where),
        disallowed_tools=_tool_list(data.get("disallowedTools"), where) or (),
        model=model or None,
        permission_mode=mode or None,
        source=source,
        path=path,
    )


def load_file(path: Path, source: str) -> AgentDefinition:
    """The definition in ``path``: its YAML frontmatter (:func:`claw.parse_frontmatter`) and its body, the
    prompt. claw reads name, description, tools, disallowedTools, model and permissionMode (Claude Code's
    keys); others (``color``, ...) are accepted and ignored.

    :raises DefinitionError: unreadable file, no frontmatter, frontmatter that is not YAML ``key: value``
        lines (``path:line: what``), missing name or description.
    """
    try:
        text = claw.model_text(path.read_bytes())
        meta, body = claw.parse_frontmatter(text, path)
    except OSError as exc:
        raise DefinitionError(f"{path}: cannot read: {exc.strerror or exc}") from None
    except claw.ConfigError as exc:
        raise DefinitionError(str(exc)) from None
    if not meta:
        raise DefinitionError(f"{path}:1: a sub-agent definition starts with --- frontmatter naming it")
    return _definition(meta, body.strip(), source, str(path), path)


def from_json(value: Any) -> list[AgentDefinition]:
    """``--agents``: ``{"name": {"description", "prompt", "tools", "model", ...}}`` (Claude Code's).

    :raises DefinitionError: not that shape.
    """
    if not isinstance(value, dict):
        raise DefinitionError("--agents: expected a JSON object of agent name -> definition")
    out = []
    for name, data in value.items():
        where = f"--agents {name}"
        if not isinstance(data, dict):
            raise DefinitionError(f"{where}: expected an object with description and prompt")
        prompt = data.get("prompt")
        if not isinstance(prompt, str) or not prompt.strip():
            raise DefinitionError(f"{where}: missing `prompt`")
        out.append(_definition({**data, "name": name}, prompt, "--agents", where, None))
    return out


def directories(workspace: Path, env: Mapping[str, str]) -> list[tuple[Path, str]]:
    """Where definition files live, the first winning: the project's, then the user's."""
    home = Path(env.get("HOME") or Path.home())
    return [
        (workspace / claw.PROJECT_DIR_NAME / "agents", "project"),
        (workspace / ".claude" / "agents", "project"),
        (claw.config_dir(env) / "agents", "user"),
        (home / ".claude" / "agents", "user"),
    ]


def plugin_agents(folder: claw.PluginFolder) -> list[AgentDefinition]:
    """A Claude Code plugin folder's agents (each path a definition file or a directory of them).

    :raises DefinitionError: a broken file (naming it).
    """
    files = [f for p in folder.agents for f in (sorted(p.glob("*.md")) if p.is_dir() else [p])]
    return [
        dataclasses.replace(d, name=f"{folder.name}:{d.name}", prompt=folder.expand(d.prompt))
        for d in (load_file(f, f"plugin:{folder.name}") for f in files)
    ]


def discover(
    workspace: Path, env: Mapping[str, str], cli: Any = None, plugins: Sequence[claw.PluginFolder] = ()
) -> dict[str, AgentDefinition]:
    """Every definition by name: ``--agents`` (``cli``, parsed JSON), the project's and user's files,
    the ``plugins`` folders' agents, then ``general-purpose``; the first of a name wins. Bare mode
    (``claw.bare``) reads no files: Claude Code's ``--bare`` skips discovering subagents, not ``--agents``.

    :raises DefinitionError: a broken file or ``--agents`` value (naming it).
    """
    if claw.safe_mode(env):  # ``--safe-mode``: no custom agent, not even --agents' (Claude Code's)
        return {GENERAL_PURPOSE.name: GENERAL_PURPOSE}
    found: dict[str, AgentDefinition] = {}
    for definition in from_json(cli) if cli is not None else []:
        found.setdefault(definition.name, definition)
    for directory, source in [] if claw.bare(env) else directories(workspace, env):
        for path in sorted(directory.glob("*.md")) if directory.is_dir() else []:
            definition = load_file(path, source)
            found.setdefault(definition.name, definition)
    for definition in (d for folder in plugins for d in plugin_agents(folder)):
        found.setdefault(definition.name, definition)
    found.setdefault(GENERAL_PURPOSE.name, GENERAL_PURPOSE)
    return found

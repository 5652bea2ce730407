"""The main-thread agent: the session itself runs as one sub-agent type, as Claude Code's ``claude --agent
NAME`` and settings ``agent`` do.

The first of ``--agent``, settings ``agent`` and a Claude Code plugin folder's ``settings.json`` ``agent``
(one of that plugin's own agents) chooses the definition. Its body replaces claw's instructions, as
``--system-prompt`` does (the environment and ``CLAUDE.md`` sections still follow, as in Claude Code); its
``tools`` and ``disallowedTools`` restrict what is offered; its ``model`` applies unless ``--model`` was
given; its ``permissionMode`` applies unless ``--permission-mode`` was given, from a settings layer of the
definition's scope, so a project's definition cannot start a run in a mode that skips approval (the rule
for a project's ``permissions.defaultMode``); a plugin's is ignored, as Claude Code ignores
``permissionMode`` in plugin agents. A flag given on the command line (``--system-prompt``, ``--tools``)
wins over the definition's value.

The session keeps the agent it runs as (``LoopOptions.meta``, its start record), as Claude Code does: a
``--resume``/``--continue`` without ``--agent`` goes on as that agent, before settings ``agent`` (as a
resumed session keeps its model); ``--agent`` on resume switches. One that no longer exists is a warning
line, and the run goes on as a new one would choose.
"""

from __future__ import annotations

import claw

from claw_agents.subagents import definitions

#: The settings scope each definition source's permission mode is read with.
_MODE_SCOPES = {"project": "project", "user": "user", "--agents": "cli", "built-in": "user"}

#: The key of ``LoopOptions.meta`` (the session's start record) naming the agent the session runs as.
META = "agent"


def _plugin_default(folders: tuple[claw.PluginFolder, ...]) -> tuple[str, str] | None:
    """The first folder's ``settings.json`` ``agent`` (Claude Code's plugin default settings), scoped to
    the plugin as ``<plugin>:<agent>``, and where it was set."""
    for folder in folders:
        path = folder.root / "settings.json"
        data = claw.read_json_file(path) or {}
        name = data.get("agent")
        if isinstance(name, str) and name.strip():
            return f"{folder.name}:{name.strip()}", str(path)
    return None


def _chosen(options: claw.LoopOptions, settings: claw.EffectiveSettings) -> tuple[str, str] | None:
    """The agent name to run as and what chose it, for the error naming an unknown one."""
    if options.extra.get("agent"):
        return str(options.extra["agent"]), "--agent"
    if settings.data.get("agent"):
        return str(settings.data["agent"]), f"settings agent in {settings.sources.get('agent', 'settings')}"
    return None


def recorded(options: claw.LoopOptions, resumed: claw.SessionState | None) -> str | None:
    """The agent a resumed session ran as, unless ``--agent`` chooses again."""
    name = resumed.meta.get(META) if resumed is not None and not options.extra.get("agent") else None
    return name if isinstance(name, str) and name else None


def apply(
    options: claw.LoopOptions, context: claw.CommandContext, resumed: claw.SessionState | None
) -> str | None:
    """Make ``options`` run as the chosen agent; returns the one line ending the run for an unknown
    agent or a broken definition, ``None`` otherwise (also when no agent is chosen)."""
    kept = recorded(options, resumed)
    chosen = _chosen(options, context.settings)
    default = None if chosen else _plugin_default(options.plugin_folders)
    if kept is None and chosen is None and default is None:
        return None
    try:
        found = definitions.discover(
            context.workspace, context.env, options.extra.get("agents"), options.plugin_folders
        )
    except claw.ConfigError as exc:
        return str(exc)
    if kept is not None and resumed is not None:
        if kept in found:
            chosen = kept, f"session {resumed.session_id}"
        else:  # the session goes on; what a new one would choose (settings, a plugin's default) applies
            claw.warn(f"agent {kept!r} of session {resumed.session_id} no longer exists; going on without it")
            if chosen is None and default is None:
                return None
    name, where = chosen or default or ("", "")
    definition = found.get(name)
    if definition is None:
        message = f"unknown agent {name!r} ({where}); available agents: {', '.join(sorted(found))}"
        if chosen is None:  # a plugin's default: the run goes on as it would without the plugin's settings
            claw.warn(message)
            return None
        return message
    _run_as(options, definition, context)
    options.meta = {**options.meta, META: definition.name}
    return None


def _run_as(
    options: claw.LoopOptions, definition: definitions.AgentDefinition, context: claw.CommandContext
) -> None:
    if options.system_prompt is None and definition.prompt:
        options.system_prompt = definition.prompt
    if options.tools is None and definition.tools is not None:
        # A tool listed by an alias (``Task``, the ``Agent`` tool's old name) is offered by its name.
        options.tools = [tool.spec.name if (tool := context.tool(n)) else n for n in definition.tools]
    options.disallowed_tools = [
        *options.disallowed_tools,
        *(t for t in definition.disallowed_tools if t not in options.disallowed_tools),
    ]
    if options.model is None and definition.model and definition.model != "inherit":
        options.model = definition.model
    scope = _MODE_SCOPES.get(definition.source)
    if options.permission_mode is None and definition.permission_mode and scope is not None:
        label = f"agent {definition.name} ({definition.path or definition.source})"
        layer = (scope, label, {"permissions": {"defaultMode": definition.permission_mode}})
        options.settings = [*options.settings, layer]

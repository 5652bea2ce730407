"""The options the TypeScript Agent SDK sends in ``initialize`` instead of as flags, applied as the flag.

``@anthropic-ai/claude-agent-sdk`` sends ``mcpServers`` in the ``initialize`` request by default
(``mcpServersDelivery: 'initialize'``), and ``settings``, ``managedSettings``, ``disallowedTools``,
``additionalDirectories`` and ``plugins`` there too when their ``*Delivery`` option is ``'initialize'``;
it launches the CLI with ``--await-initialize`` (and ``--initialize-fields``,
``--managed-settings-in-initialize`` naming what must come) and ends the session unless the answer
confirms each field with ``<field>_applied: true``. Each field is applied to :class:`claw.LoopOptions`
exactly as its flag would be, and confirmed only when it was:

========================  =========================================  ===================================
field                     applied as                                 answer
========================  =========================================  ===================================
``mcpServers``            ``--mcp-config '{"mcpServers": ...}'``     ``mcp_servers_applied``
``settings``              ``--settings`` (a command-line layer)      ``settings_applied``
``managedSettings``       a managed (policy) layer                   ``managed_settings_applied``
``disallowedTools``       ``--disallowedTools``                      ``disallowed_tools_applied``
``additionalDirectories`` ``--add-dir``                              ``additional_directories_applied``
``plugins``               ``--plugin-dir``                           ``plugins_applied``
========================  =========================================  ===================================

The names of the in-process servers (``createSdkMcpServer``) come in ``sdkMcpServers``; they join the
``--mcp-config`` servers as ``{"type": "sdk"}`` entries, which claw-mcp connects through the ``sdk``
transport (:func:`claw_sdk.initialize.mcp_transport`), as the Python SDK's do from the command line.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from claw import ClawError, warn

#: Settings keys read before ``initialize`` arrives (which plugins load, whether the folder is trusted):
#: settings that set one cannot be applied as sent, so they are not confirmed.
READ_BEFORE_INITIALIZE = ("plugins", "requireTrust")

#: The request's option fields, which only an ``initialize`` read before the session starts can apply.
FIELDS = ("mcpServers", "settings", "managedSettings", "disallowedTools", "additionalDirectories", "plugins")


def carried(request: dict[str, Any]) -> list[str]:
    """The option fields ``request`` carries."""
    return [f for f in FIELDS if request.get(f) is not None]


def apply(options: Any, request: dict[str, Any]) -> dict[str, bool]:
    """Apply the request's option fields to ``options`` (:class:`claw.LoopOptions`); returns the
    ``*_applied`` answers for the fields it carried, true only where the field was applied.

    :raises ClawError: a field the SDK sent malformed, or a directory that does not exist (the
        ``initialize`` answer is then this error, as a bad flag would end the run).
    """
    answers: dict[str, bool] = {}
    if request.get("mcpServers") is not None:
        answers["mcp_servers_applied"] = _mcp_servers(options, request["mcpServers"])
    names = request.get("sdkMcpServers")
    if names:  # in-process servers (createSdkMcpServer), reached over this channel; nothing to confirm
        _mcp_servers(options, {name: {"type": "sdk"} for name in _strings(names, "sdkMcpServers")})
    for key, scope, answer in (
        ("settings", "cli", "settings_applied"),
        ("managedSettings", "managed", "managed_settings_applied"),
    ):
        if request.get(key) is not None:
            answers[answer] = add_settings(options, request[key], key, scope)
    tools = request.get("disallowedTools")
    if tools is not None:
        options.disallowed_tools = [*options.disallowed_tools, *_strings(tools, "disallowedTools")]
        answers["disallowed_tools_applied"] = True
    directories = request.get("additionalDirectories")
    if directories is not None:
        options.add_dirs = [
            *options.add_dirs,
            *map(_directory, _strings(directories, "additionalDirectories")),
        ]
        answers["additional_directories_applied"] = True
    if request.get("plugins"):  # Claude Code answers nothing for an empty list
        from claw_sdk import plugin_dirs

        why = plugin_dirs.apply(options, plugin_dirs.entries_of(request["plugins"]))
        if why is not None:
            warn(f"the Agent SDK's plugins are not loaded: {why}")
        answers["plugins_applied"] = why is None
    return answers


def check_delivered(options: Any, request: dict[str, Any] | None) -> None:
    """``--initialize-fields`` and ``--managed-settings-in-initialize``: the launch promised these
    fields in the first message, the ``initialize`` request; without them claw starts no session
    (Claude Code's ``initialize_fields_not_delivered``), since running without them would silently
    drop settings or restrictions.

    :raises ClawError: a promised field is missing.
    """
    extra: dict[str, Any] = options.extra
    wanted = [f.strip() for f in (extra.get("initialize_fields") or "").split(",") if f.strip()]
    if extra.get("managed_settings_in_initialize"):
        wanted.append("managedSettings")
    missing = [f for f in wanted if not isinstance(request, dict) or request.get(f) is None]
    if missing:
        raise ClawError(
            f"the launch asked for {', '.join(missing)} in the initialize request (--initialize-fields, "
            "--managed-settings-in-initialize), and the first stdin message did not carry them"
        )


def _mcp_servers(options: Any, servers: Any) -> bool:
    if not isinstance(servers, dict):
        raise ClawError('initialize: "mcpServers" must be an object of servers by name')
    if "mcp_config" not in options.extra:  # claw-mcp owns --mcp-config; without it nothing runs servers
        warn(
            "the Agent SDK's mcpServers are not started: the claw-mcp plugin is not installed or is disabled"
        )
        return False
    options.extra["mcp_config"] = (*(options.extra["mcp_config"] or ()), json.dumps({"mcpServers": servers}))
    return True


def add_settings(options: Any, data: Any, key: str, scope: str) -> bool:
    """Add ``data`` as a settings layer of ``scope`` (``cli`` as ``--settings``, ``managed`` as the
    managed settings); false, with a warning, when it sets what is read before claw gets it.

    :raises ClawError: ``data`` is not an object.
    """
    if not isinstance(data, dict):
        raise ClawError(f'initialize: "{key}" must be a settings object')
    early = [k for k in READ_BEFORE_INITIALIZE if k in data]
    if early:
        warn(
            f"the Agent SDK's {key} are not applied: {', '.join(early)} must be set before claw starts "
            "(put them in a settings file claw reads)"
        )
        return False
    options.settings = [*options.settings, (scope, f"{key} (Agent SDK initialize)", data)]
    return True


def _strings(value: Any, key: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ClawError(f'initialize: "{key}" must be a list of strings')
    return [v for v in value if v.strip()]


def _directory(value: str) -> Path:
    """As ``--add-dir``: absolute, relative to the current directory, and an existing directory."""
    path = Path(value).expanduser().resolve()
    if not path.is_dir():
        raise ClawError(f"initialize: additionalDirectories: not a directory: {value}")
    return path

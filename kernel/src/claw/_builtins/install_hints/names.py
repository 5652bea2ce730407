"""Who adds each subcommand and flag the command line may miss: the built-ins (disabled) and the
first-party distributions (not installed or disabled)."""

from __future__ import annotations

from claw._plugins import disabled_builtin, missing_plugin

#: Subcommands and flags of the kernel's built-in plugins (:data:`claw._plugins.BUILTIN_PLUGINS`), by name
#: -> the built-in: with it disabled, the error says so instead of guessing at a typo (or click's "No such
#: option").
BUILTIN_NAMES: dict[str, str] = {
    name: builtin
    for builtin, names in {
        "doctor": "doctor",
        "plugin_list": "plugins",
        "resume_session": "resume-session",
        "structured_output": "--json-schema",
        "bare": "--bare --safe-mode",
        "debug_log": "-d --debug --debug-file",
        "workspace_trust": "--require-trust",
        "session_choice": "--session-dir -r --resume --session -c --continue --fork-session --session-id "
        "--no-session-persistence",
        "permission_flags": "--permission-mode --dangerously-skip-permissions --permission-prompt-tool "
        "--allowed-tools --allowedTools --disallowed-tools --disallowedTools --tools --add-dir",
        "system_prompt_flags": "--system-prompt --system-prompt-file --append-system-prompt "
        "--append-system-prompt-file",
    }.items()
    for name in names.split()
}

#: Subcommands first-party distributions add (``claw_register_commands``), by name: without that
#: distribution installed (or with it disabled), the error names what to install instead of guessing at
#: a typo.
PLUGIN_COMMANDS: dict[str, str] = {
    "sessions": "claw-sessions",
    "timeline": "claw-sessions",
    "permissions": "claw-permissions",
    "hooks": "claw-hooks",
    **dict.fromkeys(
        ("models", "config", "trust", "print-system-prompt", "dump-manifests", "bootstrap-plan"),
        "claw-commands",
    ),
}

#: claw-sdk's flags: the Claude Agent SDK's own.
_SDK_FLAGS = (
    "--max-thinking-tokens --thinking --thinking-display --betas --task-budget "
    "--allow-dangerously-skip-permissions --session-mirror --resume-session-at --resume-drops-turn "
    "--await-initialize --initialize-fields --managed-settings-in-initialize --managed-settings"
)
#: Flags a first-party plugin adds: given while it is missing or disabled, the error names the plugin
#: rather than click's "No such option".
PLUGIN_FLAGS = {
    **dict.fromkeys(_SDK_FLAGS.split(), "claw-sdk"),
    **dict.fromkeys(("--plugin-dir", "--plugin-url"), "claw-claude-plugins"),
}


#: Claude Code's flags claw has no counterpart for, and why: one line saying so rather than click's guess
#: at a typo (``--ide``: "did you mean --debug, --model?").
CLAUDE_CODE_ONLY = {
    "--mcp-debug": "use --debug mcp (Claude Code deprecated it for --debug too)",
    "--ide": "claw has no IDE integration",
    **dict.fromkeys(("--chrome", "--no-chrome"), "claw has no Chrome integration"),
    **dict.fromkeys(("--remote", "--teleport"), "claw has no claude.ai web sessions"),
    "--from-pr": "claw links no session to a pull request; resume one with --resume NAME",
    "--file": "claw downloads no file resources; put the files in the workspace or pass --add-dir",
}


def why_missing(name: str) -> str | None:
    """``claw_unknown_name``: the one line for ``name``, or ``None`` when no built-in or first-party
    distribution adds it."""
    what = name if name.startswith("-") else f"claw {name}"
    if name in BUILTIN_NAMES:
        return f"{what} comes with {disabled_builtin(BUILTIN_NAMES[name])}"
    if name in PLUGIN_COMMANDS:
        return missing_plugin(f"{what} comes with", PLUGIN_COMMANDS[name])
    if name in CLAUDE_CODE_ONLY:
        return f"{name} is a Claude Code flag claw does not have: {CLAUDE_CODE_ONLY[name]}"
    dist = PLUGIN_FLAGS.get(name)
    if dist is None:
        return None
    return f"{name} needs the {dist} plugin, which is not installed or is disabled (pip install {dist})"

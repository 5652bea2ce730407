"""``--bare``: Claude Code's minimal mode for scripted runs, and ``--safe-mode``: its troubleshooting mode
(``CLAUDE_CODE_SAFE_MODE=1``, ``claw.safe_mode(env)``: every customization off, flags' too, and no
third-party claw plugin). The flag only sets ``CLAUDE_CODE_SIMPLE=1``
(:mod:`.mode`), as Claude Code's does; each plugin that discovers something on its own reads that
(``claw.bare(env)``) and skips it. Disabled, ``--bare`` is an unknown option and ``CLAUDE_CODE_SIMPLE=1``
still works (and so does ``CLAUDE_CODE_SAFE_MODE=1``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from claw import hookimpl

if TYPE_CHECKING:
    from collections.abc import Callable

    import click


@hookimpl
def claw_register_run_options(register: Callable[[click.Option], None]) -> None:
    import click

    from claw._builtins.bare.mode import enter

    register(
        click.Option(
            ["--bare"],
            is_flag=True,
            expose_value=False,
            callback=enter,
            help="Minimal mode for scripts, as Claude Code's: no CLAUDE.md, hooks from settings files, "
            ".mcp.json or settings MCP servers, installed Claude Code plugins, custom commands, skills or "
            "agent files; --mcp-config, --plugin-dir, --agents, --settings and --append-system-prompt "
            "still apply.",
        )
    )
    register(
        click.Option(
            ["--safe-mode"],
            is_flag=True,
            expose_value=False,
            callback=enter,
            help="Start with all customizations (CLAUDE.md, hooks, MCP servers, Claude Code plugins, custom "
            "commands, skills, agents, third-party claw plugins) disabled, flags' too: for troubleshooting a "
            "broken configuration. Managed settings still apply. Sets CLAUDE_CODE_SAFE_MODE=1 (as Claude Code's).",
        )
    )

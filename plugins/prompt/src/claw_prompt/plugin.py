"""The ``prompt`` plugin: answers ``claw_system_prompt`` with claw's instructions, the environment, the
user's instruction files and the output style (settings ``outputStyle``), and adds Claude Code's
``--exclude-dynamic-system-prompt-sections``. Imported on every start: it imports only ``claw``; the sections load when a prompt is built."""

from __future__ import annotations

from typing import TYPE_CHECKING

from claw import hookimpl

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Callable, Mapping, Sequence
    from pathlib import Path

    import click
    from claw import EffectiveSettings, LoopOptions, SessionContext

#: The settings key naming the output style (Claude Code's), :mod:`claw_prompt.styles`.
OUTPUT_STYLE = "outputStyle"
#: The flag's parameter name (``LoopOptions.extra``, ``claw print-system-prompt`` reads it too).
EXCLUDE = "exclude_dynamic_system_prompt_sections"


@hookimpl(trylast=True)
def claw_system_prompt(
    workspace: Path,
    env: Mapping[str, str],
    settings: EffectiveSettings,
    date: dt.date,
    additional_dirs: Sequence[Path],
) -> dict[str, str]:
    """``trylast``: merged first, so a plugin's section named like one of these replaces it."""
    from claw_prompt.sections import sections

    return sections(workspace, env, date, additional_dirs, settings.get(OUTPUT_STYLE))


@hookimpl
def claw_register_settings(register: Callable[..., None]) -> None:
    # Claude Code saves the choice in .claude/settings.local.json: read there too, as it is.
    register(
        OUTPUT_STYLE,
        str,
        "The output style: default, Explanatory, Learning or a custom style's name (Claude Code's key)",
        claude_code=lambda value, _file: value,
    )


@hookimpl
def claw_register_run_options(register: Callable[[click.Option], None]) -> None:
    import click

    register(
        click.Option(
            ["--exclude-dynamic-system-prompt-sections", EXCLUDE],
            is_flag=True,
            help="Move the per-machine sections (working directory, platform, date, git status, CLAUDE.md "
            "files) from the system prompt into the first user message, for prompt-cache reuse across "
            "machines, as Claude Code's. Ignored with --system-prompt.",
        )
    )


@hookimpl
def claw_adjust_run(options: LoopOptions) -> None:
    """The flag onto the option the agent loop reads (it knows which sections are per-machine)."""
    options.exclude_dynamic_sections = bool(options.extra.get(EXCLUDE))


@hookimpl
def claw_session_start(session: SessionContext) -> None:
    """The session's output style and the styles there are, for ``system/init`` and the Agent SDK's
    ``initialize`` answer (:attr:`claw.SessionContext.facts`)."""
    from claw_prompt import styles

    found = styles.available(session.workspace, session.env)  # the folders read once for both facts
    session.facts["output_style"] = styles.chosen(session.settings.get(OUTPUT_STYLE), found, session.env).name
    session.facts["available_output_styles"] = [s.name for s in found.values()]

"""The system prompt, joined from the sections plugins answer (``claw_system_prompt``: claw-prompt's are
claw's own instructions, the environment and the user's ``CLAUDE.md`` files). ``claw print-system-prompt``
prints exactly what :func:`build` returns, so what the model is told is never a mystery. ``--system-prompt``
replaces claw's own instructions (the other sections still follow, as in Claude Code);
``--append-system-prompt`` adds text at the end."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from claw import _console as console
from claw._plugins import missing_plugin
from claw._text import model_text

if TYPE_CHECKING:
    from claw._config import EffectiveSettings
    from claw._plugins import PluginManager

#: The section ``--system-prompt`` replaces, first whoever answers it.
INSTRUCTIONS = "instructions"
#: The per-machine sections (whoever answers them), which ``--exclude-dynamic-system-prompt-sections`` moves.
DYNAMIC = ("environment", "memory")


def build(
    pm: PluginManager,
    workspace: Path,
    env: Mapping[str, str],
    settings: EffectiveSettings,
    *,
    date: dt.date | None = None,
    system_prompt: str | None = None,
    append: str | None = None,
    additional_dirs: Sequence[str | Path] = (),
    dynamic: list[str] | None = None,
) -> str:
    """The complete system prompt for a session in ``workspace`` (``additional_dirs``: settings
    ``permissions.additionalDirectories`` and ``--add-dir``, resolved); ``dynamic`` receives the
    :data:`DYNAMIC` sections as one ``<system-reminder>`` for the first user message, as Claude Code's."""
    _, answers = pm.call_attributed(
        "claw_system_prompt",
        workspace=workspace,
        env=env,
        settings=settings,
        date=date or dt.date.today(),
        additional_dirs=[Path(d) for d in additional_dirs],
    )
    sections, told = {INSTRUCTIONS: ""}, False
    for answer in reversed(answers):  # the default (``trylast``, called last) first
        if isinstance(answer.result, dict) and all(isinstance(t, str) for t in answer.result.values()):
            sections.update(answer.result)
            told = told or INSTRUCTIONS in answer.result
        elif answer.result is not None:
            console.warn(f"{answer.plugin.label} answered claw_system_prompt with no dict of texts; ignored")
    if not told:
        console.warn(missing_plugin("claw's instructions and CLAUDE.md files need", "claw-prompt"))
    if system_prompt is not None:
        sections[INSTRUCTIONS] = system_prompt
    elif dynamic is not None and (moved := [t for name in DYNAMIC if (t := sections.pop(name, ""))]):
        dynamic.append(model_text("<system-reminder>\n" + "\n\n".join(moved) + "\n</system-reminder>"))
    # Paths and flag values may carry bytes that are not UTF-8 (surrogate escapes): U+FFFD for the model.
    return model_text("\n\n".join(t for t in [*sections.values(), append] if t))

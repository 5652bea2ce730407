"""The ``prompt`` plugin: answers ``claw_system_prompt`` with claw's instructions, the environment and the
user's instruction files. Imported on every start: it imports only ``claw``; the sections load when a
prompt is built."""

from __future__ import annotations

from typing import TYPE_CHECKING

from claw import hookimpl

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Mapping, Sequence
    from pathlib import Path


@hookimpl(trylast=True)
def claw_system_prompt(
    workspace: Path, env: Mapping[str, str], date: dt.date, additional_dirs: Sequence[Path]
) -> dict[str, str]:
    """``trylast``: merged first, so a plugin's section named like one of these replaces it."""
    from claw_prompt.sections import sections

    return sections(workspace, env, date, additional_dirs)

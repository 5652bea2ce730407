"""``entry_point_cache``: the installed plugins' entry points from an index kept between runs (:mod:`.cache`),
instead of every distribution's metadata read on every start. Disabled, each run reads the metadata."""

from __future__ import annotations

from typing import TYPE_CHECKING

from claw import hookimpl

if TYPE_CHECKING:
    from claw._entry_points import Found


@hookimpl(trylast=True)
def claw_entry_points(group: str, env: dict[str, str]) -> list[Found]:
    from claw._builtins.entry_point_cache.cache import find

    return find(group, env)

"""The ``claw`` entry points of the installed distributions: the plugins a run loads after the built-ins.
The kernel asks ``claw_entry_points`` first (the ``entry_point_cache`` built-in answers from an index kept
between runs); :func:`scan` reads every distribution's metadata when no plugin answers."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Found:
    """One entry point of a group, with the distribution that declares it."""

    name: str
    value: str
    dist: str | None
    version: str | None


def scan(group: str) -> list[Found]:
    """The entry points of ``group``, read from every distribution's metadata."""
    from importlib.metadata import entry_points

    return [
        Found(ep.name, ep.value, ep.dist.name if ep.dist else None, ep.dist.version if ep.dist else None)
        for ep in entry_points(group=group)
    ]

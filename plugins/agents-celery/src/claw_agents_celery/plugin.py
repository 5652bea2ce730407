"""claw-agents-celery's hooks: the ``celery`` task backend, ``claw celery worker`` and a doctor line.

Imports only ``claw`` at module level; Celery and redis load at first use.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import claw

if TYPE_CHECKING:
    import click

CLAW_API = ">=1.0,<2"


@claw.hookimpl
def claw_register_task_backends(register: Callable[[claw.TaskBackend], None]) -> None:
    from claw_agents_celery.backend import CeleryTaskBackend

    register(CeleryTaskBackend())


@claw.hookimpl
def claw_register_commands(cli: click.Group) -> None:
    from claw_agents_celery.cli import register

    register(cli)


@claw.hookimpl
def claw_doctor_checks(settings: claw.EffectiveSettings, env: dict[str, str]) -> list[claw.DoctorCheck]:
    """When settings select the celery backend: whether its Redis answers (and which one)."""
    agents = settings.data.get("agents")
    if not isinstance(agents, dict) or agents.get("backend") != "celery":
        return []
    from claw_agents_celery.config import celery_settings, redacted
    from claw_agents_celery.store import RedisStore

    try:
        chosen = celery_settings(settings.data, env)
        store = RedisStore(chosen)
        with store.reachable():
            store.redis.ping()
    except claw.ClawError as e:
        return [claw.DoctorCheck(section="agents", name="celery broker", status="fail", detail=str(e))]
    return [
        claw.DoctorCheck(
            section="agents",
            name="celery broker",
            status="ok",
            detail=f"{redacted(chosen.broker_url)} answers",
        )
    ]

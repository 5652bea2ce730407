"""The kernel's own registrations, loaded as the first plugin so third parties can add to them."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from claw import hookimpl

if TYPE_CHECKING:
    from claw.classifiers import Classifier
    from claw.session_context import SessionContext
    from claw.tasks import TaskBackend
    from claw.tools import Tool


@hookimpl
def claw_register_task_backends(register: Callable[[TaskBackend], None]) -> None:
    from claw.tasks import LocalTaskBackend

    register(LocalTaskBackend())


@hookimpl
def claw_register_settings(register: Callable[..., None]) -> None:
    """``agents``: which task backend runs detached tasks (``claw.select_task_backend``)."""
    from claw.tasks import AgentsSettings

    register(
        "agents",
        AgentsSettings,
        "Multi-agent runtime: backend (task backend for detached tasks, default embedded) and backend options.",
    )


@hookimpl
def claw_register_classifiers(register: Callable[[Classifier], None]) -> None:
    from claw.permissions.classifier import RuleClassifier

    register(RuleClassifier())


@hookimpl
def claw_register_tools(register: Callable[[Tool], None]) -> None:
    """Claude Code's plan-mode tools; they switch the session's permission engine (docs/permissions.md)."""
    from claw.permissions.plan_mode import EnterPlanMode, ExitPlanMode

    register(EnterPlanMode())
    register(ExitPlanMode())


@hookimpl
def claw_session_start(session: SessionContext) -> None:
    """Offer ``StructuredOutput`` to sessions started with ``--json-schema``."""
    schema = session.extra.get("json_schema")
    if schema is not None:
        from claw.loop.structured import StructuredOutputTool

        session.add_tool(StructuredOutputTool(schema))

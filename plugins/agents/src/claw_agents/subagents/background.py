"""Background sub-agents (``run_in_background``): started on the kernel's ``local`` task backend (the
parent's event loop), their handles findable as ``backend.handle(agent_id)`` (how ``TaskOutput`` and
``TaskStop`` reach them).

When one ends, its parent session is told with a Claude Code style ``<task-notification>``
(:meth:`claw.SessionContext.notify`): the model reads it with its next request, and a run without a
person (``claw -p``) whose model stops while sub-agents still run waits for them
(:meth:`claw.SessionContext.track`). Those still running when the parent session ends are stopped.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import claw

#: The parent session's running background sub-agents: agent id -> handle.
RUNNING = claw.StashKey[dict[str, claw.TaskHandle]]()


def notice(agent_id: str, description: str, result: claw.SubagentResult | None, error: str) -> str:
    """The ``<task-notification>`` for a sub-agent that ended with ``result`` (or ``error``)."""
    status = "failed" if result is None or result.is_error else "completed"
    text = result.text if result is not None else error
    return (
        "<task-notification>\n"
        f"<task-id>{agent_id}</task-id>\n"
        f"<status>{status}</status>\n"
        f'<summary>Agent "{description}" {status}</summary>\n'
        f"<result>{text}</result>\n"
        "</task-notification>"
    )


def start(
    session: claw.SessionContext,
    agent_id: str,
    description: str,
    run: Callable[[], Awaitable[claw.SubagentResult]],
) -> None:
    """Run ``run`` in the background as ``agent_id`` and tell ``session`` when it ends.

    :raises ToolError: no ``local`` task backend is registered.
    """
    backend = session.task_backends.get("local")
    if backend is None:
        raise claw.ToolError("background sub-agents need the kernel's local task backend")
    running = session.stash.setdefault(RUNNING, {})

    async def work() -> claw.SubagentResult:
        result: claw.SubagentResult | None = None
        error = "the agent was stopped"
        try:
            result = await run()
            return result
        except claw.ToolError as exc:
            error = str(exc)
            raise
        finally:
            running.pop(agent_id, None)
            session.notify(notice(agent_id, description, result, error))

    handle = backend.start(agent_id, work)
    running[agent_id] = handle
    session.track(handle.result())


async def stop_all(session: claw.SessionContext) -> None:
    """Stop the background sub-agents still running (the parent session is ending)."""
    for handle in list((session.stash.get(RUNNING) or {}).values()):
        await handle.cancel()

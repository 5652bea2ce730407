"""The kernel's ``local`` task backend keeps its handles, so tools find a background task by id."""

from __future__ import annotations

import asyncio

import pytest
from claw import LocalTaskBackend
from claw._builtins.subagents.child import narrowed


def test_local_backend_finds_its_tasks_by_id():
    async def main() -> None:
        backend = LocalTaskBackend()
        gate = asyncio.Event()

        async def work() -> str:
            await gate.wait()
            return "done"

        handle = backend.start("agent-1", work)
        assert backend.handle("agent-1") is handle and backend.handle("other") is None
        assert backend.handles() == [handle] and not handle.done()
        gate.set()
        assert await backend.handle("agent-1").result() == "done"  # type: ignore[union-attr]
        stopped = backend.start("agent-2", lambda: asyncio.sleep(30))
        await stopped.cancel()
        assert stopped.done() and [h.id for h in backend.handles()] == ["agent-1", "agent-2"]

    asyncio.run(main())


@pytest.mark.parametrize(
    ("requested", "parent", "expected"),
    [
        (None, "acceptEdits", "workspace-write"),
        ("plan", "bypassPermissions", "read-only"),
        ("bypassPermissions", "plan", "read-only"),
        ("acceptEdits", "default", "prompt"),
        ("dontAsk", "default", "dont-ask"),
        ("auto", "acceptEdits", "workspace-write"),
    ],
)
def test_a_sub_agents_mode_is_never_wider_than_its_parents(requested, parent, expected):
    assert narrowed(requested, parent) == expected

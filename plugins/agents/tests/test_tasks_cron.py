"""Cron: the schedule on a fake clock (missed runs, overlaps, expiry), one real firing within a minute, and
invalid expressions."""

from __future__ import annotations

import asyncio
import time
from datetime import datetime
from pathlib import Path

import claw
import pytest
from claw import TaskRecord, TaskSpec, TaskStatus
from claw.testing import call_tool, wait_for
from claw.testing.script import Reply, Text
from claw_agents.tasks import cron
from claw_agents.tasks.cron_tools import CronCreateTool, CronDeleteTool, CronListTool
from claw_agents.tasks.store import Store
from tasks_support import final_statuses


def _at(text: str) -> float:
    return datetime.fromisoformat(text).astimezone().timestamp()


class FakeRuns:
    """Stands in for the supervisor's submit: records what fired, and which runs are still going."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.open: set[str] = set()

    async def submit(self, spec: TaskSpec) -> TaskRecord:
        record = self.store.add_task(spec, "embedded")
        self.open.add(record.id)
        return record

    def fire(self, now: float) -> list[str]:
        return asyncio.run(cron.fire_due(self.store, now, self.submit, lambda task_id: task_id in self.open))


def test_the_schedule_on_a_fake_clock(agents_root: Path) -> None:
    store = Store(agents_root)
    runs = FakeRuns(store)
    start = _at("2026-03-02T09:58:30")
    entry = cron.new_entry("*/5 * * * *", "check the build", cwd="/w", now=start, durable=True)
    store.put_cron(entry)
    assert entry["nextRun"] == _at("2026-03-02T10:00:00")

    assert runs.fire(_at("2026-03-02T09:59:59")) == []
    [first] = runs.fire(_at("2026-03-02T10:00:00"))
    fired = store.get_task(first)
    assert (fired.spec.kind, fired.spec.text, fired.spec.cwd) == ("prompt", "check the build", "/w")
    assert runs.fire(_at("2026-03-02T10:00:30")) == []  # once per match

    # overlap: the 10:00 run is still going at 10:05, so that firing is skipped (and said so)
    assert runs.fire(_at("2026-03-02T10:05:00")) == []
    [entry] = store.list_cron()
    assert entry["skipped"] == 1 and first in entry["lastSkipReason"]
    assert entry["nextRun"] == _at("2026-03-02T10:10:00")
    runs.open.clear()

    # missed runs (no supervisor from 10:10 to 13:02): one catch-up run, the rest skipped
    [catch_up] = runs.fire(_at("2026-03-02T13:02:00"))
    assert "catch-up" in store.get_task(catch_up).spec.description
    [entry] = store.list_cron()
    assert entry["runs"] == 2 and entry["nextRun"] == _at("2026-03-02T13:05:00")

    # once-only entries go after firing; non-durable recurring ones expire after 7 days
    store.put_cron(cron.new_entry("0 * * * *", "once", recurring=False, now=start))
    store.put_cron(cron.new_entry("0 * * * *", "session", now=start))
    runs.open.clear()
    fired = runs.fire(_at("2026-03-02T14:00:00"))
    assert len(fired) == 3
    assert sorted(e["prompt"] for e in store.list_cron()) == ["check the build", "session"]
    runs.open.clear()
    runs.fire(start + cron.SESSION_ENTRY_TTL + 1)
    assert [e["prompt"] for e in store.list_cron()] == ["check the build"]


@pytest.mark.parametrize(
    ("expression", "why"),
    [
        ("61 * * * *", ""),
        ("* * * *", "expected 5 fields"),
        ("every day", "expected 5 fields"),
        ("* * 32 * *", ""),
    ],
)
def test_an_invalid_expression_is_a_clear_error_naming_it(
    expression: str, why: str, claw, claw_env, workspace
) -> None:  # type: ignore[no-untyped-def]
    ctx = tool_ctx(claw_env, workspace)
    result = call_tool(CronCreateTool(), ctx, cron=expression, prompt="p")
    assert result.is_error and result.content.startswith(f"invalid cron expression {expression!r}")
    assert why in result.content
    cli = claw("cron", "add", expression, "p")
    assert cli.exit_code != 0 and f"invalid cron expression {expression!r}" in cli.stderr
    assert call_tool(CronListTool(), ctx).content == "No scheduled jobs"


def tool_ctx(env: dict[str, str], workspace: Path) -> claw.ToolContext:
    return claw.ToolContext(workspace=workspace, session_id="s", env=env)


def test_cron_tools_create_list_delete(claw_env, agents_root: Path, workspace: Path) -> None:  # type: ignore[no-untyped-def]
    ctx = tool_ctx(claw_env, workspace)
    created = call_tool(CronCreateTool(), ctx, cron="0 3 * * 1", prompt="update deps", durable=True)
    assert not created.is_error and created.content.startswith("Scheduled ")
    entry_id = created.data["entry"]["id"]
    assert call_tool(CronListTool(), ctx).content.startswith(
        f"{entry_id}: 0 3 * * 1 (recurring, durable) next "
    )
    assert call_tool(CronDeleteTool(), ctx, id=entry_id).content == f"Deleted cron entry {entry_id}"
    assert call_tool(CronDeleteTool(), ctx, id=entry_id).content == f"no cron entry {entry_id!r}"


def test_an_entry_fires_for_real_within_a_minute(model, claw, agents_root: Path) -> None:  # type: ignore[no-untyped-def]
    model.script(Reply(Text("cron ran")))
    added = claw("cron", "add", "* * * * *", "nightly chores", "--once", "--json")
    assert added.exit_code == 0, added.stderr
    assert added.json()["nextRun"] - time.time() <= 60
    store = Store(agents_root)
    wait_for(lambda: bool(store.list_tasks()), timeout=75, what="the entry to fire")
    [record] = store.list_tasks()
    wait_for(lambda: store.get_task(record.id).status.final, timeout=60, what="the run to end")
    assert store.get_task(record.id).status is TaskStatus.COMPLETED
    assert model.requests[0]["messages"][0]["content"][0]["text"] == "nightly chores"
    listed = claw("cron", "list", "--json")
    assert listed.exit_code == 0 and listed.json() == []  # --once: gone after firing
    assert all(s.final for s in final_statuses(agents_root))

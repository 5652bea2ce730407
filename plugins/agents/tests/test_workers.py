"""Workers end to end: a lead ``claw -p`` creates a worker with the WorkerCreate tool; the worker is a real
``claw`` child in stream-json mode, driven by its host process; ``claw workers`` reads its record from
another process."""

from __future__ import annotations

import json
import os
import signal
from typing import Any

from claw.testing.script import Fault, Reply, Text, ToolCall
from workers_support import repo, settings, store, transitions, wait_for, wait_state

LEAD = ("-p", "--permission-mode", "bypassPermissions", "--output-format", "json")


def test_worker_walks_its_states_through_the_trust_gate(
    claw: Any, scripted: Any, store: Any, settings: Any
) -> None:
    settings({"workers": {"requireTrust": True}})
    scripted.script(
        Reply(ToolCall("WorkerCreate", {"name": "alpha", "prompt": "say hello"})),
        Reply(Text("worker started")),
        Reply(Text("hello from alpha")),
    )
    claw(*LEAD, "start a worker").assert_success()

    wait_state(store, "alpha", "trust_required")
    assert "not under agents.workers.trustedRoots" in store.events(store.worker("alpha").id)[-1]["detail"]
    assert store.prompts(store.worker("alpha").id)[0]["delivered_at"] is None  # nothing runs before approval

    claw("workers", "approve", "alpha").assert_success()
    worker = wait_state(store, "alpha", "finished")
    assert worker.last_result == "hello from alpha"
    assert transitions(store, "alpha") == [
        "spawning",
        "trust_required",
        "ready_for_prompt",
        "running",
        "finished",
    ]

    # Another process sees the same record and events.
    listed = claw.subprocess("workers", "list", "--json").assert_success().json()
    assert [(w["name"], w["state"]) for w in listed] == [("alpha", "finished")]
    events = claw.subprocess("workers", "events", "alpha", "--json").assert_success().json()
    assert [e["state"] for e in events if e["kind"] == "transition"][-1] == "finished"
    assert any(e["kind"] == "assistant" and "hello from alpha" in e["detail"] for e in events)

    # A second prompt runs in the same process and session; the worker goes running -> finished again.
    pid = worker.pid
    # Steps go to requests in arrival order: the lead's call, the worker's answer, the lead's last word.
    scripted.script(
        Reply(ToolCall("WorkerSendPrompt", {"worker_id": "alpha", "prompt": "again", "wait": True})),
        Reply(Text("second answer")),
        Reply(Text("done")),
    )
    out = claw(*LEAD, "ask alpha again").assert_success()
    assert out.json()["result"] == "done"
    assert '"result": "second answer"' in scripted.requests[-1]["messages"][-1]["content"][0]["content"]
    assert store.worker("alpha").last_result == "second answer"
    assert store.worker("alpha").pid == pid
    assert transitions(store, "alpha")[-2:] == ["running", "finished"]

    claw("workers", "terminate", "alpha").assert_success()
    assert store.worker("alpha").state == "finished"
    assert store.events(store.worker("alpha").id)[-1]["detail"] == "terminated"


def test_restart_after_kill_9_redelivers_the_prompt_then_escalates(
    claw: Any, scripted: Any, store: Any, settings: Any, workspace: Any
) -> None:
    from claw_agents.workers import manager

    # The worker's first request hangs in a tool (a long sleep), so it is killed mid-task.
    scripted.script(Reply(ToolCall("Bash", {"command": "sleep 30"})))
    worker = manager.create(
        store,
        name="beta",
        cwd=workspace,
        env=dict(os.environ),
        prompt="long job",
        permission_mode="bypassPermissions",
    )
    wait_state(store, "beta", "running")
    wait_for(lambda: len(scripted.requests) == 1, "the worker's first model request")
    first_pid = store.worker("beta").pid
    scripted.script(Reply(Text("done after restart")))
    os.kill(first_pid, signal.SIGKILL)

    worker = wait_state(store, "beta", "finished")
    assert worker.pid != first_pid
    assert worker.last_result == "done after restart"
    states = transitions(store, "beta")
    assert states[states.index("failed") :] == [
        "failed",
        "spawning",
        "ready_for_prompt",
        "running",
        "finished",
    ]
    failed = next(e for e in store.events(worker.id) if e["state"] == "failed")
    assert failed["detail"] == "provider: the worker process ended (killed by signal 9)"
    [entry] = store.ledger(worker.id)
    assert (entry["scenario"], entry["outcome"]) == ("provider_failure", "recovered")
    assert entry["steps"][-1]["step"] == "restart the worker"

    # A new task: its first kill is recovered again; the same failure twice in one task is escalated.
    scripted.script(
        Reply(ToolCall("Bash", {"command": "sleep 30"})), Reply(ToolCall("Bash", {"command": "sleep 30"}))
    )
    asked = len(scripted.requests)
    store.enqueue(worker.id, "another long job")
    for n in (1, 2):
        wait_for(lambda n=n: len(scripted.requests) == asked + n, f"model request {asked + n}")
        os.kill(store.worker("beta").pid, signal.SIGKILL)
        wait_for(lambda n=n: len(store.ledger(worker.id)) == 1 + n, f"ledger entry {1 + n}")
    ledger = claw.subprocess("workers", "ledger", "--json").assert_success().json()
    assert [(r["scenario"], r["outcome"]) for r in ledger] == [
        ("provider_failure", "recovered"),
        ("provider_failure", "recovered"),
        ("provider_failure", "escalated"),
    ]
    assert wait_state(store, "beta", "failed").failure_class == "provider"
    assert json.loads(claw("workers", "show", "beta", "--json").stdout)["state"] == "failed"


def test_an_api_error_is_a_provider_failure_recovered_by_a_restart(
    scripted: Any, store: Any, settings: Any, workspace: Any
) -> None:
    from claw_agents.workers import manager

    os.environ["CLAW_MAX_RETRIES"] = "0"  # the worker inherits it: the 500 ends the turn at once
    scripted.script(Fault(status=500, message="upstream down"), Reply(Text("answered after the restart")))
    worker = manager.create(store, name="gamma", cwd=workspace, env=dict(os.environ), prompt="work")
    worker = wait_state(store, "gamma", "finished")
    assert worker.last_result == "answered after the restart"
    failed = next(e for e in store.events(worker.id) if e["state"] == "failed")
    assert failed["detail"].startswith("provider: prompt 1: ") and "upstream down" in failed["detail"]
    [entry] = store.ledger(worker.id)
    assert (entry["scenario"], entry["outcome"]) == ("provider_failure", "recovered")
    [prompt] = store.prompts(worker.id)
    assert prompt["attempts"] == 2 and prompt["is_error"] == 0

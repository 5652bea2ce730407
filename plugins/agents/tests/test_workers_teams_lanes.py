"""Teams (SendMessage between two real worker processes) and lanes (one branch, one worktree, one worker)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from claw.testing.script import Reply, Text, ToolCall
from workers_support import repo, settings, sh, store, wait_for, wait_state

LEAD = ("-p", "--permission-mode", "bypassPermissions", "--output-format", "json")


def test_send_message_between_two_team_members(claw: Any, scripted: Any, store: Any, settings: Any) -> None:
    scripted.script(
        Reply(ToolCall("TeamCreate", {"team_name": "review", "members": [{"name": "ann"}, {"name": "bob"}]})),
        Reply(Text("team up")),
    )
    claw(*LEAD, "make a team").assert_success()
    assert {w.name for w in store.workers("review")} == {"ann", "bob"}
    for name in ("ann", "bob"):
        wait_state(store, name, "ready_for_prompt")

    # ann's model messages bob; bob gets it as his next prompt and answers. The last two replies race
    # (ann's wrap-up, bob's answer), so they are the same text.
    scripted.script(
        Reply(
            ToolCall(
                "SendMessage", {"to": "bob", "message": "please check parser.py", "summary": "review ask"}
            )
        ),
        Reply(Text("ack")),
        Reply(Text("ack")),
    )
    store.enqueue(store.worker("ann").id, "ask bob to look at parser.py")
    bob = wait_state(store, "bob", "finished")
    [received] = store.prompts(bob.id)
    assert received["sender"] == "ann"
    assert received["summary"] == "review ask"
    assert received["text"].startswith('<teammate-message teammate_id="ann" summary="review ask">')
    assert bob.last_result == "ack"
    asked = [r for r in scripted.requests if "please check parser.py" in str(r["messages"][0])]
    assert len(asked) == 1  # the message reached bob's model, as bob's prompt

    # The members share a task list: what ann adds, bob lists.
    scripted.script(
        Reply(ToolCall("TaskCreate", {"subject": "fix the parser", "description": "it drops commas"}))
    )
    scripted.script(Reply(Text("added")))
    store.enqueue(store.worker("ann").id, "add a task")
    wait_for(lambda: store.worker("ann").last_result == "added", "ann's task")
    scripted.script(Reply(ToolCall("TaskList", {})), Reply(Text("listed")))
    store.enqueue(bob.id, "list the tasks")
    wait_for(lambda: store.worker("bob").last_result == "listed", "bob's list")
    listing = scripted.requests[-1]["messages"][-1]["content"][0]
    assert listing["type"] == "tool_result" and "fix the parser" in str(listing["content"])

    scripted.script(Reply(ToolCall("TeamDelete", {"team_name": "review"})), Reply(Text("gone")))
    claw(*LEAD, "delete the team").assert_success()
    assert {w.state for w in store.workers("review")} == {"finished"}
    assert all(store.events(w.id)[-1]["detail"] == "terminated" for w in store.workers("review"))


def test_a_lane_has_one_worker_at_a_time(
    claw: Any, scripted: Any, store: Any, settings: Any, repo: Path
) -> None:
    from claw_agents.workers import manager
    from claw_agents.workers.store import LaneHeld

    first = manager.create(store, name="one", cwd=repo, env=dict(os.environ), lane="feature")
    wait_state(store, "one", "ready_for_prompt")
    worktree = Path(store.worker("one").cwd)
    assert worktree != repo and sh(worktree, "git rev-parse --abbrev-ref HEAD") == "feature"
    assert sh(repo, "git rev-parse --abbrev-ref HEAD") == "main"  # the user's checkout is untouched

    # A second claim, through the tool as the model makes it: refused, naming the holder.
    scripted.script(Reply(ToolCall("WorkerCreate", {"name": "two", "lane": "feature"})), Reply(Text("ok")))
    claw(*LEAD, "start another on feature").assert_success()
    result = scripted.requests[-1]["messages"][-1]["content"][0]
    assert result["is_error"] is True
    assert f"lane 'feature' is held by worker {first.id}; one worker per lane at a time" in str(
        result["content"]
    )
    try:
        manager.create(store, name="three", cwd=repo, env=dict(os.environ), lane="feature")
        raise AssertionError("a second live claim was accepted")
    except LaneHeld as exc:
        assert exc.holder == first.id

    # Once the holder is terminated, the lane (and its worktree) can be claimed again.
    manager.terminate(store, first.id)
    again = manager.create(store, name="four", cwd=repo, env=dict(os.environ), lane="feature")
    assert Path(again.cwd) == worktree
    assert store.lane_of(again.id)["holder"] == again.id
    claw_lanes = claw.subprocess("workers", "lanes", "--json").assert_success().json()
    assert [(r["branch"], r["base"], r["holder"]) for r in claw_lanes] == [("feature", "main", again.id)]

    outside = repo.parent / "plain"
    outside.mkdir()
    try:
        manager.create(store, name="five", cwd=outside, env=dict(os.environ), lane="x")
        raise AssertionError("a lane outside a git repository was accepted")
    except Exception as exc:
        assert str(exc) == f"a lane needs a git repository, and {outside} is not in one"
    wait_for(lambda: store.worker("four").state == "ready_for_prompt", "the new holder")

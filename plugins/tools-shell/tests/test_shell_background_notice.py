"""A background job that ends on its own is told to the model, as Claude Code tells it: a
``<task-notification>`` in the next request, so the model need not poll ``BashOutput``. A job the model
killed itself (``KillShell``) is not told."""

from __future__ import annotations

import json

from claw.testing.script import Reply, Text, ToolCall

ARGS = ("--model", "scripted/default", "--allowedTools", "Bash,KillShell")


def _sent(scripted) -> list[str]:  # type: ignore[no-untyped-def]
    """The text of every request's last message (a prompt, tool results, or both with notices)."""
    return [json.dumps(r["messages"][-1]["content"]) for r in scripted.requests]


def test_a_job_that_fails_on_its_own_is_told_to_the_model(claw, scripted):  # type: ignore[no-untyped-def]
    # the job ends only once the second call has started, so its notice cannot come with the first result
    wait = "while [ ! -e go ]; do sleep 0.02; done; exit 3"
    job = {"command": wait, "run_in_background": True, "description": "a <check>"}
    scripted.script(
        Reply(ToolCall("Bash", job)),
        Reply(ToolCall("Bash", {"command": "touch go; sleep 1"})),  # the job has ended by the time this has
        Reply(Text("it failed")),
    )
    claw.subprocess("-p", "run the check in the background", *ARGS).assert_success()
    sent = _sent(scripted)
    assert len(sent) == 3 and "task-notification" not in sent[1]
    assert "<task-id>bash_" in sent[2] and "<status>failed</status>" in sent[2]
    told = [b["text"] for b in scripted.requests[2]["messages"][-1]["content"] if b["type"] == "text"]
    assert told == [  # job ids start at bash_1; the summary is escaped
        "<task-notification>\n<task-id>bash_1</task-id>\n<status>failed</status>\n"
        '<summary>Background command "a &lt;check&gt;" failed with exit code 3</summary>\n'
        '</task-notification>\nRead its output with BashOutput (bash_id "bash_1").'
    ]


def test_a_job_the_model_killed_is_not_told(claw, scripted):  # type: ignore[no-untyped-def]
    job = {"command": "sleep 60", "run_in_background": True}
    scripted.script(
        Reply(ToolCall("Bash", job)),
        Reply(ToolCall("KillShell", {"shell_id": "bash_1"})),
        Reply(ToolCall("Bash", {"command": "sleep 0.5"})),
        Reply(Text("stopped it")),
    )
    claw.subprocess("-p", "start and stop a sleeper", *ARGS).assert_success()  # job ids start at bash_1
    sent = _sent(scripted)
    assert len(sent) == 4 and not any("task-notification" in s for s in sent)

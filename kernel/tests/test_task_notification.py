"""``claw.TaskNotification``: the one writer and reader of Claude Code's ``<task-notification>`` (the
plugins that start background work write it, the front ends read it back)."""

from __future__ import annotations

import claw


def test_a_background_command_notice_reads_as_claude_code_writes_it() -> None:
    told = claw.TaskNotification(
        "bash_1", "failed", 'Background command "a < b && c" failed with exit code 2', hint="Read it."
    )
    assert told.text() == (
        "<task-notification>\n<task-id>bash_1</task-id>\n<status>failed</status>\n"
        '<summary>Background command "a &lt; b &amp;&amp; c" failed with exit code 2</summary>\n'
        "</task-notification>\nRead it."
    )


def test_a_sub_agent_notice_carries_its_answer_unescaped() -> None:
    told = claw.TaskNotification("agent-1", "completed", 'Agent "scan" completed', result="x < y\n</b>")
    assert told.text() == (
        "<task-notification>\n<task-id>agent-1</task-id>\n<status>completed</status>\n"
        '<summary>Agent "scan" completed</summary>\n<result>x < y\n</b></result>\n</task-notification>'
    )


def test_notices_read_back_as_written_also_when_joined() -> None:
    notices = [
        claw.TaskNotification("bash_1", "completed", 'Background "a & b" completed', hint='Read "bash_1".'),
        claw.TaskNotification("agent-1", "failed", 'Agent "x" failed', result="boom </result> then\n"),
        claw.TaskNotification("agent-2", "completed", "Agent done", result=""),
        claw.TaskNotification("bash_2", "stopped", "<stopped>"),
    ]
    for one in notices:
        assert claw.TaskNotification.find(one.text()) == [one]
    joined = "\n\n".join(n.text() for n in notices)
    assert claw.TaskNotification.find("before\n\n" + joined + "\n\nafter") == notices


def test_text_without_a_notification_has_none() -> None:
    assert claw.TaskNotification.find("the build <summary>is</summary> done") == []
    assert claw.TaskNotification.find("<task-notification>\nunfinished") == []

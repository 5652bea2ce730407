"""The summarising compactor's pure pieces: where the kept tail starts, the summary request, the new history."""

from __future__ import annotations

import itertools

from claw import Message, TextBlock, ToolResultBlock, ToolUseBlock
from claw_compaction.summary import SummaryCompactor, split_point, summary_request


def _conversation(turns: int) -> list[Message]:
    messages = [Message.user("start")]
    for i in range(turns):
        messages.append(Message(role="assistant", content=[ToolUseBlock(id=f"t{i}", name="Echo", input={})]))
        messages.append(Message(role="user", content=[ToolResultBlock(tool_use_id=f"t{i}", content="ok")]))
    return messages


def test_split_point_keeps_whole_turns_and_starts_at_an_assistant_message():
    messages = _conversation(5)
    cut = split_point(messages, 2)
    assert cut is not None and messages[cut].role == "assistant"
    assert len([m for m in messages[cut:] if m.role == "assistant"]) == 2
    assert split_point(messages, 5) is None  # nothing older than what is kept
    assert split_point(_conversation(0), 0) is None  # too little to be worth it
    assert split_point(messages, 0) == len(messages)


def test_summary_request_and_compacted_history_alternate_roles():
    messages = _conversation(3)
    compactor = SummaryCompactor(keep_recent_turns=1)
    cut = compactor.split(messages)
    assert cut is not None
    request = summary_request(messages[:cut])
    assert request[-1].role == "user" and isinstance(request[-1].content[-1], TextBlock)
    assert [m.role for m in request] == [m.role for m in messages[:cut]]
    new = compactor.compacted("the summary", messages[cut:])
    roles = [m.role for m in new]
    assert roles[0] == "user" and all(a != b for a, b in itertools.pairwise(roles))
    assert "the summary" in new[0].text
    # a kept tail that opens with tool results gets a bridging assistant message
    bridged = compactor.compacted("s", messages[cut + 1 :])
    assert [m.role for m in bridged[:3]] == ["user", "assistant", "user"]


def test_settings_compaction_configure_when_it_is_due():
    default = SummaryCompactor.from_settings(None)
    assert (default.auto, default.threshold, default.keep_recent_turns) == (True, 0.8, 4)
    assert default.due(800, 1000) and not default.due(799, 1000) and not default.due(10, 0)
    eager = SummaryCompactor.from_settings({"threshold": 0.5, "keepRecentTurns": 1})
    assert eager.due(500, 1000) and eager.keep_recent_turns == 1
    assert not SummaryCompactor.from_settings({"auto": False}).due(1000, 1000)

"""claw_wire.anthropic_cache: where prompt-cache breakpoints go in a Messages request."""

from __future__ import annotations

from claw_wire.anthropic_cache import MAX_BREAKPOINTS, count_breakpoints, place_breakpoints


def _params(turns: int) -> dict:
    messages = []
    for i in range(turns):
        messages.append({"role": "user", "content": [{"type": "text", "text": f"q{i}"}]})
        messages.append(
            {
                "role": "assistant",
                "content": [
                    {"type": "text", "text": f"a{i}"},
                    {"type": "thinking", "thinking": "t", "signature": "s"},
                ],
            }
        )
    return {
        "tools": [{"name": "A"}, {"name": "B"}],
        "system": [{"type": "text", "text": "sys"}],
        "messages": messages,
    }


def test_at_most_four_breakpoints_and_never_on_thinking() -> None:
    for turns in (1, 2, 5, 30):
        params = _params(turns)
        place_breakpoints(params)
        assert count_breakpoints(params) == MAX_BREAKPOINTS
        for m in params["messages"]:
            for b in m["content"]:
                assert not (b["type"] == "thinking" and "cache_control" in b)
        # the newest message's mark is on its last markable block (the text before the thinking)
        assert "cache_control" in params["messages"][-1]["content"][0]


def test_existing_breakpoints_count_against_the_limit() -> None:
    params = _params(3)
    params["messages"][0]["content"][0]["cache_control"] = {"type": "ephemeral", "ttl": "1h"}
    params["messages"][2]["content"][0]["cache_control"] = {"type": "ephemeral"}
    assert place_breakpoints(params) == 2
    assert count_breakpoints(params) == 4
    assert params["messages"][0]["content"][0]["cache_control"]["ttl"] == "1h"

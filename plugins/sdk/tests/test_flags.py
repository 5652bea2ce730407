"""The Agent SDK's flags on the command line as people type Claude Code's (``claw_sdk.flags``)."""

from __future__ import annotations

from claw.testing.script import Reply, Text


def test_betas_takes_the_beta_names_that_follow_as_claude_code_does(claw, loop_env) -> None:  # type: ignore[no-untyped-def]
    """Claude Code's ``--betas <betas...>`` is variadic; claw took one name and stopped with "unexpected
    argument(s) after the prompt". Dated beta names after the value join it (one warning), and the
    prompt after them stays the prompt."""
    loop_env.script(Reply(Text("ok")))
    res = claw("--betas", "context-1m-2025-08-07", "interleaved-thinking-2025-05-14", "hello there", "-p")
    res.assert_success()
    assert res.stderr.count("--betas has no effect in claw") == 1
    assert loop_env.requests[0]["messages"][0]["content"][0]["text"] == "hello there"

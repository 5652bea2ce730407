"""Damaged streams end the same way on the Anthropic, OpenAI Chat Completions and Responses paths
(``claw -p`` against the loopback vendor servers): an event that is not JSON is retried like a cut
stream, keep-alive pings keep a slow stream alive past the idle timeout, and a web page where a stream
should be is one clear error naming what came instead, not a retried "stream interrupted"."""

from __future__ import annotations

import json
from typing import Any

import pytest
from claw.testing.script import Fault, Reply, Text

PATHS = {
    "anthropic": ("anthropic/claude-sonnet-4-6", None),
    "openai-chat": ("openai/gpt-5.4", "chat"),
    "openai-responses": ("openai/gpt-5.4", "responses"),
}


@pytest.fixture(params=list(PATHS))
def path(request, e2e_env, anthropic_server, openai_server):  # type: ignore[no-untyped-def]
    """``(server, env, args)`` for one wire path: the server to script and the ``claw -p`` arguments."""
    model, api = PATHS[request.param]
    env = e2e_env(
        ANTHROPIC_API_KEY="sk-ant-e2e",
        ANTHROPIC_BASE_URL=anthropic_server.url,
        OPENAI_API_KEY="sk-e2e",
        OPENAI_BASE_URL=openai_server.base_url,
        CLAW_RETRY_BASE_DELAY="0.01",
    )
    args = ["--model", model, "--output-format", "stream-json", "--verbose"]
    if api:
        args += ["--settings", json.dumps({"providers": {"openai": {"api": api}}})]
    server = anthropic_server if api is None else openai_server
    return server, env, args


def _lines(stdout: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in stdout.splitlines() if line.strip()]


def test_an_event_that_is_not_json_is_retried_like_a_cut_stream(claw, path) -> None:  # type: ignore[no-untyped-def]
    server, _, args = path
    server.script(
        Fault(kind="garbage", after_events=3, reply=Reply(Text("first try, damaged"))),
        Reply(Text("second try, whole")),
    )
    res = claw("-p", "hi", *args).assert_success()
    lines = _lines(res.stdout)
    retries = [x for x in lines if x.get("subtype") == "api_retry"]
    assert len(retries) == 1 and "not JSON" in res.stderr
    assert lines[-1]["result"] == "second try, whole"
    assert len(server.requests) == 2


def test_keep_alive_pings_reset_the_idle_watchdog(claw, path) -> None:  # type: ignore[no-untyped-def]
    server, env, args = path
    env["CLAW_STREAM_IDLE_TIMEOUT"] = "1"
    server.script(
        Fault(kind="pings", after_events=2, seconds=2.5, ping_every=0.3, reply=Reply(Text("slow but alive")))
    )
    res = claw("-p", "hi", *args).assert_success()
    lines = _lines(res.stdout)
    assert not [x for x in lines if x.get("subtype") == "api_retry"], res.stderr
    assert lines[-1]["result"] == "slow but alive"
    assert len(server.requests) == 1


def test_a_web_page_instead_of_a_stream_is_one_clear_error(claw, path) -> None:  # type: ignore[no-untyped-def]
    server, _, args = path
    server.script(Fault(kind="html"), Reply(Text("never reached")))
    res = claw("-p", "hi", *args)
    res.assert_failure(1, "text/html")
    assert "expected an event stream" in res.stderr
    assert len(server.requests) == 1  # retrying would not change a proxy's page
    assert _lines(res.stdout)[-1]["is_error"] is True

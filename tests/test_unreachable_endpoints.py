"""An endpoint nothing listens on, or whose host does not resolve, fails within seconds with one line
naming the URL and the cause, for every provider plugin (issue 11: it used to take ten backoffs, 151 s,
and said only ``server_error``). No network: a loopback port bound and closed again, and a ``.invalid``
host name (RFC 2606), which no resolver answers."""

from __future__ import annotations

import json
import re
import socket

import pytest
from cloud_e2e import error_lines

#: Each provider's model and the environment pointing it at ``{url}``.
PROVIDERS = {
    "anthropic": (
        "anthropic/claude-sonnet-4-6",
        {"ANTHROPIC_API_KEY": "sk-ant-fake", "ANTHROPIC_BASE_URL": "{url}"},
    ),
    "openai": ("openai/gpt-4.1-mini", {"OPENAI_API_KEY": "sk-fake", "OPENAI_BASE_URL": "{url}/v1"}),
    "bedrock": (
        "bedrock/us.anthropic.claude-sonnet-4-6",
        {
            "AWS_ACCESS_KEY_ID": "AKIDFAKE",
            "AWS_SECRET_ACCESS_KEY": "fake",
            "AWS_REGION": "us-west-2",
            "AWS_ENDPOINT_URL_BEDROCK_RUNTIME": "{url}",
        },
    ),
    "foundry": (
        "foundry/gpt-4.1",
        {"AZURE_OPENAI_ENDPOINT": "{url}", "AZURE_OPENAI_API_KEY": "fake"},
    ),
}


def closed_port() -> int:
    """A loopback port that was free a moment ago and has no listener: connecting is refused."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def endpoints() -> dict[str, tuple[str, str]]:
    port = closed_port()
    return {
        "refused": (f"http://127.0.0.1:{port}", "connection refused"),
        "unknown-host": ("http://claw-test.invalid:8080", "unknown host"),
    }


@pytest.mark.parametrize("cause", ["refused", "unknown-host"])
@pytest.mark.parametrize("provider", sorted(PROVIDERS))
def test_unreachable_endpoint_fails_fast_naming_url_and_cause(claw, claw_env, provider, cause):
    url, reason = endpoints()[cause]
    model, env = PROVIDERS[provider]
    claw_env.update({k: v.format(url=url) for k, v in env.items()})
    claw_env["CLAW_UNREACHABLE_BUDGET"] = "1"  # the default (3 s) is checked below, once
    # The timeout is for a loaded test machine; the normal retry schedule would take 151 s.
    res = claw.subprocess("-p", "hi", "--model", model, "--output-format", "json", timeout=60)
    res.assert_failure(1)
    expected = f"cannot reach {url}: {reason}"
    lines = error_lines(res.stderr)
    assert len(lines) == 1 and expected in lines[0], res.stderr
    assert "retrying" not in res.stderr  # no per-retry warnings: the one line says it all
    result = json.loads(res.stdout)
    assert result["is_error"] and result["subtype"] == "error_during_execution"
    assert expected in result["result"]


def test_default_budget_is_a_few_seconds_and_verbose_shows_each_attempt(claw, claw_env):
    url, _ = endpoints()["refused"]
    claw_env.update(ANTHROPIC_API_KEY="sk-ant-secret-key-123", ANTHROPIC_BASE_URL=url)
    res = claw.subprocess("-p", "hi", "--model", "anthropic/claude-sonnet-4-6", "--verbose", timeout=60)
    res.assert_failure(1, f"anthropic API error: cannot reach {url}: connection refused")
    requests = [line for line in res.stderr.splitlines() if "http request" in line]
    retries = [line for line in res.stderr.splitlines() if " retry " in line]
    assert len(requests) >= 3 and len(retries) == len(requests) - 1, res.stderr
    assert "method=POST" in requests[0] and f"url={url}/v1/messages" in requests[0]
    assert "error='connection refused'" in requests[0]
    assert "attempt=1" in retries[0] and "wait_s=" in retries[0] and "connection refused" in retries[0]
    assert "sk-ant-secret-key-123" not in res.stderr and res.stdout == ""
    # The waits fill the 3 s budget (the last one cut to what is left), whatever the machine's load.
    waits = [float(m) for m in re.findall(r"wait_s=([0-9.]+)", res.stderr)]
    assert 2.5 <= sum(waits) <= 3.0, waits

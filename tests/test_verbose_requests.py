"""``--verbose`` and ``CLAW_LOG=debug`` show each model API request (method, URL, status, milliseconds)
and each retry (attempt, wait, reason) on stderr, never a credential, and nothing on stdout (issue 11:
``--verbose`` used to add nothing)."""

from __future__ import annotations

import json

import pytest
from claw.testing.script import Fault, Reply, Text
from claw_testkit.mock_bedrock import MockBedrockServer
from claw_testkit.mock_vertex import MockVertexServer

SECRET = "sk-ant-do-not-log-me-0123"


def debug_lines(stderr: str, event: str) -> list[str]:
    return [line for line in stderr.splitlines() if "[debug" in line and f"] {event} " in line]


@pytest.mark.parametrize("switch", ["--verbose", "CLAW_LOG=debug"])
def test_requests_and_retries_are_logged_without_credentials(claw, e2e_env, anthropic_server, switch):  # type: ignore[no-untyped-def]
    env = e2e_env(ANTHROPIC_API_KEY=SECRET, ANTHROPIC_BASE_URL=anthropic_server.url)
    flags = ["--verbose"] if switch == "--verbose" else []
    if switch != "--verbose":
        env["CLAW_LOG"] = "debug"
    anthropic_server.script(Fault(status=529, message="Overloaded"), Reply(Text("fine")))
    res = claw.subprocess("-p", "hi", "--model", "sonnet", "--output-format", "json", *flags)
    res.assert_success()
    assert json.loads(res.stdout)["result"] == "fine"  # stdout is the JSON result only

    requests = debug_lines(res.stderr, "http request")
    url = f"url={anthropic_server.url}/v1/messages"
    assert len(requests) == 2 and all("method=POST" in r and url in r and "ms=" in r for r in requests)
    assert "status=529" in requests[0] and "status=200" in requests[1]
    (retry,) = debug_lines(res.stderr, "retry")
    assert "attempt=1" in retry and "wait_s=" in retry and "Overloaded" in retry and "status=529" in retry
    assert SECRET not in res.stderr and "x-api-key" not in res.stderr.lower()


def test_quiet_by_default(claw, e2e_env, anthropic_server):  # type: ignore[no-untyped-def]
    e2e_env(ANTHROPIC_API_KEY=SECRET, ANTHROPIC_BASE_URL=anthropic_server.url)
    anthropic_server.script(Reply(Text("fine")))
    res = claw.subprocess("-p", "hi", "--model", "sonnet").assert_success()
    assert "http request" not in res.stderr


def test_bedrock_requests_are_logged(claw, e2e_env):  # type: ignore[no-untyped-def]
    with MockBedrockServer(access_key="AKIDLOG") as server:
        e2e_env(
            AWS_ACCESS_KEY_ID="AKIDLOG",
            AWS_SECRET_ACCESS_KEY="aws-secret-do-not-log",
            AWS_REGION="us-west-2",
            AWS_ENDPOINT_URL_BEDROCK_RUNTIME=server.url,
        )
        server.script(Reply(Text("ok")))
        res = claw.subprocess("-p", "hi", "--model", "bedrock/us.anthropic.claude-sonnet-4-6", "--verbose")
        url = server.url
    res.assert_success()
    (request,) = debug_lines(res.stderr, "http request")
    assert "method=POST" in request and "status=200" in request
    assert f"url={url}/model/us.anthropic.claude-sonnet-4-6/converse-stream" in request
    assert "aws-secret-do-not-log" not in res.stderr and "Signature=" not in res.stderr


def test_gemini_requests_are_logged(claw, e2e_env, workspace):  # type: ignore[no-untyped-def]
    with MockVertexServer(access_token="ya29.log") as server:
        e2e_env(GOOGLE_CLOUD_PROJECT="log-project", CLOUD_ML_REGION="us-east5")
        settings = {"providers": {"vertex": {"base_url": server.url, "access_token": "ya29.log"}}}
        (workspace / ".claw").mkdir(exist_ok=True)
        (workspace / ".claw" / "settings.local.json").write_text(json.dumps(settings))
        server.script(Reply(Text("ok")))
        res = claw.subprocess("-p", "hi", "--model", "vertex/gemini-2.5-pro", "--verbose")
        url = server.url
    res.assert_success()
    (request,) = debug_lines(res.stderr, "http request")
    assert "method=POST" in request and "status=200" in request and f"{url}/v1beta1/" in request
    assert "gemini-2.5-pro:streamGenerateContent" in request and "ya29.log" not in res.stderr

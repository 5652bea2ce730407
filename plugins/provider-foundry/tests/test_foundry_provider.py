"""FoundryProvider.stream through openai (v1) and AsyncAnthropicFoundry against the loopback Foundry
resource, with API keys and with Entra ID tokens from a loopback managed-identity endpoint."""

from __future__ import annotations

import asyncio
import json
import time
from pathlib import Path
from typing import Any

import pytest
from claw._errors import ApiError
from claw._messages import (
    ImageBlock,
    ImageSource,
    Message,
    TextBlock,
    ThinkingBlock,
    ToolResultBlock,
    ToolUseBlock,
)
from claw._providers import ToolUseStart
from claw.testing import assert_import_light, stream_events
from claw.testing.samples import PNG_BASE64, READ_TOOL, request
from claw.testing.script import Fault, Reply, Text, Thinking, ToolCall, Usage
from claw_provider_foundry.provider import FoundryProvider
from claw_testkit.mock_foundry import MockFoundryServer
from claw_testkit.server import MockServer, RecordedRequest, Response


@pytest.fixture
def server() -> Any:
    with MockFoundryServer(api_key="foundry-key", tokens=("entra-token",)) as srv:
        yield srv


def provider(
    server: MockFoundryServer, env: dict[str, str] | None = None, **settings: Any
) -> FoundryProvider:
    env = {"AZURE_OPENAI_API_KEY": "foundry-key"} if env is None else env
    return FoundryProvider({"base_url": server.url, **settings}, env)


HISTORY = [
    Message.user("what is in a.png?"),
    Message(
        role="assistant",
        content=[
            ThinkingBlock(thinking="read it", signature="sig-1"),
            TextBlock(text="Reading."),
            ToolUseBlock(id="call_1", name="Read", input={"file_path": "a.png"}),
        ],
    ),
    Message(
        role="user",
        content=[
            ToolResultBlock(
                tool_use_id="call_1",
                content=[
                    TextBlock(text="an image"),
                    ImageBlock(source=ImageSource(media_type="image/png", data=PNG_BASE64)),
                ],
            )
        ],
    ),
]


# -- OpenAI wire -------------------------------------------------------------------------------


def test_openai_deployment_tool_call_and_reasoning(server: MockFoundryServer) -> None:
    server.script(
        Reply(
            Thinking("think"),
            Text("Reading."),
            ToolCall("Read", {"file_path": "a"}, id="call_9"),
            usage=Usage(input_tokens=40, cache_read_input_tokens=60, output_tokens=7),
        )
    )
    events = stream_events(
        provider(server),
        request("gpt-5.4", tools=[READ_TOOL], reasoning_effort="max", system=[TextBlock(text="sys")]),
    )
    resp = events[-1].response
    assert [b.type for b in resp.content] == ["thinking", "text", "tool_use"]
    assert resp.content[2] == ToolUseBlock(id="call_9", name="Read", input={"file_path": "a"})
    assert resp.stop_reason == "tool_use"
    assert resp.usage.input_tokens == 40 and resp.usage.cache_read_input_tokens == 60
    assert server.calls == [("openai", "gpt-5.4")]
    sent = server.requests[0]
    assert sent.path == "/openai/v1/chat/completions"
    assert sent.headers["authorization"] == "Bearer foundry-key"
    body = sent.json
    assert body["messages"][0] == {"role": "system", "content": "sys"}
    assert body["reasoning_effort"] == "xhigh"  # max mapped onto the highest level gpt-5.4 takes
    assert body["max_completion_tokens"] == 16000 and body["stream_options"] == {"include_usage": True}
    assert body["tools"][0]["function"]["parameters"]["required"] == ["file_path"]


def test_openai_multi_turn_tool_results_and_images(server: MockFoundryServer) -> None:
    server.script(Reply(Text("A PNG.")))
    resp = (
        stream_events(
            provider(server), request("Llama-4-Maverick-17B-128E-Instruct-FP8", *HISTORY, tools=[READ_TOOL])
        )
        .pop()
        .response
    )
    assert resp.content == [TextBlock(text="A PNG.")]
    body = server.requests[0].json
    assert "max_tokens" in body and "max_completion_tokens" not in body  # a partner model
    msgs = body["messages"]
    assert [m["role"] for m in msgs] == ["user", "assistant", "tool", "user"]
    assert msgs[1]["content"] == "Reading."
    assert msgs[1]["tool_calls"][0] == {
        "id": "call_1",
        "type": "function",
        "function": {"name": "Read", "arguments": json.dumps({"file_path": "a.png"})},
    }
    assert msgs[2] == {"role": "tool", "tool_call_id": "call_1", "content": "an image"}
    assert msgs[3]["content"][0]["image_url"]["url"] == f"data:image/png;base64,{PNG_BASE64}"


def test_openai_throttling_then_success(server: MockFoundryServer) -> None:
    server.script(
        Fault(status=429, message="Rate limit is exceeded. Try again in 2 seconds.", retry_after=2),
        Reply(Text("ok")),
    )
    with pytest.raises(ApiError) as caught:
        stream_events(provider(server), request("gpt-5"))
    err = caught.value
    assert err.retryable and err.kind == "rate_limit" and err.retry_after == 2
    assert str(err) == "foundry: 429 Rate limit is exceeded. Try again in 2 seconds."
    assert stream_events(provider(server), request("gpt-5"))[-1].response.content == [TextBlock(text="ok")]
    assert len(server.requests) == 2


def test_openai_quota_exhausted_is_fatal(server: MockFoundryServer) -> None:
    server.script(
        Fault(status=429, message="You exceeded your current quota", error_code="insufficient_quota")
    )
    with pytest.raises(ApiError) as caught:
        stream_events(provider(server), request("gpt-5"))
    assert not caught.value.retryable and caught.value.kind == "billing_error"


def test_wrong_key_fails_fast(server: MockFoundryServer) -> None:
    with pytest.raises(ApiError) as caught:
        stream_events(provider(server, {"AZURE_OPENAI_API_KEY": "stale"}), request("gpt-5"))
    err = caught.value
    assert not err.retryable and err.kind == "authentication_failed"
    assert str(err).startswith(
        "foundry: 401 Access denied due to invalid subscription key"
    ) and "\n" not in str(err)


def test_cut_stream_is_retryable(server: MockFoundryServer) -> None:
    server.script(Fault(kind="cut", after_events=2))
    with pytest.raises(ApiError) as caught:
        stream_events(provider(server), request("gpt-5"))
    assert caught.value.retryable


# -- Anthropic wire ----------------------------------------------------------------------------


def test_claude_deployment_with_thinking_and_cache(server: MockFoundryServer) -> None:
    server.script(
        Reply(
            Thinking("hm", signature="sig-f"),
            ToolCall("Read", {"file_path": "a"}, id="toolu_f"),
            usage=Usage(input_tokens=4, cache_creation_input_tokens=3000),
        )
    )
    env = {"ANTHROPIC_FOUNDRY_API_KEY": "foundry-key"}
    events = stream_events(
        provider(server, env), request("claude-sonnet-4-6", tools=[READ_TOOL], reasoning_effort="low")
    )
    assert any(isinstance(e, ToolUseStart) for e in events)
    resp = events[-1].response
    assert resp.content[0] == ThinkingBlock(thinking="hm", signature="sig-f")
    assert resp.usage.cache_creation_input_tokens == 3000
    sent = server.requests[0]
    assert sent.path == "/anthropic/v1/messages"
    assert sent.headers["api-key"] == "foundry-key"
    body = sent.json
    assert body["model"] == "claude-sonnet-4-6"
    assert body["thinking"] == {"type": "adaptive"} and body["output_config"] == {"effort": "low"}
    assert body["messages"][-1]["content"][-1]["cache_control"] == {"type": "ephemeral"}


def test_deployment_mapping_routes_custom_names(server: MockFoundryServer) -> None:
    server.script(Reply(Text("a")), Reply(Text("b")))
    p = provider(server, deployments={"prod-writer": "claude-opus-4-6", "my-llm": "openai"})
    stream_events(p, request("prod-writer", *HISTORY, reasoning_effort="high"))
    stream_events(provider(server, deployments={"my-llm": "openai"}), request("my-llm"))
    assert server.calls == [("anthropic", "prod-writer"), ("openai", "my-llm")]
    claude_body = server.requests[0].json
    assert claude_body["output_config"] == {"effort": "high"}  # capabilities of the mapped model
    assert claude_body["messages"][1]["content"][0] == {
        "type": "thinking",
        "thinking": "read it",
        "signature": "sig-1",
    }


def test_claude_overloaded_then_success(server: MockFoundryServer) -> None:
    server.script(Fault(status=529, message="Overloaded"), Reply(Text("ok")))
    env = {"ANTHROPIC_FOUNDRY_API_KEY": "foundry-key"}
    with pytest.raises(ApiError) as caught:
        stream_events(provider(server, env), request("claude-haiku-4-5"))
    assert caught.value.retryable and caught.value.kind == "overloaded"
    assert stream_events(provider(server, env), request("claude-haiku-4-5"))[-1].response.content == [
        TextBlock(text="ok")
    ]


# -- Entra ID ----------------------------------------------------------------------------------


class ManagedIdentityEndpoint(MockServer):
    """App Service's managed-identity token endpoint (``IDENTITY_ENDPOINT`` / ``IDENTITY_HEADER``)."""

    def handle(self, request: RecordedRequest) -> Response:
        if request.headers.get("x-identity-header") != "id-secret":
            return Response(401, {"content-type": "application/json"}, b'{"error": "bad header"}')
        body = {
            "access_token": "entra-token",
            "expires_on": str(int(time.time()) + 3600),
            "resource": "https://cognitiveservices.azure.com",
            "token_type": "Bearer",
        }
        return Response(200, {"content-type": "application/json"}, json.dumps(body).encode())


def test_entra_id_tokens_when_no_key_is_set(
    server: MockFoundryServer, claw_env: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    with ManagedIdentityEndpoint() as identity:
        monkeypatch.setenv("IDENTITY_ENDPOINT", f"{identity.url}/msi/token")
        monkeypatch.setenv("IDENTITY_HEADER", "id-secret")
        env = {**claw_env, "IDENTITY_ENDPOINT": f"{identity.url}/msi/token", "IDENTITY_HEADER": "id-secret"}
        p = provider(server, env)
        assert p.credentials().source == "Entra ID managed identity"
        server.script(Reply(Text("via openai")), Reply(Text("via claude")))

        async def go() -> list[str]:
            try:
                texts = []
                for model in ("gpt-5", "claude-sonnet-4-6"):
                    events = [e async for e in p.stream(request(model))]
                    texts.append(events[-1].response.content[0].text)
                return texts
            finally:
                await p.aclose()

        assert asyncio.run(go()) == ["via openai", "via claude"]
        assert identity.requests and "resource=https" in identity.requests[0].path
    assert [r.headers["authorization"] for r in server.requests] == [
        "Bearer entra-token",
        "Bearer entra-token",
    ]


class NoIdentityImds(MockServer):
    """An instance-metadata endpoint on a VM without an assigned identity."""

    def handle(self, request: RecordedRequest) -> Response:
        body = {"error": "invalid_request", "error_description": "Identity not found"}
        return Response(400, {"content-type": "application/json"}, json.dumps(body).encode())


def test_no_identity_at_all_is_an_auth_error(
    server: MockFoundryServer, claw_env: dict[str, str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # no key, no identity from IMDS, no CLI login: DefaultAzureCredential has nothing to use
    monkeypatch.setenv("AZURE_CONFIG_DIR", str(tmp_path / "azure"))
    monkeypatch.setenv("PATH", str(tmp_path))  # no az / azd / pwsh binaries either
    with NoIdentityImds() as imds:
        monkeypatch.setenv("AZURE_POD_IDENTITY_AUTHORITY_HOST", imds.url)
        with pytest.raises(ApiError) as caught:
            stream_events(provider(server, dict(claw_env)), request("gpt-5"))
        assert imds.requests  # the chain did ask the metadata endpoint
    assert caught.value.kind == "authentication_failed" and "az login" in str(caught.value)
    assert "\n" not in str(caught.value)
    assert server.requests == []


# -- credentials and catalogue -----------------------------------------------------------------


def test_credentials_status(tmp_path: Path) -> None:
    home = {"HOME": str(tmp_path)}
    assert not FoundryProvider({}, home).credentials().present  # no endpoint
    st = FoundryProvider({"resource": "r"}, {**home, "ANTHROPIC_FOUNDRY_API_KEY": "k"}).credentials()
    assert st.present and st.source == "ANTHROPIC_FOUNDRY_API_KEY"
    nokey = FoundryProvider({"resource": "r"}, home).credentials()
    assert not nokey.present and "az login" in nokey.hint
    (tmp_path / ".azure").mkdir()
    (tmp_path / ".azure" / "azureProfile.json").write_text("{}")
    cli = FoundryProvider({"resource": "r"}, home).credentials()
    assert cli.present and "Azure CLI" in (cli.source or "")
    sp = FoundryProvider(
        {"resource": "r"},
        {**home, "AZURE_TENANT_ID": "t", "AZURE_CLIENT_ID": "c", "AZURE_FEDERATED_TOKEN_FILE": "/f"},
    ).credentials()
    assert sp.source == "Entra ID workload identity"


@pytest.mark.parametrize(
    ("settings", "env", "openai_url", "anthropic_url"),
    [
        (
            {"resource": "res"},
            {},
            "https://res.openai.azure.com/openai/v1/",
            "https://res.services.ai.azure.com/anthropic/",
        ),
        (
            {},
            {
                "AZURE_OPENAI_ENDPOINT": "https://x.openai.azure.com/",
                "ANTHROPIC_FOUNDRY_BASE_URL": "https://y/anthropic/",
            },
            "https://x.openai.azure.com/openai/v1/",
            "https://y/anthropic/",
        ),
        (
            {"base_url": "http://proxy:8080/"},
            {"ANTHROPIC_FOUNDRY_RESOURCE": "ignored"},
            "http://proxy:8080/openai/v1/",
            "http://proxy:8080/anthropic/",
        ),
    ],
)
def test_endpoints(settings: dict, env: dict, openai_url: str, anthropic_url: str) -> None:
    from claw_provider_foundry import credentials

    assert credentials.base_url(settings, env, "openai") == openai_url
    assert credentials.base_url(settings, env, "anthropic") == anthropic_url


def test_catalogue_and_light_entry_point() -> None:
    assert FoundryProvider.model_info("claude-opus-4-6").supports_prompt_cache
    assert not FoundryProvider.model_info("DeepSeek-R1").supports_tools
    assert FoundryProvider.model_info("my-deployment").pricing is None
    assert_import_light(
        "claw_provider_foundry.plugin", banned={"anthropic", "openai", "azure", "httpx2", "pydantic"}
    )


def test_provider_module_imports_no_sdk() -> None:
    # the kernel imports it whenever a run registers providers
    assert_import_light("claw_provider_foundry.provider", banned={"anthropic", "openai", "azure", "httpx2"})


def test_azure_vm_managed_identity_is_recognised_offline(tmp_path: Path) -> None:
    from claw_provider_foundry import credentials

    dmi = tmp_path / "dmi"
    dmi.mkdir()
    (dmi / "chassis_asset_tag").write_text(credentials.AZURE_ASSET_TAG + "\n")
    env = {"HOME": str(tmp_path)}
    assert (
        credentials.status({"resource": "r"}, env, dmi).source
        == "Entra ID managed identity (Azure VM instance metadata)"
    )
    assert not credentials.status({"resource": "r"}, env, tmp_path).present


def test_deployments_named_after_their_model_get_its_capabilities(server: MockFoundryServer) -> None:
    info = FoundryProvider.model_info("claude-sonnet-4-6-prod")
    assert info.id == "claude-sonnet-4-6-prod" and info.supports_images and info.effort_levels
    assert FoundryProvider.model_info("gpt-5-mini-eu").pricing.input == 0.25  # type: ignore[union-attr]
    assert FoundryProvider.model_info("gpt-5.4x").pricing is None  # a suffix needs its dash
    server.script(Reply(Text("ok")))
    env = {"ANTHROPIC_FOUNDRY_API_KEY": "foundry-key"}
    stream_events(provider(server, env), request("claude-sonnet-4-6-prod", reasoning_effort="high"))
    assert server.calls == [("anthropic", "claude-sonnet-4-6-prod")]
    assert server.requests[0].json["thinking"] == {"type": "adaptive"}


def test_describe_reads_the_deployment_mapping() -> None:
    p = FoundryProvider({"deployments": {"prod-writer": "claude-opus-4-6", "my-llm": "openai"}}, {})
    info = p.describe("prod-writer")
    assert info.id == "prod-writer" and info.supports_images and "max" in info.effort_levels
    assert FoundryProvider.model_info("prod-writer").effort_levels == ()  # the name alone reveals nothing
    assert p.describe("my-llm").effort_levels == () and not p.describe("my-llm").supports_images

"""API selection, OpenAI-compatible servers, credentials, catalogue and import cost."""

from __future__ import annotations

import pytest
from claw import ConfigError, Message, MissingCredentials, ModelRequest
from claw.testing import imported_modules, stream_events
from claw.testing.script import Reply, Text
from claw_provider_openai.provider import OpenAIProvider

HEAVY = {"anthropic", "httpx", "httpx2", "openai"}


def test_entry_point_and_provider_modules_import_no_sdk() -> None:
    assert not HEAVY & imported_modules("claw_provider_openai.plugin")
    assert not HEAVY & imported_modules("claw_provider_openai.provider")


def test_api_is_chosen_per_model_and_overridden_by_setting() -> None:
    official = OpenAIProvider({}, {"OPENAI_API_KEY": "k"})
    assert official.api_for("gpt-5.4-mini") == "responses"
    assert official.api_for("gpt-4.1") == "chat"
    assert official.api_for("gpt-unknown") == "responses"
    compatible = OpenAIProvider({"base_url": "http://localhost:8000/v1"}, {})
    assert compatible.api_for("qwen3-coder") == "chat"  # what every compatible server speaks
    assert OpenAIProvider({"api": "chat"}, {}).api_for("gpt-5.4") == "chat"
    declared = OpenAIProvider(
        {"base_url": "http://h/v1", "models": {"gpt-oss-120b": {"api": "responses"}}}, {}
    )
    assert declared.api_for("gpt-oss-120b") == "responses"
    with pytest.raises(ConfigError, match=r"providers\.openai\.api"):
        OpenAIProvider({"api": "completions"}, {}).api_for("gpt-5.4")


def test_selected_api_is_the_endpoint_called(openai_server) -> None:
    openai_server.script(Reply(Text("a")), Reply(Text("b")))
    env = {"OPENAI_API_KEY": "k", "OPENAI_BASE_URL": openai_server.base_url}
    req = ModelRequest(model="gpt-5.4", messages=[Message.user("hi")])
    stream_events(OpenAIProvider({"api": "responses"}, env), req)
    stream_events(OpenAIProvider({"api": "chat"}, env), req)
    assert [r.path for r in openai_server.requests] == ["/v1/responses", "/v1/chat/completions"]


def test_compatible_server_without_a_key(openai_server) -> None:
    openai_server.script(Reply(Text("local model says hi")))
    settings = {"base_url": openai_server.base_url, "models": {"qwen3-coder": {"max_output_tokens": 4096}}}
    p = OpenAIProvider(settings, {})
    status = p.credentials()
    assert status.present and "no key needed" in (status.source or "")
    req = ModelRequest(model="qwen3-coder", messages=[Message.user("hi")], max_tokens=100_000)
    events = stream_events(p, req)
    assert events[-1].response.to_message().text == "local model says hi"
    sent = openai_server.requests[0]
    assert sent.path == "/v1/chat/completions"
    assert sent.json["max_tokens"] == 4096  # the declared model limit caps the request
    assert OpenAIProvider({"base_url": openai_server.base_url, "api_key": "none"}, {}).credentials().present


def test_credentials() -> None:
    assert OpenAIProvider({}, {"OPENAI_API_KEY": "k"}).credentials().source == "OPENAI_API_KEY"
    assert OpenAIProvider({"api_key": "s"}, {"OPENAI_API_KEY": "k"}).credentials().source == (
        "settings providers.openai.api_key"
    )
    missing = OpenAIProvider({}, {}).credentials()
    assert not missing.present and "OPENAI_API_KEY" in missing.hint
    # "none" is only acceptable where a base_url says which keyless server to use
    assert not OpenAIProvider({"api_key": "none"}, {}).credentials().present


def test_missing_key_is_one_clear_error() -> None:
    req = ModelRequest(model="gpt-5.4", messages=[Message.user("hi")])
    with pytest.raises(MissingCredentials, match="OPENAI_API_KEY"):
        stream_events(OpenAIProvider({}, {}), req)


def test_catalogue() -> None:
    models = OpenAIProvider.models()
    ids = {m.id for m in models}
    assert {"gpt-5.5", "gpt-5.4", "gpt-5.4-mini", "gpt-5.4-nano"} <= ids
    for m in models:
        assert m.provider == "openai" and m.pricing is not None
        assert m.pricing.cache_read is not None and m.pricing.cache_read <= m.pricing.input
    assert OpenAIProvider.model_info("gpt-5.4-mini").effort_levels == ("low", "medium", "high", "xhigh")
    assert "gpt-5.4-mini".startswith(OpenAIProvider.model_prefixes)
    assert "o3".startswith(OpenAIProvider.model_prefixes)


def test_doctor_shows_openai_credentials(claw) -> None:
    assert "openai: no credentials: set OPENAI_API_KEY" in claw("doctor").stdout
    claw.env["OPENAI_BASE_URL"] = "http://127.0.0.1:11434/v1"
    assert (
        "openai: credentials from base_url http://127.0.0.1:11434/v1 (no key needed)" in claw("doctor").stdout
    )


def test_openai_itself_gets_a_session_cache_key_and_max_completion_tokens() -> None:
    from claw_provider_openai import responses
    from claw_wire import openai_chat

    req = ModelRequest(model="gpt-5.4", messages=[Message.user("hi")], metadata={"session_id": "s-123"})
    info = OpenAIProvider.model_info("gpt-5.4")

    def chat_params(*, compatible: bool) -> dict:  # what OpenAIProvider sends on /chat/completions
        p = OpenAIProvider({"base_url": "http://127.0.0.1:1/v1"} if compatible else {}, {})
        return p.chat_params(req, info)

    official = chat_params(compatible=False)
    assert official["prompt_cache_key"] == "claw-s-123" and official["max_completion_tokens"] == 16_000
    assert responses.build_params(req, info, compatible=False)["prompt_cache_key"] == "claw-s-123"
    assert openai_chat.prompt_cache_key(req) == {"prompt_cache_key": "claw-s-123"}
    local = chat_params(compatible=True)
    assert "prompt_cache_key" not in local and "max_completion_tokens" not in local
    assert "prompt_cache_key" not in responses.build_params(req, info, compatible=True)


def test_models_declared_in_settings_describe_the_model() -> None:
    declared = {"qwen2.5-vl-72b": {"supports_images": True, "effort_levels": ["low", "high"]}}
    p = OpenAIProvider({"base_url": "http://127.0.0.1:1/v1", "models": declared}, {})
    info = p.describe("qwen2.5-vl-72b")
    assert info.supports_images and info.effort_levels == ("low", "high") and info.provider == "openai"
    assert not OpenAIProvider.model_info("qwen2.5-vl-72b").supports_images  # the catalogue alone
    assert p.describe("gpt-5.4") == OpenAIProvider.model_info("gpt-5.4")  # undeclared: the catalogue

"""The plugin's registration, import cost, model catalogue and cache breakpoint placement."""

from __future__ import annotations

from claw.testing import imported_modules
from claw_provider_anthropic.caching import MAX_BREAKPOINTS, count_breakpoints, place_breakpoints
from claw_provider_anthropic.provider import AnthropicProvider

HEAVY = {"anthropic", "httpx", "httpx2", "openai"}


def test_entry_point_module_imports_no_sdk() -> None:
    assert not HEAVY & imported_modules("claw_provider_anthropic.plugin")


def test_provider_module_imports_no_sdk() -> None:
    # The kernel imports it to register the class on every run that needs providers.
    assert not HEAVY & imported_modules("claw_provider_anthropic.provider")


def test_aliases_resolve_to_the_newest_of_each_family() -> None:
    ids = {alias: AnthropicProvider.model_info(alias).id for alias in ("sonnet", "opus", "haiku")}
    assert ids == {"sonnet": "claude-sonnet-5-5", "opus": "claude-opus-5-5", "haiku": "claude-haiku-5-5"}
    assert AnthropicProvider.model_info("claude-haiku-4-5-20251001").id == "claude-haiku-4-5"


def test_every_model_is_priced_with_cache_rates() -> None:
    models = AnthropicProvider.models()
    assert len(models) >= 10
    aliases = [a for m in models for a in m.aliases]
    assert len(aliases) == len(set(aliases))
    for m in models:
        assert m.id.startswith("claude-") and m.provider == "anthropic"
        assert (
            m.pricing is not None
            and m.pricing.cache_read is not None
            and m.pricing.cache_write_5m is not None
        )
        assert m.pricing.cache_read < m.pricing.input < m.pricing.cache_write_5m
        assert m.effort_levels and m.supports_thinking and m.supports_prompt_cache and m.supports_images
        assert m.max_output_tokens < m.context_window


def test_unknown_model_gets_defaults() -> None:
    info = AnthropicProvider.model_info("claude-next-7")
    assert info.id == "claude-next-7" and info.effort_levels == ()


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


def test_doctor_shows_credentials_missing_then_present(claw) -> None:
    result = claw("doctor")
    assert "anthropic: no credentials: set ANTHROPIC_API_KEY" in result.stdout
    claw.env["ANTHROPIC_API_KEY"] = "sk-ant-test"
    result = claw("doctor")
    assert "anthropic: credentials from ANTHROPIC_API_KEY" in result.stdout
    assert "sk-ant-test" not in result.stdout

"""The plugin's registration, import cost and model catalogue."""

from __future__ import annotations

from claw.testing import imported_modules
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


def test_doctor_shows_credentials_missing_then_present(claw) -> None:
    result = claw("doctor")
    assert "anthropic: no credentials: set ANTHROPIC_API_KEY" in result.stdout
    claw.env["ANTHROPIC_API_KEY"] = "sk-ant-test"
    result = claw("doctor")
    assert "anthropic: credentials from ANTHROPIC_API_KEY" in result.stdout
    assert "sk-ant-test" not in result.stdout

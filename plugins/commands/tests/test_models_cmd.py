"""``claw models``: every registered provider's catalogue, as a table or JSON."""

from __future__ import annotations

PROVIDER = """
import claw
from claw import CredentialStatus, ModelInfo, Pricing, Provider


class Acme(Provider):
    name = "acme"

    @classmethod
    def models(cls):
        return [
            ModelInfo(id="acme-large", provider="acme", aliases=("large",), context_window=1_000_000,
                      max_output_tokens=64_000, supports_images=True, supports_thinking=True,
                      effort_levels=("low", "high"), supports_prompt_cache=True,
                      pricing=Pricing(input=3, output=15)),
            ModelInfo(id="acme-tiny", provider="acme", context_window=8_000, max_output_tokens=512,
                      supports_tools=False),
        ]

    def credentials(self):
        return CredentialStatus(present=False, hint="none")

    async def stream(self, request):
        raise NotImplementedError
        yield


@claw.hookimpl
def claw_register_providers(register):
    register(Acme)
"""


def test_table_lists_capabilities_and_prices(claw, plugin_module):
    plugin_module("acme_models", PROVIDER)
    out = claw("models", "--provider", "acme").assert_success().stdout.splitlines()
    assert out[0].split() == [
        "MODEL",
        "CONTEXT",
        "OUTPUT",
        "TOOLS",
        "IMAGES",
        "THINKING/EFFORT",
        "CACHE",
        "IN",
        "$/M",
        "OUT",
        "$/M",
        "SOURCE",
    ]
    assert out[1].split() == [
        "acme/acme-large",
        "1.0M",
        "64k",
        "yes",
        "yes",
        "low,high",
        "yes",
        "3",
        "15",
        "catalogue",
    ]
    assert out[2].split() == ["acme/acme-tiny", "8k", "512", "no", "no", "no", "no", "-", "-", "catalogue"]


def test_json_has_one_object_per_model(claw, plugin_module):
    plugin_module("acme_models", PROVIDER)
    data = claw("models", "--json", "--provider", "acme").assert_success().json()
    assert [m["address"] for m in data] == ["acme/acme-large", "acme/acme-tiny"]
    large = data[0]
    assert large["aliases"] == ["large"] and large["effort_levels"] == ["low", "high"]
    assert (
        large["pricing"]["input"] == 3 and data[1]["pricing"] is None and data[1]["supports_tools"] is False
    )


def test_unknown_provider_is_a_usage_error(claw, plugin_module):
    plugin_module("acme_models", PROVIDER)
    res = claw("models", "--provider", "nope").assert_failure(2)
    assert "unknown provider 'nope'" in res.stderr and "acme" in res.stderr

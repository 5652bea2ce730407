"""Model routing, capability checks and effort mapping."""

from __future__ import annotations

import pytest
from claw.testing.script import Reply, Text

PROVIDERS = """
import claw
from claw import CredentialStatus, ModelInfo, Provider


class Keyed(Provider):
    name = "keyed"
    model_prefixes = ("kd-",)

    @classmethod
    def models(cls):
        return [ModelInfo(id="kd-large", provider="keyed", aliases=("large",))]

    def credentials(self):
        key = self.settings.get("api_key") or self.env.get("KEYED_API_KEY")
        if key:
            return CredentialStatus(present=True, source="KEYED_API_KEY")
        return CredentialStatus(present=False, hint="set KEYED_API_KEY or settings providers.keyed.api_key")

    async def stream(self, request):
        raise NotImplementedError
        yield


@claw.hookimpl
def claw_register_providers(register):
    register(Keyed)
"""


@pytest.fixture
def app(claw_env, workspace, plugin_module, scripted):  # type: ignore[no-untyped-def]
    plugin_module("routing_test_providers", PROVIDERS)
    from claw._app import App

    return App(workspace=workspace, env=claw_env, load_entry_points=False)


def test_resolve_forms(app):
    from claw._routing import resolve

    assert resolve("scripted/tiny", app.providers).info.context_window == 2000
    assert resolve("large", app.providers).address == "keyed/kd-large"  # alias
    assert resolve("kd-small", app.providers).address == "keyed/kd-small"  # bare id by prefix
    assert resolve("scripted-x", app.providers).provider_cls.name == "scripted"
    assert resolve("scripted/unknown-id", app.providers).info.id == "unknown-id"  # defaults, not an error


def test_unknown_provider_and_unclaimed_names(app):
    from claw._errors import ProviderNotFound
    from claw._routing import resolve

    with pytest.raises(
        ProviderNotFound, match=r"unknown provider 'nope'.*installed providers: keyed, scripted"
    ):
        resolve("nope/model", app.providers)
    with pytest.raises(ProviderNotFound, match="write it as provider/model-id"):
        resolve("mystery", app.providers)


def test_chain_from_settings_and_flags(app):
    from claw._routing import ModelChoice, model_chain

    chain = model_chain(
        app.providers,
        app.settings,
        ModelChoice("scripted/default", "--model"),
        fallbacks=["scripted/backup,large"],
    )
    assert [r.address for r in chain] == ["scripted/default", "scripted/backup", "keyed/kd-large"]


def test_missing_model_and_credentials_are_one_line_errors(claw, claw_env, plugin_module):
    plugin_module("routing_test_providers2", PROVIDERS)
    claw("-p", "hi").assert_failure(1, "no model configured")
    res = claw("-p", "hi", "--model", "large")
    res.assert_failure(1, "no credentials for provider 'keyed': set KEYED_API_KEY")
    assert len(res.stderr.strip().splitlines()) == 1
    claw("-p", "hi", "--model", "zzz/m").assert_failure(1, "unknown provider 'zzz'")


def test_effort_reaches_the_provider_with_the_models_facts(claw, loop_env):
    """The loop passes the effort on as asked, with the model's facts in the request: the provider maps
    it onto the levels the model takes (claw_wire.effort_of, tested with the providers' wire output)."""
    loop_env.script(Reply(Text("a")), Reply(Text("b")))
    claw("-p", "x", "--model", "scripted/effort", "--reasoning-effort", "xhigh").assert_success()
    first = loop_env.requests[0]
    assert first["reasoning_effort"] == "xhigh"
    assert first["info"]["id"] == first["model"] == "effort" and first["info"]["effort_levels"] == [
        "low",
        "high",
    ]
    claw("-p", "x", "--reasoning-effort", "low").assert_success()
    assert loop_env.requests[1]["info"]["effort_levels"] == []


def test_capability_checks(claw, loop_env):
    claw("-p", "x", "--model", "scripted/notools").assert_failure(1, "does not support tool use")
    loop_env.script(Reply(Text("fine")))
    claw("-p", "x", "--model", "scripted/notools", "--tools", "").assert_success()
    assert loop_env.requests[0]["tools"] == []


def test_images_to_a_model_without_images(loop_env):
    from claw._errors import ClawError
    from claw._providers import ModelInfo
    from claw._routing import check_capabilities

    with pytest.raises(ClawError, match="does not accept images"):
        check_capabilities(ModelInfo(id="m", provider="p"), tools=False, images=True)
    check_capabilities(ModelInfo(id="m", provider="p", supports_images=True), tools=False, images=True)


def test_fallback_without_credentials_ends_the_run_cleanly(claw, loop_env, plugin_module, claw_env):
    from claw.testing.script import Fault

    plugin_module("routing_test_providers3", PROVIDERS)
    claw_env["CLAW_MAX_RETRIES"] = "0"
    loop_env.script(Fault(status=529))
    res = claw("-p", "hi", "--fallback-model", "large", "--output-format", "json")
    res.assert_failure(1, "no credentials for provider 'keyed'")
    assert res.json()["subtype"] == "error_during_execution"


def test_route_is_described_by_its_configured_provider():
    from claw._providers import CredentialStatus, ModelInfo, Provider
    from claw._routing import Route

    class Configurable(Provider):
        name = "configurable"

        @classmethod
        def models(cls) -> list[ModelInfo]:
            return [ModelInfo(id="m", provider="configurable")]

        def credentials(self) -> CredentialStatus:
            return CredentialStatus(present=True)

        def stream(self, request):  # type: ignore[no-untyped-def]
            raise NotImplementedError

        def describe(self, model_id: str) -> ModelInfo:
            info = super().describe(model_id)
            return info.model_copy(update={"supports_images": bool(self.settings.get("vision"))})

    route = Route(Configurable, Configurable.model_info("m"))
    assert Provider.describe(Configurable({}, {}), "m") == route.info  # the default: the catalogue
    assert route.described(Configurable({}, {})) is route
    seen = route.described(Configurable({"vision": True}, {}))
    assert seen.info.supports_images and not route.info.supports_images
    assert seen.address == route.address == "configurable/m"


def test_effort_is_read_in_any_case_as_claude_code_reads_it(claw, loop_env):
    """Claude Code lowercases ``--effort``'s value (``--effort HIGH`` is high); claw refused it with
    "'HIGH' is not one of 'low', 'medium', ...". The level reaches the provider in claw's spelling."""
    loop_env.script(Reply(Text("a")))
    claw("-p", "x", "--model", "scripted/effort", "--effort", "HIGH").assert_success()
    assert loop_env.requests[0]["reasoning_effort"] == "high"

"""Model addressing: from what the user typed (``sonnet``, ``openai/gpt-5.4-mini``, ``claude-...``) to a
provider instance and the :class:`claw.ModelInfo` that says what the model can do.

Resolution order for one name:

1. ``provider/model-id``: the provider registered under ``provider``; the id is looked up in its
   model list (an unknown id gets conservative defaults, see :meth:`claw.Provider.model_info`).
   Once the provider is instantiated, :meth:`Route.described` asks it (:meth:`claw.Provider.describe`),
   so models declared in its settings get their real capabilities.
2. A bare id starting with one of a provider's ``model_prefixes`` (``claude-`` -> anthropic, ``gpt-`` ->
   openai): the model vendor's own provider, even when a cloud provider lists the same id.
3. An alias (``sonnet``, ``opus``, ``haiku``, ...) or id from some provider's model list. Providers are
   searched in registration order, so the first one claiming it wins.

The primary model (:func:`choose_model`) and the fallback chain (:func:`model_chain`) are chosen as
docs/configuration.md ("Which model runs") says, as Claude Code chooses them. Chains may cross providers."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from claw._errors import CapabilityError, ClawError, MissingCredentials, ProviderNotFound, UsageError
from claw._plugins import PROVIDERS, TRUE, unique
from claw._providers import ModelInfo, Provider

#: The first-party provider plugins, provider name -> distribution: the only names an install hint
#: suggests besides the registered ones (a name built from a typo would invite typosquatting), and
#: the order in which :func:`choose_model` looks for credentials (direct API keys before cloud chains).
FIRST_PARTY: dict[str, str] = {name: f"claw-provider-{name}" for name in PROVIDERS}

#: Claude Code's switches that run Claude on a cloud: variable -> the provider it selects (first set wins).
CLOUD_SWITCHES: dict[str, str] = {
    "CLAUDE_CODE_USE_BEDROCK": "bedrock",
    "CLAUDE_CODE_USE_VERTEX": "vertex",
    "CLAUDE_CODE_USE_FOUNDRY": "foundry",
}


@dataclass(frozen=True)
class ModelChoice:
    """The primary model's name and why it was chosen (the REPL banner and ``claw doctor`` say both)."""

    name: str
    #: ``--model``, ``ANTHROPIC_MODEL``, ``settings model in <file>``, a ``CLAUDE_CODE_USE_*`` switch,
    #: or where the chosen provider's credentials were found (``ANTHROPIC_API_KEY``).
    source: str
    #: The provider a ``CLAUDE_CODE_USE_*`` switch selects: bare names go to it when it knows them.
    prefer: str | None = None

    def describe(self, address: str) -> str:
        """``anthropic/claude-sonnet-5-5 (from ANTHROPIC_API_KEY)``, for the chosen model's ``address``."""
        return f"{address} (from {self.source})"


@dataclass(frozen=True)
class Route:
    """One resolved model: which provider serves it and what it can do."""

    provider_cls: type[Provider]
    info: ModelInfo

    @property
    def address(self) -> str:
        return self.info.address

    def described(self, provider: Provider) -> Route:
        """This route with the capabilities its configured ``provider`` reports
        (:meth:`claw.Provider.describe`): what its settings declare wins over the catalogue's defaults.
        Capability checks, effort mapping, limits and prices use the described route."""
        info = provider.describe(self.info.id)
        return self if info == self.info else Route(self.provider_cls, info)


def instantiate(cls: type[Provider], settings: Mapping[str, Any], env: Mapping[str, str]) -> Provider:
    """A provider instance configured from settings ``providers.<name>`` and the environment.

    :raises MissingCredentials: naming what to set."""
    name = cls.name
    provider = cls((settings.get("providers") or {}).get(name, {}), env)
    status = provider.credentials()
    if not status.present:
        hint = status.hint or f"configure settings providers.{name}"
        raise MissingCredentials(f"no credentials for provider {name!r}: {hint}")
    return provider


def _providers(registry: Mapping[str, Any]) -> list[type[Provider]]:
    return [reg.obj for reg in unique(registry)]


def install_hint(name: str, registry: Mapping[str, Any]) -> str:
    """What to do about an unknown provider ``name``: the nearest known name when one is close, and
    install commands only for first-party providers (never a distribution name built from ``name``:
    a typo would invite typosquatting)."""
    registered = sorted(p.name for p in _providers(registry))
    if name in FIRST_PARTY:
        return f"install its plugin: pip install {FIRST_PARTY[name]}"
    close = difflib.get_close_matches(name, sorted({*registered, *FIRST_PARTY}), n=1, cutoff=0.75)
    if close and close[0] not in registered:
        return f"did you mean {close[0]!r}? (pip install {FIRST_PARTY[close[0]]})"
    listed = f"installed providers: {', '.join(registered) or 'none'}"
    if close:
        return f"did you mean {close[0]!r}? ({listed})"
    absent = [dist for n, dist in FIRST_PARTY.items() if n not in registered]
    return listed + (f"; first-party provider plugins: {', '.join(absent)}" if absent else "")


def _listed(cls: type[Provider], model_id: str) -> ModelInfo | None:
    """The model ``cls`` lists with ``model_id`` as its id or one of its aliases, if any."""
    return next((info for info in cls.models() if model_id in (info.id, *info.aliases)), None)


def _claims(cls: type[Provider], model_id: str) -> bool:
    """Whether ``cls`` knows ``model_id``: by one of its prefixes, or as an id or alias it lists."""
    return any(model_id.startswith(p) for p in cls.model_prefixes) or _listed(cls, model_id) is not None


def resolve(name: str, registry: Mapping[str, Any], prefer: str | None = None) -> Route:
    """Resolve one model name against the provider registry (``app.providers``).

    :param prefer: a provider (selected by a ``CLAUDE_CODE_USE_*`` switch) that gets a bare name, or the
        id it resolves to elsewhere (``sonnet`` -> ``claude-sonnet-5-5``), whenever it knows it.
    :raises ProviderNotFound: for an unknown provider prefix or a name nothing claims."""
    name = name.strip()
    if not name:
        raise UsageError("empty model name")
    providers = _providers(registry)
    if "/" in name:
        prefix, model_id = name.split("/", 1)
        reg = registry.get(prefix)
        if reg is None:
            raise ProviderNotFound(
                f"unknown provider {prefix!r} in model {name!r}: {install_hint(prefix, registry)}"
            )
        cls = reg.obj
        return Route(cls, cls.model_info(model_id))
    preferred = registry[prefer].obj if prefer is not None and prefer in registry else None
    if preferred is not None and _claims(preferred, name):
        return Route(preferred, preferred.model_info(name))
    route = _resolve_bare(name, providers)
    if preferred is not None and route.provider_cls is not preferred and _claims(preferred, route.info.id):
        return Route(preferred, preferred.model_info(route.info.id))
    return route


def _resolve_bare(name: str, providers: list[type[Provider]]) -> Route:
    # The vendor's own provider first: clouds (bedrock, vertex, foundry) list other vendors' models
    # in their catalogues too, and a bare ``gpt-5.4`` means OpenAI's, not a Foundry deployment.
    for cls in providers:
        if any(name.startswith(p) for p in cls.model_prefixes):
            return Route(cls, cls.model_info(name))
    for cls in providers:
        if (info := _listed(cls, name)) is not None:
            return Route(cls, info)
    known = ", ".join(sorted(p.name for p in providers)) or "none installed"
    raise ProviderNotFound(
        f"cannot tell which provider serves model {name!r}; write it as provider/model-id "
        f"(known providers: {known})"
    )


def _switch(env: Mapping[str, str]) -> tuple[str, str] | None:
    """The first ``CLAUDE_CODE_USE_*`` switch that is on, as ``(variable, provider)``."""
    for var, provider in CLOUD_SWITCHES.items():
        if env.get(var, "").strip().lower() in TRUE:
            return var, provider
    return None


def choose_model(
    registry: Mapping[str, Any], settings: Any, env: Mapping[str, str], *, model: str | None = None
) -> ModelChoice:
    """The primary model, in Claude Code's order: ``model`` (``--model``), ``ANTHROPIC_MODEL``, settings
    ``model``; else the default model (:meth:`claw.Provider.default_model`) of the provider a
    ``CLAUDE_CODE_USE_*`` switch selects; else that of the first provider whose credentials are present,
    first-party ones in :data:`FIRST_PARTY` order, then the others in registration order.

    No network is touched: credentials are only looked for (:meth:`claw.Provider.credentials`).

    :param settings: the effective settings (``model``, ``providers``).
    :raises ClawError: one line saying what to set when nothing can be chosen."""
    switch = _switch(env)
    prefer = switch[1] if switch else None
    if model:
        return ModelChoice(model, "--model", prefer)
    if env.get("ANTHROPIC_MODEL", "").strip():
        return ModelChoice(env["ANTHROPIC_MODEL"].strip(), "ANTHROPIC_MODEL", prefer)
    if settings.model.model:
        where = settings.sources.get("model", "settings")
        return ModelChoice(settings.model.model, f"settings model in {where}", prefer)
    configured = settings.data.get("providers") or {}

    def configure(cls: type[Provider]) -> Provider:
        return cls(configured.get(cls.name) or {}, env)

    if switch is not None:
        var, name = switch
        if name not in registry:
            raise ProviderNotFound(
                f"{var} is set but the {name} provider is not installed: {install_hint(name, registry)}"
            )
        default = configure(registry[name].obj).default_model()
        if not default:
            raise ClawError(f"{var} is set but {name} has no default model: pass --model {name}/MODEL-ID")
        return ModelChoice(f"{name}/{default}", var, name)
    order = list(FIRST_PARTY)
    candidates = sorted(
        _providers(registry), key=lambda c: order.index(c.name) if c.name in order else len(order)
    )
    hint = ""  # what to set for the first candidate, when none has credentials
    for cls in candidates:
        provider = configure(cls)
        default = provider.default_model()
        if not default:
            continue
        status = provider.credentials()
        if status.present:
            return ModelChoice(f"{cls.name}/{default}", status.source or f"{cls.name} credentials")
        hint = (
            hint
            or f"{status.hint or f'configure settings providers.{cls.name}'} to use {cls.name}/{default}, "
        )
    if not candidates:
        raise ClawError(
            f"no model configured and no provider installed: pip install {FIRST_PARTY['anthropic']}"
        )
    raise ClawError(f'no model configured: {hint}pass --model provider/model-id, or set "model" in settings')


def split_models(values: Iterable[str]) -> list[str]:
    """``["a,b", "c"]`` -> ``["a", "b", "c"]`` (``--fallback-model`` takes both forms)."""
    return [part.strip() for v in values for part in v.split(",") if part.strip()]


def model_chain(
    registry: Mapping[str, Any], settings: Any, choice: ModelChoice, *, fallbacks: Iterable[str] | None = None
) -> list[Route]:
    """The primary model (``choice``, from :func:`choose_model`) followed by its fallbacks, duplicates
    removed.

    :param settings: the effective settings (``fallbackModels``).
    :param fallbacks: ``--fallback-model`` values; override settings ``fallbackModels``."""
    names = [choice.name, *(split_models(fallbacks) if fallbacks else settings.model.fallbackModels)]
    chain: list[Route] = []
    for name in names:
        route = resolve(name, registry, choice.prefer)
        if all(r.address != route.address for r in chain):
            chain.append(route)
    return chain


def small_model(settings: Any, env: Mapping[str, str], primary: Route) -> str | None:
    """The address of the small fast model for side jobs (``WebFetch`` reading a page), as Claude Code
    picks it: ``ANTHROPIC_SMALL_FAST_MODEL``, else settings ``smallFastModel``, else the small model
    the primary model's provider declares (:attr:`claw.Provider.small_model`), else ``None``.

    :param settings: the effective settings (a :class:`claw._settings.Settings`)."""
    configured = env.get("ANTHROPIC_SMALL_FAST_MODEL") or settings.model.smallFastModel
    if configured:
        return str(configured)
    declared = primary.provider_cls.small_model
    return f"{primary.provider_cls.name}/{declared}" if declared else None


def check_capabilities(info: ModelInfo, *, tools: bool, images: bool) -> None:
    """Refuse a request the model cannot serve, before sending it.

    :raises CapabilityError: when the request carries images or tools the model does not accept."""
    if images and not info.supports_images:
        reason = "does not accept images"
        raise CapabilityError(f"model {info.address} {reason}; choose a model that does", reason=reason)
    if tools and not info.supports_tools:
        reason = "does not support tool use"
        raise CapabilityError(
            f'model {info.address} {reason}; pass --tools "" to run without tools or choose another model',
            reason=reason,
        )

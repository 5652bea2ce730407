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

The primary model comes from ``--model``, else settings ``model``; the fallback chain from
``--fallback-model a,b``, else settings ``fallbackModels``. Chains may cross providers.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from claw import console
from claw.errors import ClawError, MissingCredentials, ProviderNotFound, UsageError
from claw.providers import Effort, ModelInfo, Provider

#: Effort levels from least to most.
EFFORT_ORDER: tuple[Effort, ...] = ("low", "medium", "high", "xhigh", "max")


@dataclass(frozen=True)
class Route:
    """One resolved model: which provider serves it and what it can do."""

    provider_cls: type[Provider]
    info: ModelInfo

    @property
    def address(self) -> str:
        return self.info.address

    def provider(self, settings: Mapping[str, Any], env: Mapping[str, str]) -> Provider:
        """A new provider instance for this route (see :func:`instantiate`); the caller closes it."""
        return instantiate(self.provider_cls, settings, env)

    def described(self, provider: Provider) -> Route:
        """This route with the capabilities its configured ``provider`` reports
        (:meth:`claw.Provider.describe`): what its settings declare wins over the catalogue's defaults.
        Capability checks, effort mapping, limits and prices use the described route."""
        info = provider.describe(self.info.id)
        return self if info == self.info else Route(self.provider_cls, info)


def instantiate(cls: type[Provider], settings: Mapping[str, Any], env: Mapping[str, str]) -> Provider:
    """A provider instance configured from settings ``providers.<name>`` and the environment.

    :raises MissingCredentials: naming what to set.
    """
    name = cls.name
    provider = cls((settings.get("providers") or {}).get(name, {}), env)
    status = provider.credentials()
    if not status.present:
        hint = status.hint or f"configure settings providers.{name}"
        raise MissingCredentials(f"no credentials for provider {name!r}: {hint}")
    return provider


def _providers(registry: Mapping[str, Any]) -> list[type[Provider]]:
    seen: dict[int, type[Provider]] = {}
    for reg in registry.values():
        seen.setdefault(id(reg), reg.obj)
    return list(seen.values())


def resolve(name: str, registry: Mapping[str, Any]) -> Route:
    """Resolve one model name against the provider registry (``app.providers``).

    :raises ProviderNotFound: for an unknown provider prefix or a name nothing claims.
    """
    name = name.strip()
    if not name:
        raise UsageError("empty model name")
    providers = _providers(registry)
    if "/" in name:
        prefix, model_id = name.split("/", 1)
        reg = registry.get(prefix)
        if reg is None:
            known = ", ".join(sorted(p.name for p in providers)) or "none installed"
            raise ProviderNotFound(
                f"unknown provider {prefix!r} in model {name!r} (known providers: {known}); "
                f"install its plugin, e.g. pip install claw-provider-{prefix}"
            )
        cls = reg.obj
        return Route(cls, cls.model_info(model_id))
    # The vendor's own provider first: clouds (bedrock, vertex, foundry) list other vendors' models
    # in their catalogues too, and a bare ``gpt-5.4`` means OpenAI's, not a Foundry deployment.
    for cls in providers:
        if any(name.startswith(p) for p in cls.model_prefixes):
            return Route(cls, cls.model_info(name))
    for cls in providers:
        for info in cls.models():
            if name == info.id or name in info.aliases:
                return Route(cls, info)
    known = ", ".join(sorted(p.name for p in providers)) or "none installed"
    raise ProviderNotFound(
        f"cannot tell which provider serves model {name!r}; write it as provider/model-id "
        f"(known providers: {known})"
    )


def split_models(values: Iterable[str]) -> list[str]:
    """``["a,b", "c"]`` -> ``["a", "b", "c"]`` (``--fallback-model`` takes both forms)."""
    return [part.strip() for v in values for part in v.split(",") if part.strip()]


def model_chain(
    registry: Mapping[str, Any],
    settings: Any,
    *,
    model: str | None = None,
    fallbacks: Iterable[str] | None = None,
) -> list[Route]:
    """The primary model followed by its fallbacks, duplicates removed.

    :param settings: the effective settings (``model``, ``fallbackModels``).
    :param model: ``--model``; overrides settings ``model``.
    :param fallbacks: ``--fallback-model`` values; override settings ``fallbackModels``.
    :raises ClawError: when no model is configured at all.
    """
    primary = model or settings.model.model
    if not primary:
        raise ClawError('no model configured: pass --model provider/model-id or set "model" in settings')
    names = [primary, *(split_models(fallbacks) if fallbacks else settings.model.fallbackModels)]
    chain: list[Route] = []
    for name in names:
        route = resolve(name, registry)
        if all(r.address != route.address for r in chain):
            chain.append(route)
    return chain


def small_model(settings: Any, env: Mapping[str, str], primary: Route) -> str | None:
    """The address of the small fast model for side jobs (``WebFetch`` reading a page), as Claude Code
    picks it: ``ANTHROPIC_SMALL_FAST_MODEL``, else settings ``smallFastModel``, else the small model
    the primary model's provider declares (:attr:`claw.Provider.small_model`), else ``None``.

    :param settings: the effective settings (a :class:`claw.settings.Settings`).
    """
    configured = env.get("ANTHROPIC_SMALL_FAST_MODEL") or settings.model.smallFastModel
    if configured:
        return str(configured)
    declared = primary.provider_cls.small_model
    return f"{primary.provider_cls.name}/{declared}" if declared else None


def map_effort(info: ModelInfo, effort: Effort | None) -> Effort | None:
    """The effort to send to ``info``'s model for a requested ``--reasoning-effort``.

    A level the model supports is sent as is. Otherwise the highest supported level below the request is
    used, else the lowest supported one, with a warning (``max`` on a model that stops at ``high`` sends
    ``high`` rather than failing). A model with no effort levels gets none, with a warning.
    """
    if effort is None or effort in info.effort_levels:
        return effort
    if not info.effort_levels:
        console.warn(f"{info.address} does not support --reasoning-effort; {effort!r} ignored")
        return None
    rank = EFFORT_ORDER.index
    below = [e for e in info.effort_levels if rank(e) < rank(effort)]
    chosen = max(below, key=rank) if below else min(info.effort_levels, key=rank)
    console.warn(f"{info.address} does not support reasoning effort {effort!r}; using {chosen!r}")
    return chosen


def check_capabilities(info: ModelInfo, *, tools: bool, images: bool) -> None:
    """Refuse a request the model cannot serve, before sending it.

    :raises ClawError: when the request carries images or tools the model does not accept.
    """
    if images and not info.supports_images:
        raise ClawError(f"model {info.address} does not accept images; choose a model that does")
    if tools and not info.supports_tools:
        raise ClawError(
            f'model {info.address} does not support tool use; pass --tools "" to run without tools '
            "or choose another model"
        )

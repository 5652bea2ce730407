"""Model addressing: from what the user typed (``sonnet``, ``openai/gpt-5.4-mini``, ``claude-...``) to a
provider instance and the :class:`claw.ModelInfo` that says what the model can do.

Resolution order for one name:

1. ``provider/model-id``: the provider registered under ``provider``; the id is looked up in its
   model list (an unknown id gets conservative defaults, see :meth:`claw.Provider.model_info`).
2. An alias (``sonnet``, ``opus``, ``haiku``, ...) from some provider's ``ModelInfo.aliases``. Providers
   are searched in registration order, so the first one claiming an alias wins.
3. A bare id that a provider lists, or that starts with one of a provider's ``model_prefixes``
   (``claude-`` -> anthropic, ``gpt-`` -> openai).

The primary model comes from ``--model``, else settings ``model``; the fallback chain from
``--fallback-model a,b``, else settings ``fallbackModels``. Chains may cross providers.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from claw import console
from claw.errors import ClawError, MissingCredentials, ProviderNotFound, UsageError
from claw.providers import Effort, ModelInfo, Provider

#: Levels in increasing order, for mapping an effort a model lacks to the nearest one it has.
EFFORT_ORDER: tuple[Effort, ...] = ("low", "medium", "high", "xhigh", "max")


@dataclass
class Route:
    """One resolved model: what to instantiate and what it can do."""

    provider_cls: type[Provider]
    info: ModelInfo
    #: What the user wrote (``sonnet``); kept for messages.
    requested: str = ""
    _instance: Provider | None = field(default=None, repr=False)

    @property
    def address(self) -> str:
        return self.info.address

    def provider(self, settings: Mapping[str, Any], env: Mapping[str, str]) -> Provider:
        """The provider instance (created once), with credentials checked.

        :raises MissingCredentials: naming what to set.
        """
        if self._instance is None:
            name = self.provider_cls.name
            instance = self.provider_cls((settings.get("providers") or {}).get(name, {}), env)
            status = instance.credentials()
            if not status.present:
                hint = status.hint or f"configure settings providers.{name}"
                raise MissingCredentials(f"no credentials for provider {name!r}: {hint}")
            self._instance = instance
        return self._instance


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
        return Route(cls, cls.model_info(model_id), name)
    for cls in providers:
        for info in cls.models():
            if name == info.id or name in info.aliases:
                return Route(cls, info, name)
    for cls in providers:
        if any(name.startswith(p) for p in cls.model_prefixes):
            return Route(cls, cls.model_info(name), name)
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


def map_effort(info: ModelInfo, effort: Effort | None) -> Effort | None:
    """The effort to send to ``info``'s model for a requested ``--reasoning-effort``.

    A level the model supports is sent as is. Otherwise the nearest supported level is used (ties go to the
    lower one) with a warning; a model with no effort levels gets none, with a warning.
    """
    if effort is None or effort in info.effort_levels:
        return effort
    if not info.effort_levels:
        console.warn(f"{info.address} does not support --reasoning-effort; {effort!r} ignored")
        return None
    want = EFFORT_ORDER.index(effort)
    best = min(info.effort_levels, key=lambda e: (abs(EFFORT_ORDER.index(e) - want), EFFORT_ORDER.index(e)))
    console.warn(f"{info.address} does not support reasoning effort {effort!r}; using {best!r}")
    return best


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

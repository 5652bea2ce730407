"""``claw models``: the models every installed provider knows, with what each can do and costs.

Reads each provider's catalogue (:meth:`claw.Provider.models`), which is data: no SDK is imported and
nothing is sent over the network. Models declared in settings (``providers.openai.models``,
``providers.foundry.deployments``: :meth:`claw.Provider.declared_models`) are listed too, as the
configured provider describes them (:meth:`claw.Provider.describe`, what a run uses), marked
``settings``. Models a provider does not list still work by their id (with conservative defaults), so
this is a guide, not a whitelist.
"""

from __future__ import annotations

from typing import Any

import click
from claw import command_context, emit_json, table


def _k(tokens: int) -> str:
    """``200000`` -> ``200k``, ``1048576`` -> ``1.0M``: compact context sizes for the table."""
    if tokens >= 1_000_000:
        return f"{tokens / 1_000_000:.1f}M"
    return f"{tokens // 1000}k" if tokens >= 1000 else str(tokens)


def _price(value: float | None) -> str:
    return "-" if value is None else f"{value:g}"


def model_record(info: Any, source: str = "catalogue") -> dict[str, Any]:
    """One model as ``claw models --json`` prints it (``source``: ``catalogue`` or ``settings``)."""
    return {
        "address": info.address,
        "provider": info.provider,
        "id": info.id,
        "aliases": list(info.aliases),
        "context_window": info.context_window,
        "max_output_tokens": info.max_output_tokens,
        "supports_tools": info.supports_tools,
        "supports_images": info.supports_images,
        "supports_thinking": info.supports_thinking,
        "effort_levels": list(info.effort_levels),
        "supports_prompt_cache": info.supports_prompt_cache,
        "pricing": info.pricing.model_dump() if info.pricing is not None else None,
        "source": source,
    }


def _listed(cls: Any, settings: dict[str, Any], env: Any) -> list[tuple[Any, str]]:
    """``cls``'s catalogue, with each model its settings declare described by a configured instance
    (no credentials needed: nothing is sent) replacing its catalogue entry or added after them."""
    provider = cls((settings.get("providers") or {}).get(cls.name) or {}, env)
    listed: dict[str, tuple[Any, str]] = {info.id: (info, "catalogue") for info in cls.models()}
    for model_id in provider.declared_models():
        listed[model_id] = (provider.describe(model_id), "settings")
    return list(listed.values())


@click.command()
@click.option(
    "--provider", "provider_names", multiple=True, metavar="NAME", help="Only this provider (repeatable)."
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON: one object per model.")
@click.pass_context
def models(ctx: click.Context, provider_names: tuple[str, ...], as_json: bool) -> None:
    """List known models with their capabilities and prices (USD per million tokens)."""
    run = command_context(ctx)
    providers = run.providers
    unknown = sorted(set(provider_names) - set(providers))
    if unknown:
        known = ", ".join(sorted(providers)) or "none installed"
        raise click.BadParameter(
            f"unknown provider {unknown[0]!r} (installed: {known})", param_hint="--provider"
        )
    infos = [
        each
        for name, cls in providers.items()
        if not provider_names or name in provider_names
        for each in _listed(cls, run.settings.data, run.env)
    ]
    if as_json:
        emit_json([model_record(info, source) for info, source in infos])
        return
    if not infos:
        click.echo("no models: install a provider plugin, e.g. pip install claw-provider-anthropic")
        return
    rows = [
        [
            info.address,
            _k(info.context_window),
            _k(info.max_output_tokens),
            "yes" if info.supports_tools else "no",
            "yes" if info.supports_images else "no",
            ",".join(info.effort_levels) or ("yes" if info.supports_thinking else "no"),
            "yes" if info.supports_prompt_cache else "no",
            _price(info.pricing.input if info.pricing else None),
            _price(info.pricing.output if info.pricing else None),
            source,
        ]
        for info, source in infos
    ]
    table(
        rows,
        [
            "MODEL",
            "CONTEXT",
            "OUTPUT",
            "TOOLS",
            "IMAGES",
            "THINKING/EFFORT",
            "CACHE",
            "IN $/M",
            "OUT $/M",
            "SOURCE",
        ],
    )

"""``claw config``: show the effective settings and where each value came from."""

from __future__ import annotations

import json

import click
from claw import command_context, emit_json


@click.group()
def config() -> None:
    """Inspect settings."""


@config.command("show")
@click.option("--json", "as_json", is_flag=True, help="Print JSON: the settings and each value's source.")
@click.pass_context
def show(ctx: click.Context, as_json: bool) -> None:
    """Print the effective settings, each value with the file it came from."""
    run = command_context(ctx)
    settings = run.settings
    trust = settings.trust
    held = [] if trust.trusted else run.trust_items()
    if as_json:
        emit_json(
            {
                "settings": settings.data,
                "sources": settings.sources,
                "files": [
                    {"scope": layer.scope, "origin": layer.origin, "path": layer.label}
                    for layer in settings.layers
                ],
                "trust": {"folder": str(trust.folder), "trusted": trust.trusted, "heldBack": held},
            }
        )
        return
    click.echo(f"# folder {'trusted' if trust.trusted else 'not trusted'}: {trust.folder}")
    if held:
        click.echo(f"# held back until the folder is trusted ({trust.how_to_trust}):")
        for item in held:
            click.echo(f"#   {item}")
    click.echo("# files, lowest precedence first:")
    for layer in settings.layers:
        click.echo(f"#   {layer.scope:8} {layer.label}")
    if not settings.layers:
        click.echo("#   (none: built-in defaults only)")
    for line in _lines(settings.data, "", settings.sources):
        click.echo(line)


def _lines(value: object, path: str, sources: dict[str, str]) -> list[str]:
    if isinstance(value, dict) and value:
        out: list[str] = []
        for k, v in value.items():
            out += _lines(v, f"{path}.{k}" if path else k, sources)
        return out
    if isinstance(value, list) and value:
        return [
            f"{path}[{i}] = {json.dumps(v)}  # {sources.get(f'{path}[{i}]', 'default')}"
            for i, v in enumerate(value)
        ]
    return [f"{path} = {json.dumps(value)}  # {sources.get(path, 'default')}"]

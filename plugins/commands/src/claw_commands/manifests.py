"""``claw dump-manifests``: everything plugins registered, with the distribution it came from."""

from __future__ import annotations

from typing import Any

import click
from claw import CommandContext, command_context, emit_json, table

#: The kinds ``claw dump-manifests`` lists, in this order (those with entries first, then the empty ones).
ORDER = (
    "tools",
    "providers",
    "classifiers",
    "transports",
    "sandboxes",
    "task_backends",
    "settings",
    "commands",
)


def _entry(kind: str, name: str, obj: Any, source: str) -> dict[str, Any]:
    if kind == "tools":
        spec = obj.spec
        return {
            "name": spec.name,
            "description": spec.description,
            "read_only": spec.read_only,
            "aliases": list(spec.aliases),
            "input_schema": spec.input_schema,
            "source": source,
        }
    if kind == "providers":
        return {"name": name, "models": [m.id for m in obj.models()], "source": source}
    if kind == "settings":
        return {"name": name, "description": obj, "source": source}
    return {"name": name, "source": source}


def manifests(run: CommandContext) -> dict[str, list[dict[str, Any]]]:
    """Every registration by kind: the kinds with entries in :data:`ORDER`, then the empty ones."""
    found = run.registrations()
    out = {kind: [_entry(kind, *each) for each in found[kind]] for kind in ORDER if found[kind]}
    for kind in ORDER:
        out.setdefault(kind, [])
    return out


@click.command("dump-manifests")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def dump_manifests(ctx: click.Context, as_json: bool) -> None:
    """List every registered tool, provider, classifier, transport, sandbox and command."""
    data = manifests(command_context(ctx))
    if as_json:
        emit_json(data)
        return
    rows = [(kind, item["name"], item["source"]) for kind, items in data.items() for item in items]
    table(rows, ("KIND", "NAME", "SOURCE"))

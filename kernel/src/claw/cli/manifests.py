"""``claw dump-manifests``: everything plugins registered, with the distribution it came from."""

from __future__ import annotations

from typing import Any

import click

from claw.cli._output import emit_json, table
from claw.cli._root import state_of
from claw.cli.plugins_cmd import collect_all


def _source(reg: Any) -> str:
    return reg.plugin.source


def manifests(app: Any) -> dict[str, list[dict[str, Any]]]:
    collect_all(app)
    out: dict[str, list[dict[str, Any]]] = {}
    for reg in app.unique(app.tools):
        spec = reg.obj.spec
        out.setdefault("tools", []).append(
            {
                "name": spec.name,
                "description": spec.description,
                "read_only": spec.read_only,
                "aliases": list(spec.aliases),
                "input_schema": spec.input_schema,
                "source": _source(reg),
            }
        )
    for reg in app.unique(app.providers):
        out.setdefault("providers", []).append(
            {"name": reg.obj.name, "models": [m.id for m in reg.obj.models()], "source": _source(reg)}
        )
    for kind in ("classifiers", "transports", "sandboxes", "task_backends"):
        for reg in app.unique(getattr(app, kind)):
            out.setdefault(kind, []).append({"name": reg.obj.name, "source": _source(reg)})
    for key, reg in app.plugin_settings.items():
        out.setdefault("settings", []).append(
            {"name": key, "description": reg.obj[1], "source": _source(reg)}
        )
    for r in app.pm.records:
        for name in r.registered.get("commands", []):
            out.setdefault("commands", []).append({"name": name, "source": r.source})
    for kind in (
        "tools",
        "providers",
        "classifiers",
        "transports",
        "sandboxes",
        "task_backends",
        "settings",
        "commands",
    ):
        out.setdefault(kind, [])
    return out


@click.command("dump-manifests")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def dump_manifests(ctx: click.Context, as_json: bool) -> None:
    """List every registered tool, provider, classifier, transport, sandbox and command."""
    data = manifests(state_of(ctx).app)
    if as_json:
        emit_json(data)
        return
    rows = [(kind, item["name"], item["source"]) for kind, items in data.items() for item in items]
    table(rows, ("KIND", "NAME", "SOURCE"))

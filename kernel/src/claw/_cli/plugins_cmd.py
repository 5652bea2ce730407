"""``claw plugins``: every installed plugin, what it registers and what loading it cost."""

from __future__ import annotations

from typing import Any

import click

from claw._cli._output import emit_json, table
from claw._cli._root import state_of

#: The app's registries (:class:`claw._app.App` properties), listed with the settings keys and commands.
REGISTRIES = (
    "providers",
    "tools",
    "classifiers",
    "transports",
    "sandboxes",
    "task_backends",
    "slash_commands",
)


def collect_all(app: Any) -> None:
    """Build every registry so each plugin record lists what it registers."""
    for kind in REGISTRIES:
        getattr(app, kind)
    _ = app.plugin_settings  # type: ignore[attr-defined]
    import time

    from claw._cli._root import _collect_plugin_commands, cli

    start = time.perf_counter()
    _collect_plugin_commands(app, cli)
    app.timed("register commands", start)


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def plugins(ctx: click.Context, as_json: bool) -> None:
    """List installed plugins: distribution, version, status, load time and registrations."""
    from claw import _registrations

    app = state_of(ctx).app
    cache_key = _registrations.key(app.pm)
    if not _registrations.restore(app.pm, cache_key):  # nothing changed: the last listing's names
        collect_all(app)
        _registrations.remember(app.pm, cache_key)
    records = app.pm.records
    if as_json:
        emit_json(
            [
                {
                    "name": r.name,
                    "distribution": r.dist,
                    "version": r.version,
                    "module": r.module,
                    "status": r.status,
                    "reason": r.reason,
                    "load_ms": round(r.load_ms, 2),
                    "registers": r.registered,
                }
                for r in records
            ]
        )
        return
    rows = []
    for r in records:
        regs = "; ".join(f"{k}: {', '.join(v)}" for k, v in r.registered.items())
        rows.append(
            (r.name, r.dist or "(kernel)", r.version or "", r.status, f"{r.load_ms:.1f}", regs or r.reason)
        )
    table(rows, ("PLUGIN", "DISTRIBUTION", "VERSION", "STATUS", "LOAD MS", "REGISTERS"))

"""``claw plugins``: every installed plugin, what it registers and what loading it cost."""

from __future__ import annotations

import click

from claw._cli._output import emit_json, table
from claw._cli._root import state_of


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def plugins(ctx: click.Context, as_json: bool) -> None:
    """List installed plugins: distribution, version, status, load time and registrations."""
    from claw._builtins.plugin_list import cache

    app = state_of(ctx).app
    cache_key = cache.key(app.pm)
    if not cache.restore(app.pm, cache_key):  # nothing changed: the last listing's names
        app.collect_all()
        cache.remember(app.pm, cache_key)
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

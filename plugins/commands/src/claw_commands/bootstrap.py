"""``claw bootstrap-plan``: the start-up phases claw runs, in order, with what each cost."""

from __future__ import annotations

import sys
import time

import click
from claw import command_context, emit_json, table


@click.command("bootstrap-plan")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def bootstrap_plan(ctx: click.Context, as_json: bool) -> None:
    """Run every start-up phase once and print how long each took."""
    run = command_context(ctx)
    phases: list[tuple[str, float]] = []
    start = time.perf_counter()
    importlib_ms = _time_import("pydantic")
    phases.append(("import pydantic (types, settings)", importlib_ms))
    phases += run.start_up()
    total = (time.perf_counter() - start) * 1000
    if as_json:
        emit_json(
            {"phases": [{"phase": p, "ms": round(ms, 2)} for p, ms in phases], "total_ms": round(total, 2)}
        )
        return
    table([(str(i + 1), p, f"{ms:.1f}") for i, (p, ms) in enumerate(phases)], ("#", "PHASE", "MS"))
    click.echo(f"total: {total:.1f} ms")


def _time_import(module: str) -> float:
    if module in sys.modules:
        return 0.0
    start = time.perf_counter()
    __import__(module)
    return (time.perf_counter() - start) * 1000

"""``claw sandbox status`` and the ``claw doctor`` line. Loaded for ``claw --help`` too, so the
sandbox itself (pydantic settings, subprocess) is imported inside the callbacks."""

from __future__ import annotations

import json
from typing import Any

import claw
import click


def _sandbox(settings: Any) -> Any:
    from claw_sandbox.sandbox import BubblewrapSandbox

    return BubblewrapSandbox(settings.model.sandbox)


@click.group()
def sandbox() -> None:
    """Sandbox for the commands claw runs: engine, mode, namespaces, container."""


@sandbox.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def status(ctx: click.Context, as_json: bool) -> None:
    """Show whether commands run confined, with what, and why not (exit 1 when settings ask for a
    sandbox that cannot run)."""
    from claw_sandbox.sandbox import status_lines

    app = claw.command_context(ctx)
    settings = app.settings
    info = _sandbox(settings).describe()
    enabled = settings.model.sandbox.requested
    try:
        claw.sandbox_policy(settings.model.sandbox, app.workspace, env=app.env)
    except claw.ConfigError as exc:
        info.update(available=False, reason=str(exc))
    if as_json:
        click.echo(json.dumps({**info, "enabled": enabled}, indent=2))
    else:
        for line in status_lines(info, enabled):
            click.echo(line)
    if enabled and not info["available"]:
        ctx.exit(1)


def doctor_check(settings: Any) -> claw.DoctorCheck:
    cfg = settings.model.sandbox
    info = _sandbox(settings).describe()
    if not info["available"]:
        level = "fail" if cfg.requested and cfg.failIfUnavailable else "warn"
        detail = info["reason"]
        if cfg.requested and not cfg.failIfUnavailable:
            detail += "; commands run unconfined (sandbox.failIfUnavailable is false)"
        return claw.DoctorCheck(section="sandbox", name="bubblewrap", status=level, detail=detail)
    where = f", in a {info['container']} container" if info["container"] else ""
    state = "enabled" if cfg.requested else "off (sandbox.enabled is false)"
    detail = (
        f"{state}: bwrap {info['version']}, filesystem {info['filesystem']}, network {info['network']}, "
        f"namespaces {'/'.join(info['namespaces'])}{where}"
    )
    return claw.DoctorCheck(
        section="sandbox", name="bubblewrap", status="ok" if cfg.requested else "info", detail=detail
    )

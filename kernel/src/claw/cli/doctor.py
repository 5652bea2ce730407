"""``claw doctor``: is this installation healthy, and if not, why."""

from __future__ import annotations

import platform
import sys
from typing import Any

import click

from claw.cli._output import emit_json
from claw.cli._root import state_of


def run_checks(app: Any) -> list[Any]:
    from claw._version import API_VERSION, VERSION
    from claw.diagnostics import DoctorCheck
    from claw.errors import ClawError

    checks = [
        DoctorCheck(
            section="claw",
            name="python",
            status="ok",
            detail=f"{platform.python_version()} ({sys.executable})",
        ),
        DoctorCheck(
            section="claw", name="claw-kernel", status="ok", detail=f"{VERSION}, plugin API {API_VERSION}"
        ),
        DoctorCheck(section="claw", name="workspace", status="ok", detail=str(app.workspace)),
    ]
    from claw import paths

    for scope, path in (
        ("user", paths.config_dir(app.env) / "settings.json"),
        ("project", app.workspace / paths.PROJECT_DIR_NAME / "settings.json"),
        ("local", app.workspace / paths.PROJECT_DIR_NAME / "settings.local.json"),
        ("managed", app.managed_path or paths.MANAGED_SETTINGS),
    ):
        checks.append(
            DoctorCheck(
                section="config",
                name=scope,
                status="ok" if path.exists() else "info",
                detail=f"{path}" + ("" if path.exists() else " (not present)"),
            )
        )
    try:
        settings = app.settings
    except ClawError as exc:
        checks.append(DoctorCheck(section="config", name="settings", status="fail", detail=str(exc)))
        settings = None
    checks.append(
        DoctorCheck(section="state", name="state dir", status="info", detail=str(paths.state_dir(app.env)))
    )

    from claw.cli.plugins_cmd import collect_all

    collect_all(app)
    for r in app.pm.records:
        status = {"builtin": "ok", "loaded": "ok", "disabled": "info"}.get(r.status, "fail")
        detail = f"{r.source}: {r.status}" + (f" ({r.reason})" if r.reason else "")
        if r.active and r.problems:  # loaded, but a hook raised or a registration was refused
            status, detail = "fail", f"{r.source}: " + "; ".join(r.problems)
        checks.append(DoctorCheck(section="plugins", name=r.name, status=status, detail=detail))

    provider_settings = settings.model.providers if settings is not None else {}
    for reg in app.unique(app.providers):
        cls = reg.obj
        try:
            cred = cls(provider_settings.get(cls.name, {}), app.env).credentials()
            status = "ok" if cred.present else "warn"
            detail = f"credentials from {cred.source}" if cred.present else f"no credentials: {cred.hint}"
        except Exception as exc:
            status, detail = "fail", f"{type(exc).__name__}: {exc}"
        checks.append(DoctorCheck(section="providers", name=cls.name, status=status, detail=detail))

    if settings is not None:
        _, answers = app.pm.call_attributed("claw_doctor_checks", settings=settings, env=dict(app.env))
        for answer in answers:
            record = answer.plugin
            for item in answer.result or []:
                if isinstance(item, DoctorCheck):
                    checks.append(item)
                else:
                    checks.append(
                        DoctorCheck(
                            section="plugins",
                            name=record.name,
                            status="fail",
                            detail=f"returned an invalid doctor check: {item!r}",
                        )
                    )
    return checks


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def doctor(ctx: click.Context, as_json: bool) -> None:
    """Check the installation: Python, plugins, settings files and provider credentials.

    Exits 1 when any check failed."""
    checks = run_checks(state_of(ctx).app)
    if as_json:
        emit_json([c.model_dump() for c in checks])
    else:
        marks = {"ok": "ok  ", "warn": "WARN", "fail": "FAIL", "info": "    "}
        section = None
        for c in checks:
            if c.section != section:
                section = c.section
                click.echo(f"{section}:")
            click.echo(f"  {marks[c.status]} {c.name}: {c.detail}")
    if any(c.status == "fail" for c in checks):
        ctx.exit(1)

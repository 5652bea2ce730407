"""``claw lsp list`` and the ``claw doctor`` lines for language servers.

Imported for ``claw --help``: module level holds click definitions only; pygls loads only for
``--check``, which starts each server, initializes it and shuts it down.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import claw
import click


def _command_state(command: str, env: dict[str, str]) -> tuple[bool, str]:
    found = shutil.which(command, path=env.get("PATH"))
    if found:
        return True, found
    if Path(command).is_file():
        return True, command
    return False, f"command not found: {command}"


def describe(
    workspace: Path, settings: dict[str, Any], env: dict[str, str], *, trusted: bool
) -> tuple[list[dict[str, Any]], list[str]]:
    """One row per configured server (name, command, languages, source, state) and the config errors;
    ``.lsp.json`` only when the folder is ``trusted``."""
    from claw_lsp._config import resolve

    resolved = resolve(workspace, settings, trusted=trusted)
    rows = []
    for named in resolved.servers:
        ok, where = _command_state(named.config.command, env)
        rows.append(
            {
                "name": named.name,
                "command": " ".join([named.config.command, *named.config.args]),
                "extensions": sorted(named.config.extensionToLanguage),
                "source": named.source,
                "state": "ready (starts on first use)" if ok else "failed",
                "detail": where,
            }
        )
    return rows, resolved.errors


async def _check(
    workspace: Path, settings: dict[str, Any], env: dict[str, str], rows: list[dict[str, Any]], trusted: bool
) -> None:
    """Start every server whose command exists, time its ``initialize``, shut it down."""
    import time

    from claw_lsp._config import resolve
    from claw_lsp._server import Server, ServerError

    by_name = {n.name: n for n in resolve(workspace, settings, trusted=trusted).servers}
    for row in rows:
        if row["state"] == "failed":
            continue
        server = Server(by_name[row["name"]], workspace, env, request_timeout=10.0)
        started = time.perf_counter()
        try:
            await server.ensure_started()
        except ServerError as exc:
            row["state"], row["detail"] = "failed", str(exc)
        else:
            row["state"] = f"running (initialized in {(time.perf_counter() - started) * 1000:.0f} ms)"
        finally:
            await server.shutdown()


@click.group()
def lsp() -> None:
    """Language servers for the LSP tool (settings lspServers, .lsp.json)."""


@lsp.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.option("--check", is_flag=True, help="Start each server, initialize it and shut it down.")
@click.pass_context
def list_cmd(ctx: click.Context, as_json: bool, check: bool) -> None:
    """Show the configured language servers and their state.

    Exits 1 when a server's command is missing, it failed to start (``--check``) or an entry is
    invalid, after listing all of them."""
    import asyncio

    app = claw.command_context(ctx)
    env = dict(app.env)
    trusted = app.settings.trusted
    rows, errors = describe(app.workspace, app.settings.data, env, trusted=trusted)
    if check:
        asyncio.run(_check(app.workspace, app.settings.data, env, rows, trusted))
    if as_json:
        click.echo(json.dumps({"servers": rows, "errors": errors}, indent=2))
    else:
        if not rows and not errors:
            click.echo("No language servers configured (settings lspServers or .lsp.json).")
        for row in rows:
            click.echo(f"{row['name']}: {row['command']} [{', '.join(row['extensions'])}] - {row['state']}")
            click.echo(f"    {row['detail']} (from {row['source']})")
        for error in errors:
            click.echo(f"invalid: {error}")
    if errors or any(r["state"] == "failed" for r in rows):
        ctx.exit(1)


def doctor_checks(settings: Any, env: dict[str, str], workspace: Path) -> list[Any]:
    """One line per configured server: does its command exist (no server is started)."""
    from claw import DoctorCheck

    rows, errors = describe(workspace, settings.data, env, trusted=settings.trusted)
    checks = [DoctorCheck(section="lsp", name="config", status="fail", detail=e) for e in errors]
    for row in rows:
        ok = row["state"] != "failed"
        detail = f"{row['command']} ({', '.join(row['extensions'])}): {row['detail']}"
        checks.append(
            DoctorCheck(section="lsp", name=row["name"], status="ok" if ok else "fail", detail=detail)
        )
    return checks

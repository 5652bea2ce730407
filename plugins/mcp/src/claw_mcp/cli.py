"""``claw mcp list | get | add | remove | approve | reject | login | logout``, Claude Code's ``claude mcp``
commands (``approve``/``reject`` record the choice Claude Code's approval dialog makes).

Imported for ``claw --help``: module level holds click definitions only; the SDK loads inside the
commands that connect.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import click
from claw import ClawError, UsageError, atomic_write

if TYPE_CHECKING:
    from claw import CommandContext

SCOPES = ("local", "project", "user")
#: The longest ``claw doctor`` waits for a server (``MCP_TIMEOUT`` when shorter).
DOCTOR_TIMEOUT = 10.0
#: How a rejected ``.mcp.json`` server is shown (it is not started, so has no status).
REJECTED = "rejected (disabledMcpjsonServers); not started: `claw mcp approve NAME` to start it"
MARKS = {"connected": "✓ Connected", "failed": "✗ Failed", "needs-auth": "! Needs authentication"}


def _app(ctx: click.Context) -> CommandContext:
    from claw import command_context

    return command_context(ctx)


def _resolved(app: CommandContext) -> Any:
    from claw_mcp import config

    return config.resolve(app.workspace, app.env, app.settings.data, trusted=app.settings.trusted)


def _held_lines(resolved: Any, hint: str) -> list[str]:
    """One line per server of the folder's files left out: the folder is not trusted, or the server
    was rejected (``disabledMcpjsonServers``), so a configured server never just vanishes."""
    return [f"{name}: held back: the folder is not trusted ({hint})" for name in resolved.untrusted] + [
        f"{name}: {REJECTED.replace('NAME', name)}" for name in resolved.rejected
    ]


def _transports(app: CommandContext) -> dict[str, Any]:
    return dict(app.transports)


def _target(server: Any) -> str:
    data = server.data
    if server.type == "stdio":
        return " ".join([data["command"], *data.get("args", [])])
    return f"{data.get('url')} ({server.type})"


def _status_line(status: dict[str, Any]) -> str:
    line: str = MARKS.get(status["status"]) or status["status"]
    if status.get("error"):
        line += f": {status['error']}"
    return line


@click.group()
def mcp() -> None:
    """Configure and check MCP servers (.mcp.json, settings mcpServers)."""


@mcp.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def list_cmd(ctx: click.Context, as_json: bool) -> None:
    """Connect to every configured server and show its status.

    Exits 1 when a server failed to connect or its entry is invalid (after listing all of them),
    so scripts and CI can check the configuration; a server that needs authentication is not a
    failure."""
    from claw import error

    from claw_mcp.login import check, run_sync

    app = _app(ctx)
    resolved = _resolved(app)
    statuses = (
        run_sync(check(resolved.servers, app.env, _transports(app), app.workspace))
        if resolved.servers
        else []
    )
    bad = [
        {"name": b.name, "status": "failed", "error": b.reason, "source": b.source} for b in resolved.errors
    ]
    failed = [s["name"] for s in statuses + bad if s["status"] == "failed"]
    if as_json:
        click.echo(json.dumps(statuses + bad, indent=2))
    elif not (statuses or bad or resolved.source_errors or resolved.untrusted or resolved.rejected):
        click.echo("No MCP servers configured. Use `claw mcp add` to add one.")
    else:
        for line in _held_lines(resolved, app.settings.trust.how_to_trust):
            click.echo(line)
        for line in resolved.source_errors:
            click.echo(f"✗ {line}")
        for status in statuses:
            server = resolved.servers[status["name"]]
            click.echo(f"{server.name}: {_target(server)} - {_status_line(status)}")
            if status["status"] == "failed" and server.type == "stdio":
                click.echo(f"    log: {status.get('log')}")
        for item in bad:
            click.echo(f"{item['name']}: ✗ invalid in {item['source']}: {item['error']}")
    if failed:
        error(f"{len(failed)} of {len(statuses) + len(bad)} MCP servers failed: {', '.join(failed)}")
    for line in resolved.source_errors:
        error(line)
    if failed or resolved.source_errors:
        ctx.exit(1)


@mcp.command("get")
@click.argument("name")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def get_cmd(ctx: click.Context, name: str, as_json: bool) -> None:
    """Show one server's configuration and status."""
    from claw_mcp.login import check, run_sync
    from claw_mcp.oauth import TokenFile

    app = _app(ctx)
    resolved = _resolved(app)
    for bad in resolved.errors:
        if bad.name == name:
            raise ClawError(str(bad))
    server = resolved.servers.get(name)
    if server is None and name in resolved.untrusted:
        raise ClawError(f'MCP server "{name}" is held back: {app.settings.trust.how_to_trust}')
    if server is None and name in resolved.rejected:
        raise ClawError(f'MCP server "{name}" from .mcp.json is {REJECTED.replace("NAME", name)}')
    if server is None:
        raise UsageError(f'no MCP server named "{name}"; see `claw mcp list`')
    status = run_sync(check({name: server}, app.env, _transports(app), app.workspace))[0]
    info: dict[str, Any] = {"name": name, "scope": server.scope, "source": server.source, "type": server.type}
    data = server.data
    if server.type == "stdio":
        info.update(command=data["command"], args=data.get("args", []), log=status.get("log"))
    else:
        info["url"] = data["url"]
        info["auth"] = TokenFile(name, data["url"], app.env).status()
    if data.get("env"):
        info["env"] = sorted(data["env"])  # names only: values may be secrets
    if data.get("headers"):
        info["headers"] = sorted(data["headers"])
    info.update(status=status["status"], tools=status.get("tools", 0))
    if status.get("error"):
        info["error"] = status["error"]
    if as_json:
        click.echo(json.dumps(info, indent=2))
        return
    click.echo(f"{name}:")
    for key, value in info.items():
        if key == "name":
            continue
        if key == "status":
            value = _status_line(status)
        click.echo(f"  {key}: {' '.join(value) if isinstance(value, list) else value}")


def _scope_file(app: Any, scope: str) -> Path:
    from claw_mcp.config import settings_files

    return settings_files(app.workspace, app.env)[scope]


def _read(path: Path) -> dict[str, Any]:
    from claw import read_json_file

    return read_json_file(path) or {}


def _write(path: Path, data: dict[str, Any]) -> None:
    from claw_mcp.config import dump

    atomic_write(path, dump(data))


def _pairs(values: tuple[str, ...], sep: str, what: str) -> dict[str, str]:
    out = {}
    for value in values:
        key, found, val = value.partition(sep)
        if not found or not key.strip():
            raise UsageError(f'{what} "{value}" must look like KEY{sep}VALUE')
        out[key.strip()] = val.strip() if sep == ":" else val
    return out


# Options go anywhere before ``--`` (``add -t http NAME URL -H 'K: v'``, Claude Code's documented form);
# after it everything is the server's command line. A command's own unknown options need no ``--``.
@mcp.command("add", context_settings={"ignore_unknown_options": True})
@click.option(
    "-t", "--transport", type=click.Choice(["stdio", "sse", "http", "ws"]), default="stdio", show_default=True
)
@click.option("-s", "--scope", type=click.Choice(SCOPES), default="local", show_default=True)
@click.option(
    "-e", "--env", "envs", multiple=True, metavar="KEY=VALUE", help="Environment for a stdio server."
)
@click.option("-H", "--header", "headers", multiple=True, metavar="'Name: value'", help="HTTP header.")
@click.argument("name")
@click.argument("target", nargs=-1, required=True, type=click.UNPROCESSED)
@click.pass_context
def add_cmd(
    ctx: click.Context,
    transport: str,
    scope: str,
    envs: tuple[str, ...],
    headers: tuple[str, ...],
    name: str,
    target: tuple[str, ...],
) -> None:
    """Add a server: `claw mcp add NAME -- COMMAND ARGS...` or `claw mcp add -t http NAME URL`.

    Scopes: local (.claw/settings.local.json, this workspace only, default), project (.mcp.json,
    shared with the repository), user (your settings, every workspace)."""
    app = _app(ctx)
    if not target:
        raise UsageError("give the command to run (after --) or the server URL")
    entry: dict[str, Any]
    if transport == "stdio":
        entry = {"type": "stdio", "command": target[0], "args": list(target[1:])}
        if envs:
            entry["env"] = _pairs(envs, "=", "--env")
    else:
        if len(target) != 1:
            raise UsageError(f"a {transport} server takes exactly one URL")
        entry = {"type": transport, "url": target[0]}
    if headers:
        entry["headers"] = _pairs(headers, ":", "--header")
    _store(app, name, entry, scope)


def _store(app: Any, name: str, entry: dict[str, Any], scope: str) -> None:
    """Check ``entry`` and write it under ``mcpServers.<name>`` in the file of ``scope``."""
    from claw_mcp.config import BadEntry, check_entry

    path = _scope_file(app, scope)
    checked = check_entry(name, entry, str(path), scope, {**app.env, **_placeholders(entry)})
    if isinstance(checked, BadEntry):
        raise UsageError(str(checked))
    known = _transports(app)
    if checked.type not in known:  # a server that could never start: say so now, not at every start
        raise UsageError(f'unknown transport type "{checked.type}" (known: {", ".join(sorted(known))})')
    data = _read(path)
    servers = data.setdefault("mcpServers", {})
    if name in servers:
        raise UsageError(f'MCP server "{name}" already exists in {scope} config ({path}); remove it first')
    servers[name] = entry
    _write(path, data)
    click.echo(f'Added {checked.type} MCP server "{name}" to {scope} config ({path})')


@mcp.command("add-json")
@click.option("-s", "--scope", type=click.Choice(SCOPES), default="local", show_default=True)
@click.argument("name")
@click.argument("entry")
@click.pass_context
def add_json_cmd(ctx: click.Context, scope: str, name: str, entry: str) -> None:
    """Add a server from its JSON entry: `claw mcp add-json NAME '{"type":"http","url":"..."}'`."""
    try:
        value = json.loads(entry)
    except json.JSONDecodeError as exc:
        raise UsageError(f"add-json: invalid JSON: {exc.msg} (column {exc.colno})") from None
    if not isinstance(value, dict):
        raise UsageError("add-json: the entry must be a JSON object")
    _store(_app(ctx), name, value, scope)


def _placeholders(entry: dict[str, Any]) -> dict[str, str]:
    """``${VAR}`` references may be unset when adding; they are checked when the server starts."""
    import re

    return {m: "x" for m in re.findall(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}", json.dumps(entry))}


@mcp.command("remove")
@click.argument("name")
@click.option("-s", "--scope", type=click.Choice(SCOPES), default=None, help="The scope to remove it from.")
@click.pass_context
def remove_cmd(ctx: click.Context, name: str, scope: str | None) -> None:
    """Remove a server from the configuration file of its scope."""
    app = _app(ctx)
    scopes = (
        [scope] if scope else [s for s in SCOPES if name in _read(_scope_file(app, s)).get("mcpServers", {})]
    )
    if not scopes or name not in _read(_scope_file(app, scopes[0])).get("mcpServers", {}):
        where = f" in {scope} config" if scope else ""
        raise UsageError(f'no MCP server named "{name}"{where}')
    if len(scopes) > 1:
        raise UsageError(f'MCP server "{name}" exists in several scopes ({", ".join(scopes)}); pass --scope')
    path = _scope_file(app, scopes[0])
    data = _read(path)
    del data["mcpServers"][name]
    _write(path, data)
    click.echo(f'Removed MCP server "{name}" from {scopes[0]} config ({path})')


def _decide(ctx: click.Context, name: str, approve: bool) -> None:
    """Record a ``.mcp.json`` server's approval in the local settings file (``enabledMcpjsonServers``
    or ``disabledMcpjsonServers``, Claude Code's keys), taking it off the other list."""
    from claw_mcp.config import PROJECT_FILE, folder_servers

    app = _app(ctx)
    if name not in folder_servers(app.workspace, app.env)["project"]:
        raise UsageError(f'no MCP server named "{name}" in {app.workspace / PROJECT_FILE}')
    path = _scope_file(app, "local")
    data = _read(path)
    add, drop = ("enabledMcpjsonServers", "disabledMcpjsonServers")[:: 1 if approve else -1]
    for key in (add, drop):
        if not isinstance(data.get(key, []), list):
            raise ClawError(f"{path}: {key} must be a list; fix it by hand")
    data[drop] = [n for n in data.get(drop, []) if n != name]
    if not data[drop]:
        del data[drop]
    data[add] = [*(n for n in data.get(add, []) if n != name), name]
    _write(path, data)
    verb = "Approved" if approve else "Rejected"
    click.echo(f'{verb} MCP server "{name}" from {PROJECT_FILE} ({add} in {path})')


@mcp.command("approve")
@click.argument("name")
@click.pass_context
def approve_cmd(ctx: click.Context, name: str) -> None:
    """Approve a server of .mcp.json: it starts in interactive sessions of this (trusted) folder."""
    _decide(ctx, name, approve=True)


@mcp.command("reject")
@click.argument("name")
@click.pass_context
def reject_cmd(ctx: click.Context, name: str) -> None:
    """Reject a server of .mcp.json: it never starts in this folder, -p included."""
    _decide(ctx, name, approve=False)


def _remote(app: Any, name: str) -> Any:
    resolved = _resolved(app)
    server = resolved.servers.get(name)
    if server is None:
        bad = next((b for b in resolved.errors if b.name == name), None)
        raise ClawError(str(bad)) if bad else UsageError(f'no MCP server named "{name}"; see `claw mcp list`')
    return server


@mcp.command("login")
@click.argument("name")
@click.pass_context
def login_cmd(ctx: click.Context, name: str) -> None:
    """Authorize claw with an OAuth-protected server (opens your browser)."""
    from claw_mcp.login import login, run_sync

    app = _app(ctx)
    click.echo(run_sync(login(_remote(app, name), app.env, _transports(app))))


@mcp.command("logout")
@click.argument("name")
@click.pass_context
def logout_cmd(ctx: click.Context, name: str) -> None:
    """Forget the tokens stored for a server."""
    from claw_mcp.oauth import TokenFile

    app = _app(ctx)
    server = _remote(app, name)
    store = TokenFile(name, server.data.get("url", ""), app.env)
    if store.clear():
        click.echo(f'Removed stored credentials of MCP server "{name}"')
    else:
        click.echo(f'No stored credentials for MCP server "{name}"')


def doctor_checks(settings: Any, env: dict[str, str], workspace: Path) -> list[Any]:
    """One ``claw doctor`` line per configured server, from a parallel connection check (at most
    :data:`DOCTOR_TIMEOUT` seconds)."""
    from claw import DoctorCheck

    from claw_mcp import config
    from claw_mcp.login import check, run_sync
    from claw_mcp.manager import startup_timeout
    from claw_mcp.session import builtin_transports

    resolved = config.resolve(workspace, env, settings.data, trusted=settings.trusted)
    checks = [
        DoctorCheck(section="mcp", name="config", status="fail", detail=e) for e in resolved.source_errors
    ]
    checks += [DoctorCheck(section="mcp", name=b.name, status="fail", detail=str(b)) for b in resolved.errors]
    if resolved.servers:
        timeout = min(startup_timeout(env), DOCTOR_TIMEOUT)  # doctor must stay quick
        for status in run_sync(check(resolved.servers, env, builtin_transports(), workspace, timeout)):
            states: dict[str, Literal["ok", "warn", "fail"]] = {"connected": "ok", "needs-auth": "warn"}
            state = states.get(status["status"], "fail")
            detail = f"{status['type']}, {status['scope']}: {_status_line(status)}"
            if status["status"] == "connected":
                detail += f" ({status['tools']} tools)"
            checks.append(DoctorCheck(section="mcp", name=status["name"], status=state, detail=detail))
    return checks

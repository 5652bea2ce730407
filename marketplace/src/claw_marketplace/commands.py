"""``claw plugin ...`` and ``claw marketplace build``: thin click wrappers over :mod:`claw_marketplace.api`
and :mod:`claw_marketplace.publish`. Imports only click here; the work is imported in each callback."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click


def _plugins(ctx: click.Context, **kwargs: Any) -> Any:
    from claw import command_context

    from claw_marketplace.api import Plugins

    return Plugins.from_context(command_context(ctx), **kwargs)


def _echo_json(data: Any) -> None:
    click.echo(json.dumps(data, indent=2, default=str))


_marketplace_option = click.option(
    "--marketplace", metavar="URL", default=None, help="Marketplace base URL (default: CLAW_MARKETPLACE_URL)."
)
_insecure_option = click.option(
    "--insecure-marketplace",
    "insecure",
    is_flag=True,
    help="Allow a plain-HTTP marketplace (prints a warning).",
)


@click.group("plugin")
def plugin_group() -> None:
    """Install, update and remove claw plugins; sign plugin wheels."""


@plugin_group.command("install")
@click.argument("source", metavar="NAME|PATH|WHEEL")
@_marketplace_option
@click.option("--require-signed", is_flag=True, help="Refuse anything without a verified signature.")
@_insecure_option
@click.option(
    "--version", "version", metavar="V", default=None, help="Install this version from the marketplace."
)
@click.option(
    "--allow-downgrade", is_flag=True, help="Allow installing an older version than the installed one."
)
@click.pass_context
def install(
    ctx: click.Context,
    source: str,
    marketplace: str | None,
    require_signed: bool,
    insecure: bool,
    version: str | None,
    allow_downgrade: bool,
) -> None:
    """Install a plugin from the marketplace (NAME), a wheel file or a project directory.

    The wheel is verified first (size, SHA-256, signature, contents, plugin API range); nothing is
    installed unless every check passes, and a failed install leaves the previous version in place.
    """
    plugins = _plugins(ctx, marketplace=marketplace, require_signed=require_signed, insecure=insecure)
    record = plugins.install(
        source, version=version, allow_downgrade=allow_downgrade, marketplace=marketplace
    )
    if record is None:
        click.echo(f"{source} is already installed at that version")
        return
    signed = f"signed by {record.signer}" if record.signer else "unsigned"
    click.echo(f"Installed {record.name} {record.version} ({signed})")


@plugin_group.command("uninstall")
@click.argument("name")
@click.pass_context
def uninstall(ctx: click.Context, name: str) -> None:
    """Remove an installed plugin (distribution or entry-point name)."""
    removed = _plugins(ctx).uninstall(name)
    click.echo(f"Uninstalled {removed.name} {removed.version}")


@plugin_group.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def list_(ctx: click.Context, as_json: bool) -> None:
    """List plugin distributions installed in claw's environment."""
    from claw import table

    items = _plugins(ctx).installed()
    if as_json:
        _echo_json(
            [
                {
                    "name": p.name,
                    "version": p.version,
                    "entry_points": p.entry_points,
                    "source": p.record.source if p.record else None,
                    "signer": p.record.signer if p.record else None,
                }
                for p in items
            ]
        )
        return
    rows = [
        (p.name, p.version, ", ".join(p.entry_points), (p.record.signer or "unsigned") if p.record else "-")
        for p in items
    ]
    table(rows, ("NAME", "VERSION", "ENTRY POINTS", "SIGNER"))


@plugin_group.command("update")
@click.argument("name", required=False)
@_marketplace_option
@click.option("--require-signed", is_flag=True, help="Refuse anything without a verified signature.")
@_insecure_option
@click.pass_context
def update(
    ctx: click.Context, name: str | None, marketplace: str | None, require_signed: bool, insecure: bool
) -> None:
    """Update NAME, or every plugin installed from a marketplace, to its latest version."""
    plugins = _plugins(ctx, marketplace=marketplace, require_signed=require_signed, insecure=insecure)
    results = plugins.update(name, marketplace=marketplace)
    if not results:
        click.echo("No plugins installed from a marketplace")
    for dist, old, new in results:
        click.echo(f"Updated {dist} {old} -> {new}" if new else f"{dist} {old} is up to date")


@plugin_group.command("info")
@click.argument("name")
@_marketplace_option
@_insecure_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def info(ctx: click.Context, name: str, marketplace: str | None, insecure: bool, as_json: bool) -> None:
    """Show what is installed and what the marketplace offers for NAME."""
    data = _plugins(ctx, marketplace=marketplace, insecure=insecure).info(name, marketplace=marketplace)
    if as_json:
        _echo_json(data)
        return
    click.echo(f"name: {data['name']}")
    inst = data["installed"]
    if inst:
        click.echo(f"installed: {inst['version']} (entry points: {', '.join(inst['entry_points'])})")
        if "source" in inst:
            click.echo(f"  source: {inst['source']}")
            click.echo(f"  sha256: {inst['sha256']}")
            click.echo(f"  signer: {inst['signer'] or 'unsigned'}")
    else:
        click.echo("installed: no")
    offer = data["marketplace"]
    if offer:
        click.echo(f"marketplace: {offer['version']} ({offer['url']})")
        if offer.get("description"):
            click.echo(f"  {offer['description']}")
        if offer.get("publisher"):
            click.echo(f"  publisher: {offer['publisher']['name']}")
        signed = [k for k in ("signature", "sigstore_bundle") if offer.get(k)]
        click.echo(f"  signed: {', '.join(signed) if signed else 'no'}")


@plugin_group.command("keygen")
@click.option(
    "--out",
    "out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("."),
    help="Directory for the key pair.",
)
def keygen(out: Path) -> None:
    """Create an ECDSA P-256 signing key pair (claw-plugin.key, mode 0600, and claw-plugin.pub)."""
    from claw_marketplace.publish import keygen as make

    private, public = make(out)
    click.echo(f"Private key: {private} (keep it secret)")
    click.echo(f"Public key:  {public} (give it to users as CLAW_PLUGIN_PUBLIC_KEY)")


@plugin_group.command("sign")
@click.argument("wheel", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--key", "key", required=True, type=click.Path(dir_okay=False, path_type=Path), help="Private key (PEM)."
)
def sign(wheel: Path, key: Path) -> None:
    """Write WHEEL.sig, a cosign-compatible signature of WHEEL."""
    from claw_marketplace.publish import sign as do_sign

    click.echo(f"Wrote {do_sign(wheel, key)}")


@click.group("marketplace")
def marketplace_group() -> None:
    """Publish a claw plugin marketplace."""


@marketplace_group.command("build")
@click.argument("directory", type=click.Path(file_okay=False, exists=True, path_type=Path))
@click.option(
    "--key", "key", required=True, type=click.Path(dir_okay=False, path_type=Path), help="Private key (PEM)."
)
@click.option(
    "--out",
    "out",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Output directory (default: DIRECTORY).",
)
@click.option("--base-url", default=None, help="Write absolute wheel URLs under this URL.")
@click.option(
    "--name", default="", help="Marketplace name in index.json (default: the output folder's name)."
)
@click.option("--publisher", default=None, help="Publisher name written into each manifest.")
def build(
    directory: Path, key: Path, out: Path | None, base_url: str | None, name: str, publisher: str | None
) -> None:
    """Build index.json, manifests and signatures from the wheels in DIRECTORY."""
    from claw_marketplace.publish import build_marketplace

    click.echo(
        f"Wrote {build_marketplace(directory, key, out=out, base_url=base_url, name=name, publisher=publisher)}"
    )

"""``claw trust [PATH]``, ``--revoke``, ``--list``: remember (or forget) that a folder is trusted, so its
hooks, env, MCP servers and commands' ``!`cmd` `` lines take effect. How a run settles trust is the
``workspace_trust`` built-in's (``--require-trust``, the trust dialog). See ``docs/trust.md``."""

from __future__ import annotations

from pathlib import Path

import click
from claw import ClawError, UsageError, command_context


@click.command("trust")
@click.argument("path", required=False, type=click.Path(file_okay=False, path_type=Path))
@click.option("--revoke", is_flag=True, help="Forget the folder: it is asked about again.")
@click.option("--list", "list_", is_flag=True, help="List the trusted folders.")
@click.pass_context
def trust(ctx: click.Context, path: Path | None, revoke: bool, list_: bool) -> None:
    """Trust a folder (default: the workspace): its hooks, env, MCP servers and commands' !`cmd` lines
    take effect from the next start. Remembered by real path: a symlink or moved copy is asked again."""
    run = command_context(ctx)
    store = run.hook.claw_trust_store(env=dict(run.env))  # the store a run consults
    if store is None:
        raise ClawError("no trust store: the trust_store built-in is disabled and no plugin keeps one")
    if (list_ or revoke) and not (hasattr(store, "folders") and hasattr(store, "remove")):
        raise ClawError(f"the trust store ({type(store).__name__}) cannot list or forget folders")
    if list_:
        if path is not None or revoke:
            raise UsageError("--list takes no PATH and no --revoke")
        for folder, info in sorted(store.folders().items()):
            click.echo(f"{folder}  (since {info.get('trustedAt', '?')})")
        return
    folder = path if path is not None else run.workspace
    if revoke:
        if store.remove(folder):
            click.echo(f"no longer trusted: {folder.resolve()} (from the next start)")
        elif (root := store.trusted_root(folder)) is not None:
            raise UsageError(f"{folder.resolve()} is trusted as part of {root}: claw trust --revoke {root}")
        else:
            click.echo(f"not trusted: {folder.resolve()}")
        return
    if not folder.is_dir():
        raise UsageError(f"no such directory: {folder}")
    click.echo(f"trusted: {store.add(folder)}")

"""claw-claude-plugins' hooks: ``--plugin-dir`` on ``claw`` runs, the settings key ``enabledPlugins``, the
Claude Code plugins both load (:mod:`claw_claude_plugins.folders`) and their lines in ``claw doctor``.
Imports only ``claw`` and ``click`` at start-up: the folders are read when a run has some."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import claw
import click


@claw.hookimpl
def claw_register_run_options(register: Callable[[click.Option], None]) -> None:
    register(
        claw.VariadicOption(
            ["--plugin-dir"],
            takes=claw.VariadicOption.path_word,
            metavar="DIRS...",
            help="Load Claude Code plugin folders for this run: their commands and skills (/name:command), "
            "agents, hooks and MCP servers.",
        )
    )
    register(
        click.Option(
            ["--plugin-url"],
            multiple=True,
            metavar="URL",
            help="Fetch a Claude Code plugin .zip from a URL for this run only and load it as --plugin-dir "
            "does (repeatable).",
        )
    )
    # The Python Agent SDK's, for its ``plugins`` entries with ``skipMcpDiscovery``.
    register(click.Option(["--plugin-dir-no-mcp"], multiple=True, metavar="DIR", hidden=True))


@claw.hookimpl
def claw_register_settings(register: Callable[..., None]) -> None:
    # A plugin's hooks and MCP servers run commands: a folder's own settings enable plugins once trusted.
    register(
        "enabledPlugins",
        dict[str, bool],
        "Claude Code plugins to load, by name@marketplace (installed with Claude Code's /plugin install)",
        requires_trust=True,
    )


#: The run options naming folders, and whether their MCP servers are left out.
_FLAGS = (("plugin_dir", False), ("plugin_dir_no_mcp", True))


@claw.hookimpl
def claw_adjust_run(options: claw.LoopOptions) -> str | None:
    """``--plugin-dir`` folders, then the ``--plugin-url`` archives (fetched and unpacked, :mod:`urls`), load
    before anything runs: a folder that cannot be read, or a URL that gives no plugin, ends the run."""
    given = [(path, skip) for key, skip in _FLAGS for path in options.extra.get(key) or ()]
    urls = options.extra.get("plugin_url") or ()
    if not (given or urls) or claw.safe_mode(
        os.environ
    ):  # safe mode: not even --plugin-dir or --plugin-url (the flag sets the variable)
        return None
    if any(_is_zip(path) for path, _ in given):
        from claw_claude_plugins import urls as fetch

        try:
            given = _unzipped(options, fetch.unpack_all)
        except claw.ClawError as exc:
            return f"--plugin-dir: {exc}"
    why = _apply(options, "--plugin-dir", [{"path": p, "skipMcpDiscovery": skip} for p, skip in given])
    if why is None and urls:
        from claw_claude_plugins import urls as fetch

        try:
            fetched = fetch.fetch_all(urls)
        except claw.ClawError as exc:
            return f"--plugin-url: {exc}"
        why = _apply(options, "--plugin-url", [{"path": str(path)} for path in fetched])
    return why


def _is_zip(path: str) -> bool:
    return path.lower().endswith(".zip") and _resolved(path).is_file()


def _unzipped(
    options: claw.LoopOptions, unpack: Callable[[list[Path]], list[Path]]
) -> list[tuple[str, bool]]:
    """The ``--plugin-dir`` paths with each ``.zip`` (Claude Code 2.1.128 takes one) replaced by its unpacked
    folder, in ``options.extra`` too, so the session sees the folder it loaded."""
    out: list[tuple[str, bool]] = []
    for key, skip in _FLAGS:
        paths = list(options.extra.get(key) or ())
        zips = [i for i, path in enumerate(paths) if _is_zip(path)]
        for i, folder in zip(zips, unpack([_resolved(paths[i]) for i in zips]), strict=True):
            paths[i] = str(folder)
        if key in options.extra:
            options.extra[key] = paths
        out += [(path, skip) for path in paths]
    return out


def _apply(options: claw.LoopOptions, flag: str, entries: list[dict[str, Any]]) -> str | None:
    """:func:`folders.apply` for one flag's folders; why they did not load, as the one line ending the run."""
    if not entries:
        return None
    from claw_claude_plugins import folders

    try:
        why = folders.apply(options, entries)
    except claw.ClawError as exc:
        return f"{flag}: {exc}"
    return f"{flag}: {why}" if why is not None else None


@claw.hookimpl
def claw_adjust_session(options: claw.LoopOptions, context: claw.CommandContext) -> str | None:
    """The Claude Code plugins settings enable load first (not in bare mode), then the folders the Agent SDK's
    ``initialize`` added to ``--plugin-dir`` after the command line was read (a folder that cannot be
    read ends the run; without claw-mcp their MCP servers are left out with a warning)."""
    from claw_claude_plugins import installed

    if claw.safe_mode(context.env):  # ``--safe-mode``: no Claude Code plugin at all (Claude Code's)
        return None
    # Bare mode (``--bare``) loads no installed plugin, only the folders a flag names (Claude Code's).
    ids = [] if claw.bare(context.env) else installed.enabled_ids(context.settings.data)
    roots = {f.root for f in options.plugin_folders}
    late = [
        (p, skip) for key, skip in _FLAGS for p in options.extra.get(key) or () if _resolved(p) not in roots
    ]
    if not ids and not late:
        return None
    from claw_claude_plugins import folders

    if ids:
        _load_installed(options, installed.resolve(ids, context.workspace, context.env), context.env)
    try:
        loaded = [folders.read(path, context.env, skip_mcp=skip) for path, skip in late]
    except claw.ClawError as exc:
        return str(exc)
    if any(one.servers for one in loaded) and "mcp_config" not in options.extra:
        claw.warn(
            "the Agent SDK's plugins' MCP servers do not start: the claw-mcp plugin is not installed or is disabled"
        )
    folders.add(options, loaded, "--plugin-dir")
    return None


def _load_installed(options: claw.LoopOptions, enabled: list[Any], env: Any) -> None:
    """The installed plugins that can load, before the run's other folders (:func:`_readable`)."""
    from claw_claude_plugins import folders

    loaded = _readable(enabled, env, {f.name for f in options.plugin_folders})
    for plugin_id, one in loaded:
        if one.servers and "mcp_config" not in options.extra:
            claw.warn(f"Claude Code plugin {plugin_id}: its MCP servers need claw-mcp, which is off")
    folders.add(options, [one for _, one in loaded], "enabledPlugins", first=True)


def _readable(enabled: list[Any], env: Any, given: set[str]) -> list[tuple[str, Any]]:
    """Each installed plugin that can load, by id, and one warning line for each that cannot: the run goes on,
    as Claude Code's does. A ``--plugin-dir`` folder of the same name (in ``given``) stands in for the
    installed plugin (Claude Code's rule for trying a local copy)."""
    from claw_claude_plugins import folders

    loaded: list[tuple[str, folders.Loaded]] = []
    for plugin in enabled:
        one, problem = None, plugin.problem
        if plugin.root is not None:
            try:
                one = folders.read(plugin.root, env, plugin_id=plugin.plugin_id)
            except claw.ClawError as exc:
                problem = str(exc)
        if one is None:
            claw.warn(f"Claude Code plugin {plugin.plugin_id} is not loaded: {problem}")
        elif one.folder.name not in given:
            loaded.append((plugin.plugin_id, one))
    return loaded


@claw.hookimpl
def claw_plugin_folders(
    extra: dict[str, Any], context: claw.CommandContext
) -> list[claw.PluginFolder] | None:
    """A command's (no session): the installed plugins settings enable, then the ``--plugin-dir``
    folders, in a run's order; one that cannot be read is a warning (a listing goes on without it)."""
    from claw_claude_plugins import installed

    ids = installed.enabled_ids(context.settings.data)
    given = [(path, skip) for key, skip in _FLAGS for path in extra.get(key) or ()]
    if not ids and not given:
        return None
    from claw_claude_plugins import folders

    loaded: list[folders.Loaded] = []
    for path, skip in given:
        try:
            loaded.append(folders.read(path, context.env, skip_mcp=skip))
        except claw.ClawError as exc:
            claw.warn(f"--plugin-dir: {exc}")
    enabled = installed.resolve(ids, context.workspace, context.env) if ids else []
    first = _readable(enabled, context.env, {one.folder.name for one in loaded})
    return [one.folder for one in (*(one for _, one in first), *loaded)]


def _resolved(path: str) -> Path:
    return Path(path).expanduser().resolve()


@claw.hookimpl
def claw_doctor_checks(
    settings: claw.EffectiveSettings, env: dict[str, str], context: claw.CommandContext
) -> list[claw.DoctorCheck] | None:
    from claw_claude_plugins.doctor import checks

    return checks(settings, context)

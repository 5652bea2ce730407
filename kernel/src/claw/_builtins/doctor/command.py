"""``claw doctor``: is this installation healthy, and if not, why."""

from __future__ import annotations

import sys
from typing import Any, Literal

import click

from claw._cli._output import emit_json
from claw._cli._root import state_of
from claw._plugins import missing_plugin

CheckStatus = Literal["ok", "warn", "fail", "info"]


#: Sections in display order, wherever their checks come from (the kernel's, or claw-commands' ``trust``,
#: ``state`` and ``providers`` through ``claw_doctor_checks``); other plugins' sections follow in answer order.
SECTIONS = ("claw", "config", "trust", "state", "plugins", "model", "providers")


def run_checks(app: Any, model: str | None = None) -> list[Any]:
    """Every check, in display order. Never raises for a broken installation: a broken settings file,
    a plugin that fails or no runnable model each become a failed check. The kernel checks what must
    work whatever plugin is broken (settings files, plugin loading, the model a run would use); the
    rest (trust, state, provider credentials) are claw-commands' ``claw_doctor_checks`` answers.

    :param model: the root ``--model``, so ``claw --model X doctor`` checks that model.
    """
    import platform  # (not at the top: registering the command, for claw plugins, need not pay for it)

    from claw._builtins.doctor.check import DoctorCheck
    from claw._version import API_VERSION, VERSION

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
    checks += _settings_file_checks(app)
    settings = _settings(app, checks)

    app.collect_all()
    _load_tool_refs(app)
    # before the records are read, so a plugin whose check raised fails its line
    answered = _plugin_checks(app, settings) if settings is not None else []
    for r in app.pm.records:
        statuses: dict[str, CheckStatus] = {"builtin": "ok", "loaded": "ok", "disabled": "info"}
        status: CheckStatus = statuses.get(r.status, "fail")
        detail = f"{r.source}: {r.status}" + (f" ({r.reason})" if r.reason else "")
        if r.active and r.problems:  # loaded, but a hook raised or a registration was refused
            status, detail = "fail", f"{r.source}: " + "; ".join(r.problems)
        checks.append(DoctorCheck(section="plugins", name=r.name, status=status, detail=detail))

    checks += _missing_providers(app, settings)
    checks.append(_model_check(app, settings, model))
    checks += answered
    if settings is not None and not any(c.section == "trust" for c in answered):
        detail = missing_plugin("the trust, state and provider credential checks need", "claw-commands")
        checks.append(DoctorCheck(section="plugins", name="claw-commands", status="warn", detail=detail))
    return sorted(checks, key=lambda c: SECTIONS.index(c.section) if c.section in SECTIONS else len(SECTIONS))


def _plugin_checks(app: Any, settings: Any) -> list[Any]:
    """The plugins' ``claw_doctor_checks`` answers, in call order; an answer that is not a
    :class:`claw.DoctorCheck` fails its plugin's line."""
    from claw._builtins.doctor.check import DoctorCheck
    from claw._plugin_commands import CommandContext

    checks = []
    _, answers = app.pm.call_attributed(
        "claw_doctor_checks", settings=settings, env=dict(app.env), context=CommandContext(app)
    )
    for answer in answers:
        for item in answer.result or []:
            if not isinstance(item, DoctorCheck):
                detail = f"returned an invalid doctor check: {item!r}"
                item = DoctorCheck(section="plugins", name=answer.plugin.name, status="fail", detail=detail)
            checks.append(item)
    return checks


def _missing_providers(app: Any, settings: Any) -> list[Any]:
    """A line per first-party feature whose settings key no plugin declares (its distribution is
    missing or disabled): a warning when the settings use the key, else for information."""
    from claw._builtins.doctor.check import DoctorCheck
    from claw._plugins import SETTINGS_PROVIDERS, missing_provider

    checks = []
    for key, dist in SETTINGS_PROVIDERS.items():
        if key not in app.plugin_settings:
            used = settings is not None and any(key in layer.data for layer in settings.layers)
            status = "warn" if used else "info"
            checks.append(
                DoctorCheck(section="plugins", name=dist, status=status, detail=missing_provider(key))
            )
    return checks


def _load_tool_refs(app: Any) -> None:
    """Import every tool registered by reference (``claw.ToolRef``), which runs do only at the tool's
    first call, so an implementation that cannot load fails its plugin's check now, not mid-session."""
    from claw._plugins import unique
    from claw._tools import ToolError, ToolRef

    for reg in unique(app.tools):
        if isinstance(reg.obj, ToolRef):
            try:
                reg.obj.resolve()
            except ToolError as exc:
                reg.plugin.problems.append(str(exc))


def _settings_file_checks(app: Any) -> list[Any]:
    """One check per settings file claw reads (Claude Code's and its own, as ``--setting-sources``
    allows): absent, fine, or why it cannot be read (``file:line:col: ...``)."""
    from claw import _config as config
    from claw import _paths as paths
    from claw._builtins.doctor.check import DoctorCheck
    from claw._errors import ClawError

    checks = []
    files = [
        (f.scope if f.origin == "claw" else f"{f.scope} (Claude Code)", f.path)
        for f in config.settings_files(app.workspace, app.env, app.setting_sources)
    ]
    for scope, path in [*files, ("managed", app.managed_path or paths.MANAGED_SETTINGS)]:
        try:
            found = config.read_json_file(path) is not None
        except ClawError as exc:
            checks.append(DoctorCheck(section="config", name=scope, status="fail", detail=str(exc)))
            continue
        detail = str(path) if found else f"{path} (not present)"
        checks.append(
            DoctorCheck(section="config", name=scope, status="ok" if found else "info", detail=detail)
        )
    return checks


def _settings(app: Any, checks: list[Any]) -> Any:
    """The effective settings, or ``None`` when they are broken (reported as a failed check). With an
    unreadable settings file the plugins still load, on the built-in defaults; their checks
    (``claw_doctor_checks``, claw-commands' included) need settings that load."""
    from claw._builtins.doctor.check import DoctorCheck
    from claw._errors import ClawError

    try:
        app.layers  # noqa: B018 (reading it loads the settings files)
    except ClawError as exc:
        if not any(c.section == "config" and c.status == "fail" for c in checks):  # --settings
            checks.append(DoctorCheck(section="config", name="settings", status="fail", detail=str(exc)))
        app.layers = []  # App caches its layers: the rest of the checks see the defaults
        return None
    try:
        return app.settings
    except ClawError as exc:
        checks.append(DoctorCheck(section="config", name="settings", status="fail", detail=str(exc)))
        return None


def _model_check(app: Any, settings: Any, model: str | None) -> Any:
    """Which model a run would use and why, and whether it can run (credentials present); fails with
    what to set when none can be chosen, like ``claw -p`` would."""
    from claw import _routing as routing
    from claw._builtins.doctor.check import DoctorCheck
    from claw._errors import ClawError

    if settings is None:
        return DoctorCheck(
            section="model", name="model", status="fail", detail="not chosen: settings are broken"
        )
    try:
        choice = routing.choose_model(app.providers, settings, app.env, model=model)
        route = routing.model_chain(app.providers, settings, choice)[0]
        # raises MissingCredentials; no network, nothing to close
        routing.instantiate(route.provider_cls, settings.data, app.env)
    except Exception as exc:  # a plugin's own failure is a failed check too, not a crash
        detail = str(exc) if isinstance(exc, ClawError) else f"{type(exc).__name__}: {exc}"
        return DoctorCheck(section="model", name="model", status="fail", detail=detail)
    return DoctorCheck(section="model", name="model", status="ok", detail=choice.describe(route.address))


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def doctor(ctx: click.Context, as_json: bool) -> None:
    """Check the installation: Python, settings files, plugins, the model a run would use, and with
    claw-commands the folder's trust and provider credentials.

    Exits 1 when any check failed, including when no model can run."""
    checks = run_checks(state_of(ctx).app, ctx.find_root().params.get("model"))
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

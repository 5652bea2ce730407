"""claw-commands' ``claw doctor`` lines: the folder's trust and what it holds back, the state folder and
each provider's credentials. The kernel's doctor keeps what must work whatever plugin is broken (settings
files, plugin loading, the model a run would use) and places these in its section order."""

from __future__ import annotations

from typing import Any

from claw import CommandContext, DoctorCheck, EffectiveSettings, state_dir


def checks(settings: EffectiveSettings, context: CommandContext) -> list[DoctorCheck]:
    """The ``trust``, ``state`` and ``providers`` sections, in that order."""
    return [
        *_trust(settings, context),
        DoctorCheck(section="state", name="state dir", status="info", detail=str(state_dir(context.env))),
        *_credentials(settings, context),
    ]


def _trust(settings: EffectiveSettings, context: CommandContext) -> list[DoctorCheck]:
    """Whether the folder is trusted and, if not, each thing it brings that is held back (a warning: it
    does not run until the folder is trusted)."""
    trust = settings.trust
    if trust.trusted:
        return [DoctorCheck(section="trust", name="folder", status="ok", detail=f"trusted: {trust.folder}")]
    items = context.trust_items()
    detail = f"not trusted: {trust.folder}" + (f"; {trust.how_to_trust}" if items else "")
    found = [DoctorCheck(section="trust", name="folder", status="warn" if items else "info", detail=detail)]
    return found + [DoctorCheck(section="trust", name="held back", status="warn", detail=i) for i in items]


def _credentials(settings: EffectiveSettings, context: CommandContext) -> list[DoctorCheck]:
    """Whether each provider finds credentials (where, or what to set), never their values; nothing is
    sent. A provider that raises fails its own line."""
    configured: dict[str, Any] = settings.data.get("providers") or {}
    found = []
    for name, cls in context.providers.items():
        try:
            cred = cls(configured.get(name) or {}, context.env).credentials()
            status = "ok" if cred.present else "warn"
            detail = f"credentials from {cred.source}" if cred.present else f"no credentials: {cred.hint}"
        except Exception as exc:  # a plugin's own failure is a failed check, not a crash
            status, detail = "fail", f"{type(exc).__name__}: {exc}"
        found.append(DoctorCheck(section="providers", name=name, status=status, detail=detail))
    return found

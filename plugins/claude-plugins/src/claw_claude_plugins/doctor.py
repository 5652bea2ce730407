"""``claw doctor``'s ``claude plugins`` section: each Claude Code plugin settings enable, loaded from its
install folder or why not (what a run would warn about)."""

from __future__ import annotations

import claw

from claw_claude_plugins import folders, installed

SECTION = "claude plugins"


def checks(settings: claw.EffectiveSettings, context: claw.CommandContext) -> list[claw.DoctorCheck] | None:
    """One line per enabled plugin; ``None`` when settings enable none."""
    ids = installed.enabled_ids(settings.data)
    if not ids:
        return None
    out: list[claw.DoctorCheck] = []
    for plugin in installed.resolve(ids, context.workspace, context.env):
        problem = plugin.problem
        if plugin.root is not None:
            try:
                one = folders.read(plugin.root, context.env, plugin_id=plugin.plugin_id)
            except claw.ClawError as exc:
                problem = str(exc)
            else:
                detail = f"{plugin.root}" + (f" (without {one.left_out})" if one.left_out else "")
                out.append(
                    claw.DoctorCheck(section=SECTION, name=plugin.plugin_id, status="ok", detail=detail)
                )
                continue
        out.append(claw.DoctorCheck(section=SECTION, name=plugin.plugin_id, status="warn", detail=problem))
    return out

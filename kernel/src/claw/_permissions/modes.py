"""Permission modes: claw's names (from the seed design) and Claude Code's as aliases; what each mode
lets run is the table in ``docs/permissions.md`` ("Modes"), the policy's business."""

from __future__ import annotations

from claw._errors import UsageError

MODES: tuple[str, ...] = (
    "prompt",
    "read-only",
    "workspace-write",
    "dont-ask",
    "auto",
    "allow",
    "danger-full-access",
)

#: Claude Code's mode names (and ``manual``, its newer label for ``default``); the first naming a mode is
#: the one claw reports (:func:`claude_code_name`).
ALIASES: dict[str, str] = {
    "default": "prompt",
    "manual": "prompt",
    "acceptEdits": "workspace-write",
    "plan": "read-only",
    "bypassPermissions": "danger-full-access",
    "dontAsk": "dont-ask",
}

#: Modes that skip approval entirely; ``permissions.disableBypassPermissionsMode`` refuses them.
BYPASS_MODES = frozenset({"allow", "danger-full-access"})


def normalize_mode(name: str) -> str:
    """The canonical name of ``name`` (an alias or a canonical name).

    :raises UsageError: for an unknown mode, naming the accepted ones.
    """
    if name in MODES:
        return name
    canonical = ALIASES.get(name)
    if canonical is None:
        choices = ", ".join([*MODES, *ALIASES])
        raise UsageError(f"unknown permission mode {name!r} (choose from {choices})")
    return canonical


#: How much each mode lets run without a person's answer, for :func:`narrowed`: ``prompt`` and
#: ``dont-ask`` let the same through when nobody answers; the bypass modes let everything through.
_WIDTH = {
    "read-only": 0,
    "prompt": 1,
    "dont-ask": 1,
    "workspace-write": 2,
    "auto": 3,
    "allow": 4,
    "danger-full-access": 4,
}


def narrowed(requested: str | None, parent: str) -> str:
    """The mode a sub-agent runs in: ``requested`` (canonical name) unless it lets more run than
    ``parent`` (a child never gets wider permissions than the session that started it); then
    ``parent``. ``None`` is the parent's mode.

    :raises UsageError: for an unknown ``requested`` mode.
    """
    parent = normalize_mode(parent)
    if requested is None:
        return parent
    mode = normalize_mode(requested)
    return mode if _WIDTH[mode] <= _WIDTH[parent] else parent


def claude_code_name(mode: str) -> str:
    """Claude Code's name for a canonical mode, for the shapes its SDKs parse (``system/init``'s
    ``permissionMode``): the first alias naming it (``allow`` is ``bypassPermissions`` too); a name
    Claude Code shares (``auto``), or an unknown one, is returned as it is."""
    mode = "danger-full-access" if mode == "allow" else mode
    return next((name for name, canonical in ALIASES.items() if canonical == mode), mode)

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
        import difflib

        names = [*ALIASES, *MODES]  # Claude Code's first, as ``claw --help`` lists them
        close = [n for n in names if n.lower() == name.lower()] or difflib.get_close_matches(name, names, 1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        raise UsageError(f"unknown permission mode {name!r}{hint} (choose from {', '.join(names)})")
    return canonical


def claude_code_name(mode: str) -> str:
    """Claude Code's name for a canonical mode, for the shapes its SDKs parse (``system/init``'s
    ``permissionMode``): the first alias naming it (``allow`` is ``bypassPermissions`` too); a name
    Claude Code shares (``auto``), or an unknown one, is returned as it is."""
    mode = "danger-full-access" if mode == "allow" else mode
    return next((name for name, canonical in ALIASES.items() if canonical == mode), mode)

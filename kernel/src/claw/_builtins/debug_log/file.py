"""``--debug-file PATH``: Claude Code's "write debug logs to a specific file path (implicitly enables
debug mode)". The lines go to the file and never to stdout, so ``--output-format json`` stays one object;
``--debug FILTER`` still picks the categories."""

from __future__ import annotations

from typing import Any


def to_file(ctx: Any, _param: Any, value: str | None) -> None:
    """``--debug-file``'s callback: open ``value`` for appending (line-buffered, so a crash keeps what was
    written) and turn debug logging on into it.

    :raises claw.UsageError: the file cannot be opened (exit 2, one line naming it and why).
    """
    if value is None or ctx.resilient_parsing:
        return
    from claw import UsageError
    from claw import _log as log

    try:
        log.sink = open(value, "a", encoding="utf-8", buffering=1)  # noqa: SIM115 - open for the whole run
    except OSError as exc:
        raise UsageError(f"--debug-file: cannot open {value}: {exc.strerror or exc}") from None
    log.configure(verbose=True)

"""What ``--debug FILTER`` filters: a debug line's category is the name of the logger that wrote it
(``claw.get_logger(name)``, shown as ``[claw.http]``) without its ``claw.``/``claw_`` prefix and
leading underscores: ``http``, ``retry``, ``loop``, ``permissions``, ``config``, ``hooks``, ``mcp``,
``lsp``, ``sandbox``, ``provider.bedrock``, ``agents.supervisor``. A name in the filter also selects
the categories under it (``provider`` selects ``provider.bedrock``), and Claude Code's ``api`` means
``http`` and ``retry`` (the model API's requests).

As in Claude Code: ``a,b`` shows only those, ``!a,!b`` all but those; a filter mixing both shows all."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

#: Claude Code's category names that are several of claw's.
ALIASES: dict[str, tuple[str, ...]] = {"api": ("http", "retry")}


def category(logger: str) -> str:
    """The category of the logger named ``logger`` (``claw._loop`` -> ``loop``)."""
    head, _, rest = logger.partition(".")
    parts = rest.split(".") if head == "claw" else [head.removeprefix("claw_"), *rest.split(".")]
    return ".".join(p.lstrip("_") for p in parts if p) or "claw"


def filter_of(spec: str) -> Callable[[str], bool] | None:
    """The test on a logger's name that ``spec`` (``--debug``'s value) means; ``None`` shows all."""
    words = [w.strip().lower() for w in spec.split(",") if w.strip()]
    excluded = [w[1:] for w in words if w.startswith("!")]
    included = [w for w in words if not w.startswith("!")]
    if not words or (excluded and included):
        return None
    names = {n for w in (included or excluded) for n in ALIASES.get(w, (w,))}

    def named(logger: str) -> bool:
        cat = category(logger)
        return any(cat == n or cat.startswith(n + ".") for n in names)

    return named if included else (lambda logger: not named(logger))


def enable(ctx: Any, _param: Any, value: str | None) -> None:
    """``--debug``'s callback: debug logging on, filtered, before the run starts."""
    if value is None or ctx.resilient_parsing:
        return
    from claw import _log as log

    log.shown = filter_of(value)
    log.configure(verbose=True)

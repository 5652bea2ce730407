"""Structured debug logging through structlog, to stderr only.

structlog is imported when logging is first configured, not at start-up. ``--verbose`` sets the
level to DEBUG; ``CLAW_LOG=debug|info|warning`` does the same from the environment. Nothing here
ever writes to stdout.

At DEBUG, every model API request is one ``http request`` line (method, URL, status or error, and the
milliseconds to the response headers; see :func:`claw_wire.http_request`) and every retry one ``retry`` line
(attempt, wait, reason; :mod:`claw._loop.retry`). Headers are never logged: they carry the API key.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable, MutableMapping
from typing import Any

_configured = False
_level = logging.WARNING
#: Which categories show (``--debug FILTER``, :mod:`claw._builtins.debug_log`): a test on a logger's
#: name; ``None`` shows every line.
shown: Callable[[str], bool] | None = None
#: Where the lines go: stderr, or ``--debug-file``'s file (:mod:`claw._builtins.debug_log`).
sink: Any = None


def _level_of(verbose: bool) -> int:
    level_name = "debug" if verbose else os.environ.get("CLAW_LOG", "warning")
    return int(getattr(logging, level_name.upper(), logging.WARNING))


def configure(verbose: bool = False) -> None:
    global _configured, _level
    import structlog  # imported lazily to keep start-up fast

    _level = _level_of(verbose)
    structlog.configure(
        processors=[
            _by_category,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="%H:%M:%S", utc=False),
            structlog.dev.ConsoleRenderer(colors=False),
        ],
        wrapper_class=structlog.make_filtering_bound_logger(_level),
        logger_factory=structlog.PrintLoggerFactory(file=sink or sys.stderr),
        cache_logger_on_first_use=False,
    )
    _configured = True


def _by_category(_logger: Any, _method: str, event: MutableMapping[str, Any]) -> MutableMapping[str, Any]:
    if shown is not None and not shown(str(event.get("logger", ""))):
        import structlog

        raise structlog.DropEvent
    return event


def debugging() -> bool:
    """Whether debug lines are shown; known without importing structlog, so per-request code asks
    this first and costs nothing when logging is off."""
    return (_level if _configured else _level_of(False)) <= logging.DEBUG


def get_logger(name: str = "claw", **bound: Any) -> Any:
    """A structlog logger writing to stderr; configures logging on first use. Its lines name it
    (``[claw.http]``): the category ``--debug FILTER`` selects."""
    if not _configured:
        configure()
    import structlog

    return structlog.get_logger(name).bind(logger=name, **bound)

"""Structured debug logging through structlog, to stderr only.

structlog (with rich, which its console renderer imports: 65-170 ms) is imported at the first line logged at
a level that is shown, never for a line that is dropped. ``--verbose`` sets the
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
    # structlog's console renderer imports rich and colorama when it can find them (40-100 ms), for colours
    # and tracebacks these plain lines do not use: it is shown neither unless one is loaded already.
    hidden = [name for name in ("rich", "colorama") if name not in sys.modules]
    modules: dict[str, Any] = sys.modules  # a None entry makes ``import rich`` raise ImportError
    modules.update(dict.fromkeys(hidden))
    try:
        import structlog
    finally:
        for name in hidden:
            if modules.get(name, False) is None:
                del modules[name]

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


def _current_level() -> int:
    return _level if _configured else _level_of(False)


def debugging() -> bool:
    """Whether debug lines are shown; known without importing structlog, so code that works to build a
    debug line can ask this first."""
    return _current_level() <= logging.DEBUG


#: structlog's logging methods by the level they log at.
_LEVELS = dict(debug=10, info=20, msg=20, warning=30, warn=30, error=40, exception=40, critical=50, fatal=50)


def _dropped(*_args: Any, **_kwargs: Any) -> None:
    return None


class _Logger:
    """What :func:`get_logger` returns: a line below the level set, or of a category ``--debug FILTER``
    leaves out, is dropped here; structlog is imported and asked for the real logger only for a line that
    is shown (or a method other than the logging ones above)."""

    __slots__ = ("_bound", "_name")

    def __init__(self, name: str, bound: dict[str, Any]) -> None:
        self._name, self._bound = name, bound

    def bind(self, **more: Any) -> _Logger:
        return _Logger(self._name, {**self._bound, **more})

    def __getattr__(self, method: str) -> Any:
        level = _LEVELS.get(method)
        if level is not None and (level < _current_level() or (shown is not None and not shown(self._name))):
            return _dropped
        if not _configured:
            configure()
        import structlog

        return getattr(structlog.get_logger(self._name).bind(logger=self._name, **self._bound), method)


def get_logger(name: str = "claw", **bound: Any) -> Any:
    """A structlog logger writing to stderr, fetched at its first line shown (:class:`_Logger`): a debug line
    with debugging off costs no import. Its lines name it (``[claw.http]``): the category ``--debug FILTER``
    selects."""
    return _Logger(name, bound)

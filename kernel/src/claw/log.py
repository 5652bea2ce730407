"""Structured debug logging through structlog, to stderr only.

structlog is imported when logging is first configured, not at start-up. ``--verbose`` sets the
level to DEBUG; ``CLAW_LOG=debug|info|warning`` does the same from the environment. Nothing here
ever writes to stdout.
"""

from __future__ import annotations

import logging
import os
import sys
from typing import Any

_configured = False


def configure(verbose: bool = False) -> None:
    global _configured
    import structlog  # imported lazily to keep start-up fast

    level_name = "debug" if verbose else os.environ.get("CLAW_LOG", "warning")
    level = getattr(logging, level_name.upper(), logging.WARNING)
    structlog.configure(
        processors=[
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="%H:%M:%S", utc=False),
            structlog.dev.ConsoleRenderer(colors=False),
        ],
        wrapper_class=structlog.make_filtering_bound_logger(level),
        logger_factory=structlog.PrintLoggerFactory(file=sys.stderr),
        cache_logger_on_first_use=False,
    )
    _configured = True


def get_logger(name: str = "claw", **bound: Any) -> Any:
    """A structlog logger writing to stderr; configures logging on first use."""
    if not _configured:
        configure()
    import structlog

    return structlog.get_logger(name).bind(**bound)

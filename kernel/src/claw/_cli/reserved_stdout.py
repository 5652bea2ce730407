"""Standard output belongs to the output format while a prompt runs.

With ``--output-format json`` stdout must hold exactly one JSON object, and with ``stream-json`` one
object per line; in text mode it holds the answer. A plugin that calls ``print()``, a library that
logs to stdout, or a child process that inherits file descriptor 1 would otherwise mix its bytes into
that. :func:`reserved_stdout` gives the renderer a private handle on the real stdout and points both
``sys.stdout`` and descriptor 1 at stderr for everyone else, so such output is still seen, on stderr.
"""

from __future__ import annotations

import contextlib
import io
import os
import sys
from collections.abc import Iterator
from typing import TextIO


@contextlib.contextmanager
def reserved_stdout() -> Iterator[TextIO]:
    """The real standard output, for the renderer alone, while the block runs; ``sys.stdout`` and, when
    stdout is a real file descriptor, descriptor 1 go to stderr meanwhile (restored afterwards)."""
    real = sys.stdout
    real.flush()
    fd, err_fd = _fileno(real), _fileno(sys.stderr)
    if fd is None or err_fd is None:  # in memory (claw run in-process by a test): Python-level writes only
        sys.stdout = sys.stderr
        try:
            yield real
        finally:
            sys.stdout = real
        return
    saved = os.dup(fd)
    owned = open(  # noqa: SIM115 - closed in the finally below, after the block's last write
        os.dup(fd), "w", encoding=real.encoding, errors=real.errors or "strict", buffering=1
    )
    sys.stderr.flush()
    os.dup2(err_fd, fd)
    sys.stdout = sys.stderr
    try:
        yield owned
    finally:
        with contextlib.suppress(OSError, ValueError):
            owned.flush()
        sys.stdout = real
        os.dup2(saved, fd)
        os.close(saved)
        with contextlib.suppress(OSError, ValueError):  # a reader gone (`| head`): nothing to flush to
            owned.close()


def _fileno(stream: TextIO) -> int | None:
    try:
        return stream.fileno()
    except (AttributeError, OSError, ValueError, io.UnsupportedOperation):
        return None

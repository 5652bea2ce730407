"""A small language server (pygls) that misbehaves on purpose, for the fault tests.

``python fake_server.py MODE MARKER``: ``crash`` exits (code 3) when asked for hover the first time,
creating MARKER, and answers normally once MARKER exists (so the restarted server answers the
retried call); ``always-crash`` exits on every hover; ``silent`` never answers hover.
"""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

from lsprotocol import types as t
from pygls.lsp.server import LanguageServer

MODE, MARKER = sys.argv[1], Path(sys.argv[2])
server = LanguageServer("fake", "1")


@server.feature(t.TEXT_DOCUMENT_HOVER)
async def hover(params: t.HoverParams) -> t.Hover:
    if MODE == "always-crash" or (MODE == "crash" and not MARKER.exists()):
        MARKER.touch()
        sys.stderr.write("fake server: boom\n")
        sys.stderr.flush()
        os._exit(3)
    if MODE == "silent":
        await asyncio.sleep(3600)
    return t.Hover(
        contents=t.MarkupContent(kind=t.MarkupKind.PlainText, value=f"fake hover (pid {os.getpid()})")
    )


if __name__ == "__main__":
    server.start_io()

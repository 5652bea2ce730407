"""One policy for bytes that are not valid UTF-8, wherever they enter claw: docs/cli.md ("Bytes that are
not UTF-8") states it.

Python hands some of them over as ``str`` with *surrogate escapes* (``os.fsdecode``, ``sys.argv``,
``os.listdir``, stdin in a C/UTF-8 locale): each undecodable byte becomes a lone surrogate
``U+DC80..U+DCFF``. Such a string round-trips to the filesystem, but cannot be encoded as UTF-8, so
it crashed the first JSON write (the session file, the request to the model). So text shown to the model
decodes invalid bytes as U+FFFD (:func:`model_text`, public so plugins decode the bytes they show the
model the same way), paths keep their surrogate escapes inside claw, and JSON that claw writes is always
valid UTF-8 (:func:`dumps`)."""

from __future__ import annotations

import json
import re
from typing import Any

REPLACEMENT = "\ufffd"

_SURROGATES = re.compile("[\ud800-\udfff]+")


def _decode_run(match: re.Match[str]) -> str:
    # Escaped bytes (U+DC80..U+DCFF) back to bytes and decoded as the UTF-8 decoder would have with
    # "replace"; any other lone surrogate (from a JSON "\\ud800" escape) is one replacement character.
    data = b"".join(
        bytes([ord(c) - 0xDC00]) if 0xDC80 <= ord(c) <= 0xDCFF else REPLACEMENT.encode() for c in match[0]
    )
    return data.decode("utf-8", "replace")


def model_text(value: bytes | bytearray | str) -> str:
    """``value`` as valid Unicode: bytes decoded as UTF-8 and a string's surrogate escapes resolved,
    every invalid byte becoming U+FFFD. Valid text comes back unchanged (and cheaply)."""
    if isinstance(value, bytes | bytearray):
        return bytes(value).decode("utf-8", "replace")
    if value.isascii():
        return value
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return _SURROGATES.sub(_decode_run, value)
    return value


def dumps(data: Any, **kwargs: Any) -> str:
    """``json.dumps(data, ensure_ascii=False, **kwargs)``, always encodable as UTF-8. With
    ``ensure_ascii=False`` a lone surrogate can only sit inside a JSON string, so resolving them in the
    finished text (values made by ``default=str`` included) keeps the JSON valid."""
    return model_text(json.dumps(data, ensure_ascii=False, **kwargs))

"""``claw.model_text`` and ``claw._text.dumps``: the one policy for bytes that are not UTF-8."""

from __future__ import annotations

import json
import os
from pathlib import Path

import claw
from claw._text import dumps


def test_bytes_decode_with_replacement() -> None:
    assert claw.model_text(b"caf\xe9 ok") == "caf\ufffd ok"
    assert claw.model_text(bytearray(b"na\xc3\xafve")) == "naïve"


def test_surrogate_escapes_resolve_like_the_bytes_would() -> None:
    for raw in (b"caf\xe9.py", b"\xe2\x82 cut", b"ok \xc3\xa9 \xff\xfe"):
        assert claw.model_text(os.fsdecode(raw)) == raw.decode("utf-8", "replace")


def test_valid_text_is_returned_as_is_and_other_lone_surrogates_are_replaced() -> None:
    text = "héllo wörld ✓"
    assert claw.model_text(text) is text
    assert claw.model_text("a\ud800b") == "a\ufffdb"


def test_dumps_is_always_utf8_even_through_default_str() -> None:
    name = os.fsdecode(b"caf\xe9")
    out = dumps({"path": Path("/tmp") / name, name: [name]}, default=str)
    out.encode("utf-8")
    assert json.loads(out) == {"caf\ufffd": ["caf\ufffd"], "path": "/tmp/caf\ufffd"}


def test_message_blocks_hold_only_valid_text() -> None:
    block = claw.ToolResultBlock(tool_use_id="t", content=os.fsdecode(b"ls: caf\xe9"))
    assert block.content == "ls: caf\ufffd"
    assert claw.TextBlock(text=os.fsdecode(b"\xff")).text == "\ufffd"
    block.content = os.fsdecode(b"not run: caf\xe9")  # assigned later (a dangling call closed)
    assert block.content == "not run: caf\ufffd"

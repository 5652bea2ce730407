"""For the LSP tests: the language servers they start (all real processes), the small project they
read, and helpers to script LSP calls and read their results."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from claw.testing.script import Reply, ToolCall

HERE = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent

UTIL = '''def greet(name: str, excited: bool = False) -> str:
    """Return a greeting."""
    return f"Hello {name}" + ("!" if excited else "")
'''
MAIN = """from util import greet


def run() -> None:
    print(greet("world"))
    print(greet("claw", excited=True))
"""


def pylsp() -> dict[str, Any]:
    return {"command": sys.executable, "args": ["-m", "pylsp"], "extensionToLanguage": {".py": "python"}}


def basedpyright() -> dict[str, Any]:
    return {
        "command": str(BIN / "basedpyright-langserver"),
        "args": ["--stdio"],
        "extensionToLanguage": {".py": "python", ".pyi": "python"},
    }


def fake(mode: str, marker: Path, **extra: Any) -> dict[str, Any]:
    return {
        "command": sys.executable,
        "args": [str(HERE / "fake_server.py"), mode, str(marker)],
        "extensionToLanguage": {".fk": "fake"},
        **extra,
    }


def lsp(operation: str, file: str, line: int = 1, character: int = 1, **extra: Any) -> Reply:
    return Reply(
        ToolCall(
            "LSP", {"operation": operation, "filePath": file, "line": line, "character": character, **extra}
        )
    )


def results(scripted: Any) -> list[dict[str, Any]]:
    """Every tool result the model was sent, in order."""
    out = []
    for request in scripted.requests:
        out += [b for b in request["messages"][-1]["content"] if b.get("type") == "tool_result"]
    return out


def text(result: dict[str, Any]) -> str:
    content = result["content"]
    return content if isinstance(content, str) else "".join(b.get("text", "") for b in content)


def run(claw: Any, *flags: str) -> dict[str, Any]:
    return (
        claw("-p", "look", "--model", "scripted/default", "--output-format", "json", *flags)
        .assert_success()
        .json()
    )

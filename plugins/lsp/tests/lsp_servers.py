"""The language servers the tests start (all real processes) and the small project they read."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

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

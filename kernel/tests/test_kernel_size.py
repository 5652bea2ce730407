"""The kernel stays small in its parts: no module over 600 lines and no function over 80 (issue 12), so a
reader can hold each in mind. ``claw.testing`` (test helpers, not the runtime) is left out."""

from __future__ import annotations

import ast
from pathlib import Path

import claw

MAX_MODULE_LINES = 600
MAX_FUNCTION_LINES = 80

SRC = Path(claw.__file__).parent


def _modules() -> list[Path]:
    return [p for p in sorted(SRC.rglob("*.py")) if "testing" not in p.relative_to(SRC).parts]


def test_the_kernel_sources_are_found() -> None:
    names = {str(p.relative_to(SRC)) for p in _modules()}
    assert {"loop/agent.py", "plugins.py", "hookspecs/__init__.py"} <= names
    assert not any(n.startswith("testing/") for n in names)


def test_no_module_is_over_600_lines() -> None:
    long = {
        str(p.relative_to(SRC)): n
        for p in _modules()
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES
    }
    assert long == {}


def test_no_function_is_over_80_lines() -> None:
    long: dict[str, int] = {}
    for path in _modules():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                span = (node.end_lineno or node.lineno) - node.lineno + 1
                if span > MAX_FUNCTION_LINES:
                    long[f"{path.relative_to(SRC)}:{node.lineno} {node.name}"] = span
    assert long == {}

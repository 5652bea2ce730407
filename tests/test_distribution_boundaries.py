"""Which distribution may import which, checked on the source: the kernel carries no vendor knowledge
and no plugin, the libraries in ``libs/`` are for plugins (never the kernel), and the test kit is for
tests only. Every ``import`` statement counts, also those inside functions (first-use imports), and so
does a module name given as a string (``importlib.import_module("claw_testkit.server")``)."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
KERNEL = ROOT / "kernel" / "src"
TESTKIT = "claw_testkit"
#: Every workspace import package but the kernel's: plugins, libraries, the marketplace.
NOT_KERNEL = [*sorted(p.name for p in ROOT.glob("*/*/src/claw_*") if p.is_dir()), "claw_marketplace"]
#: Production source trees: everything that ships to users (the test kit's own source excepted).
PRODUCTION = [KERNEL, ROOT / "marketplace" / "src", *ROOT.glob("plugins/*/src"), *ROOT.glob("libs/*/src")]
PRODUCTION = [p for p in PRODUCTION if p.parent.name != "testkit"]
MODULE_NAME = re.compile(r"[A-Za-z_]\w*(\.[A-Za-z_]\w*)*")


def imported_names(path: Path) -> Iterator[str]:
    """The dotted module names ``path`` imports, or names as a whole string constant."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module
        elif (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and MODULE_NAME.fullmatch(node.value)
        ):
            yield node.value


def offenders(tree: Path, banned: list[str]) -> list[str]:
    return sorted(
        f"{path.relative_to(ROOT)}: {name}"
        for path in tree.rglob("*.py")
        for name in imported_names(path)
        if name.split(".")[0] in banned
    )


def test_the_kernel_imports_no_plugin_library_or_test_kit() -> None:
    assert {"claw_wire", TESTKIT, "claw_provider_anthropic"} <= set(NOT_KERNEL)
    assert offenders(KERNEL, NOT_KERNEL) == []


def test_the_kernel_holds_no_wire_translation_or_vendor_mock() -> None:
    claw = KERNEL / "claw"
    assert sorted((claw / "wire").rglob("*.py")) == []
    assert sorted((claw / "testing").glob("mock_*.py")) == []


@pytest.mark.parametrize("tree", PRODUCTION, ids=lambda p: str(p.relative_to(ROOT)))
def test_production_code_never_imports_the_test_kit(tree: Path) -> None:
    assert offenders(tree, [TESTKIT]) == []


def test_the_checks_see_imports_inside_functions_and_as_strings(tmp_path: Path) -> None:
    (tmp_path / "mod.py").write_text(
        "def f():\n    from claw_testkit.server import MockServer\n"
        "def g():\n    importlib.import_module('claw_testkit')\n"
        '"""Docs may name ``claw_testkit``."""\n',
        encoding="utf-8",
    )
    assert list(imported_names(tmp_path / "mod.py")) == ["claw_testkit.server", "claw_testkit"]

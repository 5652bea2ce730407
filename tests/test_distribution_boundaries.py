"""Which distribution may import which, checked on the source: the kernel carries no vendor knowledge
and no plugin, the libraries in ``libs/`` are for plugins (never the kernel), and the test kit is for
tests only. Every ``import`` statement counts, also those inside functions (first-use imports), and so
does a module name given as a string (``importlib.import_module("claw_testkit.server")``). And each
distribution declares exactly the third-party packages its source imports."""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

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
    assert sorted(p for name in ("wire", "_wire") for p in (claw / name).rglob("*.py")) == []
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


#: Import names whose distribution is not the import name's first part with ``_`` read as ``-``; the
#: longest dotted prefix listed here wins (namespace packages share a first part).
DISTRIBUTION_OF = {
    "claw": "claw-kernel",
    "azure.identity": "azure-identity",
    "google.auth": "google-auth",
    "google.oauth2": "google-auth",
    "google.genai": "google-genai",
    "opentelemetry": "opentelemetry-api",
    "opentelemetry.sdk": "opentelemetry-sdk",
    "opentelemetry.exporter.otlp.proto.grpc": "opentelemetry-exporter-otlp-proto-grpc",
    "opentelemetry.exporter.otlp.proto.http": "opentelemetry-exporter-otlp-proto-http",
    "yaml": "pyyaml",
}
#: Imported without being declared, on purpose: the kernel's ``claw.testing`` is the pytest plugin
#: (entry point ``pytest11``) that only pytest itself loads.
UNDECLARED = {"claw-kernel": {"pytest"}}
#: Calls whose first argument names a module imported at first use (``claw.require("pypdf")``).
IMPORTING_CALLS = {"require", "import_module"}
DISTRIBUTIONS = [ROOT / "kernel", ROOT / "marketplace", *sorted(ROOT.glob("plugins/*")), *ROOT.glob("libs/*")]


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _project(root: Path) -> dict[str, Any]:
    return tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def distribution_of(module: str) -> str:
    parts = module.split(".")
    prefixes = (".".join(parts[:depth]) for depth in range(len(parts), 0, -1))
    return next((DISTRIBUTION_OF[p] for p in prefixes if p in DISTRIBUTION_OF), _normal(parts[0]))


def used_modules(src: Path) -> set[str]:
    """The modules the tree ``src`` uses: ``import`` statements (``from a import b`` as ``a.b``), the
    first argument of :data:`IMPORTING_CALLS`, and a dotted string naming a submodule of something it
    imports (``"opentelemetry.exporter.otlp.proto.http._log_exporter"`` in a table of modules to load)."""
    found: set[str] = set()
    dotted: set[str] = set()
    for path in src.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                found.update(f"{node.module}.{alias.name}" for alias in node.names)
            elif isinstance(node, ast.Call) and node.args and isinstance(arg := node.args[0], ast.Constant):
                func = node.func
                name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
                if name in IMPORTING_CALLS and isinstance(arg.value, str):
                    found.add(arg.value)
            elif isinstance(node, ast.Constant) and isinstance(node.value, str) and "." in node.value:
                dotted.add(node.value)
    tops = {name.split(".")[0] for name in found}
    return found | {n for n in dotted if MODULE_NAME.fullmatch(n) and n.split(".")[0] in tops}


def is_plugin(dist: str) -> bool:
    """A workspace distribution claw loads through its ``claw`` entry point: depending on it is how the
    kernel ships a default plugin, which it never imports."""
    roots = (root for root in DISTRIBUTIONS if _normal(_project(root)["name"]) == dist)
    return any("claw" in _project(root).get("entry-points", {}) for root in roots)


def undeclared_and_unused(root: Path) -> tuple[list[str], list[str]]:
    """The third-party distributions the one at ``root`` imports without declaring them, and those it
    declares without importing them."""
    project = _project(root)
    src = root / "src"
    own = {p.stem for p in src.iterdir()} | set(sys.stdlib_module_names)
    used = {distribution_of(m) for m in used_modules(src) if m.split(".")[0] not in own}
    used -= UNDECLARED.get(project["name"], set())
    deps = {_normal(re.split(r"[\s\[<>=!~;]", req, maxsplit=1)[0]) for req in project.get("dependencies", [])}
    return sorted(used - deps), sorted(d for d in deps - used if not is_plugin(d))


@pytest.mark.parametrize("root", DISTRIBUTIONS, ids=lambda p: str(p.relative_to(ROOT)))
def test_each_distribution_declares_exactly_the_packages_it_imports(root: Path) -> None:
    assert undeclared_and_unused(root) == ([], [])


def test_the_dependency_check_sees_first_use_imports_and_unused_declarations(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "claw-x"\ndependencies = ["claw-kernel>=0.1", "httpx>=0.28", "mcp[cli]>=2"]\n'
    )
    (tmp_path / "src" / "claw_x").mkdir(parents=True)
    (tmp_path / "src" / "claw_x" / "mod.py").write_text(
        "import json\nfrom claw import require\nfrom claw_x import other\nfrom google.genai import types\n"
        "def f():\n    return require('pypdf'), importlib.import_module('mcp_types')\n"
        "LOAD = {'h': 'opentelemetry.exporter.otlp.proto.http.x', 'g': 'google.oauth2.credentials'}\n"
        "NOT_A_MODULE = 'settings.json'\n",
        encoding="utf-8",
    )
    assert undeclared_and_unused(tmp_path) == (
        ["google-auth", "google-genai", "mcp-types", "pypdf"],
        ["httpx", "mcp"],
    )

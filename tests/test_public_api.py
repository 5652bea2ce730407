"""Plugins use only the public API: what ``claw`` exports (``claw.__all__``), plus ``claw.hookspecs`` (the
contract) and ``claw.testing`` (the test kit); the vendor translations are a library of their own,
``claw_wire``. Anything else in the
kernel (the ``claw._*`` modules, internal as in pytest) can change without notice, so a first-party plugin
(or library: ``libs/``) importing it is a bug this test names by file and line. So is reaching the kernel's
plugin manager through an object it was handed (``loop.app.pm``, ``pm.hook``): hooks are the kernel's to
call; a plugin asks through a public method (``SessionContext.stop_task``)."""

from __future__ import annotations

import ast
import importlib
import subprocess
import sys
from pathlib import Path

import claw
import pytest

ROOT = Path(__file__).resolve().parent.parent
KERNEL = ROOT / "kernel" / "src" / "claw"
#: ``claw.<module>`` a plugin may import besides ``claw`` itself (submodules included, unless a name in the
#: path starts with ``_``: ``claw._cli``, ``claw.hookspecs._x`` are internal, as in pytest).
ALLOWED = ("claw.hookspecs", "claw.testing")
PUBLIC = frozenset(claw.__all__)
#: ``(owner, attribute, owner's node type)``: the kernel's plugin manager reached through the App
#: (``x.app.pm``), or its hooks called through a plugin manager held in a variable (``pm.hook``).
REACH_THROUGH = (("app", "pm", ast.Attribute), ("pm", "hook", ast.Name))


def _allowed(module: str) -> bool:
    public = not any(part.startswith("_") for part in module.split("."))
    return public and any(module == a or module.startswith(a + ".") for a in ALLOWED)


def private_uses(source: str, filename: str) -> list[str]:
    """``file:line: what`` for every use of a non-public part of ``claw`` in ``source``: ``import
    claw.x`` / ``from claw.x import ...``, ``from claw import <not exported>`` and ``claw.<not
    exported>`` attribute access."""
    found = []
    for node in ast.walk(ast.parse(source, filename)):
        what = None
        if isinstance(node, ast.Import):
            bad = [a.name for a in node.names if a.name.startswith("claw.") and not _allowed(a.name)]
            what = f"import {', '.join(bad)}" if bad else None
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if node.module == "claw":
                bad = [a.name for a in node.names if a.name not in PUBLIC and not _allowed(f"claw.{a.name}")]
                what = f"from claw import {', '.join(bad)}" if bad else None
            elif node.module.startswith("claw.") and not _allowed(node.module):
                what = f"from {node.module} import ..."
        elif (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id == "claw"
            and node.attr not in PUBLIC
            and not _allowed(f"claw.{node.attr}")
        ):
            what = f"claw.{node.attr}"
        elif isinstance(node, ast.Attribute) and any(
            node.attr == attr and isinstance(node.value, kind) and _name(node.value) == owner
            for owner, attr, kind in REACH_THROUGH
        ):
            what = f".{_name(node.value)}.{node.attr} (the kernel's plugin manager)"
        if what:
            found.append(f"{filename}:{node.lineno}: {what}")
    return found


def _name(node: ast.expr) -> str:
    return node.attr if isinstance(node, ast.Attribute) else node.id if isinstance(node, ast.Name) else ""


def plugin_sources() -> list[Path]:
    """Every module of the distributions built on the kernel: plugins, libraries and the marketplace."""
    patterns = ("plugins/*/src/**/*.py", "libs/*/src/**/*.py", "marketplace/src/**/*.py")
    return sorted(p for pattern in patterns for p in ROOT.glob(pattern))


def test_the_scan_covers_every_first_party_distribution():
    dists = {p.relative_to(ROOT).parts[:2] for p in plugin_sources()}
    assert ("marketplace", "src") in dists
    for group in ("plugins", "libs"):
        expected = {(group, p.name) for p in (ROOT / group).iterdir() if (p / "src").is_dir()}
        assert expected and {d for d in dists if d[0] == group} == expected


def test_plugins_import_only_the_public_api():
    problems = [
        line
        for path in plugin_sources()
        for line in private_uses(path.read_text(encoding="utf-8"), str(path.relative_to(ROOT)))
    ]
    assert not problems, (
        "plugins use non-public claw modules or reach the kernel's plugin manager (export what they need "
        "from claw):\n" + "\n".join(problems)
    )


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("from claw._config import read_json_file\n", "p.py:1: from claw._config import ..."),
        ("import os\nimport claw._log\n", "p.py:2: import claw._log"),
        ("from claw import _console\n", "p.py:1: from claw import _console"),
        ("import claw._version\n", "p.py:1: import claw._version"),
        ("from claw._markers import hookimpl\n", "p.py:1: from claw._markers import ..."),
        ("from claw.hookspecs._x import y\n", "p.py:1: from claw.hookspecs._x import ..."),
        ("import claw\nclaw._LAZY\n", "p.py:2: claw._LAZY"),
        ("import claw\n\n\nclaw._paths.state_dir()\n", "p.py:4: claw._paths"),
        ("def f():\n    from claw._cli import state_of\n", "p.py:2: from claw._cli import ..."),
        (
            "self.loop.app.pm.hook.claw_stop_task(task_id=t)\n",
            "p.py:1: .app.pm (the kernel's plugin manager)",
        ),
        ("pm = loop.app\npm.hook.claw_x()\n", "p.py:2: .pm.hook (the kernel's plugin manager)"),
    ],
)
def test_the_scan_names_file_and_line_of_a_private_import(source, expected):
    assert private_uses(source, "p.py") == [expected]


def test_the_scan_accepts_the_public_api_and_the_allowed_modules():
    source = (
        "import claw\nfrom claw import Tool, get_logger, hookspecs\nfrom claw_wire import post_stream\n"
        "from claw.testing.venvs import build_wheel\nfrom claw.testing import call_tool\nimport claw.hookspecs\n"
        "claw.require('x')\nclaw.testing.imported_modules('m')\nfrom claw_marketplace import net\n"
        "self.app.send_task('t')\nctx.session.stop_task('t')\nself.pm = 1\n"
    )
    assert private_uses(source, "p.py") == []


def test_every_exported_name_resolves_in_a_fresh_interpreter():
    # a fresh process: names already cached by other tests' imports must not hide a broken _LAZY entry
    code = "import claw\nfor name in claw.__all__:\n    getattr(claw, name)\nprint(len(claw.__all__))\n"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert int(done.stdout) == len(claw.__all__)


def test_every_kernel_module_outside_the_public_api_says_it_is_internal():
    """A module of ``claw`` is internal unless it is made public on purpose (``ALLOWED``): its name starts
    with ``_``, as in pytest, so nobody takes ``claw.config`` for an API."""
    public = {"__init__", "__main__", *(a.removeprefix("claw.") for a in ALLOWED)}
    modules = [p.name.removesuffix(".py") for p in KERNEL.iterdir() if p.suffix == ".py"]
    packages = [p.name for p in KERNEL.iterdir() if (p / "__init__.py").is_file()]
    assert {"_cli", "_loop", "_config", "hookspecs", "testing"} <= {*modules, *packages}
    assert [m for m in [*modules, *packages] if not m.startswith("_") and m not in public] == []


def test_no_exported_name_is_shadowed_by_a_submodule():
    # importing claw.<x> sets the attribute claw.<x> to the module, hiding an exported name <x>
    clashes = [n for n in claw.__all__ if (KERNEL / f"{n}.py").exists() or (KERNEL / n).is_dir()]
    assert clashes == []


def test_lazy_exports_match_the_type_checking_imports():
    """Type checkers read the ``TYPE_CHECKING`` block, the runtime reads ``_LAZY``: they must name the same
    things from the same modules, or a plugin type-checks against something it will not get."""
    tree = ast.parse((KERNEL / "__init__.py").read_text(encoding="utf-8"))
    block = next(n for n in tree.body if isinstance(n, ast.If) and ast.unparse(n.test) == "TYPE_CHECKING")
    typed = {a.name: n.module for n in block.body if isinstance(n, ast.ImportFrom) for a in n.names}
    assert typed == claw._LAZY


def test_an_unknown_name_is_an_attribute_error():
    with pytest.raises(AttributeError, match="module 'claw' has no attribute 'console_'"):
        claw.console_  # noqa: B018


def test_exported_names_come_from_their_declared_module():
    for name, module in claw._LAZY.items():
        assert getattr(claw, name) is getattr(importlib.import_module(module), name), name

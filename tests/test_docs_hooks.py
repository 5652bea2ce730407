"""The hook reference in docs/plugins.md is generated from the docstrings in claw.hookspecs
(``uv run python tools/hookdocs.py docs/plugins.md``), and those docstrings document every parameter and return
value: the contract and its documentation cannot drift apart."""

from __future__ import annotations

import importlib.util
import inspect
import subprocess
import sys
from pathlib import Path

import pytest
from claw import hookspecs

REPO = Path(__file__).resolve().parent.parent
SCRIPT = REPO / "tools" / "hookdocs.py"
_spec = importlib.util.spec_from_file_location("hookdocs", SCRIPT)
assert _spec and _spec.loader
hookdocs = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(hookdocs)

PLUGINS_MD = REPO / "docs" / "plugins.md"
DOC = PLUGINS_MD.read_text(encoding="utf-8")
HOOKS = [name for name, fn in vars(hookspecs).items() if name.startswith("claw_") and inspect.isfunction(fn)]


def test_all_hooks_found():
    assert len(HOOKS) >= 13
    assert sorted(name for name, _ in hookdocs.hooks()) == sorted(HOOKS)


def test_the_reference_lists_the_hooks_family_by_family():
    for family in hookspecs.FAMILIES:
        title = (family.__doc__ or "").splitlines()[0]
        names = [name for name, _ in hookdocs.specs(family)]
        assert names, family.__name__
        positions = [DOC.index(hookdocs.heading(name, getattr(hookspecs, name))) for name in names]
        assert DOC.index(f"\n### {title}\n") < positions[0]
        assert positions == sorted(positions)


@pytest.mark.parametrize("name", HOOKS)
def test_hook_is_documented_with_its_exact_arguments(name):
    args = ", ".join(inspect.signature(getattr(hookspecs, name)).parameters)
    assert f"\n#### `{name}({args})`\n" in DOC


@pytest.mark.parametrize("name", HOOKS)
def test_hookspec_documents_every_parameter_and_its_return(name):
    fn = getattr(hookspecs, name)
    doc = inspect.getdoc(fn) or ""
    params = list(inspect.signature(fn).parameters)
    documented = [line.split()[1].rstrip(":") for line in doc.splitlines() if line.startswith(":param ")]
    assert documented == params
    assert doc.count("\n:returns: ") == 1
    firstresult = fn.claw_spec["firstresult"]
    assert ("Stops at first non-None result." in " ".join(doc.split())) == firstresult


def test_docs_hook_section_is_what_the_script_generates():
    generated = hookdocs.replace_section(DOC, hookdocs.render())
    assert generated == DOC, (
        "docs/plugins.md is out of date: run `uv run python tools/hookdocs.py docs/plugins.md`"
    )


def test_the_script_checks_and_rewrites_a_stale_reference(tmp_path):
    doc = tmp_path / "plugins.md"
    stale = DOC.replace("#### `claw_session_end(session)`", "#### `claw_session_end(session, extra)`")
    doc.write_text(stale, encoding="utf-8")
    script = [sys.executable, str(SCRIPT)]
    check = subprocess.run([*script, "--check", str(doc)], capture_output=True, text=True, check=False)
    assert check.returncode == 1
    assert "+#### `claw_session_end(session)`" in check.stdout
    assert f"claw: error: {doc}: hook reference out of date" in check.stderr
    assert doc.read_text(encoding="utf-8") == stale
    assert subprocess.run([*script, str(doc)], check=False).returncode == 0
    assert doc.read_text(encoding="utf-8") == DOC
    assert subprocess.run([*script, "--check", str(doc)], check=False).returncode == 0


def test_the_script_refuses_a_document_without_markers(tmp_path):
    doc = tmp_path / "plugins.md"
    doc.write_text("# Plugins\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, str(SCRIPT), str(doc)], capture_output=True, text=True, check=False
    )
    assert done.returncode == 1
    assert "the hook reference markers are missing" in done.stderr
    assert doc.read_text(encoding="utf-8") == "# Plugins\n"

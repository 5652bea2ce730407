"""docs/plugins.md's Quick start, followed literally: the files it shows, built and installed into a fresh
venv beside claw-kernel, give a plugin claw loads, whose entry-point module keeps claw's start-up light."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from claw.testing import ClawRunner, assert_import_light, isolated_env
from claw.testing.venvs import build_wheel, kernel_paths, make_venv

#: A file the page shows: a paragraph naming `path` and ending in ":", a blank line, its fenced block.
_FILE = re.compile(r"`([\w./-]+\.(?:toml|py))`(?:(?!\n\n).)*:\n\n```\w+\n(.*?)```", re.S)


def _quick_start_files(repo: Path, root: Path) -> Path:
    doc = (repo / "docs" / "plugins.md").read_text(encoding="utf-8")
    section = doc.split("## Quick start", 1)[1].split("### The class form", 1)[0]
    files = {m.group(1): m.group(2) for m in _FILE.finditer(section)}
    assert {"pyproject.toml", "src/claw_hello/plugin.py"} <= set(files)
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    return root


@pytest.mark.slow
def test_the_quick_start_plugin_installs_loads_and_stays_light(tmp_path: Path, repo: Path) -> None:
    # As the page had it, `pip install` of the plugin failed (hatchling found no package: no
    # `__init__.py`, no wheel target), and its entry-point module built the tool at import, loading
    # pydantic on every claw start (`claw --help` took about twice as long).
    source = _quick_start_files(repo, tmp_path / "claw-hello")
    wheel = build_wheel(source, tmp_path / "dist")
    bindir = make_venv(tmp_path / "venv", *kernel_paths(repo), wheel)
    (tmp_path / "ws").mkdir()
    claw = ClawRunner(isolated_env(tmp_path / "env"), tmp_path / "ws")
    listed = claw.subprocess("plugins", "--json", executable=bindir / "claw")
    assert listed.exit_code == 0, listed.stderr
    hello = next(r for r in json.loads(listed.stdout) if r["name"] == "hello")
    assert hello["status"] == "loaded" and hello["registers"] == {"tools": ["WordCount"]}
    assert_import_light(
        "claw_hello.plugin", banned={"pydantic", "claw._tools"}, env={"PYTHONPATH": str(source / "src")}
    )

"""Real wheels, real entry points: plugins installed into a fresh venv are loaded, and broken ones
are reported and skipped without breaking ``claw``."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
from claw.testing import ClawRunner, isolated_env
from claw.testing.venvs import build_wheel, kernel_paths, make_venv

PYPROJECT = """
[project]
name = "{dist}"
version = "1.2.3"
dependencies = []

[project.entry-points.claw]
{ep} = "{pkg}.plugin"

[build-system]
requires = ["hatchling"]
build-backend = "hatchling.build"

[tool.hatch.build.targets.wheel]
packages = ["src/{pkg}"]
"""

PLUGINS = {
    "claw-hello": (
        "hello",
        "claw_hello",
        """
        import claw

        CLAW_API = ">=1.0,<2"

        @claw.hookimpl
        def claw_register_tools(register):
            from claw_hello.tool import Hello
            register(Hello())
        """,
        """
        from claw import Tool, ToolResult, ToolSpec

        class Hello(Tool):
            spec = ToolSpec(name="Hello", description="Greets", read_only=True)

            async def run(self, input, ctx):
                return ToolResult(content="hello")
        """,
    ),
    "claw-broken": ("broken", "claw_broken", "import claw_dependency_that_is_missing\n", None),
    "claw-ancient": ("ancient", "claw_ancient", 'CLAW_API = "<1.0"\n', None),
}


def _source(root: Path, dist: str, ep: str, pkg: str, plugin: str, tool: str | None) -> Path:
    src = root / dist
    (src / "src" / pkg).mkdir(parents=True)
    (src / "pyproject.toml").write_text(PYPROJECT.format(dist=dist, ep=ep, pkg=pkg))
    (src / "src" / pkg / "__init__.py").write_text("")
    (src / "src" / pkg / "plugin.py").write_text(textwrap.dedent(plugin))
    if tool:
        (src / "src" / pkg / "tool.py").write_text(textwrap.dedent(tool))
    return src


@pytest.fixture(scope="module")
def venv_claw(tmp_path_factory: pytest.TempPathFactory, repo: Path) -> tuple[ClawRunner, Path]:
    root = tmp_path_factory.mktemp("wheels")
    wheels = [build_wheel(_source(root / "src", d, *spec), root / "dist") for d, spec in PLUGINS.items()]
    bindir = make_venv(root / "venv", *kernel_paths(repo), *wheels)
    workspace = root / "workspace"
    workspace.mkdir()
    return ClawRunner(isolated_env(root / "env"), workspace), bindir


def test_installed_plugins_are_loaded_or_reported(venv_claw):
    claw, bindir = venv_claw
    result = claw.subprocess("plugins", "--json", executable=bindir / "claw")
    assert result.exit_code == 0, result.stderr
    records = {r["name"]: r for r in json.loads(result.stdout)}
    assert records["hello"]["status"] == "loaded"
    assert records["hello"]["distribution"] == "claw-hello" and records["hello"]["version"] == "1.2.3"
    assert records["hello"]["registers"] == {"tools": ["Hello"]}
    assert records["broken"]["status"] == "failed"
    assert records["ancient"]["status"] == "incompatible"
    lines = result.stderr.strip().splitlines()
    assert (
        'claw: warning: plugin "broken" (claw-broken 1.2.3) failed to import: ModuleNotFoundError: '
        "No module named 'claw_dependency_that_is_missing'; skipped"
    ) in lines
    assert (
        'claw: warning: plugin "ancient" (claw-ancient 1.2.3) skipped: needs claw plugin API <1.0, '
        "this kernel provides 1.1"
    ) in lines
    assert len(lines) == 2


def test_doctor_in_fresh_venv_names_the_broken_distribution(venv_claw):
    claw, bindir = venv_claw
    result = claw.subprocess("doctor", executable=bindir / "claw")
    assert result.exit_code == 1
    assert "FAIL broken: claw-broken 1.2.3: failed (failed to import: ModuleNotFoundError" in result.stdout
    assert "ok   hello: claw-hello 1.2.3: loaded" in result.stdout


def test_help_and_version_survive_broken_plugins(venv_claw):
    claw, bindir = venv_claw
    assert claw.subprocess("--version", executable=bindir / "claw").exit_code == 0
    result = claw.subprocess("--help", executable=bindir / "claw")
    assert result.exit_code == 0 and "doctor" in result.stdout


def test_disabling_the_broken_plugin_silences_it(venv_claw):
    claw, bindir = venv_claw
    claw.env["CLAW_DISABLE_PLUGINS"] = "claw-broken,ancient"
    try:
        result = claw.subprocess("dump-manifests", "--json", executable=bindir / "claw")
    finally:
        del claw.env["CLAW_DISABLE_PLUGINS"]
    assert result.exit_code == 0 and result.stderr == ""
    # The default distributions' tools (claw-permissions' EnterPlanMode, ExitPlanMode) are listed too;
    # this test is about the plugins it installed.
    tools = [t for t in json.loads(result.stdout)["tools"] if not t["source"].startswith("claw-permissions ")]
    assert tools == [
        {
            "name": "Hello",
            "description": "Greets",
            "read_only": True,
            "aliases": [],
            "input_schema": {"type": "object", "properties": {}},
            "source": "claw-hello 1.2.3",
        }
    ]

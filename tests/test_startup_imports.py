"""Start-up stays import-light: ``claw --help`` with every workspace plugin installed imports no
vendor SDK, no HTTP client and no pydantic; each plugin's entry-point module imports only claw."""

from __future__ import annotations

import json
import subprocess
import sys
from importlib.metadata import entry_points

import pytest
from claw.testing import assert_import_light, banned_among

#: Modules that must never be imported on the start-up path.
HEAVY = {
    "anthropic",
    "openai",
    "boto3",
    "botocore",
    "google.genai",
    "google.auth",
    "azure.identity",
    "mcp",
    "websockets",
    "opentelemetry",
    "sigstore",
    "cryptography",
    "httpx",
    "httpx2",
    "pypdf",
    "rich",
}
#: Also kept off ``--help`` / ``--version``, though plugins may use them once running.
HEAVY_FOR_HELP = HEAVY | {"pydantic", "structlog", "asyncio", "pathspec", "jsonschema", "tree_sitter"}


@pytest.mark.parametrize("argv", [["--help"], ["--version"]])
def test_help_and_version_import_nothing_heavy(argv, claw_env):
    code = (
        "import sys, json\n"
        "from claw.cli import cli\n"
        "from claw.cli._errors import run\n"
        f"run(cli, {argv!r})\n"
        "sys.stderr.write(json.dumps(sorted(sys.modules)))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=claw_env, check=True
    )
    modules = set(json.loads(proc.stderr.strip().splitlines()[-1]))
    assert banned_among(modules, HEAVY_FOR_HELP) == set()


ENTRY_POINTS = sorted({ep.value for ep in entry_points(group="claw")})


@pytest.mark.parametrize("module", ENTRY_POINTS)
def test_plugin_entry_point_module_is_light(module):
    assert_import_light(module, banned=HEAVY)

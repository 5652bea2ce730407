"""Start-up stays import-light: ``claw --help`` with every workspace plugin installed imports no
vendor SDK, no HTTP client and no pydantic; each plugin's entry-point module imports only claw."""

from __future__ import annotations

import json
import subprocess
import sys
from importlib.metadata import entry_points

import pytest

from claw.testing import imported_modules

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
HEAVY_FOR_HELP = HEAVY | {"pydantic", "structlog", "asyncio"}


def _heavy(modules: set[str], banned: set[str]) -> set[str]:
    return {m for m in modules if m in banned or any(m.startswith(b + ".") for b in banned)}


@pytest.mark.parametrize("argv", [["--help"], ["--version"]])
def test_help_and_version_import_nothing_heavy(argv, claw_env):
    code = (
        "import sys, json\n"
        "from claw.cli import cli\n"
        "from claw.cli._errors import run\n"
        f"run(cli, {argv!r})\n"
        "sys.stderr.write(json.dumps(sorted(sys.modules)))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=claw_env, check=True)
    modules = set(json.loads(proc.stderr.strip().splitlines()[-1]))
    assert _heavy(modules, HEAVY_FOR_HELP) == set()


ENTRY_POINTS = sorted({ep.value for ep in entry_points(group="claw")})


@pytest.mark.parametrize("module", ENTRY_POINTS)
def test_plugin_entry_point_module_is_light(module):
    assert _heavy(imported_modules(module), HEAVY) == set()

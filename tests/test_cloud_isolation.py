"""Each cloud provider works alone: a fresh venv with only ``claw-kernel`` and that one plugin (and the
plugin's own dependencies: ``claw-wire``, its SDKs) runs a tool-using ``claw -p`` session against its
loopback server."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest
from claw.testing import ClawRunner
from claw.testing.script import Reply, Text, ToolCall
from claw.testing.venvs import kernel_paths, make_venv
from claw_testkit.mock_bedrock import MockBedrockServer
from claw_testkit.mock_foundry import MockFoundryServer
from claw_testkit.mock_vertex import MockVertexServer
from cloud_e2e import LOOKUP_TOOL

pytestmark = pytest.mark.slow

#: SDK import names each provider's venv must have, and those of the other clouds it must not.
SDKS = {
    "bedrock": ({"boto3"}, {"anthropic", "openai", "google.genai", "azure.identity"}),
    "vertex": ({"anthropic", "google.genai"}, {"boto3", "openai", "azure.identity"}),
    "foundry": ({"openai", "anthropic", "azure.identity"}, {"boto3", "google.genai"}),
}


@pytest.fixture(scope="module")
def venvs(tmp_path_factory: pytest.TempPathFactory, repo: Path) -> Any:
    """``venvs(name)``: the bin directory of a venv holding only the kernel, ``provider-<name>`` and the
    wire library it depends on, built once per module."""
    built: dict[str, Path] = {}
    root = tmp_path_factory.mktemp("cloud-venvs")

    def get(name: str) -> Path:
        if name not in built:
            built[name] = make_venv(
                root / name,
                *kernel_paths(repo),
                repo / "libs" / "wire",
                repo / "plugins" / f"provider-{name}",
            )
        return built[name]

    return get


def _session(claw: ClawRunner, bindir: Path, model: str, server: Any) -> dict[str, Any]:
    server.script(Reply(ToolCall("Lookup", {"key": "answer"})), Reply(Text("The answer is 42.")))
    res = claw.subprocess(
        "-p", "answer?", "--model", model, "--output-format", "json", executable=bindir / "claw"
    )
    res.assert_success()
    return res.json()


@pytest.mark.parametrize("name", ["bedrock", "vertex", "foundry"])
def test_only_this_provider_is_installed(venvs, name):
    bindir = venvs(name)
    have, lack = SDKS[name]
    code = (
        "import importlib.util as u, json, sys\n"
        "def has(m):\n"
        "    try:\n"
        "        return u.find_spec(m) is not None\n"
        "    except ModuleNotFoundError:\n"
        "        return False\n"
        "print(json.dumps({m: has(m) for m in sys.argv[1:]}))"
    )
    probe = sorted(have | lack | {"claw_provider_anthropic", "claw_provider_openai"})
    out = subprocess.run([bindir / "python", "-c", code, *probe], capture_output=True, text=True, check=True)
    found = json.loads(out.stdout)
    assert {m for m, ok in found.items() if ok} == have


def test_bedrock_alone(venvs, claw, e2e_env):
    with MockBedrockServer(access_key="AKIDISO") as server:
        e2e_env(
            LOOKUP_TOOL,
            AWS_ACCESS_KEY_ID="AKIDISO",
            AWS_SECRET_ACCESS_KEY="s",
            AWS_REGION="eu-west-1",
            AWS_ENDPOINT_URL_BEDROCK_RUNTIME=server.url,
        )
        result = _session(claw, venvs("bedrock"), "bedrock/eu.anthropic.claude-sonnet-4-6", server)
    assert result["result"] == "The answer is 42." and result["num_turns"] == 2
    tool_result = server.requests[1].json["messages"][2]["content"][0]["toolResult"]
    assert tool_result["content"] == [{"text": "fact: 42"}]


def test_vertex_alone(venvs, claw, e2e_env):
    with MockVertexServer(access_token="ya29.iso") as server:
        e2e_env(LOOKUP_TOOL, GOOGLE_CLOUD_PROJECT="iso", CLOUD_ML_REGION="us-east5")
        settings = {"providers": {"vertex": {"base_url": server.url, "access_token": "ya29.iso"}}}
        (claw.workspace / ".claw").mkdir()
        (claw.workspace / ".claw" / "settings.json").write_text(json.dumps(settings))
        claude = _session(claw, venvs("vertex"), "vertex/claude-sonnet-4-6", server)
        gemini = _session(claw, venvs("vertex"), "vertex/gemini-2.5-flash", server)
    assert claude["result"] == gemini["result"] == "The answer is 42."
    assert [c[0] for c in server.calls] == ["anthropic", "anthropic", "google", "google"]


def test_foundry_alone(venvs, claw, e2e_env):
    with MockFoundryServer(api_key="iso-key") as server:
        e2e_env(
            LOOKUP_TOOL,
            AZURE_OPENAI_ENDPOINT=server.url,
            ANTHROPIC_FOUNDRY_BASE_URL=server.anthropic_base_url,
            AZURE_OPENAI_API_KEY="iso-key",
        )
        openai = _session(claw, venvs("foundry"), "foundry/gpt-5.4", server)
        claude = _session(claw, venvs("foundry"), "foundry/claude-sonnet-4-6", server)
    assert openai["result"] == claude["result"] == "The answer is 42."
    assert [c[0] for c in server.calls] == ["openai", "openai", "anthropic", "anthropic"]

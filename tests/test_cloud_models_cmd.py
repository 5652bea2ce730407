"""``claw models`` with the cloud provider plugins installed."""

from __future__ import annotations

import json


def test_cloud_catalogues_are_listed_with_capabilities(claw):
    data = claw("models", "--provider", "bedrock", "--provider", "vertex", "--provider", "foundry", "--json")
    models = {m["address"]: m for m in data.assert_success().json()}
    assert {m["provider"] for m in models.values()} == {"bedrock", "vertex", "foundry"}
    sonnet = models["bedrock/anthropic.claude-sonnet-4-6"]
    assert sonnet["aliases"] == ["claude-sonnet-4-6"] and sonnet["supports_prompt_cache"]
    assert models["vertex/claude-sonnet-4-5@20250929"]["aliases"] == [
        "claude-sonnet-4-5",
        "claude-sonnet-4-5-20250929",
    ]
    assert models["vertex/gemini-2.5-pro"]["context_window"] == 1_048_576
    assert models["foundry/DeepSeek-R1"]["supports_tools"] is False
    assert all(m["pricing"] for m in models.values())


def test_table_for_one_provider(claw):
    out = claw("models", "--provider", "foundry").assert_success().stdout.splitlines()
    assert out[0].startswith("MODEL") and all(line.startswith("foundry/") for line in out[1:])
    assert any(line.startswith("foundry/claude-sonnet-4-6 ") for line in out)


def test_catalogues_match_the_snapshot_taken_before_they_became_data(claw, repo):
    """``tests/data/cloud_models.json`` is ``claw models --json`` from when these catalogues were Python
    code: moving them to ``models.json`` changed no value. Update it with a deliberate catalogue change."""
    data = claw("models", "--provider", "bedrock", "--provider", "vertex", "--provider", "foundry", "--json")
    snapshot = json.loads((repo / "tests" / "data" / "cloud_models.json").read_text())
    assert data.assert_success().json() == snapshot

"""``claw models`` lists the models settings declare (``providers.openai.models``,
``providers.foundry.deployments``) as the configured providers describe them."""

from __future__ import annotations

import json

SETTINGS = {
    "providers": {
        "openai": {
            "base_url": "http://127.0.0.1:9/v1",
            "models": {"qwen3-coder": {"supports_images": True, "max_output_tokens": 8192}},
        },
        "foundry": {"deployments": {"team-sonnet": "claude-sonnet-4-6", "plain": "openai"}},
    }
}


def test_declared_models_are_listed_from_settings(claw):
    args = ["--settings", json.dumps(SETTINGS), "models", "--provider", "openai", "--provider", "foundry"]
    data = {m["address"]: m for m in claw(*args, "--json").assert_success().json()}
    qwen = data["openai/qwen3-coder"]
    assert qwen["source"] == "settings" and qwen["supports_images"] and qwen["max_output_tokens"] == 8192
    team = data["foundry/team-sonnet"]
    sonnet = data["foundry/claude-sonnet-4-6"]
    assert team["source"] == "settings" and sonnet["source"] == "catalogue"
    assert team["context_window"] == sonnet["context_window"] and team["supports_images"]
    assert data["foundry/plain"]["source"] == "settings"
    assert all(
        m["source"] == "catalogue"
        for a, m in data.items()
        if a not in {"openai/qwen3-coder", "foundry/team-sonnet", "foundry/plain"}
    )
    rows = claw(*args).assert_success().stdout.splitlines()
    assert rows[0].split()[-1] == "SOURCE"
    (qwen_row,) = [r for r in rows if r.startswith("openai/qwen3-coder ")]
    assert qwen_row.split()[-1] == "settings"
    plain = claw("models", "--provider", "openai", "--json").assert_success().json()
    assert "openai/qwen3-coder" not in {m["address"] for m in plain}

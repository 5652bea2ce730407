"""``credentials()`` of the cloud providers (what ``claw doctor`` and routing call) never touches the
network: every socket connection fails during the check, and the answers are still given."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from claw_provider_bedrock.provider import BedrockProvider
from claw_provider_foundry.provider import FoundryProvider
from claw_provider_vertex.provider import VertexProvider


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("network access during a credential check")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


@pytest.mark.parametrize(
    ("cls", "settings", "env", "present"),
    [
        (BedrockProvider, {}, {"AWS_PROFILE": "sso-dev"}, False),
        (BedrockProvider, {}, {"AWS_ACCESS_KEY_ID": "a", "AWS_SECRET_ACCESS_KEY": "b"}, True),
        (VertexProvider, {"project": "p"}, {}, False),
        (VertexProvider, {"project": "p", "access_token": "t"}, {}, True),
        (FoundryProvider, {"resource": "r"}, {}, False),
        (FoundryProvider, {"resource": "r"}, {"AZURE_OPENAI_API_KEY": "k"}, True),
    ],
)
def test_credential_checks_are_offline(no_network, tmp_path: Path, cls, settings, env, present) -> None:
    status = cls(settings, {"HOME": str(tmp_path), **env}).credentials()
    assert status.present is present
    assert status.source if present else status.hint


def test_doctor_reports_cloud_providers_offline(no_network, claw, claw_env) -> None:
    claw_env.update(AWS_ACCESS_KEY_ID="a", AWS_SECRET_ACCESS_KEY="b", GOOGLE_CLOUD_PROJECT="p")
    out = claw("doctor").stdout
    assert "ok   bedrock: credentials from AWS_ACCESS_KEY_ID" in out
    assert "WARN vertex: no credentials: run 'gcloud auth application-default login'" in out
    assert "WARN foundry: no credentials: set ANTHROPIC_FOUNDRY_RESOURCE" in out

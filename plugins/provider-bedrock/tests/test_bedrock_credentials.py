"""The offline credential-chain check, the catalogue and the light entry point."""

from __future__ import annotations

from pathlib import Path

import pytest
from claw.testing import assert_import_light
from claw_provider_bedrock.provider import BedrockProvider


def status(tmp_path: Path, settings: dict | None = None, **env: str):  # type: ignore[no-untyped-def]
    return BedrockProvider(settings or {}, {"HOME": str(tmp_path), **env}).credentials()


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def test_environment_keys(tmp_path: Path) -> None:
    st = status(tmp_path, AWS_ACCESS_KEY_ID="AKID", AWS_SECRET_ACCESS_KEY="s")
    assert st.present and st.source == "AWS_ACCESS_KEY_ID"
    assert not status(tmp_path, AWS_ACCESS_KEY_ID="AKID").present  # half a key pair is no credential


def test_bedrock_api_key(tmp_path: Path) -> None:
    st = status(tmp_path, AWS_BEARER_TOKEN_BEDROCK="bedrock-api-key-xyz")
    assert st.present and "AWS_BEARER_TOKEN_BEDROCK" in (st.source or "")


def test_default_profile_in_credentials_file(tmp_path: Path) -> None:
    write(tmp_path / ".aws" / "credentials", "[default]\naws_access_key_id = A\naws_secret_access_key = B\n")
    st = status(tmp_path)
    assert st.present and "profile default (static keys)" in (st.source or "")


def test_named_sso_profile_from_settings_beats_environment_keys(tmp_path: Path) -> None:
    config = write(
        tmp_path / "cfg",
        "[profile work]\nsso_session = corp\nsso_account_id = 1\nregion = eu-central-1\n",
    )
    st = status(
        tmp_path,
        {"profile": "work"},
        AWS_CONFIG_FILE=str(config),
        AWS_ACCESS_KEY_ID="AKID",
        AWS_SECRET_ACCESS_KEY="s",
    )
    assert st.present and st.source == f"profile work (SSO) in {config}"
    p = BedrockProvider({"profile": "work"}, {"HOME": str(tmp_path), "AWS_CONFIG_FILE": str(config)})
    assert p.region() == "eu-central-1"


def test_aws_profile_without_credentials(tmp_path: Path) -> None:
    st = status(tmp_path, AWS_PROFILE="missing")
    assert not st.present and "'missing'" in st.hint


def test_role_profile_and_web_identity_and_container(tmp_path: Path) -> None:
    write(
        tmp_path / ".aws" / "config",
        "[profile ci]\nrole_arn = arn:aws:iam::1:role/x\nsource_profile = default\n",
    )
    assert status(tmp_path, AWS_PROFILE="ci").source.startswith("profile ci (assumed role)")  # type: ignore[union-attr]
    web = status(tmp_path, AWS_WEB_IDENTITY_TOKEN_FILE="/t", AWS_ROLE_ARN="arn:aws:iam::1:role/y")
    assert web.present and web.source == "AWS_WEB_IDENTITY_TOKEN_FILE"
    ecs = status(tmp_path, AWS_CONTAINER_CREDENTIALS_RELATIVE_URI="/v2/credentials/x")
    assert ecs.present and "container" in (ecs.source or "")


def test_nothing_configured_gives_a_hint(tmp_path: Path) -> None:
    st = status(tmp_path)
    assert not st.present and "AWS_ACCESS_KEY_ID" in st.hint and "aws sso login" in st.hint


def test_credentials_check_does_not_import_boto(tmp_path: Path) -> None:
    code_env = {"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"}
    assert_import_light("claw_provider_bedrock.credentials", banned={"boto3", "botocore"}, env=code_env)


def test_entry_point_module_is_light() -> None:
    banned = {"boto3", "botocore", "anthropic", "openai", "google", "azure", "pydantic"}
    assert_import_light("claw_provider_bedrock.plugin", banned=banned)


def test_provider_module_imports_no_sdk() -> None:
    # the kernel imports it whenever a run registers providers
    assert_import_light("claw_provider_bedrock.provider", banned={"boto3", "botocore", "urllib3"})


@pytest.mark.parametrize(
    ("model", "expected_id", "window"),
    [
        ("anthropic.claude-sonnet-4-6", "anthropic.claude-sonnet-4-6", 1_000_000),
        ("us.anthropic.claude-sonnet-4-6", "us.anthropic.claude-sonnet-4-6", 1_000_000),
        ("global.anthropic.claude-opus-4-6-v1", "global.anthropic.claude-opus-4-6-v1", 1_000_000),
        ("claude-haiku-4-5", "claude-haiku-4-5", 200_000),
    ],
)
def test_model_info_by_id_profile_and_alias(model: str, expected_id: str, window: int) -> None:
    info = BedrockProvider.model_info(model)
    assert info.id == expected_id and info.context_window == window and info.provider == "bedrock"
    assert info.supports_prompt_cache


def test_unknown_model_gets_conservative_defaults() -> None:
    info = BedrockProvider.model_info("arn:aws:bedrock:us-east-1:1:application-inference-profile/abc")
    assert not info.supports_thinking and not info.supports_prompt_cache and info.pricing is None


def test_catalogue_claude_capabilities() -> None:
    sonnet = BedrockProvider.model_info("anthropic.claude-sonnet-4-6")
    assert sonnet.supports_images and sonnet.supports_thinking and sonnet.supports_prompt_cache
    assert "max" in sonnet.effort_levels and sonnet.pricing is not None and sonnet.pricing.input == 3.0
    r1 = BedrockProvider.model_info("deepseek.r1-v1:0")
    assert not r1.supports_tools and r1.effort_levels == ()


def test_ec2_instance_role_is_recognised_offline(tmp_path: Path) -> None:
    from claw_provider_bedrock import credentials

    dmi = write(tmp_path / "dmi" / "board_vendor", "Amazon EC2\n").parent
    st = credentials.status({}, {"HOME": str(tmp_path)}, dmi)
    assert st.present and st.source == "EC2 instance role (instance metadata)"
    assert not credentials.status(
        {}, {"HOME": str(tmp_path), "AWS_EC2_METADATA_DISABLED": "true"}, dmi
    ).present
    assert not credentials.status({}, {"HOME": str(tmp_path)}, tmp_path / "no-dmi").present

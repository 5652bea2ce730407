"""Where the AWS credential chain would find credentials, decided offline.

botocore's own resolver may call STS, SSO or the instance-metadata service to *obtain* credentials,
and ``claw doctor`` must not touch the network, so this walks the same chain by reading the
environment and the shared config files only: environment keys, a Bedrock API key
(``AWS_BEARER_TOKEN_BEDROCK``), web identity, the named profile (static keys, SSO, a role, a
``credential_process``), container credentials, and an EC2 instance (recognised from its DMI data
in ``/sys``, whose instance role the metadata service serves at run time).
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from claw import CredentialStatus

if TYPE_CHECKING:
    import configparser

HINT = (
    "set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, AWS_PROFILE (or providers.bedrock.profile), "
    "AWS_BEARER_TOKEN_BEDROCK, or run 'aws sso login'"
)

_PROFILE_KEYS = (
    ("aws_access_key_id", "static keys"),
    ("sso_session", "SSO"),
    ("sso_start_url", "SSO"),
    ("role_arn", "assumed role"),
    ("credential_process", "credential_process"),
    ("web_identity_token_file", "web identity"),
    ("login_session", "console login"),
)


#: Where Linux exposes the machine's DMI (SMBIOS) strings.
DMI = Path("/sys/class/dmi/id")


def on_ec2(dmi: Path = DMI) -> bool:
    """Whether this is an EC2 instance (Nitro: ``board_vendor``/``sys_vendor`` "Amazon EC2"; Xen:
    ``product_uuid`` starting with ``ec2``), judged offline."""
    for name in ("board_vendor", "sys_vendor"):
        with contextlib.suppress(OSError):
            if "Amazon EC2" in (dmi / name).read_text():
                return True
    with contextlib.suppress(OSError):
        return (dmi / "product_uuid").read_text().lower().startswith("ec2")
    return False


def profile_name(settings: Mapping[str, Any], env: Mapping[str, str]) -> str | None:
    """The AWS profile to use: ``providers.bedrock.profile``, then ``AWS_PROFILE``/``AWS_DEFAULT_PROFILE``."""
    return settings.get("profile") or env.get("AWS_PROFILE") or env.get("AWS_DEFAULT_PROFILE") or None


def _home(env: Mapping[str, str]) -> Path:
    return Path(env["HOME"]) if env.get("HOME") else Path.home()


def _read(path: Path) -> configparser.RawConfigParser:
    import configparser  # at the first read: most runs never look for AWS credentials

    parser = configparser.RawConfigParser()
    with contextlib.suppress(configparser.Error, OSError, UnicodeDecodeError):
        parser.read(path, encoding="utf-8")
    return parser


def _profile_sections(env: Mapping[str, str], profile: str) -> list[tuple[Path, dict[str, str]]]:
    credentials = Path(env.get("AWS_SHARED_CREDENTIALS_FILE") or _home(env) / ".aws" / "credentials")
    config = Path(env.get("AWS_CONFIG_FILE") or _home(env) / ".aws" / "config")
    found = []
    creds = _read(credentials)
    if creds.has_section(profile):
        found.append((credentials, dict(creds.items(profile))))
    conf = _read(config)
    section = profile if profile == "default" else f"profile {profile}"
    for name in (section, profile):
        if conf.has_section(name):
            found.append((config, dict(conf.items(name))))
            break
    return found


def profile_region(env: Mapping[str, str], profile: str | None) -> str | None:
    """The ``region`` of the profile in the shared config file, if set."""
    for _, values in _profile_sections(env, profile or "default"):
        if values.get("region"):
            return values["region"]
    return None


def status(settings: Mapping[str, Any], env: Mapping[str, str], dmi: Path = DMI) -> CredentialStatus:
    """Where credentials would come from, without a network call."""
    profile = profile_name(settings, env)
    # As in botocore: environment keys win over AWS_PROFILE, but not over an explicitly chosen profile.
    explicit = bool(settings.get("profile"))
    if env.get("AWS_BEARER_TOKEN_BEDROCK"):
        return CredentialStatus(present=True, source="AWS_BEARER_TOKEN_BEDROCK (Bedrock API key)")
    if not explicit and env.get("AWS_ACCESS_KEY_ID") and env.get("AWS_SECRET_ACCESS_KEY"):
        return CredentialStatus(present=True, source="AWS_ACCESS_KEY_ID")
    if not explicit and env.get("AWS_WEB_IDENTITY_TOKEN_FILE") and env.get("AWS_ROLE_ARN"):
        return CredentialStatus(present=True, source="AWS_WEB_IDENTITY_TOKEN_FILE")
    for path, values in _profile_sections(env, profile or "default"):
        for key, kind in _PROFILE_KEYS:
            if values.get(key):
                return CredentialStatus(
                    present=True, source=f"profile {profile or 'default'} ({kind}) in {path}"
                )
    if profile is not None:
        return CredentialStatus(
            present=False, hint=f"AWS profile {profile!r} has no credentials in ~/.aws; " + HINT
        )
    if env.get("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI") or env.get("AWS_CONTAINER_CREDENTIALS_FULL_URI"):
        return CredentialStatus(present=True, source="container credentials (ECS/EKS)")
    if env.get("AWS_EC2_METADATA_DISABLED", "").lower() != "true" and on_ec2(dmi):
        return CredentialStatus(present=True, source="EC2 instance role (instance metadata)")
    return CredentialStatus(present=False, hint=HINT)

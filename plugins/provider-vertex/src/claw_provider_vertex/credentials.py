"""Project, region and credentials for Vertex AI, resolved offline.

Application Default Credentials (google-auth) look, in order, at ``GOOGLE_APPLICATION_CREDENTIALS``,
gcloud's ``application_default_credentials.json`` and the metadata server. The last one needs a
network call, so ``credentials()`` reports it only where it exists for sure: on Compute Engine
(recognised from DMI data in ``/sys``) and on Cloud Run / Cloud Functions / App Engine (their
environment variables). ``providers.vertex.access_token`` bypasses google-auth entirely.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from claw import CredentialStatus

DEFAULT_REGION = "global"

HINT = "run 'gcloud auth application-default login' or set GOOGLE_APPLICATION_CREDENTIALS"

#: Where Linux exposes the machine's DMI (SMBIOS) strings.
DMI = Path("/sys/class/dmi/id")
#: Variables Google's serverless runtimes set (Cloud Run, Cloud Functions, App Engine).
_SERVERLESS = ("K_SERVICE", "CLOUD_RUN_JOB", "FUNCTION_TARGET", "GAE_ENV")


def metadata_server(env: Mapping[str, str], dmi: Path = DMI) -> str | None:
    """Which Google runtime provides a metadata server here, judged offline."""
    if any(env.get(v) for v in _SERVERLESS):
        return "Google Cloud serverless metadata server"
    try:
        if "Google Compute Engine" in (dmi / "product_name").read_text():
            return "Compute Engine metadata server"
    except OSError:
        pass
    return None


PROJECT_HINT = "set GOOGLE_CLOUD_PROJECT (or ANTHROPIC_VERTEX_PROJECT_ID, or providers.vertex.project)"


def adc_file(env: Mapping[str, str]) -> Path:
    """gcloud's ADC file: ``$CLOUDSDK_CONFIG`` or the platform's gcloud config directory."""
    if env.get("CLOUDSDK_CONFIG"):
        return Path(env["CLOUDSDK_CONFIG"]) / "application_default_credentials.json"
    if os.name == "nt" and env.get("APPDATA"):
        return Path(env["APPDATA"]) / "gcloud" / "application_default_credentials.json"
    home = Path(env["HOME"]) if env.get("HOME") else Path.home()
    return home / ".config" / "gcloud" / "application_default_credentials.json"


def _credential_file(env: Mapping[str, str]) -> tuple[Path, str] | None:
    explicit = env.get("GOOGLE_APPLICATION_CREDENTIALS")
    if explicit:
        return Path(explicit), "GOOGLE_APPLICATION_CREDENTIALS"
    path = adc_file(env)
    return (path, "gcloud application-default credentials") if path.is_file() else None


def project(settings: Mapping[str, Any], env: Mapping[str, str]) -> str | None:
    """The Google Cloud project: settings, then the environment, then the credential file's own."""
    for value in (
        settings.get("project"),
        env.get("ANTHROPIC_VERTEX_PROJECT_ID"),
        env.get("GOOGLE_CLOUD_PROJECT"),
        env.get("GCLOUD_PROJECT"),
        env.get("CLOUDSDK_CORE_PROJECT"),
    ):
        if value:
            return str(value)
    found = _credential_file(env)
    if found is not None:
        try:
            data = json.loads(found[0].read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if isinstance(data, dict):
            return data.get("project_id") or data.get("quota_project_id") or None
    return None


def region(settings: Mapping[str, Any], env: Mapping[str, str]) -> str:
    """The location: settings, ``GOOGLE_CLOUD_REGION``, ``CLOUD_ML_REGION``, ``GOOGLE_CLOUD_LOCATION``,
    else ``global`` (served by every current Claude and Gemini model)."""
    return (
        settings.get("region")
        or env.get("GOOGLE_CLOUD_REGION")
        or env.get("CLOUD_ML_REGION")
        or env.get("GOOGLE_CLOUD_LOCATION")
        or DEFAULT_REGION
    )


def status(settings: Mapping[str, Any], env: Mapping[str, str], dmi: Path = DMI) -> CredentialStatus:
    if not project(settings, env):
        return CredentialStatus(present=False, hint=PROJECT_HINT)
    if settings.get("access_token"):
        return CredentialStatus(present=True, source="settings providers.vertex.access_token")
    found = _credential_file(env)
    if found is None:
        server = metadata_server(env, dmi)
        if server is not None:
            return CredentialStatus(present=True, source=server)
        return CredentialStatus(present=False, hint=HINT)
    path, source = found
    if not path.is_file():
        return CredentialStatus(
            present=False, hint=f"GOOGLE_APPLICATION_CREDENTIALS names a missing file: {path}"
        )
    return CredentialStatus(present=True, source=f"{source} ({path})")

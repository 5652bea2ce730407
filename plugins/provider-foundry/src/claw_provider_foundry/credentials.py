"""Endpoints and credentials for Azure AI Foundry, resolved without network calls.

An API key wins; without one, Entra ID tokens come from ``azure-identity``'s
``DefaultAzureCredential`` at run time. That chain may call Entra ID or a managed-identity endpoint,
so ``credentials()`` only reports which of its sources is configured (environment service principal,
workload identity, managed identity, an Azure VM's instance metadata (recognised from its DMI asset
tag in ``/sys``), an Azure CLI / azd login).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

from claw import CredentialStatus

Wire = Literal["openai", "anthropic"]

#: The Entra ID scope for Azure AI services (Azure OpenAI and Foundry models).
SCOPE = "https://cognitiveservices.azure.com/.default"

ENDPOINT_HINT = (
    "set ANTHROPIC_FOUNDRY_RESOURCE (your Foundry resource name), AZURE_OPENAI_ENDPOINT, "
    "ANTHROPIC_FOUNDRY_BASE_URL or providers.foundry.resource"
)
HINT = (
    "set AZURE_OPENAI_API_KEY or ANTHROPIC_FOUNDRY_API_KEY (or providers.foundry.api_key), "
    "or sign in for Entra ID with 'az login'"
)

_KEY_VARS: dict[Wire, tuple[str, ...]] = {
    "openai": ("AZURE_OPENAI_API_KEY", "ANTHROPIC_FOUNDRY_API_KEY"),
    "anthropic": ("ANTHROPIC_FOUNDRY_API_KEY", "AZURE_OPENAI_API_KEY"),
}


def api_key(settings: Mapping[str, Any], env: Mapping[str, str], wire: Wire) -> tuple[str, str] | None:
    """``(key, where from)``: settings, then the wire's own variable, then the other one (a Foundry
    resource has one key for both APIs)."""
    if settings.get("api_key"):
        return str(settings["api_key"]), "settings providers.foundry.api_key"
    for var in _KEY_VARS[wire]:
        if env.get(var):
            return env[var], var
    return None


def _resource(settings: Mapping[str, Any], env: Mapping[str, str]) -> str | None:
    return settings.get("resource") or env.get("ANTHROPIC_FOUNDRY_RESOURCE") or None


def base_url(settings: Mapping[str, Any], env: Mapping[str, str], wire: Wire) -> str | None:
    """The SDK ``base_url`` for ``wire``.

    ``openai``: ``openai_base_url`` setting, ``<base_url>/openai/v1/``, ``AZURE_OPENAI_ENDPOINT`` +
    ``/openai/v1/``, or ``https://<resource>.openai.azure.com/openai/v1/``. ``anthropic``:
    ``anthropic_base_url`` setting, ``<base_url>/anthropic/``, ``ANTHROPIC_FOUNDRY_BASE_URL``, or
    ``https://<resource>.services.ai.azure.com/anthropic/``.
    """
    root = settings.get("base_url")
    resource = _resource(settings, env)
    if wire == "openai":
        if settings.get("openai_base_url"):
            return str(settings["openai_base_url"])
        if root:
            return f"{str(root).rstrip('/')}/openai/v1/"
        endpoint = env.get("AZURE_OPENAI_ENDPOINT")
        if endpoint:
            endpoint = endpoint.rstrip("/")
            return f"{endpoint}/" if endpoint.endswith("/openai/v1") else f"{endpoint}/openai/v1/"
        return f"https://{resource}.openai.azure.com/openai/v1/" if resource else None
    if settings.get("anthropic_base_url"):
        return str(settings["anthropic_base_url"])
    if root:
        return f"{str(root).rstrip('/')}/anthropic/"
    if env.get("ANTHROPIC_FOUNDRY_BASE_URL"):
        return env["ANTHROPIC_FOUNDRY_BASE_URL"]
    return f"https://{resource}.services.ai.azure.com/anthropic/" if resource else None


#: Where Linux exposes the machine's DMI (SMBIOS) strings.
DMI = Path("/sys/class/dmi/id")
#: The chassis asset tag every Azure VM carries.
AZURE_ASSET_TAG = "7783-7084-3265-9085-8269-3286-77"


def on_azure_vm(dmi: Path = DMI) -> bool:
    try:
        return (dmi / "chassis_asset_tag").read_text().strip() == AZURE_ASSET_TAG
    except OSError:
        return False


def entra_source(env: Mapping[str, str], dmi: Path = DMI) -> str | None:
    """Which ``DefaultAzureCredential`` source is configured, judged from the environment and files."""
    if env.get("AZURE_TENANT_ID") and env.get("AZURE_CLIENT_ID"):
        if env.get("AZURE_FEDERATED_TOKEN_FILE"):
            return "Entra ID workload identity"
        if env.get("AZURE_CLIENT_SECRET") or env.get("AZURE_CLIENT_CERTIFICATE_PATH"):
            return "Entra ID service principal (AZURE_CLIENT_ID)"
    if env.get("IDENTITY_ENDPOINT") or env.get("MSI_ENDPOINT"):
        return "Entra ID managed identity"
    if on_azure_vm(dmi):
        return "Entra ID managed identity (Azure VM instance metadata)"
    home = Path(env["HOME"]) if env.get("HOME") else Path.home()
    azure_dir = Path(env.get("AZURE_CONFIG_DIR") or home / ".azure")
    if (azure_dir / "azureProfile.json").is_file() or any(azure_dir.glob("msal_token_cache*")):
        return f"Entra ID via Azure CLI login ({azure_dir})"
    if (home / ".azd" / "auth").is_dir():
        return "Entra ID via Azure Developer CLI login"
    return None


def status(settings: Mapping[str, Any], env: Mapping[str, str], dmi: Path = DMI) -> CredentialStatus:
    if base_url(settings, env, "openai") is None and base_url(settings, env, "anthropic") is None:
        return CredentialStatus(present=False, hint=ENDPOINT_HINT)
    for wire in ("openai", "anthropic"):
        found = api_key(settings, env, wire)  # type: ignore[arg-type]
        if found is not None:
            return CredentialStatus(present=True, source=found[1])
    source = entra_source(env, dmi)
    if source is not None:
        return CredentialStatus(present=True, source=source)
    return CredentialStatus(present=False, hint=HINT)

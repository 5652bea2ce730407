"""The marketplace's two JSON documents: ``index.json`` and ``<name>/manifest.json``.

Layout under a base URL::

    index.json                      {"name": ..., "plugins": [{"name", "version", "summary", "versions"}]}
    <name>/manifest.json            the latest version of one plugin
    <name>/<version>/manifest.json  each published version (``--version``)
    <name>/<wheel>, <wheel>.sig     the files manifests point at (relative or absolute URLs)

Unknown fields are ignored, as Claude Code does for ``marketplace.json``, so the format can grow.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from claw_marketplace.errors import MarketplaceError


class IndexEntry(BaseModel):
    model_config = ConfigDict(extra="ignore")

    name: str
    version: str
    summary: str = ""
    versions: list[str] = Field(default_factory=list)


class Index(BaseModel):
    model_config = ConfigDict(extra="ignore")

    name: str = ""
    plugins: list[IndexEntry]


class Publisher(BaseModel):
    model_config = ConfigDict(extra="ignore")

    name: str
    email: str | None = None
    url: str | None = None


class Manifest(BaseModel):
    """One published version of one plugin."""

    model_config = ConfigDict(extra="ignore")

    name: str
    version: str
    description: str = ""
    #: The wheel's URL, relative to this manifest or absolute.
    wheel: str
    sha256: str
    size: int | None = Field(default=None, ge=0)
    #: cosign-style signature: base64 DER ECDSA P-256 over the wheel's SHA-256.
    signature: str | None = None
    #: URL (relative or absolute) of a Sigstore bundle for the wheel.
    sigstore_bundle: str | None = None
    #: Plugin API range (``CLAW_API``) the plugin needs, checked against the kernel's API version.
    claw_api: str | None = None
    #: ``claw-kernel`` version specifier (PEP 440) the plugin needs.
    kernel: str | None = None
    publisher: Publisher | None = None
    entry_points: list[str] = Field(default_factory=list)

    @field_validator("sha256")
    @classmethod
    def _hex(cls, v: str) -> str:
        v = v.lower()
        if len(v) != 64 or any(c not in "0123456789abcdef" for c in v):
            raise ValueError("must be 64 hex digits")
        return v


def _load(raw: bytes, model: type[BaseModel], label: str) -> Any:
    try:
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        raise MarketplaceError(f"refused: {label} is not valid JSON ({exc})") from exc
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = ".".join(str(p) for p in err["loc"]) or "(top level)"
        raise MarketplaceError(f"refused: {label} is malformed: {loc}: {err['msg']}") from exc


def parse_index(raw: bytes, label: str) -> Index:
    return _load(raw, Index, label)


def parse_manifest(raw: bytes, label: str) -> Manifest:
    return _load(raw, Manifest, label)

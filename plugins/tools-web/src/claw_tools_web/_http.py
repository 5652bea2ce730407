"""HTTP helpers shared by the web tools: URL checks, bounded body reads, response header filtering."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

import claw

#: Response headers worth showing the model; everything else (cookies, tracing, ...) is dropped.
SHOWN_RESPONSE_HEADERS = frozenset(
    {
        "content-type",
        "content-length",
        "content-language",
        "last-modified",
        "etag",
        "cache-control",
        "date",
        "location",
        "retry-after",
        "x-request-id",
    }
)
#: Response headers never shown, whatever the settings.
SECRET_RESPONSE_HEADERS = frozenset(
    {"set-cookie", "set-cookie2", "authorization", "proxy-authenticate", "www-authenticate"}
)

_CONTROL = re.compile(r"[\x00-\x20\x7f]")


def check_url(url: object) -> str:
    """An absolute http(s) URL without whitespace or control characters (no CRLF smuggling)."""
    if not isinstance(url, str) or not url:
        raise claw.ToolError("url is required")
    if _CONTROL.search(url):
        raise claw.ToolError("url contains whitespace or control characters (CR/LF are refused)")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise claw.ToolError(f"url must be an absolute http:// or https:// URL, not {url!r}")
    return url


def url_access(input: Mapping[str, Any]) -> list[claw.Access]:
    """What a tool that requests ``input["url"]`` asks the permission engine for: network access to
    that URL (nothing when it is missing; the tool's run refuses that)."""
    url = input.get("url")
    return [claw.Access(kind="network", url=url)] if isinstance(url, str) and url else []


def host_of(url: str) -> str:
    parts = urlsplit(url)
    return (parts.hostname or "").lower()


async def read_capped(response: Any, limit: int) -> tuple[bytes, bool]:
    """Read at most ``limit`` bytes of a streamed httpx response; True when more was available."""
    chunks, size = [], 0
    async for chunk in response.aiter_bytes():
        if size + len(chunk) > limit:
            chunks.append(chunk[: limit - size])
            return b"".join(chunks), True
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks), False

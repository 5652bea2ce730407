"""``RemoteTrigger``: one HTTP request (a webhook, a CI trigger) with operator-set limits.

Operators decide which request headers the model may set (settings ``remoteTrigger.allowedHeaders``
and ``deniedHeaders``); header names must be RFC 9110 tokens and no URL, header or method may carry
CR or LF, so the model cannot smuggle extra headers or requests. Redirects are reported, not followed.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Mapping
from typing import Any

import claw

from claw_tools_web import _specs
from claw_tools_web._http import SECRET_RESPONSE_HEADERS, check_url, read_capped, url_access
from claw_tools_web._settings import RemoteTriggerSettings, section

_TOKEN = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+\Z")
_BAD_VALUE = re.compile(r"[\r\n\x00]")


def check_headers(headers: Mapping[str, str] | None, limits: RemoteTriggerSettings) -> dict[str, str]:
    """What the schema cannot say about headers: valid names, no injection, the settings' lists."""
    if headers is None:
        return {}
    denied = {h.lower() for h in limits.deniedHeaders}
    allowed = {h.lower() for h in limits.allowedHeaders}
    out: dict[str, str] = {}
    for name, value in headers.items():
        if not _TOKEN.match(name):
            raise claw.ToolError(f"invalid header name {name!r}")
        if _BAD_VALUE.search(value):
            raise claw.ToolError(f"header {name} contains CR, LF or NUL; refused (header injection)")
        if name.lower() in denied:
            raise claw.ToolError(f"header {name} may not be sent (settings remoteTrigger.deniedHeaders)")
        if allowed and name.lower() not in allowed:
            raise claw.ToolError(f"header {name} is not in settings remoteTrigger.allowedHeaders")
        out[name] = value
    return out


class RemoteTriggerTool(claw.Tool):
    spec = _specs.REMOTE_TRIGGER

    def access(self, input: Mapping[str, Any], ctx: claw.ToolContext) -> list[claw.Access]:
        return url_access(input)

    async def run(self, input: dict[str, Any], ctx: claw.ToolContext) -> claw.ToolResult:
        limits = section(ctx.settings, "remoteTrigger", RemoteTriggerSettings)
        url = check_url(input.get("url"))
        method = input.get("method") or "POST"  # one of METHODS: the kernel checked the schema's enum
        headers = check_headers(input.get("headers"), limits)
        data = (input.get("body") or "").encode("utf-8")
        if len(data) > limits.maxBodyBytes:
            raise claw.ToolError(
                f"body is {len(data)} bytes, over the {limits.maxBodyBytes}-byte limit (settings remoteTrigger.maxBodyBytes)"
            )
        try:
            return await asyncio.wait_for(
                self._send(method, url, headers, data, limits), limits.timeoutSeconds
            )
        except TimeoutError:
            raise claw.ToolError(f"{method} {url} timed out after {limits.timeoutSeconds:g} s") from None

    async def _send(
        self, method: str, url: str, headers: dict[str, str], body: bytes, limits: RemoteTriggerSettings
    ) -> claw.ToolResult:
        import httpx  # imported lazily: start-up time

        hidden = SECRET_RESPONSE_HEADERS | {h.lower() for h in limits.deniedHeaders}
        try:
            async with (
                httpx.AsyncClient(follow_redirects=False, timeout=limits.timeoutSeconds) as client,
                client.stream(method, url, headers=headers, content=body or None) as response,
            ):
                content, cut = await read_capped(response, limits.maxResponseBytes)
        except httpx.HTTPError as exc:
            raise claw.ToolError(f"{method} {url} failed: {type(exc).__name__}: {exc}") from None
        shown = {k.lower(): v for k, v in response.headers.items() if k.lower() not in hidden}
        text = content.decode(response.charset_encoding or "utf-8", "replace")
        if cut:
            text += f"\n[response body truncated at {limits.maxResponseBytes} bytes]"
        lines = [f"HTTP {response.status_code} {response.reason_phrase}"]
        lines += [f"{k}: {v}" for k, v in shown.items()]
        if response.is_redirect:
            lines.append("(redirect not followed)")
        result = "\n".join(lines) + (f"\n\n{text}" if text else "")
        return claw.ToolResult(
            content=result,
            is_error=response.status_code >= 400,
            data={"status": response.status_code, "headers": shown, "body": text, "truncated": cut},
        )

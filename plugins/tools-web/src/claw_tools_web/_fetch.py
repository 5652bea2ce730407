"""``WebFetch``: GET a URL, convert it to Markdown and apply ``prompt`` to it.

As in Claude Code, the session's small fast model (``ctx.small_model``: settings ``smallFastModel``,
``ANTHROPIC_SMALL_FAST_MODEL`` or the provider's declared small model) reads the page and answers
the prompt, and its answer is the result. Without one, or when it fails, the converted page (capped)
is returned with the prompt in front and a line saying why, and the session's model applies it.
Redirects within the same host are followed (up to five); a redirect to another host is reported,
not followed, so the model must fetch the new URL itself (and the permission engine judges that URL).
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin

import claw

from claw_tools_web import _specs
from claw_tools_web._http import SHOWN_RESPONSE_HEADERS, check_url, host_of, read_capped, url_access
from claw_tools_web._reader import NO_MODEL, SYSTEM, user_prompt
from claw_tools_web._settings import WebFetchSettings, section

MAX_REDIRECTS = 5
_TEXT_TYPES = (
    "text/",
    "application/json",
    "application/xml",
    "application/xhtml",
    "application/javascript",
    "application/ld+json",
)


class WebFetchTool(claw.Tool):
    spec = _specs.WEB_FETCH

    def access(self, input: Mapping[str, Any], ctx: claw.ToolContext) -> list[claw.Access]:
        return url_access(input)

    async def run(self, input: dict[str, Any], ctx: claw.ToolContext) -> claw.ToolResult:
        url = check_url(input.get("url"))
        prompt = input.get("prompt") or ""
        limits = section(ctx.settings, "webFetch", WebFetchSettings)
        try:
            result = await asyncio.wait_for(self._fetch(url, limits), limits.timeoutSeconds)
        except TimeoutError:
            raise claw.ToolError(f"fetching {url} timed out after {limits.timeoutSeconds:g} s") from None
        if isinstance(result, claw.ToolResult):  # an HTTP error or a redirect: returned as it is
            return result
        return await _apply_prompt(result, str(prompt), ctx)

    async def _fetch(self, url: str, limits: WebFetchSettings) -> claw.ToolResult | Page:
        import httpx  # imported lazily: start-up time

        headers = {
            "User-Agent": f"claw/{claw.VERSION} (WebFetch)",
            "Accept": "text/html, text/markdown, text/plain, */*;q=0.5",
        }
        async with httpx.AsyncClient(
            follow_redirects=False, timeout=limits.timeoutSeconds, headers=headers
        ) as client:
            for _ in range(MAX_REDIRECTS + 1):
                try:
                    async with client.stream("GET", url) as response:
                        if response.is_redirect:
                            target = urljoin(url, response.headers.get("location", ""))
                            if host_of(target) != host_of(url):
                                return _redirected(url, target, response.status_code)
                            url = check_url(target)
                            continue
                        body, cut = await read_capped(response, limits.maxBytes)
                        if cut:
                            raise claw.ToolError(
                                f"{url} returned more than {limits.maxBytes // (1024 * 1024) or limits.maxBytes} "
                                f"{'MB' if limits.maxBytes >= 1024 * 1024 else 'bytes'}; refusing to read it"
                            )
                        return _result(url, response, body, limits)
                except httpx.HTTPError as exc:
                    raise claw.ToolError(f"fetching {url} failed: {type(exc).__name__}: {exc}") from None
        raise claw.ToolError(f"{url}: more than {MAX_REDIRECTS} redirects")


def _redirected(url: str, target: str, status: int) -> claw.ToolResult:
    text = (
        f"{url} redirects (HTTP {status}) to a different host: {target}\n"
        "The redirect was not followed. To get the content, call WebFetch again with that URL."
    )
    return claw.ToolResult(content=text, data={"url": url, "code": status, "redirectUrl": target})


@dataclass(frozen=True)
class Page:
    """A page fetched successfully: its (capped) text, and the tool response data so far."""

    url: str
    text: str
    data: dict[str, Any]


def _result(url: str, response: Any, body: bytes, limits: WebFetchSettings) -> claw.ToolResult | Page:
    ctype = response.headers.get("content-type", "").split(";")[0].strip().lower()
    shown = {k.lower(): v for k, v in response.headers.items() if k.lower() in SHOWN_RESPONSE_HEADERS}
    data: dict[str, Any] = {
        "url": url,
        "code": response.status_code,
        "codeText": response.reason_phrase,
        "headers": shown,
        "bytes": len(body),
    }
    if ctype and not ctype.startswith(_TEXT_TYPES):
        raise claw.ToolError(f"{url} returned {ctype} content, which WebFetch cannot show as text")
    text = body.decode(response.charset_encoding or "utf-8", "replace")
    if ctype in ("text/html", "application/xhtml+xml") or (not ctype and "<html" in text[:1000].lower()):
        from claw_tools_web._markdown import html_to_markdown  # html.parser: only for HTML pages

        text = html_to_markdown(text, url)
    if len(text) > limits.maxChars:
        text = text[: limits.maxChars] + f"\n\n[content truncated at {limits.maxChars} characters]"
    if response.status_code >= 400:
        return claw.ToolResult(
            content=f"{url} returned HTTP {response.status_code} {response.reason_phrase}\n\n{text}".rstrip(),
            is_error=True,
            data=data,
        )
    return Page(url, text, data)


async def _apply_prompt(page: Page, prompt: str, ctx: claw.ToolContext) -> claw.ToolResult:
    """The small model's answer to ``prompt`` about ``page``; the page itself, with a line saying
    why, when no small model is configured or it failed."""
    model, complete = ctx.small_model, ctx.complete
    if model and complete is not None and prompt.strip():
        try:
            answer = await complete(model, SYSTEM, user_prompt(page.url, page.text, prompt))
        except Exception as exc:  # the page is still worth returning
            note = (
                f"The small fast model {model} failed ({type(exc).__name__}: {exc}); "
                "the page follows as Markdown."
            )
        else:
            data = {**page.data, "result": answer, "model": model}
            return claw.ToolResult(content=answer, data=data)
    elif model and complete is not None:
        note = "No prompt was given, so the page follows as Markdown."
    else:
        note = NO_MODEL
    head = f"Content of {page.url}" + (f"\nPrompt: {prompt}" if prompt else "")
    text = f"{head}\n{note}\n\n{page.text}"
    return claw.ToolResult(content=text, data={**page.data, "result": text})

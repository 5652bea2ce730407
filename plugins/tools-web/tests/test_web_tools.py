"""WebFetch and RemoteTrigger against a loopback HTTP server: HTML to Markdown, redirects within and
across hosts, size caps, timeouts, header policy and CRLF refusal."""

from __future__ import annotations

import contextlib
import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import claw
import pytest
from claw.testing import call_tool as call
from claw_tools_web._fetch import WebFetchTool
from claw_tools_web._markdown import html_to_markdown
from claw_tools_web._trigger import RemoteTriggerTool

PAGE = b"""<!doctype html><html><head><title>Demo</title><script>var x = 1;</script></head>
<body><h1>Welcome</h1><p>Read the <a href="/docs">docs</a>.</p><ul><li>alpha</li><li>beta</li></ul></body></html>"""


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass

    def _send(self, status: int, body: bytes, ctype: str = "text/plain", **headers: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in headers.items():
            self.send_header(k.replace("_", "-"), v)
        self.end_headers()
        if self.command != "HEAD":
            # The client may stop reading early (the size cap at work).
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                self.wfile.write(body)

    def do_GET(self) -> None:
        port = self.server.server_address[1]
        if self.path == "/page":
            self._send(200, PAGE, "text/html; charset=utf-8", Set_Cookie="session=secret", X_Internal="1")
        elif self.path == "/text":
            self._send(200, "plain ✓ text".encode(), "text/plain; charset=utf-8")
        elif self.path == "/same":
            self._send(302, b"", Location="/page")
        elif self.path == "/loop":
            self._send(302, b"", Location="/loop")
        elif self.path == "/other":
            self._send(301, b"", Location=f"http://localhost:{port}/page")
        elif self.path == "/big":
            self._send(200, b"x" * 3000, "text/plain")
        elif self.path == "/slow":
            time.sleep(2)
            self._send(200, b"late")
        elif self.path == "/png":
            self._send(200, b"\x89PNG\r\n\x1a\n", "image/png")
        elif self.path == "/missing":
            self._send(404, b"<p>not here</p>", "text/html")
        else:
            self.do_POST()

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode()
        echo = {
            "method": self.command,
            "path": self.path,
            "headers": dict(self.headers.items()),
            "body": body,
        }
        status = 500 if self.path == "/fail" else 200
        self._send(status, json.dumps(echo).encode(), "application/json", Set_Cookie="a=b", X_Trace="t1")

    do_PUT = do_DELETE = do_PATCH = do_POST


@pytest.fixture
def server() -> Iterator[str]:
    srv = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    srv.daemon_threads = True
    thread = threading.Thread(target=srv.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{srv.server_address[1]}"
    finally:
        srv.shutdown()
        srv.server_close()


@pytest.fixture
def ctx(workspace: Path) -> claw.ToolContext:
    return claw.ToolContext(workspace=workspace, session_id="web")


def test_fetch_html_as_markdown(server, ctx):
    result = call(WebFetchTool(), ctx, url=f"{server}/page", prompt="find the docs link")
    assert not result.is_error
    assert result.content.startswith(
        f"Content of {server}/page\nPrompt: find the docs link\nNo small fast model is configured"
    )
    assert "# Welcome" in result.content and f"[docs]({server}/docs)" in result.content
    assert "- alpha\n- beta" in result.content and "var x" not in result.content
    assert result.data["headers"]["content-type"].startswith("text/html")
    assert "set-cookie" not in result.data["headers"] and "x-internal" not in result.data["headers"]


def test_fetch_text_and_errors(server, ctx):
    assert "plain ✓ text" in call(WebFetchTool(), ctx, url=f"{server}/text", prompt="").content
    missing = call(WebFetchTool(), ctx, url=f"{server}/missing", prompt="x")
    assert missing.is_error and "HTTP 404" in missing.content and "not here" in missing.content
    binary = call(WebFetchTool(), ctx, url=f"{server}/png", prompt="x")
    assert binary.is_error and "image/png" in binary.content
    for bad in ("ftp://x/y", "not a url", f"{server}/page\r\nX-Evil: 1"):
        assert call(WebFetchTool(), ctx, url=bad, prompt="x").is_error
    refused = call(WebFetchTool(), ctx, url="http://127.0.0.1:1/", prompt="x")
    assert refused.is_error and "failed" in refused.content


def test_fetch_redirects(server, ctx):
    same = call(WebFetchTool(), ctx, url=f"{server}/same", prompt="x")
    assert not same.is_error and "# Welcome" in same.content and same.data["url"] == f"{server}/page"
    port = server.rsplit(":", 1)[1]
    other = call(WebFetchTool(), ctx, url=f"{server}/other", prompt="x")
    assert not other.is_error and "different host" in other.content
    assert other.data["redirectUrl"] == f"http://localhost:{port}/page" and "Welcome" not in other.content
    loop = call(WebFetchTool(), ctx, url=f"{server}/loop", prompt="x")
    assert loop.is_error and "redirects" in loop.content


def test_fetch_size_cap_and_timeout(server, ctx):
    small = ctx.model_copy(update={"settings": {"webFetch": {"maxBytes": 1000, "timeoutSeconds": 0.5}}})
    big = call(WebFetchTool(), small, url=f"{server}/big", prompt="x")
    assert big.is_error and "more than 1000 bytes" in big.content
    start = time.monotonic()
    slow = call(WebFetchTool(), small, url=f"{server}/slow", prompt="x")
    assert slow.is_error and "timed out after 0.5 s" in slow.content and time.monotonic() - start < 1.9
    chars = ctx.model_copy(update={"settings": {"webFetch": {"maxChars": 100}}})
    assert (
        "truncated at 100 characters" in call(WebFetchTool(), chars, url=f"{server}/big", prompt="x").content
    )


def test_trigger_sends_and_filters(server, ctx):
    result = call(
        RemoteTriggerTool(),
        ctx,
        method="PUT",
        url=f"{server}/hook",
        headers={"X-Token": "abc"},
        body='{"go": 1}',
    )
    assert not result.is_error and result.content.startswith("HTTP 200 OK\n")
    echo = json.loads(result.data["body"])
    assert echo["method"] == "PUT" and echo["body"] == '{"go": 1}' and echo["headers"]["X-Token"] == "abc"
    assert "set-cookie" not in result.data["headers"] and result.data["headers"]["x-trace"] == "t1"
    failed = call(RemoteTriggerTool(), ctx, url=f"{server}/fail")
    assert failed.is_error and failed.content.startswith("HTTP 500")


def test_trigger_header_policy_and_crlf(server, ctx):
    crlf = call(RemoteTriggerTool(), ctx, url=f"{server}/h", headers={"X-A": "1\r\nX-Injected: yes"})
    assert crlf.is_error and "header injection" in crlf.content
    assert (
        "invalid header name"
        in call(RemoteTriggerTool(), ctx, url=f"{server}/h", headers={"X A": "1"}).content
    )
    assert (
        "deniedHeaders" in call(RemoteTriggerTool(), ctx, url=f"{server}/h", headers={"Cookie": "x"}).content
    )
    assert call(RemoteTriggerTool(), ctx, url=f"{server}/h\r\n").is_error
    assert call(RemoteTriggerTool(), ctx, method="TRACE", url=f"{server}/h").is_error
    policy = ctx.model_copy(
        update={
            "settings": {
                "remoteTrigger": {
                    "allowedHeaders": ["content-type"],
                    "deniedHeaders": ["X-Trace"],
                    "maxBodyBytes": 4,
                    "maxResponseBytes": 20,
                }
            }
        }
    )
    assert (
        "allowedHeaders"
        in call(RemoteTriggerTool(), policy, url=f"{server}/h", headers={"X-Token": "a"}).content
    )
    assert (
        "over the 4-byte limit" in call(RemoteTriggerTool(), policy, url=f"{server}/h", body="12345").content
    )
    ok = call(
        RemoteTriggerTool(), policy, url=f"{server}/h", headers={"Content-Type": "text/plain"}, body="1234"
    )
    assert not ok.is_error and ok.data["truncated"] and "x-trace" not in ok.data["headers"]


def test_trigger_timeout(server, ctx):
    quick = ctx.model_copy(update={"settings": {"remoteTrigger": {"timeoutSeconds": 0.3}}})
    result = call(RemoteTriggerTool(), quick, method="GET", url=f"{server}/slow")
    assert result.is_error and "timed out" in result.content


def test_access_is_network(ctx):
    assert WebFetchTool().access({"url": "https://example.com/a"}, ctx) == [
        claw.Access(kind="network", url="https://example.com/a")
    ]
    assert RemoteTriggerTool().access({"url": "https://h/x"}, ctx)[0].kind == "network"
    assert WebFetchTool().spec.read_only and not RemoteTriggerTool().spec.read_only


def test_markdown_structures():
    md = html_to_markdown(
        "<h2>T</h2><p>a <strong>b</strong> <em>c</em></p><pre>x  = 1\n  y</pre><blockquote>q</blockquote>"
        "<ol start='3'><li>three</li><li>four</li></ol><table><tr><th>h</th></tr><tr><td>v</td></tr></table>"
        "<p>br<br>line</p><img src='i.png' alt='pic'>",
        "https://site/dir/",
    )
    assert md == (
        "## T\n\na **b** *c*\n\n```\nx  = 1\n  y\n```\n\n> q\n\n3. three\n4. four\n\n| h |\n| v |\n\nbr\nline"
        "\n\n![pic](https://site/dir/i.png)"
    )

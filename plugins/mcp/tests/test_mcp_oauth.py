"""OAuth against a loopback authorization server and the MCP server it protects: the full PKCE
flow driven headlessly (an HTTP client follows the authorization URL instead of a browser),
token storage, refresh, and a revoked token leading to re-authentication."""

from __future__ import annotations

import asyncio
import json
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import claw
import pytest
from claw_mcp import plugin
from claw_mcp.config import check_entry
from claw_mcp.login import login
from claw_mcp.oauth import TokenFile
from claw_mcp.session import builtin_transports
from mcp_fixture_servers import OAuthServer, follow_redirects
from mcp_sessions import trusted_session


@pytest.fixture(scope="module")
def oauth_server() -> Iterator[OAuthServer]:
    server = OAuthServer().start()
    yield server
    server.stop()


def server_config(oauth_server: OAuthServer, env: dict[str, str]) -> Any:
    entry = {"type": oauth_server.transport, "url": oauth_server.url}
    return check_entry("secure", entry, ".mcp.json", "project", env)


def headless_session(
    workspace: Path, env: dict[str, str], oauth_server: OAuthServer
) -> tuple[claw.SessionContext, dict[str, Any]]:
    """Start a ``-p``-style (non-interactive) session, call ``echo`` and McpAuth, end it."""
    entry = {"type": oauth_server.transport, "url": oauth_server.url}
    session = trusted_session(workspace, env, {"secure": entry}, interactive=False)
    out: dict[str, Any] = {}

    async def scenario() -> None:
        await plugin.claw_session_start(session)
        try:
            ctx = claw.ToolContext(workspace=workspace, session_id="s", env=env, session=session)
            tools = {t.name: t for t in session.session_tools}
            out["tools"] = set(tools)
            if "mcp__secure__echo" in tools:
                out["echo"] = await tools["mcp__secure__echo"].run({"text": "hi"}, ctx)
            if "McpAuth" in tools:  # offered only when a server needs authorization
                out["auth"] = await tools["McpAuth"].run({"server": "secure"}, ctx)
        finally:
            await plugin.claw_session_end(session)

    asyncio.run(scenario())
    return session, out


def status(session: claw.SessionContext) -> dict[str, Any]:
    return next(s for s in session.statuses if s["name"] == "secure")


def test_pkce_login_refresh_and_revocation(
    oauth_server: OAuthServer, workspace: Path, claw_env: dict[str, str], capfd: pytest.CaptureFixture[str]
) -> None:
    # Before any login, a headless run reports needs-auth with a one-line remedy.
    session, out = headless_session(workspace, claw_env, oauth_server)
    assert status(session)["status"] == "needs-auth"
    assert status(session)["error"] == 'MCP server "secure" needs authentication: run `claw mcp login secure`'
    assert out["auth"].is_error and "claw mcp login secure" in out["auth"].content
    assert (
        'claw: warning: MCP server "secure" needs authentication: run `claw mcp login secure`'
        in capfd.readouterr().err
    )

    # The full authorization code + PKCE flow, the "browser" being an HTTP client.
    message = asyncio.run(
        login(
            server_config(oauth_server, claw_env), claw_env, builtin_transports(), open_url=follow_redirects
        )
    )
    assert message.startswith('Authorized MCP server "secure"')
    assert oauth_server.grants == ["authorization_code"]
    store = TokenFile("secure", oauth_server.url, claw_env)
    assert store.path.parent == Path(claw_env["CLAW_STATE_DIR"]) / "mcp-auth"
    assert stat.S_IMODE(store.path.stat().st_mode) == 0o600
    saved = json.loads(store.path.read_text())
    assert saved["tokens"]["access_token"] in oauth_server.access
    assert not list(store.path.parent.glob(".*.tmp"))  # atomic writes leave no temp files

    # A headless session now connects with the stored token.
    session, out = headless_session(workspace, claw_env, oauth_server)
    assert status(session)["status"] == "connected"
    assert out["echo"].content == "secure: hi"
    assert "McpAuth" not in out["tools"]
    assert oauth_server.grants == ["authorization_code"]

    # A token within the refresh margin of its expiry is refreshed before use.
    saved = json.loads(store.path.read_text())
    saved["expires_at"] = saved["expires_at"] - 3600 + 30
    store.path.write_text(json.dumps(saved))
    old_access = saved["tokens"]["access_token"]
    session, out = headless_session(workspace, claw_env, oauth_server)
    assert status(session)["status"] == "connected" and out["echo"].content == "secure: hi"
    assert oauth_server.grants == ["authorization_code", "refresh_token"]
    refreshed = json.loads(store.path.read_text())
    assert refreshed["tokens"]["access_token"] != old_access
    assert refreshed["tokens"]["access_token"] in oauth_server.access
    assert stat.S_IMODE(store.path.stat().st_mode) == 0o600

    # Revoked on the server: the stored token no longer works, and a headless run says to log in.
    oauth_server.revoke_all()
    session, out = headless_session(workspace, claw_env, oauth_server)
    assert status(session)["status"] == "needs-auth"
    assert "mcp__secure__echo" not in out["tools"]

    # Logging in again restores access.
    asyncio.run(
        login(
            server_config(oauth_server, claw_env), claw_env, builtin_transports(), open_url=follow_redirects
        )
    )
    session, out = headless_session(workspace, claw_env, oauth_server)
    assert status(session)["status"] == "connected" and out["echo"].content == "secure: hi"


def test_mcp_auth_tool_in_an_interactive_session(
    oauth_server: OAuthServer, workspace: Path, claw_env: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Interactively, McpAuth runs the browser flow and the server becomes connected in-session."""
    import claw_mcp.login as login_module

    monkeypatch.setattr(login_module, "announce_and_open", follow_redirects)  # the "browser"
    TokenFile("secure", oauth_server.url, claw_env).clear()
    session = trusted_session(
        workspace,
        claw_env,
        {"secure": {"type": "http", "url": oauth_server.url}},
        settings={"enabledMcpjsonServers": ["secure"]},  # approved, as an interactive session requires
        interactive=True,
    )

    async def scenario() -> tuple[str, claw.ToolResult, str]:
        await plugin.claw_session_start(session)
        try:
            before = status(session)["status"]
            ctx = claw.ToolContext(workspace=workspace, session_id="s", env=claw_env, session=session)
            auth = next(t for t in session.session_tools if t.name == "McpAuth")
            assert not any(t.name.startswith("mcp__secure__") for t in session.session_tools)
            result = await auth.run({"server": "secure"}, ctx)
            # the server's tools join the session at once (the agent loop offers them next request)
            echo = next(t for t in session.session_tools if t.name == "mcp__secure__echo")
            echoed = await echo.run({"text": "hi"}, ctx)
            await auth.run({"server": "secure"}, ctx)  # authorizing again adds nothing twice
            assert [t.name for t in session.session_tools].count("mcp__secure__echo") == 1
            return before, result, str(echoed.content)
        finally:
            await plugin.claw_session_end(session)

    before, result, echoed = asyncio.run(scenario())
    assert before == "needs-auth"
    assert not result.is_error, result.content
    assert result.content.endswith("status now: connected")
    assert echoed == "secure: hi"


def test_claw_mcp_login_opens_the_browser(
    oauth_server: OAuthServer, claw, workspace: Path, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    """``claw mcp login`` as a user runs it: the URL goes to ``$BROWSER`` (here a program that follows
    it with an HTTP client), the loopback callback receives the code, tokens are saved."""
    import os
    import sys

    browser = tmp_path / "browser"
    browser.write_text(
        f"#!{sys.executable}\nimport sys, httpx2\nhttpx2.get(sys.argv[1], follow_redirects=True, timeout=10).raise_for_status()\n"
    )
    os.chmod(browser, 0o755)
    claw.env["BROWSER"] = str(browser)
    (workspace / ".mcp.json").write_text(
        json.dumps({"mcpServers": {"secure": {"type": "http", "url": oauth_server.url}}})
    )
    claw("trust").assert_success()  # the test's own folder
    store = TokenFile("secure", oauth_server.url, claw.env)
    store.clear()
    res = claw.subprocess("mcp", "login", "secure").assert_success()
    assert res.stdout.strip() == f'Authorized MCP server "secure"; tokens saved to {store.path}'
    assert "/authorize?" in res.stderr  # the URL is shown, for when no browser opens
    assert stat.S_IMODE(store.path.stat().st_mode) == 0o600
    listed = {s["name"]: s for s in claw.subprocess("mcp", "list", "--json").assert_success().json()}
    assert listed["secure"]["status"] == "connected"
    claw.subprocess("mcp", "logout", "secure").assert_success()
    assert not store.path.exists()
    out = claw("mcp", "list").assert_success().stdout
    assert f"secure: {oauth_server.url} (http) - ! Needs authentication: " in out


def test_refused_authorization_is_one_clear_error(
    oauth_server: OAuthServer, claw_env: dict[str, str]
) -> None:
    from claw._errors import ClawError

    TokenFile("secure", oauth_server.url, claw_env).clear()
    oauth_server.refuse_next = True
    with pytest.raises(ClawError) as caught:
        asyncio.run(
            login(
                server_config(oauth_server, claw_env),
                claw_env,
                builtin_transports(),
                open_url=follow_redirects,
            )
        )
    assert str(caught.value) == "the authorization server refused: access_denied"


def test_oauth_over_sse(workspace: Path, claw_env: dict[str, str]) -> None:
    """An SSE server (the 2024-11-05 transport) behind OAuth: a headless run reports needs-auth, the
    PKCE login stores tokens, and the next session connects with them, the token going with the
    event stream and with every POSTed message."""
    server = OAuthServer(transport="sse").start()
    try:
        session, out = headless_session(workspace, claw_env, server)
        assert status(session)["status"] == "needs-auth", status(session)
        assert "mcp__secure__echo" not in out["tools"]

        message = asyncio.run(
            login(server_config(server, claw_env), claw_env, builtin_transports(), open_url=follow_redirects)
        )
        assert message.startswith('Authorized MCP server "secure"')
        assert server.grants == ["authorization_code"]
        saved = json.loads(TokenFile("secure", server.url, claw_env).path.read_text())
        assert saved["tokens"]["access_token"] in server.access

        session, out = headless_session(workspace, claw_env, server)
        assert status(session)["status"] == "connected", status(session)
        assert status(session)["type"] == "sse"
        assert out["echo"].content == "secure: hi"
    finally:
        server.stop()

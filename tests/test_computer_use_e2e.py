"""End to end: the computer-use plugin through ``claw -p``: the desktop ``claw computer-use desktop`` starts,
the request the loopback Anthropic server receives (tool type, display size, ``anthropic-beta``), the
screenshot that goes back to the model, the session file that does not keep it, and permissions.

Needs Xvfb, xdotool, ImageMagick and openbox: ``bash tests/setup.d/computer-use.sh``."""

from __future__ import annotations

import base64
import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from claw.testing.script import Reply, Text, ToolCall

SETUP = "bash tests/setup.d/computer-use.sh"
ENABLED = json.dumps({"computerUse": {"enabled": True}})


@pytest.fixture
def desktop(claw) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """A virtual desktop from ``claw computer-use desktop --size 1024x768``; yields its DISPLAY."""
    for program in ("Xvfb", "xdotool", "import", "openbox"):
        assert shutil.which(program), f"{program} must be installed for these tests ({SETUP})"
    proc = claw.popen("computer-use", "desktop", "--size", "1024x768")
    try:
        line = proc.stdout.readline().strip()
        assert line.startswith("DISPLAY=:"), (line, proc.stderr.read() if proc.poll() is not None else "")
        yield line.removeprefix("DISPLAY=")
    finally:
        proc.terminate()
        proc.wait(timeout=15)


@pytest.fixture
def env(e2e_env, anthropic_server, desktop):  # type: ignore[no-untyped-def]
    return e2e_env(ANTHROPIC_API_KEY="sk-ant-e2e", ANTHROPIC_BASE_URL=anthropic_server.url, DISPLAY=desktop)


def session_text(claw_env: dict[str, str]) -> str:
    (path,) = Path(claw_env["CLAW_STATE_DIR"]).rglob("*.jsonl")
    return path.read_text()


def test_claw_p_sends_the_computer_tool_with_its_beta_and_gets_a_screenshot(
    claw, env, anthropic_server, desktop
) -> None:
    anthropic_server.script(
        Reply(ToolCall("computer", {"action": "screenshot"}, id="toolu_1")),
        Reply(ToolCall("computer", {"action": "mouse_move", "coordinate": [100, 200]}, id="toolu_2")),
        Reply(ToolCall("computer", {"action": "cursor_position"}, id="toolu_3")),
        Reply(Text("The desktop is empty.")),
    )
    res = claw.subprocess(
        "-p",
        "look at the screen",
        "--model",
        "anthropic/claude-sonnet-4-6",
        "--settings",
        ENABLED,
        "--output-format",
        "json",
        "--dangerously-skip-permissions",
    ).assert_success()
    assert res.json()["result"] == "The desktop is empty."
    first, second, _, fourth = anthropic_server.requests
    assert first.headers["anthropic-beta"] == "computer-use-2025-01-24"
    computer = next(t for t in first.json["tools"] if t["name"] == "computer")
    assert {k: v for k, v in computer.items() if k != "cache_control"} == {
        "type": "computer_20250124",
        "name": "computer",
        "display_width_px": 1024,
        "display_height_px": 768,
    }
    assert "betas" not in first.json
    (result,) = second.json["messages"][-1]["content"]
    (image,) = result["content"]
    png = base64.b64decode(image["source"]["data"])
    assert image["source"]["media_type"] == "image/png" and png.startswith(b"\x89PNG\r\n\x1a\n")
    assert png[16:24] == (1024).to_bytes(4, "big") + (768).to_bytes(4, "big")  # IHDR width, height
    assert fourth.json["messages"][-1]["content"][0]["content"] == "X=100,Y=200"
    # the session file keeps a reference to the screenshot, not the image
    stored = session_text(env)
    assert image["source"]["data"][:200] not in stored
    assert "(screenshot 1024x768 PNG, not kept in the session file)" in stored


def test_computer_use_needs_approval_outside_the_allow_modes(claw, env, anthropic_server, desktop) -> None:
    anthropic_server.script(
        Reply(ToolCall("computer", {"action": "left_click", "coordinate": [5, 5]}, id="toolu_1")),
        Reply(Text("not allowed")),
    )
    claw(
        "-p",
        "click",
        "--model",
        "claude-sonnet-4-6",
        "--settings",
        ENABLED,
        "--permission-mode",
        "acceptEdits",
    ).assert_success()
    result = anthropic_server.requests[1].json["messages"][-1]["content"][0]
    assert result["is_error"] is True and "always needs approval" in result["content"]


def test_without_a_display_the_tool_is_not_offered_and_the_run_says_why(
    claw, e2e_env, anthropic_server
) -> None:
    env = e2e_env(ANTHROPIC_API_KEY="sk-ant-e2e", ANTHROPIC_BASE_URL=anthropic_server.url)
    env.pop("DISPLAY", None)
    anthropic_server.script(Reply(Text("no computer")))
    res = claw("-p", "hi", "--model", "claude-sonnet-4-6", "--settings", ENABLED).assert_success()
    assert "computer use is unavailable: DISPLAY is not set" in res.stderr
    request = anthropic_server.requests[0]
    assert "computer" not in {t["name"] for t in request.json["tools"]}
    assert "anthropic-beta" not in request.headers


def test_openai_gets_the_same_actions_as_a_function(claw, e2e_env, openai_server, desktop) -> None:
    e2e_env(OPENAI_API_KEY="sk-e2e", OPENAI_BASE_URL=openai_server.base_url, DISPLAY=desktop)
    openai_server.script(
        Reply(ToolCall("computer", {"action": "mouse_move", "coordinate": [300, 400]}, id="call_1")),
        Reply(Text("moved")),
    )
    claw(
        "-p",
        "move",
        "--model",
        "openai/gpt-5.4-mini",
        "--settings",
        ENABLED,
        "--dangerously-skip-permissions",
    ).assert_success()
    first = openai_server.requests[0].json
    computer = next(t for t in first["tools"] if t["name"] == "computer")
    assert (
        computer["type"] == "function"
        and "left_click_drag" in computer["parameters"]["properties"]["action"]["enum"]
    )
    pointer = subprocess.run(
        ["xdotool", "getmouselocation", "--shell"],
        env={**os.environ, "DISPLAY": desktop},
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "X=300\nY=400" in pointer

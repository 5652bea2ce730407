"""The computer tool on a real X server (Xvfb started by each test): screenshots, clicks, typing, drags,
the pointer, scaling, and the cases where it cannot run."""

from __future__ import annotations

import asyncio
import base64
import os
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
from claw import ToolContext, ToolError
from claw_computer_use._display import Unavailable
from claw_computer_use._settings import ComputerUseSettings
from claw_computer_use._tool import ComputerTool, open_computer
from xvfb_support import read_png, wait_for


def open_tool(env: dict[str, str], **settings: Any) -> ComputerTool:
    return asyncio.run(open_computer(env, ComputerUseSettings(enabled=True, **settings)))


def call(tool: ComputerTool, **input: Any) -> Any:
    return asyncio.run(tool.run(input, ToolContext(workspace=Path.cwd(), session_id="s")))


def screenshot_png(tool: ComputerTool, **input: Any) -> bytes:
    result = call(tool, **({"action": "screenshot"} | input))
    (block,) = result.content
    assert block.type == "image" and block.source.media_type == "image/png"
    assert block.session_placeholder and "not kept in the session file" in block.session_placeholder
    return base64.b64decode(block.source.data)


def test_screenshot_is_a_png_of_the_declared_size_showing_a_window(x_display) -> None:
    display = x_display(1280, 800)
    display.xterm("claw-shot", "40x10+0+0", "sleep 60", background="red")
    tool = open_tool(display.env)
    native = tool.spec.native
    assert native is not None and native.type == "computer_20250124"
    assert native.params == {"display_width_px": 1280, "display_height_px": 800}
    assert native.betas == ("computer-use-2025-01-24",)
    png = read_png(screenshot_png(tool))
    assert (png.width, png.height) == (1280, 800)
    assert png.pixel(150, 100) == (255, 0, 0)  # inside the red xterm
    assert png.pixel(1000, 700) == (0, 0, 0)  # the black root window


def test_typing_and_keys_land_in_an_xterm_running_cat(x_display, tmp_path: Path) -> None:
    display = x_display(1280, 800)
    typed = tmp_path / "typed.txt"
    display.xterm("claw-cat", "60x10+100+100", f"cat > {typed}")
    tool = open_tool(display.env)
    # No window manager: the keyboard follows the pointer, so a click on the window focuses it.
    assert call(tool, action="left_click", coordinate=[300, 150]).content == "left_click done"
    call(tool, action="type", text="hello from claw")
    call(tool, action="key", text="Return")
    call(tool, action="type", text="second line")
    call(tool, action="key", text="Return ctrl+d")
    assert wait_for(lambda: typed.exists() and typed.read_text() == "hello from claw\nsecond line\n"), (
        typed.read_text() if typed.exists() else "no file"
    )


def test_clicks_drag_and_scroll_reach_an_x_program_as_events(x_display, tmp_path: Path) -> None:
    display = x_display(1280, 800)
    log = tmp_path / "xev.log"
    with log.open("w") as out:
        display.procs.append(
            subprocess.Popen(
                [
                    "xev",
                    "-name",
                    "claw-xev",
                    "-geometry",
                    "600x400+0+0",
                    "-event",
                    "button",
                    "-event",
                    "mouse",
                ],
                env=display.env,
                stdout=out,
                stderr=subprocess.DEVNULL,
            )
        )
        display.xdotool("search", "--sync", "--onlyvisible", "--name", "claw-xev")
    tool = open_tool(display.env)
    call(tool, action="left_click_drag", start_coordinate=[100, 120], coordinate=[300, 250])
    call(tool, action="right_click", coordinate=[50, 60])
    call(tool, action="double_click", coordinate=[70, 80])
    call(tool, action="scroll", coordinate=[200, 200], scroll_direction="down", scroll_amount=2)
    call(tool, action="left_mouse_down", coordinate=[10, 20])
    call(tool, action="left_mouse_up", coordinate=[30, 40])

    def events() -> list[tuple[str, int, int, int]]:
        found = re.findall(
            r"(ButtonPress|ButtonRelease) event.*?\n.*?root:\(([-\d]+),([-\d]+)\).*?\n.*?button (\d+)",
            log.read_text(),
        )
        return [(kind, int(x), int(y), int(b)) for kind, x, y, b in found]

    expected = [
        ("ButtonPress", 100, 120, 1),
        ("ButtonRelease", 300, 250, 1),
        ("ButtonPress", 50, 60, 3),
        ("ButtonRelease", 50, 60, 3),
        *[(k, 70, 80, 1) for k in ("ButtonPress", "ButtonRelease") * 2],
        *[(k, 200, 200, 5) for k in ("ButtonPress", "ButtonRelease") * 2],
        ("ButtonPress", 10, 20, 1),
        ("ButtonRelease", 30, 40, 1),
    ]
    assert wait_for(lambda: events() == expected), events()
    assert "MotionNotify" in log.read_text()  # the drag moved with the button held


def test_scaling_round_trip_on_a_screen_larger_than_the_api_takes(x_display) -> None:
    display = x_display(1920, 1080)
    tool = open_tool(display.env, toolVersion="computer_20251124")
    native = tool.spec.native
    assert (
        native is not None
        and native.type == "computer_20251124"
        and native.betas == ("computer-use-2025-11-24",)
    )
    width, height = native.params["display_width_px"], native.params["display_height_px"]
    assert (width, height) == (1429, 804) and native.params["enable_zoom"] is True
    assert width * height <= 1_150_000
    png = read_png(screenshot_png(tool))
    assert (png.width, png.height) == (1429, 804)
    call(tool, action="mouse_move", coordinate=[700, 400])
    assert display.pointer() == (941, 537)  # 700 * 1920 / 1429 = 940.5, 400 * 1080 / 804 = 537.3
    assert call(tool, action="cursor_position").content == "X=700,Y=400"
    for x, y in ((0, 0), (1428, 803), (333, 777)):
        call(tool, action="mouse_move", coordinate=[x, y])
        assert call(tool, action="cursor_position").data == {"action": "cursor_position", "x": x, "y": y}
    with pytest.raises(ToolError, match=r"outside the screen \(1429x804\)"):
        call(tool, action="left_click", coordinate=[1429, 10])


def test_zoom_returns_the_region_at_full_resolution(x_display) -> None:
    display = x_display(1920, 1080)
    display.xterm("claw-zoom", "20x5+0+0", "sleep 60", background="blue")
    tool = open_tool(display.env, toolVersion="computer_20251124")
    result = call(tool, action="zoom", region=[0, 0, 100, 50])
    png = read_png(base64.b64decode(result.content[0].source.data))
    # 100x50 model pixels are 134x67 real ones (x 1920/1429), sent unscaled
    assert (png.width, png.height) == (134, 67) == (result.data["width"], result.data["height"])
    assert png.pixel(20, 20) == (0, 0, 255)
    with pytest.raises(ToolError, match="unknown action 'zoom'"):
        call(open_tool(display.env), action="zoom", region=[0, 0, 10, 10])


def test_hold_key_wait_and_bad_input(x_display) -> None:
    display = x_display(800, 600)
    tool = open_tool(display.env)
    assert call(tool, action="hold_key", text="shift", duration=0.05).content == "hold_key done"
    assert (
        read_png(base64.b64decode(call(tool, action="wait", duration=0.01).content[0].source.data)).width
        == 800
    )
    for input, message in (
        ({"action": "left_click", "coordinate": [1, "a"]}, "coordinate must be"),
        ({"action": "type"}, "type needs text"),
        ({"action": "wait", "duration": 1000}, "wait needs duration"),
        ({"action": "scroll", "scroll_direction": "sideways", "scroll_amount": 1}, "scroll_direction"),
        ({"action": "fly"}, "unknown action"),
    ):
        with pytest.raises(ToolError, match=message):
            call(tool, **input)


# -- unavailable ------------------------------------------------------------------------------------


def test_unavailable_without_display() -> None:
    env = {k: v for k, v in os.environ.items() if k != "DISPLAY"}
    with pytest.raises(Unavailable, match="DISPLAY is not set"):
        open_tool(env)


def test_unavailable_when_nothing_listens_on_the_display(x_display) -> None:
    display = x_display(640, 480)
    tool = open_tool(display.env)
    display.procs[0].terminate()
    display.procs[0].wait()
    with pytest.raises(Unavailable, match=f"no X server is listening on DISPLAY={display.name}"):
        call(tool, action="screenshot")  # the display went away mid-session
    with pytest.raises(Unavailable, match=f"no X server is listening on DISPLAY={display.name}"):
        open_tool(display.env)


def test_unavailable_without_xdotool_on_path(x_display, tmp_path: Path) -> None:
    display = x_display(640, 480)
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "import").symlink_to(
        subprocess.run(["which", "import"], capture_output=True, text=True).stdout.strip()
    )
    with pytest.raises(
        Unavailable, match=r"xdotool is not installed or not on PATH \(package xdotool\)"
    ) as info:
        open_tool({**display.env, "PATH": str(bin_dir)})
    assert info.value.problems == ["xdotool is not installed or not on PATH (package xdotool)"]

"""``claw doctor`` lines and ``claw computer-use desktop``, run as a user would."""

from __future__ import annotations

import json
import os
import signal
import subprocess
from pathlib import Path

import pytest


@pytest.fixture
def settings_file(claw_env: dict[str, str]):  # type: ignore[no-untyped-def]
    def write(**computer_use: object) -> None:
        path = Path(claw_env["CLAW_CONFIG_DIR"]) / "settings.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps({"computerUse": computer_use}))

    return write


def computer_use_check(claw) -> dict:  # type: ignore[no-untyped-def]
    (line,) = [c for c in claw("doctor", "--json").json() if c["section"] == "computer-use"]
    return line


def test_doctor_says_why_computer_use_is_unavailable(claw, claw_env, settings_file, x_display) -> None:
    claw_env.pop("DISPLAY", None)
    line = computer_use_check(claw)
    assert line["status"] == "info" and line["detail"].startswith(
        "not enabled (settings computerUse.enabled)"
    )
    settings_file(enabled=True)
    line = computer_use_check(claw)
    assert line["status"] == "fail"
    assert "DISPLAY is not set" in line["detail"] and "not offered" in line["detail"]
    display = x_display(640, 480)
    claw_env["DISPLAY"] = display.name
    line = computer_use_check(claw)
    assert line == {
        "section": "computer-use",
        "name": "display",
        "status": "ok",
        "detail": f"DISPLAY={display.name}, computer_20250124",
    }
    claw_env["PATH"] = str(Path(claw_env["HOME"]))  # neither xdotool nor import on it
    line = computer_use_check(claw)
    assert line["status"] == "fail"
    assert "xdotool is not installed" in line["detail"] and "import is not installed" in line["detail"]


def test_desktop_starts_xvfb_with_a_window_manager_and_stops_on_interrupt(claw) -> None:
    proc = claw.popen("computer-use", "desktop", "--size", "800x600")
    line = proc.stdout.readline().strip()
    assert line.startswith("DISPLAY=:"), proc.stderr.read()
    display = line.removeprefix("DISPLAY=")
    env = {**os.environ, "DISPLAY": display}
    size = subprocess.run(
        ["xdotool", "getdisplaygeometry"], env=env, capture_output=True, text=True, timeout=30
    )
    assert size.stdout.split() == ["800", "600"]
    # openbox announces itself on the root window (EWMH) once it manages the screen
    check = ["xprop", "-root", "_NET_SUPPORTING_WM_CHECK"]
    for _ in range(100):
        if "window id" in subprocess.run(check, env=env, capture_output=True, text=True).stdout:
            break
        subprocess.run(["sleep", "0.1"])
    else:
        pytest.fail("no window manager on the desktop")
    proc.send_signal(signal.SIGINT)
    assert proc.wait(timeout=15) == 0
    socket = Path(f"/tmp/.X11-unix/X{display.removeprefix(':')}")
    assert not socket.exists()
    gone = subprocess.run(["xdotool", "getdisplaygeometry"], env=env, capture_output=True, text=True)
    assert gone.returncode != 0


def test_desktop_rejects_a_bad_size(claw) -> None:
    res = claw("computer-use", "desktop", "--size", "huge")
    assert res.exit_code == 2 and "--size must be WIDTHxHEIGHT" in res.stderr

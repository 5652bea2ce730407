"""The actions of Anthropic's computer tool, carried out on an X display with xdotool and ImageMagick.

Every action is one program run: ``xdotool`` chains the steps of an action (move, modifiers down,
click, modifiers up) in a single invocation, and ``import`` captures, crops, scales and PNG-encodes a
screenshot in one. Coordinates arrive in the model's (scaled) space and go through :class:`Scaling`.
"""

from __future__ import annotations

import asyncio
import base64
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from claw import ImageBlock, ImageSource, ToolError

from claw_computer_use._display import Unavailable, problems
from claw_computer_use._scaling import Scaling, fit

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
#: xdotool's wheel buttons (1, 2, 3 are left, middle, right: CLICKS).
WHEEL = {"up": "4", "down": "5", "left": "6", "right": "7"}
CLICKS = {
    "left_click": ("1", 1),
    "right_click": ("3", 1),
    "middle_click": ("2", 1),
    "double_click": ("1", 2),
    "triple_click": ("1", 3),
}
#: Longest ``wait`` / ``hold_key``, in seconds (the API documents up to 100 for ``wait``).
MAX_SECONDS = 100.0


@dataclass(frozen=True)
class Shot:
    """A PNG screenshot and its size."""

    png: bytes
    width: int
    height: int

    def block(self, placeholder: str) -> ImageBlock:
        """The image block returned to the model; the session file keeps ``placeholder`` instead."""
        data = base64.b64encode(self.png).decode("ascii")
        return ImageBlock(
            source=ImageSource(media_type="image/png", data=data), session_placeholder=placeholder
        )


class X11Computer:
    """One X display driven through xdotool and ImageMagick's ``import``.

    :param display: the ``DISPLAY`` to drive.
    :param env: the environment the programs run with (its ``PATH`` finds them).
    """

    def __init__(self, display: str, env: Mapping[str, str], typing_delay_ms: int = 12) -> None:
        self.display = display
        self.env = {**env, "DISPLAY": display}
        self.typing_delay_ms = typing_delay_ms
        self.scaling: Scaling | None = None

    # -- programs ---------------------------------------------------------------------------------

    async def _run(self, *argv: str) -> bytes:
        """Run a program on the display and return its output.

        :raises Unavailable: when the program is missing or the display stopped answering.
        :raises ToolError: when it failed otherwise (its error output is the message).
        """
        try:
            proc = await asyncio.create_subprocess_exec(
                *argv,
                stdout=asyncio.subprocess.PIPE,
                stderr=asyncio.subprocess.PIPE,
                stdin=asyncio.subprocess.DEVNULL,
                env=self.env,
            )
        except FileNotFoundError:
            raise Unavailable(problems(self.env, self.display) or [f"{argv[0]} is not installed"]) from None
        out, err = await proc.communicate()
        if proc.returncode != 0:
            found = problems(self.env, self.display)
            if found:
                raise Unavailable(found)
            message = err.decode("utf-8", "replace").strip().splitlines()
            raise ToolError(f"{argv[0]} failed (exit {proc.returncode}): {message[-1] if message else ''}")
        return out

    async def xdotool(self, *args: str) -> bytes:
        return await self._run("xdotool", *args)

    async def screen_size(self) -> tuple[int, int]:
        """The display's size in pixels (``xdotool getdisplaygeometry``)."""
        out = (await self.xdotool("getdisplaygeometry")).split()
        return int(out[0]), int(out[1])

    async def connect(self) -> Scaling:
        """Read the screen size (once) and return how it is scaled for the model."""
        if self.scaling is None:
            self.scaling = Scaling.for_screen(*await self.screen_size())
        return self.scaling

    # -- screenshots ------------------------------------------------------------------------------

    async def screenshot(self) -> Shot:
        """The whole screen, scaled to the size the model was told."""
        scaling = await self.connect()
        width, height = scaling.model
        return await self._capture(_resize(scaling.screen, (width, height)), width, height)

    async def zoom(self, region: Sequence[int]) -> Shot:
        """``region`` (model coordinates ``[x0, y0, x1, y1]``) at the screen's full resolution, within the
        API's image limits."""
        scaling = await self.connect()
        if len(region) != 4:
            raise ToolError("zoom needs region [x0, y0, x1, y1]")
        x0, y0 = scaling.to_screen(region[0], region[1])
        x1, y1 = scaling.to_screen(min(region[2], scaling.model[0] - 1), min(region[3], scaling.model[1] - 1))
        if x1 <= x0 or y1 <= y0:
            raise ToolError(f"zoom region {list(region)} is empty: x1 and y1 must be greater than x0 and y0")
        width, height = fit(x1 - x0, y1 - y0)
        crop = ["-crop", f"{x1 - x0}x{y1 - y0}+{x0}+{y0}", "+repage"]
        return await self._capture([*crop, *_resize((x1 - x0, y1 - y0), (width, height))], width, height)

    async def _capture(self, ops: list[str], width: int, height: int) -> Shot:
        # -silent: no bell; PNG24 keeps a blank screen an RGB image like any other (ImageMagick would
        # otherwise write a 1-bit grey PNG); compression level 1 encodes in a fraction of the time.
        png = await self._run(
            "import", "-silent", "-window", "root", *ops, "-define", "png:compression-level=1", "PNG24:-"
        )
        if not png.startswith(PNG_SIGNATURE):
            raise ToolError("import did not return a PNG image")
        return Shot(png, width, height)

    # -- input ------------------------------------------------------------------------------------

    async def _point(self, coordinate: Any) -> list[str]:
        """``mousemove`` arguments to the real-screen point of a model coordinate (none for ``None``)."""
        if coordinate is None:
            return []
        x, y = _pair(coordinate, "coordinate")
        sx, sy = (await self.connect()).to_screen(x, y)
        return ["mousemove", str(sx), str(sy)]

    async def click(self, action: str, coordinate: Any = None, modifiers: str | None = None) -> None:
        button, count = CLICKS[action]
        await self.xdotool(*await self._point(coordinate), *_hold(modifiers, _clicks(button, count, 80)))

    async def mouse_move(self, coordinate: Any) -> None:
        if coordinate is None:
            raise ToolError("mouse_move needs coordinate [x, y]")
        await self.xdotool(*await self._point(coordinate))

    async def button(self, down: bool, coordinate: Any = None) -> None:
        await self.xdotool(*await self._point(coordinate), "mousedown" if down else "mouseup", "1")

    async def drag(self, start: Any, end: Any) -> None:
        if start is None or end is None:
            raise ToolError("left_click_drag needs start_coordinate and coordinate")
        # A pause between the steps: toolkits drop a press and release they see in the same instant.
        await self.xdotool(
            *await self._point(start),
            "mousedown",
            "1",
            "sleep",
            "0.05",
            *await self._point(end),
            "sleep",
            "0.05",
            "mouseup",
            "1",
        )

    async def scroll(
        self, direction: str, amount: int, coordinate: Any = None, modifiers: str | None = None
    ) -> None:
        if direction not in WHEEL:
            raise ToolError(f"scroll_direction must be one of {', '.join(WHEEL)}, not {direction!r}")
        if not 0 < amount <= 100:
            raise ToolError("scroll_amount must be between 1 and 100")
        await self.xdotool(
            *await self._point(coordinate),
            *_hold(modifiers, _clicks(WHEEL[direction], amount, 10)),
        )

    async def key(self, keys: str) -> None:
        """Press a key or chord (``Return``, ``ctrl+s``; several separated by spaces), xdotool names."""
        names = keys.split()
        # xdotool waits --delay (12 ms by default) after every key, the last one too.
        await self.xdotool("key", "--delay", "12" if len(names) > 1 else "0", "--", *names)

    async def hold_key(self, keys: str, seconds: float) -> None:
        names = keys.split()
        await self.xdotool("keydown", "--", *names)
        try:
            await asyncio.sleep(seconds)
        finally:
            await self.xdotool("keyup", "--", *names)

    async def type(self, text: str) -> None:
        await self.xdotool("type", "--delay", str(self.typing_delay_ms), "--", text)

    async def cursor_position(self) -> tuple[int, int]:
        """Where the pointer is, in model coordinates."""
        fields = dict(
            line.split("=", 1)
            for line in (await self.xdotool("getmouselocation", "--shell")).decode().split()
        )
        return (await self.connect()).to_model(int(fields["X"]), int(fields["Y"]))


def _clicks(button: str, count: int, delay_ms: int) -> list[str]:
    """``click`` arguments. xdotool sleeps ``--delay`` (100 ms by default) after every click, the last one
    too, so a single click gets none."""
    if count == 1:
        return ["click", "--delay", "0", button]
    return ["click", "--repeat", str(count), "--delay", str(delay_ms), button]


def _resize(source: tuple[int, int], target: tuple[int, int]) -> list[str]:
    """``import`` options scaling ``source`` to ``target`` (none when equal). A triangle (bilinear) filter:
    text stays legible, and it costs a fraction of ImageMagick's default Lanczos."""
    if source == target:
        return []
    return ["-filter", "Triangle", "-resize", f"{target[0]}x{target[1]}!"]


def _hold(modifiers: str | None, steps: list[str]) -> list[str]:
    """``steps`` with the ``+``-separated ``modifiers`` (``shift``, ``ctrl+alt``) held around them."""
    if not modifiers:
        return steps
    keys = "+".join(modifiers.split())
    return ["keydown", keys, *steps, "keyup", keys]


def _pair(value: Any, name: str) -> tuple[int, int]:
    if (
        not isinstance(value, list | tuple)
        or len(value) != 2
        or not all(isinstance(v, int | float) and not isinstance(v, bool) for v in value)
    ):
        raise ToolError(f"{name} must be [x, y] (two numbers), got {value!r}")
    return round(value[0]), round(value[1])

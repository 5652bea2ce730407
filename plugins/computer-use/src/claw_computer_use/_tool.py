"""The ``computer`` tool: Anthropic's computer-use tool type, or the same actions as a JSON-schema
function for models on other APIs.

On the Anthropic Messages API (Anthropic, Vertex AI, Foundry) the tool is declared by type
(``computer_20250124`` / ``computer_20251124``) with the display size and its beta header, through
:attr:`claw.ToolSpec.native`; every other provider gets :data:`INPUT_SCHEMA`, which takes the same
input. Each call needs approval outside the ``allow`` modes (:attr:`claw.ToolSpec.needs_approval`).
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import Any

from claw import NativeTool, Tool, ToolContext, ToolError, ToolResult, ToolSpec

from claw_computer_use._display import Unavailable, display_of, problems
from claw_computer_use._executor import CLICKS, MAX_SECONDS, X11Computer
from claw_computer_use._scaling import Scaling
from claw_computer_use._settings import BETAS, ComputerUseSettings

#: Every action of ``computer_20250124``; ``computer_20251124`` adds ``zoom``.
ACTIONS: tuple[str, ...] = (
    "screenshot",
    "key",
    "hold_key",
    "type",
    "mouse_move",
    *CLICKS,
    "left_click_drag",
    "left_mouse_down",
    "left_mouse_up",
    "scroll",
    "cursor_position",
    "wait",
)


def input_schema(actions: tuple[str, ...]) -> dict[str, Any]:
    """The tool's input as JSON Schema: what the Anthropic type takes, for the wires that need a schema."""
    point = {"type": "array", "items": {"type": "number"}, "minItems": 2, "maxItems": 2}
    return {
        "type": "object",
        "properties": {
            "action": {"type": "string", "enum": list(actions)},
            "coordinate": {**point, "description": "[x, y] in screenshot pixels"},
            "start_coordinate": {**point, "description": "where left_click_drag starts"},
            "text": {
                "type": "string",
                "description": "text to type, keys (xdotool names), or modifiers held",
            },
            "duration": {"type": "number", "description": "seconds, for wait and hold_key"},
            "scroll_direction": {"type": "string", "enum": ["up", "down", "left", "right"]},
            "scroll_amount": {"type": "integer", "minimum": 1},
            "region": {
                "type": "array",
                "items": {"type": "number"},
                "minItems": 4,
                "maxItems": 4,
                "description": "[x0, y0, x1, y1] for zoom",
            },
        },
        "required": ["action"],
    }


DESCRIPTION = (
    "Use a mouse and keyboard to interact with the computer's desktop, and take screenshots. "
    "Coordinates are pixels of the screenshot ({width}x{height}). Take a screenshot before clicking "
    "and after actions whose effect you need to see; key names are xdotool's (Return, ctrl+s, alt+Tab)."
)


class ComputerTool(Tool):
    """One display driven for one session.

    :param computer: the display's executor (already connected: its scaling is known).
    :param version: the Anthropic tool type.
    """

    def __init__(self, computer: X11Computer, scaling: Scaling, version: str) -> None:
        self.computer = computer
        self.version = version
        zoom = version == "computer_20251124"
        self.actions = (*ACTIONS, "zoom") if zoom else ACTIONS
        width, height = scaling.model
        params: dict[str, Any] = {"display_width_px": width, "display_height_px": height}
        if zoom:
            params["enable_zoom"] = True
        self.spec = ToolSpec(
            name="computer",
            description=DESCRIPTION.format(width=width, height=height),
            input_schema=input_schema(self.actions),
            native=NativeTool(type=version, params=params, betas=(BETAS[version],)),
            needs_approval=True,
        )

    async def run(self, input: dict[str, Any], ctx: ToolContext) -> ToolResult:
        action = input.get("action")
        if action not in self.actions:
            raise ToolError(f"unknown action {action!r} (choose from {', '.join(self.actions)})")
        c = self.computer
        text, coordinate = input.get("text"), input.get("coordinate")
        if action in ("screenshot", "zoom", "wait"):
            if action == "wait":
                await asyncio.sleep(_seconds(input, "wait"))
            shot = await (c.zoom(input.get("region") or []) if action == "zoom" else c.screenshot())
            label = f"({action} {shot.width}x{shot.height} PNG, not kept in the session file)"
            return ToolResult(
                content=[shot.block(label)],
                data={"action": action, "width": shot.width, "height": shot.height},
            )
        if action == "cursor_position":
            x, y = await c.cursor_position()
            return ToolResult(content=f"X={x},Y={y}", data={"action": action, "x": x, "y": y})
        if action in CLICKS:
            await c.click(action, coordinate, text)
        elif action == "mouse_move":
            await c.mouse_move(coordinate)
        elif action == "left_click_drag":
            await c.drag(input.get("start_coordinate"), coordinate)
        elif action in ("left_mouse_down", "left_mouse_up"):
            await c.button(action == "left_mouse_down", coordinate)
        elif action == "scroll":
            amount = input.get("scroll_amount", 3)
            if not isinstance(amount, int) or isinstance(amount, bool):
                raise ToolError("scroll_amount must be an integer")
            await c.scroll(str(input.get("scroll_direction")), amount, coordinate, text)
        elif action in ("key", "hold_key", "type"):
            if not isinstance(text, str) or not text:
                raise ToolError(f"{action} needs text")
            if action == "type":
                await c.type(text)
            elif action == "key":
                await c.key(text)
            else:
                await c.hold_key(text, _seconds(input, action))
        return ToolResult(content=f"{action} done", data={"action": action})


def _seconds(input: dict[str, Any], action: str) -> float:
    value = input.get("duration")
    if not isinstance(value, int | float) or isinstance(value, bool) or not 0 <= value <= MAX_SECONDS:
        raise ToolError(f"{action} needs duration: seconds between 0 and {MAX_SECONDS:g}")
    return float(value)


async def open_computer(env: Mapping[str, str], settings: ComputerUseSettings) -> ComputerTool:
    """The tool for the configured display, connected (its screen size read).

    :raises Unavailable: naming everything missing (display, X server, xdotool, ImageMagick).
    """
    display = display_of(env, settings.display)
    found = problems(env, display)
    if found or display is None:
        raise Unavailable(found)
    computer = X11Computer(display, env, settings.typingDelayMs)
    return ComputerTool(computer, await computer.connect(), settings.toolVersion)

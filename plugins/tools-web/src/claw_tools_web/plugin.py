"""Entry point of the tools-web plugin: registers WebFetch and RemoteTrigger and their settings keys
(``webFetch``, ``remoteTrigger``). Only ``claw`` is imported here; httpx loads on the first request."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import claw

if TYPE_CHECKING:
    from collections.abc import Callable

CLAW_API = ">=1.0,<2"


@claw.hookimpl
def claw_register_tools(register: Callable[[claw.Tool], None]) -> None:
    # By reference: the fetching, the URL checks and the page reader are imported at the first call.
    from claw_tools_web import _specs

    register(claw.ToolRef(_specs.WEB_FETCH, "claw_tools_web._fetch:WebFetchTool"))
    register(claw.ToolRef(_specs.REMOTE_TRIGGER, "claw_tools_web._trigger:RemoteTriggerTool"))


@claw.hookimpl
def claw_register_settings(register: Callable[..., Any]) -> None:
    from claw_tools_web._settings import RemoteTriggerSettings, WebFetchSettings

    register("webFetch", WebFetchSettings, "WebFetch limits: timeoutSeconds, maxBytes, maxChars.")
    register(
        "remoteTrigger",
        RemoteTriggerSettings,
        "RemoteTrigger limits and header policy: timeoutSeconds, maxBodyBytes, maxResponseBytes, allowedHeaders, deniedHeaders.",
    )

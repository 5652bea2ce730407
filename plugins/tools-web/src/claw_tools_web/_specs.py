"""What the model is told about WebFetch and RemoteTrigger, apart from their implementations: the plugin
registers a ``claw.ToolRef`` with each spec, so a run imports the fetching, the URL checks and the page
reader only when one of the tools is first called. Imports only ``claw``."""

from __future__ import annotations

import claw

#: The methods RemoteTrigger sends.
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS")

WEB_FETCH = claw.ToolSpec(
    name="WebFetch",
    description=(
        "Fetch a web page (http or https) and answer prompt (what you want from the page) from it: "
        "a small model reads the page and its answer is returned; when none is configured, the page "
        "comes back as Markdown with prompt restated above it. Redirects to another host are "
        "reported, not followed: fetch the reported URL to continue. Large pages are cut; binary "
        "content is refused."
    ),
    input_schema={
        "type": "object",
        "properties": {
            "url": {"type": "string", "format": "uri", "description": "The URL to fetch."},
            "prompt": {"type": "string", "description": "What to look for or extract from the page."},
        },
        "required": ["url", "prompt"],
        "additionalProperties": False,
    },
    read_only=True,
)


REMOTE_TRIGGER = claw.ToolSpec(
    name="RemoteTrigger",
    description=(
        "Send one HTTP request (a webhook or remote trigger) and return the status, the response "
        "headers worth seeing and the body (capped). Redirects are reported, not followed. Which "
        "headers may be set is decided by the operator's settings."
    ),
    input_schema={
        "type": "object",
        "properties": {
            "method": {"type": "string", "enum": list(METHODS), "default": "POST"},
            "url": {"type": "string", "format": "uri", "description": "The http(s) URL to call."},
            "headers": {
                "type": "object",
                "additionalProperties": {"type": "string"},
                "description": "Request headers.",
            },
            "body": {"type": "string", "description": "Request body (e.g. JSON text)."},
        },
        "required": ["url"],
        "additionalProperties": False,
    },
)

"""Hook matchers, as Claude Code reads them.

``""``, ``"*"`` or no matcher: every event. Only letters, digits, ``_``, ``-``, spaces, ``,`` and
``|``: exact names split on ``|`` or ``,`` (``"Edit|Write"``). Anything else: a regular expression
searched anywhere in the name (``"mcp__memory__.*"``, ``"^Notebook"``).

What a matcher is matched against depends on the event: the tool name for tool events, the
``source`` for SessionStart, the ``reason`` for SessionEnd, the ``trigger`` for Pre/PostCompact, the agent type for
SubagentStart/SubagentStop (as Claude Code), the plugin's name for plugin events; events without a subject (UserPromptSubmit, Stop) ignore the matcher.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

_EXACT = re.compile(r"[A-Za-z0-9_|, \-]+")

TOOL_EVENTS = frozenset({"PreToolUse", "PostToolUse", "PostToolUseFailure", "PermissionRequest"})


def compile_matcher(matcher: str | None) -> Callable[[str | None], bool]:
    """A test on the event's subject.

    :raises re.error: when the matcher is a regular expression that does not compile.
    """
    if matcher is None or matcher.strip() in ("", "*"):
        return lambda subject: True
    if _EXACT.fullmatch(matcher):
        names = frozenset(n.strip() for n in re.split(r"[|,]", matcher) if n.strip())
        return lambda subject: subject in names
    regex = re.compile(matcher)
    return lambda subject: subject is not None and regex.search(subject) is not None


def subject_of(event: Any) -> tuple[bool, str | None]:
    """``(has_subject, subject)`` for a :class:`claw.HookEvent`."""
    name = event.hook_event_name
    if name in TOOL_EVENTS:
        return True, event.tool_name
    if name == "SessionStart":
        return True, event.source
    if name == "SessionEnd":
        return True, event.reason
    if name in ("PreCompact", "PostCompact"):
        return True, event.trigger
    if name in ("SubagentStart", "SubagentStop"):
        return True, event.agent_type
    if name.endswith(("PluginInstall", "PluginUninstall")):
        return True, (event.plugin or {}).get("name")
    return False, None

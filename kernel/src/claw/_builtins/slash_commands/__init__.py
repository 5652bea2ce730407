"""The built-in slash commands' dispatch (:mod:`.dispatch`), answering ``claw_slash_dispatcher``. Disabled,
no line is a built-in: each goes to the agent loop, which runs a session's slash command or names the
unknown one."""

from __future__ import annotations

from typing import Any

from claw import hookimpl


@hookimpl(trylast=True)
def claw_slash_dispatcher() -> Any:
    from claw._builtins.slash_commands.dispatch import Dispatcher

    return Dispatcher()

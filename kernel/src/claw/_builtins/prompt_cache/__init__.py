"""``prompt_cache``: whether each response of a turn hit the prompt cache and whether the cache broke
unexpectedly (:mod:`.tracker`), kept with the response (``claw_model_response``) and counted in the result's
``cache_stats`` (docs/sessions.md, "Prompt-cache statistics"). Disabled, nothing is judged: the assistant
events carry no ``cache`` record and the counters stay at zero."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from claw import hookimpl

if TYPE_CHECKING:
    from claw._providers import ModelResponse
    from claw._routing import Route
    from claw._session_context import SessionContext


@hookimpl
def claw_model_response(session: SessionContext, route: Route, response: ModelResponse) -> dict[str, Any]:
    from claw._builtins.prompt_cache.tracker import observe

    return {"cache": observe(session, route, response)}

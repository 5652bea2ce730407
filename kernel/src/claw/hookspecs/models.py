"""Models and providers

Where model requests go: a provider turns claw's request into a vendor's API calls and streams the answer
back. Retries, backoff, fallbacks and cost accounting stay in the kernel, for every provider alike.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from claw._markers import hookspec

if TYPE_CHECKING:
    from collections.abc import Callable

    from claw._errors import ClawError
    from claw._providers import ModelResponse, Provider
    from claw._routing import Route
    from claw._session_context import SessionContext


@hookspec
def claw_register_providers(register: Callable[[type[Provider]], None]) -> None:
    """Register model providers.

    Call ``register(MyProvider)`` with a :class:`claw.Provider` **subclass**, once per provider. ``name``
    is the prefix users address models with (``anthropic/claude-sonnet-4-6``); a name already
    registered is rejected. ``model_prefixes`` resolves bare model ids. The class is instantiated only
    when a run uses one of its models.

    ``models()`` returns :class:`claw.ModelInfo` (capabilities and prices). ``credentials()`` reports
    whether a key is present without printing it. ``stream(request)`` yields stream events and ends
    with ``ResponseComplete``. ``model_info(model_id)`` (a classmethod, from the catalogue) resolves
    names; once the provider is instantiated with its settings, the kernel asks the instance's
    ``describe(model_id)`` instead, for capability checks (images, tools), output limits, context
    window and prices, for the primary model and fallbacks, and hands the result to ``stream`` as
    ``request.info`` (read it with ``self.info_of(request)``, which describes the model itself for a
    request built by hand). ``request.reasoning_effort`` is the level the user asked for: map it onto
    ``info.effort_levels`` (``claw_wire.effort_of`` does, with Claude Code's warning). ``describe``'s
    default returns ``model_info(model_id)``; override it when settings can declare models
    (``providers.openai.models``, ``providers.foundry.deployments``), and override
    ``declared_models()`` (default: none) to return their ids, so ``claw models`` lists them (marked
    ``settings``) as ``describe`` reports them. Both run on an instance built from settings without
    credentials, so they must not import the SDK nor use the network.

    ``default_model()`` (default: ``None``) names the model the provider runs when the user names
    none; the kernel asks it of the provider a ``CLAUDE_CODE_USE_*`` switch selects, else of each
    provider in turn until one reports credentials (see `configuration
    <configuration.md#which-model-runs>`_), so the vendor's default lives in its plugin. Return
    ``None`` when there is no sensible guess (an OpenAI-compatible server that declares no models):
    that provider is then never chosen implicitly.

    Providers raise :class:`claw.ApiError` and never retry on their own: retries, backoff, the idle-stream
    watchdog and fallbacks live in the kernel. A provider speaking Anthropic Messages or OpenAI Chat
    Completions should depend on the shared translation library ``claw-wire`` and use ``claw_wire`` (see
    `cloud providers <cloud-providers.md#for-plugin-authors-claw_wire>`_); a vendor SDK is imported off
    the event loop (``claw_wire.clients.Clients``).

    :param register: the kernel's registration callback; takes a :class:`claw.Provider` subclass.
    :returns: nothing; providers are registered through ``register``.

    .. versionadded:: 1.0
    """


@hookspec
def claw_model_response(
    session: SessionContext, route: Route, response: ModelResponse
) -> dict[str, Any] | None:
    """A model response of a turn arrived (a compaction's summary is none): add to its ``assistant`` event
    in the session file. Every implementation is called and the fields they return are kept with the
    event (a later plugin's key wins; ``type``, ``message``, ``model``, ``usage`` and ``stop_reason`` stay
    the loop's); one that raises is reported and adds nothing. claw's
    ``prompt_cache`` built-in answers ``cache``, the response's prompt-cache outcome (`sessions
    <sessions.md#prompt-cache-statistics>`_), and counts it in the session's ``cache_stats``.

    :param session: the session (a sub-agent's too).
    :param route: the model that answered (``route.address``, ``route.info``).
    :param response: its response (``response.usage``).
    :returns: fields to keep with the event (JSON values), or ``None``.

    .. versionadded:: 1.1
    """


@hookspec(firstresult=True)
def claw_turn_continues(
    session: SessionContext, response: ModelResponse, result: dict[str, Any], nudges: int
) -> str | bool | ClawError | None:
    """Whether a prompt's turn goes on after ``response`` and its tool calls, asked unless the budget or a
    hook's ``continue: false`` ended it. Stops at first non-None result. claw's ``structured_output``
    built-in answers for ``--json-schema`` (the turn ends once the answer is accepted, or reminds the model).

    :param session: the session (a sub-agent's too).
    :param response: the model's response, whose tool calls have run.
    :param result: the fields the turn's result gets (``structured_output``), fresh for each prompt.
    :param nudges: how many times an answer of this hook made the turn go on so far.
    :returns: ``None`` for claw's rules (tool results go back to the model, at the end ``Stop`` may
        object), ``False`` to end the turn now, ``True`` to go on, a text to tell the model as it goes
        on, or a :class:`claw.ClawError` to end it in an ``error_during_execution`` result saying it.

    .. versionadded:: 1.1
    """

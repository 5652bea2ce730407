"""Wire-format helpers shared by provider plugins.

Several clouds serve the same wire format (Claude speaks Anthropic Messages on Anthropic, Vertex and
Foundry; many deployments speak OpenAI Chat Completions), so the translation lives here once instead
of in every plugin:

- :mod:`claw.wire.builder`: :class:`~claw.wire.builder.ResponseBuilder` turns stream events into the
  final :class:`claw.ModelResponse` (every provider).
- :mod:`claw.wire.anthropic`: Messages API request parameters, thinking/effort and stream events for
  the ``anthropic`` SDK's clients (``AsyncAnthropic``, ``AsyncAnthropicVertex``,
  ``AsyncAnthropicFoundry``).
- :mod:`claw.wire.openai_chat`: Chat Completions request parameters and stream events for the
  ``openai`` SDK (and any OpenAI-compatible deployment).
- :mod:`claw.wire.errors`: :func:`~claw.wire.errors.sdk_error` maps both SDKs' exceptions to
  :class:`claw.errors.ApiError`.

None of them imports a vendor SDK: they work on plain dicts and the SDK's objects by attribute.
"""

from __future__ import annotations

from claw.providers import Effort, ModelInfo, ModelRequest


def effort_of(request: ModelRequest, info: ModelInfo) -> Effort | None:
    """The reasoning effort to send for ``request`` to ``info``'s model.

    The agent loop has already mapped ``--reasoning-effort`` onto a level the model accepts, so this
    is a no-op there; a provider driven directly (an embedder, a test) gets the same mapping, with
    the same warning, from :func:`claw.routing.map_effort`.
    """
    from claw.routing import map_effort

    return map_effort(info, request.reasoning_effort)

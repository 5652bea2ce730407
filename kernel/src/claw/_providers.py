"""The provider contract: what a model plugin declares and how it streams a response
(``claw_register_providers`` in :mod:`claw.hookspecs` says how a plugin registers and implements one)."""

from __future__ import annotations

import abc
from collections.abc import AsyncIterator, Mapping
from typing import Annotated, Any, ClassVar, Literal

from pydantic import ConfigDict, Field

from claw._messages import ContentBlock, Message, StopReason, TextBlock, Usage
from claw._model import Model
from claw._settings import Effort
from claw._tools import ToolSpec


class Pricing(Model):
    """US dollars per million tokens. Cache writes default to Anthropic's multipliers of ``input``."""

    input: float
    output: float
    cache_write_5m: float | None = None
    cache_write_1h: float | None = None
    cache_read: float | None = None

    def cost(self, usage: Usage) -> float:
        write = self.cache_write_5m if self.cache_write_5m is not None else self.input * 1.25
        read = self.cache_read if self.cache_read is not None else self.input * 0.1
        return (
            usage.input_tokens * self.input
            + usage.output_tokens * self.output
            + usage.cache_creation_input_tokens * write
            + usage.cache_read_input_tokens * read
        ) / 1_000_000


class ModelInfo(Model):
    """What one model can do. Capability-aware routing and ``claw models`` read this."""

    model_config = ConfigDict(frozen=True)

    #: The id the provider's API expects, e.g. ``claude-sonnet-4-6``.
    id: str
    #: The registering provider's name, e.g. ``anthropic``.
    provider: str
    aliases: tuple[str, ...] = ()
    context_window: int = 200_000
    max_output_tokens: int = 32_000
    supports_tools: bool = True
    supports_images: bool = False
    supports_thinking: bool = False
    #: Effort levels the model accepts; empty means ``--reasoning-effort`` is dropped with a warning.
    effort_levels: tuple[Effort, ...] = ()
    supports_prompt_cache: bool = False
    pricing: Pricing | None = None

    @property
    def address(self) -> str:
        return f"{self.provider}/{self.id}"


class ModelRequest(Model):
    """One call to a model, in provider-neutral form."""

    model: str
    #: ``model``'s facts as the provider's :meth:`Provider.describe` gave them (settings-declared
    #: models included). The agent loop fills it when it builds the request, so no provider resolves
    #: the model again; a request built by hand leaves it out (see :meth:`Provider.info_of`).
    info: ModelInfo | None = None
    system: list[TextBlock] = Field(default_factory=list)
    messages: list[Message]
    tools: list[ToolSpec] = Field(default_factory=list)
    max_tokens: int = 16_000
    reasoning_effort: Effort | None = None
    temperature: float | None = None
    stop_sequences: list[str] = Field(default_factory=list)
    #: Ask the provider to place prompt-cache breakpoints (where the model supports caching).
    cache: bool = True
    #: Free-form, e.g. ``{"session_id": ...}``; providers may forward what their API accepts.
    metadata: dict[str, Any] = Field(default_factory=dict)


class ModelResponse(Model):
    """A complete assistant turn as one provider call produced it."""

    id: str = ""
    model: str
    content: list[ContentBlock]
    stop_reason: StopReason | None = None
    usage: Usage = Field(default_factory=Usage)

    def to_message(self) -> Message:
        return Message(role="assistant", content=list(self.content))


# --- streaming events: what Provider.stream yields -------------------------------------------


class TextDelta(Model):
    type: Literal["text_delta"] = "text_delta"
    index: int = 0
    text: str


class ThinkingDelta(Model):
    type: Literal["thinking_delta"] = "thinking_delta"
    index: int = 0
    thinking: str


class ToolUseStart(Model):
    type: Literal["tool_use_start"] = "tool_use_start"
    index: int = 0
    id: str
    name: str


class ToolInputDelta(Model):
    type: Literal["tool_input_delta"] = "tool_input_delta"
    index: int = 0
    partial_json: str


class ResponseComplete(Model):
    """The last event of every successful stream, carrying the assembled response."""

    type: Literal["response_complete"] = "response_complete"
    response: ModelResponse


class KeepAlive(Model):
    """The server said it is still there (an SSE ``ping`` or comment line) without sending content.

    It resets the idle-stream watchdog and goes no further: the loop never passes it on, so a stream
    that only pings for longer than ``streamIdleTimeout`` between content is still alive, as it is."""

    type: Literal["keep_alive"] = "keep_alive"


StreamEvent = Annotated[
    TextDelta | ThinkingDelta | ToolUseStart | ToolInputDelta | ResponseComplete | KeepAlive,
    Field(discriminator="type"),
]


class CredentialStatus(Model):
    """What ``claw doctor`` shows for a provider. Never carries the secret itself."""

    present: bool
    #: Where the credential was found (``ANTHROPIC_API_KEY``, ``settings providers.openai.api_key``).
    source: str | None = None
    #: What to set when ``present`` is false.
    hint: str = ""


class Provider(abc.ABC):
    """A model provider.

    Subclasses set :attr:`name` and implement :meth:`models`, :meth:`credentials` and :meth:`stream`.

    :param settings: the ``providers.<name>`` section of the effective settings (``base_url``,
        ``api_key``, ...), already merged across layers.
    :param env: the environment to read credentials from (``os.environ`` in a real run)."""

    #: The prefix users address models with: ``<name>/<model-id>``.
    name: ClassVar[str]
    #: Bare model ids starting with one of these resolve to this provider (``claude-`` -> anthropic).
    model_prefixes: ClassVar[tuple[str, ...]] = ()
    #: The id of this provider's small fast model (Claude Code's Haiku role), used for side jobs such
    #: as ``WebFetch`` reading a page when settings ``smallFastModel`` is unset; ``None``: none.
    small_model: ClassVar[str | None] = None

    def __init__(self, settings: Mapping[str, Any], env: Mapping[str, str]) -> None:
        self.settings = settings
        self.env = env

    @classmethod
    @abc.abstractmethod
    def models(cls) -> list[ModelInfo]:
        """The models this provider knows, with capabilities and prices. Must not import the SDK."""

    @classmethod
    def model_info(cls, model_id: str) -> ModelInfo:
        """Capabilities of ``model_id``. Unknown ids get conservative defaults rather than an error,
        because providers add models faster than plugins release."""
        for info in cls.models():
            if model_id == info.id or model_id in info.aliases:
                return info
        return ModelInfo(id=model_id, provider=cls.name)

    def describe(self, model_id: str) -> ModelInfo:
        """Capabilities of ``model_id`` for this configured provider, models its settings declare
        included (what the kernel asks once the provider exists: ``claw_register_providers``). The
        default is the catalogue's :meth:`model_info`; override it to read settings."""
        return type(self).model_info(model_id)

    def info_of(self, request: ModelRequest) -> ModelInfo:
        """The facts of ``request``'s model: the ones it carries, else :meth:`describe`'s."""
        info = request.info
        return info if info is not None and info.id == request.model else self.describe(request.model)

    def declared_models(self) -> list[str]:
        """Ids of the models this configured provider's settings declare, for ``claw models``
        (``claw_register_providers``). The default declares none."""
        return []

    def default_model(self) -> str | None:
        """The model id this configured provider runs when the user names none (no ``--model``,
        ``ANTHROPIC_MODEL`` or settings ``model``), as :func:`claw._routing.choose_model` asks it;
        ``None`` (the default): no sensible guess, never chosen implicitly (``claw_register_providers``).
        Must not import the SDK or contact the network."""
        return None

    @abc.abstractmethod
    def credentials(self) -> CredentialStatus:
        """Whether credentials are configured, without contacting the network."""

    @abc.abstractmethod
    def stream(self, request: ModelRequest) -> AsyncIterator[StreamEvent]:
        """Send ``request`` and yield events, ending with one :class:`ResponseComplete`. Raises
        :class:`claw.ApiError` for every failure (a stream cut before the end too), never retrying
        (``claw_register_providers``)."""

    async def aclose(self) -> None:
        """Release clients and connections. Called once at the end of a run."""

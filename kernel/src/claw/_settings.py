"""The settings schema: every key the kernel understands, with Claude Code's names where the
concept exists (``permissions``, ``env``, ``model``), so Claude Code's settings files are
read as they are (:mod:`claw._config`) and can be copied into ``.claw/settings.json``. Plugins declare
their own top-level keys through ``claw_register_settings`` (``hooks``: claw-hooks; ``compaction``:
claw-compaction)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from pydantic import ConfigDict, Field

from claw._model import Model

#: Reasoning effort levels, from least to most.
Effort = Literal["low", "medium", "high", "xhigh", "max"]


def env_number(env: Mapping[str, str], name: str, default: float) -> float:
    """``env[name]`` as a number, or ``default`` when unset or not a number: how an environment variable
    overrides a numeric setting for one run."""
    try:
        return float(env[name])
    except (KeyError, ValueError):
        return default


class _Section(Model):
    # A section no file sets defaults to its model_construct(): no validator built for defaults (~1.5 ms).
    model_config = ConfigDict(extra="allow", populate_by_name=True)


class PermissionSettings(_Section):
    allow: list[str] = Field(default_factory=list)
    ask: list[str] = Field(default_factory=list)
    deny: list[str] = Field(default_factory=list)
    defaultMode: str | None = None
    additionalDirectories: list[str] = Field(default_factory=list)
    disableBypassPermissionsMode: Literal["disable"] | None = None
    #: Classifier names the ``auto`` mode asks, in order.
    classifiers: list[str] = Field(default_factory=list)


class PluginSettings(_Section):
    #: Entry-point or distribution names never loaded.
    disabled: list[str] = Field(default_factory=list)
    #: Registered name (a tool, provider, ...) -> the plugin or distribution allowed to take it from the
    #: plugin that registered it first (first-party plugins load first and own their names).
    overrides: dict[str, str] = Field(default_factory=dict)


class RetrySettings(_Section):
    """How model requests are retried (:mod:`claw._loop.retry`); ``CLAW_MAX_RETRIES``,
    ``CLAW_RETRY_BASE_DELAY``, ``CLAW_RETRY_MAX_DELAY``, ``CLAW_RETRY_MAX_ELAPSED`` and
    ``CLAW_UNREACHABLE_BUDGET`` override these for one run."""

    maxRetries: int = Field(default=10, ge=0)
    #: Seconds before the first retry; each further retry doubles it (with jitter).
    baseDelay: float = Field(default=0.5, ge=0)
    #: Cap on the delay between retries, in seconds.
    maxDelay: float = Field(default=32.0, ge=0)
    #: Cap on the waits between retries of one request, added up, in seconds; ``CLAW_RETRY_MAX_ELAPSED``
    #: overrides it.
    maxElapsed: float = Field(default=90.0, ge=0)
    #: Seconds to keep retrying an endpoint that cannot be reached at all (connection refused,
    #: unknown host) before giving up; ``CLAW_UNREACHABLE_BUDGET`` overrides it.
    unreachableBudget: float = Field(default=3.0, ge=0)


class SandboxNetworkSettings(_Section):
    """Network of sandboxed commands (Claude Code's ``sandbox.network`` keys, plus claw's ``mode``)."""

    #: ``none`` (no network at all), ``host`` (the machine's network) or ``allow-list`` (only
    #: ``allowedDomains``, through a filtering HTTP/HTTPS proxy). Unset: ``allow-list`` when
    #: ``allowedDomains`` is given, else ``none``.
    mode: Literal["none", "host", "allow-list"] | None = None
    #: Domains reachable in ``allow-list`` mode; ``*.example.com`` matches subdomains.
    allowedDomains: list[str] = Field(default_factory=list)
    #: Unix sockets a sandboxed command may connect to (bound into the sandbox).
    allowUnixSockets: list[str] = Field(default_factory=list)
    #: Whether a sandboxed command may listen on its own loopback.
    allowLocalBinding: bool = False


class SandboxFilesystemSettings(_Section):
    """What sandboxed commands may write and read (claw's keys)."""

    #: ``off`` (no filesystem confinement), ``workspace-only`` (write the workspace, additional
    #: directories and a private temp dir) or ``allow-list`` (write only ``allowWrite``).
    mode: Literal["off", "workspace-only", "allow-list"] = "workspace-only"
    #: Writable paths in ``allow-list`` mode (``~`` and workspace-relative paths accepted); each must exist.
    allowWrite: list[str] = Field(default_factory=list)
    #: Paths hidden from sandboxed commands; unset: ``~/.ssh``, ``~/.aws``, ``~/.gnupg`` and the
    #: workspace's ``.env`` files in ``allow-list`` mode.
    denyRead: list[str] | None = None


class SandboxSettings(_Section):
    """Confinement of the commands claw runs for the model (Claude Code's ``sandbox`` keys where it
    has them: ``enabled``, ``autoAllowBashIfSandboxed``, ``excludedCommands``, ``network``)."""

    #: The registered sandbox to use; unset with ``enabled``: the first one registered.
    name: str | None = None
    enabled: bool = False
    #: A confined Bash call needs no approval in the modes that would ask about it.
    autoAllowBashIfSandboxed: bool = True
    #: Commands (first word, or a ``Bash(...)``-style prefix ending in ``*``) that run outside the
    #: sandbox, through the normal permission prompt.
    excludedCommands: list[str] = Field(default_factory=list)
    #: When the sandbox cannot run here: refuse to run commands (true) or run them unconfined with a warning.
    failIfUnavailable: bool = True
    #: ``auto`` (bwrap, else ``unshare`` from util-linux), ``bubblewrap`` or ``unshare``.
    engine: Literal["auto", "bubblewrap", "unshare"] = "auto"
    #: The engine's binary (``bwrap`` or ``unshare``) when not the one on ``PATH``.
    enginePath: str | None = None
    filesystem: SandboxFilesystemSettings = Field(default_factory=SandboxFilesystemSettings.model_construct)
    network: SandboxNetworkSettings = Field(default_factory=SandboxNetworkSettings.model_construct)

    @property
    def requested(self) -> bool:
        """Whether commands are to run sandboxed: ``enabled``, or a ``name`` given."""
        return self.enabled or bool(self.name)


class Settings(_Section):
    """The effective settings. Unknown top-level keys are kept (plugins may own them) and reported
    unless a plugin registered them."""

    schema_: str | None = Field(default=None, alias="$schema")
    model: str | None = None
    #: Tried in order when the model's retries are exhausted. Not merged across layers.
    fallbackModels: list[str] = Field(default_factory=list)
    #: The small fast model for side jobs such as reading a fetched page for ``WebFetch`` (Claude
    #: Code's ``smallFastModel``; ``ANTHROPIC_SMALL_FAST_MODEL`` overrides); unset: the main model's
    #: provider's declared small model, if any (see :func:`claw._routing.small_model`).
    smallFastModel: str | None = None
    reasoningEffort: Effort | None = None
    maxTurns: int | None = Field(default=None, gt=0)
    env: dict[str, str] = Field(default_factory=dict)
    permissions: PermissionSettings = Field(default_factory=PermissionSettings.model_construct)
    plugins: PluginSettings = Field(default_factory=PluginSettings.model_construct)
    #: Per-provider options: ``{"anthropic": {"base_url": ..., "api_key": ...}}``.
    providers: dict[str, dict[str, Any]] = Field(default_factory=dict)
    #: Price overrides per model address or id, in USD per million tokens.
    prices: dict[str, dict[str, float]] = Field(default_factory=dict)
    retry: RetrySettings = Field(default_factory=RetrySettings.model_construct)
    #: Seconds a response stream may stay silent before it is aborted and retried
    #: (``CLAW_STREAM_IDLE_TIMEOUT`` overrides).
    streamIdleTimeout: float = Field(default=120.0, gt=0)
    #: Seconds plugins may take to start a session (connecting MCP servers) before claw goes on
    #: without them (``CLAW_SESSION_START_TIMEOUT`` overrides); unset: 30, or what plugins ask for
    #: (``SessionContext.request_start_timeout``: claw-mcp asks for ``MCP_TIMEOUT`` + 1 s).
    sessionStartTimeout: float | None = Field(default=None, gt=0)
    #: Seconds a plugin's ``claw_hook_event`` or ``claw_tool_result`` handler may take before the run
    #: goes on without its answer; ``CLAW_PLUGIN_HOOK_TIMEOUT`` overrides it.
    pluginHookTimeout: float = Field(default=60.0, gt=0)
    sandbox: SandboxSettings = Field(default_factory=SandboxSettings.model_construct)
    cleanupPeriodDays: int | None = Field(default=None, ge=0)
    #: ``-p`` honours workspace trust as interactive runs do (``--require-trust``); read from user,
    #: command-line and managed settings only (a folder cannot lift it). See ``docs/trust.md``.
    requireTrust: bool = False


#: List-valued keys where the highest layer wins instead of lists concatenating.
ORDERED_LISTS = frozenset({"fallbackModels"})

"""What one session's loop holds: set in ``__init__`` or by :meth:`claw._loop.AgentLoop.start`, and read by
the parts of the loop, each a layer on the one before it (docs/architecture.md, ``_loop/``)."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import TYPE_CHECKING, Any

from claw import _routing as routing
from claw._cost import CostTracker
from claw._loop.options import LoopOptions
from claw._loop.retry import ModelCaller
from claw._messages import TextBlock, ToolResultBlock
from claw._output import Renderer
from claw._routing import Route
from claw._session_context import SessionContext
from claw._sessions import Session
from claw._tools import StashKey, Tool, ToolContext

if TYPE_CHECKING:
    from claw._compaction import Compactor
    from claw._config import EffectiveSettings
    from claw._hook_dispatch import HookDispatch
    from claw._loop.agent import AgentLoop
    from claw._permissions.gate import PermissionGate

#: The session's loop, in its stash: how the ``subagents`` built-in reaches the parent of a sub-agent.
LOOP: StashKey[AgentLoop] = StashKey()


class LoopState:
    """The state of one session's loop; the attributes without a value here are set by ``start()``."""

    settings: EffectiveSettings
    chain: list[Route]
    model_choice: routing.ModelChoice
    costs: CostTracker
    caller: ModelCaller
    permissions: PermissionGate
    hooks: HookDispatch
    tool_ctx: ToolContext
    system: list[TextBlock]
    first_context: list[TextBlock]  # leads the first user message (--exclude-dynamic-system-prompt-sections)
    #: The compactor plugins answered with (``None``: compaction is off).
    compactor: Compactor | None

    def __init__(self, app: Any, options: LoopOptions, renderer: Renderer) -> None:
        self.app = app
        self.opts = options
        self.renderer = renderer
        self.env = app.env
        self.workspace: Path = options.workspace or app.workspace
        self.session: Session | None = None
        self.ctx: SessionContext | None = None
        self._started_plugins = False
        self._providers: dict[str, Any] = options.parent.providers if options.parent else {}
        self._runtime_impls: list[Any] = []
        self._context_tokens = 0
        #: route address -> the route as its configured provider describes it.
        self._described: dict[str, Route] = {}
        #: Tool name (and alias) -> tool, as offered to the model; rebuilt when session tools change.
        self.tools: dict[str, Tool] = {}
        self._tool_list: list[Tool] = []
        self._tools_version = 0
        #: The running turn's task and whether :meth:`interrupt` stopped it.
        self._turn: asyncio.Task[Any] | None = None
        self._interrupted = False
        #: ``{tool_name, tool_use_id, tool_input}`` for every call denied this turn (``permission_denials``).
        self.denials: list[dict[str, Any]] = []
        #: Set when a tool's hook answered ``continue: false``: the run stops after that batch.
        self.tool_stop: str | None = None
        self.finished: dict[str, ToolResultBlock] = {}  #: tool_use id -> result, of finished calls

    @property
    def _session(self) -> Session:
        """:attr:`session` for the parts that run only once :meth:`claw._loop.AgentLoop.start` opened it."""
        assert self.session is not None
        return self.session

    @property
    def _ctx(self) -> SessionContext:
        """:attr:`ctx` for the parts that run only once :meth:`claw._loop.AgentLoop.start` made it."""
        assert self.ctx is not None
        return self.ctx

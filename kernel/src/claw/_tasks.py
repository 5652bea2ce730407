"""The background-task contract: where sub-agents, detached tasks and scheduled tasks run: ``start`` in this
process, ``submit`` a :class:`TaskSpec` detached (the backends and how settings ``agents.backend`` picks one:
``claw_register_task_backends``, docs/agents.md "For backend authors"). The process helpers backends share
are the ``local`` backend's (:mod:`claw._builtins.local_tasks.processes`)."""

from __future__ import annotations

import abc
import enum
import time
from collections.abc import Awaitable, Callable, Mapping
from typing import Any, ClassVar, Literal, NamedTuple

from pydantic import ConfigDict, Field

from claw._model import Model

#: The backend used when settings name none: ``embedded`` (from ``claw-agents``) when it is installed.
DEFAULT_TASK_BACKEND = "embedded"


class TaskStatus(enum.StrEnum):
    """Where a detached task is in its life. ``completed``/``failed``/``stopped`` are final."""

    PENDING = "pending"
    RUNNING = "running"
    COMPLETED = "completed"
    FAILED = "failed"
    STOPPED = "stopped"

    @property
    def final(self) -> bool:
        return self in (TaskStatus.COMPLETED, TaskStatus.FAILED, TaskStatus.STOPPED)


class TaskSpec(Model):
    """What to run detached; serializable so it can cross a process or machine boundary.

    ``kind="prompt"``: ``text`` is a prompt for ``claw -p`` run with ``model`` and ``permission_mode``;
    ``kind="command"``: ``text`` is a shell command. ``env`` is added to the backend's environment."""

    model_config = ConfigDict(extra="forbid")

    kind: Literal["prompt", "command"]
    text: str = Field(min_length=1)
    cwd: str | None = None
    name: str = ""
    description: str = ""
    model: str | None = None
    permission_mode: str | None = None
    env: dict[str, str] = Field(default_factory=dict)
    parent_session_id: str | None = None


class TaskEvent(Model):
    """One state transition (or a notable moment, such as recovery) in a task's life."""

    at: float
    status: TaskStatus
    detail: str = ""


class TaskRecord(Model):
    """A detached task as a backend records it. Times are Unix epoch seconds."""

    id: str
    spec: TaskSpec
    status: TaskStatus = TaskStatus.PENDING
    backend: str = ""
    created_at: float = Field(default_factory=time.time)
    started_at: float | None = None
    ended_at: float | None = None
    exit_code: int | None = None
    error: str | None = None
    #: The process running it, where the backend knows one (the process-group leader).
    pid: int | None = None
    #: Where the output is kept (a file path, or a backend-specific location).
    output_path: str | None = None
    events: list[TaskEvent] = Field(default_factory=list)

    def transition(self, status: TaskStatus, detail: str = "") -> None:
        """Move to ``status`` and record it as an event (so a record always says how it got where it is)."""
        now = time.time()
        self.status = status
        if status is TaskStatus.RUNNING and self.started_at is None:
            self.started_at = now
        if status.final and self.ended_at is None:
            self.ended_at = now
        self.events.append(TaskEvent(at=now, status=status, detail=detail))


class TaskFilter(Model):
    """Which records :meth:`TaskBackend.list` returns; every field left ``None`` matches all."""

    statuses: list[TaskStatus] | None = None
    parent_session_id: str | None = None
    kind: Literal["prompt", "command"] | None = None

    def matches(self, record: TaskRecord) -> bool:
        return (
            (self.statuses is None or record.status in self.statuses)
            and (self.parent_session_id is None or record.spec.parent_session_id == self.parent_session_id)
            and (self.kind is None or record.spec.kind == self.kind)
        )


class StoppedTask(Model):
    """A background task that has ended: found by ``claw_stop_task`` (ended by that call, ``stopped``,
    or before it) or announced by its plugin (``SessionContext.task_ended``). Claude Code's
    ``task_updated``/``task_notification`` messages are built from it."""

    task_id: str
    #: Claude Code's task type: ``local_bash`` (a background shell), ``local_agent`` (a sub-agent).
    task_type: str
    description: str = ""
    status: Literal["stopped", "completed", "failed"] = "stopped"
    #: ``task_notification``'s ``summary`` (empty: one is made from the description and status).
    summary: str = ""
    #: Where the task's output is kept (``task_notification``'s ``output_file``), or empty.
    output_file: str = ""


class TaskOutputChunk(NamedTuple):
    """A page of a task's output: the text, the offset to ask for next, and whether no more will come."""

    text: str
    next_offset: int
    done: bool


class TaskHandle(abc.ABC):
    id: str

    @abc.abstractmethod
    def done(self) -> bool: ...

    @abc.abstractmethod
    async def result(self) -> Any:
        """Wait for the task and return its result (or raise its exception)."""

    @abc.abstractmethod
    async def cancel(self) -> None: ...


class TaskBackend(abc.ABC):
    """Where tasks run. ``start`` is in-process; the async methods manage detached :class:`TaskSpec` tasks.

    Backends raise :class:`KeyError` from ``get``/``output``/``wait``/``stop`` for an unknown id."""

    name: ClassVar[str]

    def configure(self, settings: Mapping[str, Any]) -> None:
        """Take the effective settings (all of them; a backend reads its own ``agents.<name>`` part).

        :func:`select_task_backend` calls it on the backend it selects, before returning it, so a backend
        registered without settings (``claw_register_task_backends``) learns, for example, its broker URL.
        The default needs none. Raise :class:`claw.ConfigError` for settings the backend cannot use."""

    @abc.abstractmethod
    def start(self, name: str, work: Callable[[], Awaitable[Any]]) -> TaskHandle:
        """Start ``work`` in the background and return a handle to it."""

    @abc.abstractmethod
    async def submit(self, spec: TaskSpec) -> TaskRecord:
        """Start ``spec`` detached and return its record (``pending`` or already ``running``)."""

    @abc.abstractmethod
    async def get(self, task_id: str) -> TaskRecord:
        """The current record of ``task_id``."""

    @abc.abstractmethod
    async def list(self, filter: TaskFilter | None = None) -> list[TaskRecord]:
        """Records matching ``filter``, oldest first."""

    @abc.abstractmethod
    async def output(self, task_id: str, offset: int = 0, limit: int = 64 * 1024) -> TaskOutputChunk:
        """Up to ``limit`` bytes of output from byte ``offset``; ``done`` once the task is final and
        everything has been read."""

    @abc.abstractmethod
    async def wait(self, task_id: str, timeout: float | None = None) -> TaskRecord:
        """The record once the task is final, or as it stands when ``timeout`` seconds have passed."""

    @abc.abstractmethod
    async def stop(self, task_id: str) -> TaskRecord:
        """End the task and everything it started (its whole process group); a final task is left as is."""


def select_task_backend(backends: Mapping[str, TaskBackend], settings: Mapping[str, Any]) -> TaskBackend:
    """The backend settings ``agents.backend`` names (default :data:`DEFAULT_TASK_BACKEND`).

    When the default is not installed, the kernel's built-in ``local`` backend serves (detached tasks then
    end with this process). A backend named in settings but not registered is an error naming it and the
    choices; with neither the default nor ``local``, one naming both."""
    agents = settings.get("agents")
    configured = agents.get("backend") if isinstance(agents, Mapping) else None
    name = configured or DEFAULT_TASK_BACKEND
    if name in backends:
        backends[name].configure(settings)
        return backends[name]
    if not configured and "local" in backends:
        return backends["local"]
    from claw._errors import ConfigError
    from claw._plugins import DISABLE_SWITCHES

    installed = ", ".join(sorted(backends)) or "none"
    if configured:
        raise ConfigError(
            f"settings agents.backend: no task backend {name!r} is installed (installed: {installed})"
        )
    raise ConfigError(
        f"no task backend is installed: neither {name!r} (pip install claw-agents) nor 'local', whose "
        f"built-in plugin local_tasks is disabled {DISABLE_SWITCHES}"
    )

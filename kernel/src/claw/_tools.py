"""The tool contract: what a tool declares, what the permission engine sees, what it returns.

A tool plugin registers :class:`Tool` instances through ``claw_register_tools``. Names and input
schemas follow Claude Code's (``Read``, ``Edit``, ``Bash``, ...) so prompts, permission rules and hooks
written for Claude Code keep working.
"""

from __future__ import annotations

import abc
import asyncio
import os
from collections.abc import Awaitable, Callable, Mapping
from pathlib import Path
from typing import Any, Generic, Literal, TypeVar

from pydantic import ConfigDict, Field

from claw._messages import ImageBlock, TextBlock
from claw._model import Model
from claw._text import REPLACEMENT, model_text

T = TypeVar("T")


class NativeTool(Model):
    """A tool type the model's API defines itself (Anthropic's computer use tool, ``computer_20250124``),
    sent instead of the JSON-schema function where the wire knows it: how each wire sends it is in
    ``claw_register_tools``'s contract (:mod:`claw.hookspecs`); for the Anthropic Messages wire,
    :func:`claw_wire.anthropic.request_params` in the claw-wire library.
    """

    model_config = ConfigDict(frozen=True)

    #: The API whose wire knows the type; only ``anthropic`` (the Messages API) today.
    api: Literal["anthropic"] = "anthropic"
    #: The tool type, e.g. ``computer_20250124``.
    type: str
    #: The type's own fields, sent beside ``type`` and ``name`` (``display_width_px``, ...).
    params: dict[str, Any] = Field(default_factory=dict)
    #: Beta features the request must name in ``anthropic-beta`` when this tool is offered.
    betas: tuple[str, ...] = ()


class ToolSpec(Model):
    """What the model is told about a tool."""

    model_config = ConfigDict(frozen=True)

    name: str
    description: str
    input_schema: dict[str, Any] = Field(default_factory=lambda: {"type": "object", "properties": {}})
    #: True when the tool never changes anything: it may run in parallel with other read-only calls,
    #: and read-only permission modes allow it.
    read_only: bool = False
    #: Other names accepted in permission rules and ``--allowed-tools`` (claw-code-go's ``read_file``).
    aliases: tuple[str, ...] = ()
    #: The provider-defined type to declare instead of ``input_schema`` where the wire knows it.
    native: NativeTool | None = None
    #: True when no permission mode's default and no ``auto`` classifier may allow a call: outside the
    #: ``allow``/``danger-full-access`` modes it runs only when an allow rule, a PreToolUse hook or the
    #: user allows it (computer use: clicks and keystrokes can do anything the desktop can).
    needs_approval: bool = False


class Access(Model):
    """One thing a tool call would touch, as the permission engine judges it.

    ``Read(...)`` rules match ``read`` accesses by path, ``Edit(...)`` rules ``write`` accesses,
    ``Bash(...)`` rules ``execute`` accesses by command and ``WebFetch(domain:...)`` ``network`` ones by URL.
    For ``execute``, ``path`` is the directory the command runs in (default: the workspace); relative
    arguments and redirections are judged against it. Give paths as the model wrote them: the engine
    resolves them (so deny rules also match the path as written, before symlinks are followed).

    What a shell tool declares for a command line (the kernel has no shell grammar), and how the engine
    judges it, is in docs/permissions.md ("Shell commands").
    """

    kind: Literal["read", "write", "execute", "network"]
    path: str | None = None
    command: str | None = None
    url: str | None = None
    #: ``execute``: the words of one simple command, as the tool's shell parser read them.
    argv: list[str] | None = None
    #: ``execute``: why the tool could not read the command line, when it could not.
    error: str | None = None
    #: ``execute``: other forms of the command for ``Bash(...)`` rules (Claude Code's semantics): allow
    #: rules match the first (the program that really runs: ``timeout 5 npm test`` is ``npm test``),
    #: deny and ask rules ``command`` and every form, so no prefix hides a denied command. Empty: only
    #: ``command``.
    forms: list[str] = Field(default_factory=list)
    #: ``execute``: ``read`` for a command that only reads (``ls``, ``cat``, ``git status``), ``file``
    #: for ``mkdir``/``touch``/``mv``/``cp``, else ``None``. The modes let read-only commands on
    #: workspace paths run, and ``workspace-write`` file commands inside it.
    command_class: Literal["read", "file"] | None = None
    #: ``execute`` with a ``command_class``: the arguments that may be paths (they must stay inside the
    #: workspace, and Read deny rules cover them), relative to ``path``.
    operands: list[str] = Field(default_factory=list)
    #: ``read``/``write``: the target of a shell redirection (``> out.txt``), not of the command itself.
    redirect: bool = False
    #: The call runs confined by the configured sandbox: with settings
    #: ``sandbox.autoAllowBashIfSandboxed`` what the mode would ask about is allowed (the sandbox,
    #: not the prompt, holds the line); deny rules, ask rules and the mode's denials still apply.
    sandboxed: bool = False


class ToolResult(Model):
    """What a tool returns. ``content`` goes back to the model; ``data`` goes to hooks and the session
    (Claude Code's ``tool_response``)."""

    content: str | list[TextBlock | ImageBlock] = ""
    is_error: bool = False
    data: dict[str, Any] = Field(default_factory=dict)

    @classmethod
    def error(cls, message: str) -> ToolResult:
        return cls(content=message, is_error=True)


class StashKey(Generic[T]):
    """A typed key for :class:`Stash`. Create one per module: ``READS = StashKey[dict[str, float]]()``."""

    __slots__ = ()


class Stash:
    """Per-session storage for plugins, keyed by :class:`StashKey` so plugins cannot collide."""

    def __init__(self) -> None:
        self._data: dict[StashKey[Any], Any] = {}

    def __getitem__(self, key: StashKey[T]) -> T:
        return self._data[key]

    def __setitem__(self, key: StashKey[T], value: T) -> None:
        self._data[key] = value

    def setdefault(self, key: StashKey[T], default: T) -> T:
        return self._data.setdefault(key, default)

    def get(self, key: StashKey[T], default: T | None = None) -> T | None:
        return self._data.get(key, default)


#: Asks the user a question and returns the answer; ``None`` when nobody can answer (headless run).
Asker = Callable[[str, list[str] | None], Awaitable[str | None]]


#: :attr:`ToolContext.complete`: ``await complete(model, system, prompt) -> text``, one model request
#: outside the conversation, as ``claw_register_tools``'s contract (:mod:`claw.hookspecs`) describes;
#: :class:`claw.ClawError` when the model cannot be resolved or has no credentials, :class:`claw.ApiError`
#: when the request failed after the retries.
Completer = Callable[[str, str, str], Awaitable[str]]


class ToolContext(Model):
    """What a running tool may use besides its input; docs/plugins.md ("What a tool gets") describes each
    field that has no comment here."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    workspace: Path
    session_id: str
    additional_dirs: list[Path] = Field(default_factory=list)
    permission_mode: str = "prompt"
    settings: Mapping[str, Any] = Field(default_factory=dict)
    env: Mapping[str, str] = Field(default_factory=dict)
    stash: Stash = Field(default_factory=Stash)
    ask: Asker | None = None
    cancelled: asyncio.Event = Field(default_factory=asyncio.Event)
    session: Any = None
    #: The sandbox settings ``sandbox.name`` selects (a :class:`claw.Sandbox` instance), set by the
    #: loop; the shell tool wraps every command with it. ``None`` when no sandbox is configured.
    sandbox: Any = None
    #: Makes a one-shot model request (see :class:`Completer`); set by the agent loop, ``None`` where
    #: no session runs (a tool called outside the loop must cope without it).
    complete: Completer | None = None
    #: The session's small fast model address (:func:`claw._routing.small_model`), or ``None`` when
    #: none is configured: what tools pass to :attr:`complete` for side jobs.
    small_model: str | None = None

    def resolve(self, path: str) -> Path:
        """Resolve a tool-supplied path against the workspace (``~`` expanded, ``..`` and links resolved)."""
        p = Path(path).expanduser()
        if not p.is_absolute():
            p = self.workspace / p
        if REPLACEMENT in path and not os.path.lexists(p):
            p = _named_as_shown(p)
        return p.resolve()


def _named_as_shown(path: Path) -> Path:
    """``path`` as the model saw it, back to the file it names: a name that is not UTF-8 is shown with
    U+FFFD (:func:`claw.model_text`), so each such component is replaced by the one directory entry
    shown the same way. Unchanged when there is none, or more than one."""
    out = Path(path.anchor)
    for part in path.parts[len(out.parts) :]:
        if REPLACEMENT in part and not os.path.lexists(out / part):
            try:
                found = [name for name in os.listdir(out) if model_text(name) == part]
            except OSError:
                found = []
            part = found[0] if len(found) == 1 else part
        out /= part
    return out


class Tool(abc.ABC):
    """A tool the model can call.

    Subclasses set :attr:`spec` and implement :meth:`run`; they override :meth:`access` when the
    call touches paths, runs commands or reaches the network, so permission rules can judge it.
    """

    spec: ToolSpec

    @property
    def name(self) -> str:
        return self.spec.name

    def access(self, input: Mapping[str, Any], ctx: ToolContext) -> list[Access]:
        """What this call would touch. The default: nothing beyond the tool itself."""
        return []

    @abc.abstractmethod
    async def run(self, input: dict[str, Any], ctx: ToolContext) -> ToolResult:
        """Do the work. Raise :class:`ToolError` (or anything) to return an ``is_error`` result:
        the loop reports it to the model and goes on."""


class ToolError(Exception):
    """A tool failure whose message is meant for the model, e.g. "old_string matched 2 times"."""


class ToolRef(Tool):
    """A tool declared by its :class:`ToolSpec` and the place of its implementation, imported (and the
    class called with no arguments) when :meth:`access` or :meth:`run` is first needed: docs/plugins.md
    ("By reference") says why and how. When the implementation cannot be loaded (an import error, a
    missing name, not a :class:`Tool`, a tool of another name), each call fails with a :class:`ToolError`
    saying so: the model gets an error result, the permission engine asks rather than guess, and the
    other tools are unaffected.

    :param spec: what the model is told; the implementation's own spec must carry the same name.
    :param target: ``"module:attribute"``, the attribute a :class:`Tool` subclass or a factory.
    """

    def __init__(self, spec: ToolSpec, target: str) -> None:
        module, _, attribute = target.partition(":")
        if not module or not attribute:
            raise ValueError(f"tool {spec.name}: target {target!r} is not 'module:attribute'")
        self.spec = spec
        self.target = target
        self._impl: Tool | None = None

    def resolve(self) -> Tool:
        """The implementation, imported and built on the first call and kept.

        :raises ToolError: when it cannot be loaded (say why, with the target).
        """
        if self._impl is None:
            import importlib

            module, _, attribute = self.target.partition(":")
            try:
                impl = getattr(importlib.import_module(module), attribute)()
            except Exception as exc:
                raise ToolError(
                    f"{self.spec.name} is unavailable: loading {self.target} failed: "
                    f"{type(exc).__name__}: {exc}"
                ) from exc
            if not isinstance(impl, Tool) or impl.spec.name != self.spec.name:
                raise ToolError(
                    f"{self.spec.name} is unavailable: {self.target} is not the {self.spec.name} tool"
                )
            self._impl = impl
        return self._impl

    def access(self, input: Mapping[str, Any], ctx: ToolContext) -> list[Access]:
        return self.resolve().access(input, ctx)

    async def run(self, input: dict[str, Any], ctx: ToolContext) -> ToolResult:
        return await self.resolve().run(input, ctx)

"""The agent loop: one session, any number of prompts, each run to the end of its turn.

For a prompt: ``UserPromptSubmit`` hook, then repeatedly: compact if the context is nearly full, stream
a response (retries, the idle watchdog and fallbacks in :mod:`claw.loop.retry`), record it, run the
tool calls it asks for (:mod:`claw.loop.tool_calls`) and send the results back, until the model stops
(and no ``Stop`` hook objects), ``--max-turns`` or ``--max-budget-usd`` is reached, or an API error
ends it. Everything is appended to the session as it happens.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import datetime as _dt
import inspect
import re
import time
import traceback
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from claw import compaction, console, log, paths, routing
from claw._version import VERSION
from claw.cost import CostTracker
from claw.errors import ApiError, ClawError, EndpointUnreachable, internal_error
from claw.events import HookEvent, HookOutcome, RuntimeEvent
from claw.loop import slash
from claw.loop.cache import CacheTracker, fingerprint
from claw.loop.retry import ModelCaller, RetryPolicy, session_start_timeout
from claw.loop.structured import NAME as STRUCTURED_NAME
from claw.loop.structured import STRUCTURED_OUTPUT
from claw.loop.tool_calls import ToolRunner, show_system_message
from claw.messages import ContentBlock, ImageBlock, Message, TextBlock, ToolResultBlock
from claw.output import Renderer, shapes
from claw.providers import Effort, ModelInfo, ModelRequest, ModelResponse
from claw.routing import Route
from claw.session_context import SessionContext
from claw.sessions import Session, SessionState, open_session, resume_state
from claw.sessions.history import interrupted_results
from claw.tools import Tool, ToolContext, ToolError, ToolResult

#: Forced continuations a Stop hook may cause per prompt before claw stops listening to it.
MAX_STOP_BLOCKS = 3
#: Reminders sent when ``--json-schema`` is set and the model ends without calling StructuredOutput.
MAX_SCHEMA_REMINDERS = 2


@dataclass
class LoopOptions:
    """What the command line (or an embedder) chose for this session."""

    model: str | None = None
    fallback_models: list[str] | None = None
    reasoning_effort: Effort | None = None
    max_turns: int | None = None
    max_budget_usd: float | None = None
    permission_mode: str | None = None
    allowed_tools: list[str] = field(default_factory=list)
    disallowed_tools: list[str] = field(default_factory=list)
    #: ``--tools``: ``None`` offers every registered tool, a list only those (session tools always).
    tools: list[str] | None = None
    #: ``--add-dir``: more directories the permission engine and tools treat like the workspace.
    add_dirs: list[Path] = field(default_factory=list)
    system_prompt: str | None = None
    append_system_prompt: str | None = None
    json_schema: dict[str, Any] | None = None
    session_dir: Path | None = None
    resume: str | None = None
    fork: bool = False
    session_id: str | None = None
    persist: bool = True
    interactive: bool = False
    #: Passed to plugins as ``SessionContext.extra``: the values of their run options
    #: (``claw_register_run_options``) by parameter name.
    extra: dict[str, Any] = field(default_factory=dict)
    #: Asks the user about tool calls (the REPL); ``None`` in ``-p`` runs.
    asker: Any = None
    #: Asks a program instead (a :data:`claw.permissions.PermissionApprover`: a stream-json client).
    approver: Any = None
    #: ``--permission-prompt-tool NAME``: the tool that answers permission questions.
    permission_prompt_tool: str | None = None
    #: Lets tools ask the user questions (``ToolContext.ask``).
    tool_asker: Any = None
    date: _dt.date | None = None


@dataclass
class Outcome:
    """The end of one prompt: the result object and the process exit code it implies."""

    result: dict[str, Any]
    exit_code: int
    error: str | None = None


#: Output tokens a :attr:`claw.ToolContext.complete` answer may use (a page summary, a short verdict).
COMPLETE_MAX_TOKENS = 4096


class AgentLoop:
    """One session. Use ``await start()``, then ``await run_prompt(...)`` any number of times, then
    ``await close()`` (always, in a ``finally``)."""

    def __init__(self, app: Any, options: LoopOptions, renderer: Renderer) -> None:
        self.app = app
        self.opts = options
        self.renderer = renderer
        self.env = app.env
        self.workspace: Path = app.workspace
        self.session: Session | None = None
        self.ctx: SessionContext | None = None
        self._started_plugins = False
        self._providers: dict[str, Any] = {}
        self._runtime_impls: list[Any] = []
        self._has_images = False
        self._context_tokens = 0
        self._fingerprints: dict[str, str] = {}
        #: route address -> the route as its configured provider describes it.
        self._described: dict[str, Route] = {}
        #: Tool name (and alias) -> tool, as offered to the model; rebuilt when session tools change.
        self.tools: dict[str, Tool] = {}
        self._tool_list: list[Tool] = []
        self._tools_version = 0
        #: The running turn's task and whether :meth:`interrupt` stopped it.
        self._turn: asyncio.Task[Any] | None = None
        self._interrupted = False

    # -- start and end -------------------------------------------------------------------------

    async def start(self) -> None:
        from claw.hooks import HookRunner
        from claw.loop.prompt_tool import PromptToolApprover
        from claw.permissions import PermissionEngine

        app, opts = self.app, self.opts
        settings = app.settings
        self.settings = settings
        directory = opts.session_dir or paths.sessions_dir(self.workspace, self.env)
        resumed = resume_state(opts.resume, directory) if opts.resume else None
        self.chain = self._model_chain(resumed)
        primary = self._provider(self.chain[0])  # missing credentials fail before anything is written
        self.costs = CostTracker(settings.model.prices)
        self.policy = RetryPolicy.configured(settings.model, self.env)
        self.caller = self._caller(self.chain)
        self._runtime_impls = app.pm.implementers("claw_runtime_event")

        # A bad permission mode fails here too, before a session file exists.
        self.permissions = PermissionEngine.for_app(
            app,
            mode=opts.permission_mode,
            allowed_tools=opts.allowed_tools,
            disallowed_tools=opts.disallowed_tools,
            asker=opts.asker,
            approver=opts.approver,
            additional_dirs=opts.add_dirs,
        )

        self.session = session = open_session(
            directory,
            resume=resumed,
            fork=opts.fork,
            session_id=opts.session_id,
            persist=opts.persist,
            start={"model": self.chain[0].address, "cwd": str(self.workspace), "claw_version": VERSION},
        )
        self._has_images = any(_has_image(m.content) for m in session.messages)
        self._context_tokens = session.state.context_tokens
        self.cache = CacheTracker(session.state.cache)
        self.ctx = SessionContext(
            session_id=session.id,
            workspace=self.workspace,
            settings=settings.data,
            env=self.env,
            interactive=opts.interactive,
            extra={**opts.extra, "json_schema": opts.json_schema},
            transports={name: reg.obj for name, reg in app.transports.items()},
            call_tool=self._call_tool_for_user,
            start_timeout=session_start_timeout(settings.model, self.env),
        )
        self.hooks = HookRunner(
            pm=app.pm,
            settings=settings,
            workspace=self.workspace,
            env=self.env,
            on_run=self._on_hook_run,
            tool_lookup=lambda name: self.tools.get(name),
        )
        self.tool_ctx = ToolContext(
            workspace=self.workspace,
            session_id=session.id,
            additional_dirs=[
                *(Path(d) for d in settings.model.permissions.additionalDirectories),
                *opts.add_dirs,
            ],
            permission_mode=self.permissions.mode,
            settings=settings.data,
            env=self.env,
            stash=self.ctx.stash,
            ask=opts.tool_asker,
            session=self.ctx,
            sandbox=_sandbox(app, settings.model.sandbox),
            complete=self._complete,
            small_model=routing.small_model(settings, self.env, self.chain[0]),
        )
        self.hooks.sandbox = self.ctx.sandbox = self.tool_ctx.sandbox
        if opts.permission_prompt_tool:
            self.permissions.approver = PromptToolApprover(
                opts.permission_prompt_tool, self._find_tool, self.tool_ctx
            )
        self._started_plugins = True
        await self._call_plugins("claw_session_start")
        self._build_tools()
        self._check_prompt_tool()
        text = self._system_prompt()
        source = "resume" if opts.resume and not opts.fork else "startup"
        outcome = await self._hook("SessionStart", source=source)
        if outcome.additional_context:
            text += "\n\n" + outcome.additional_context
        self.system = [TextBlock(text=text)]
        self.runner = ToolRunner(
            tools=self.tools,
            ctx=self.tool_ctx,
            hooks=self.hooks,
            permissions=self.permissions,
            hook_base=self._hook_base(),
            record=session.record,
            emit=self._emit,
        )
        self._emit("session_start", model=self.chain[0].address, source=source)
        sandbox = self._sandbox_status()
        if sandbox["enabled"]:
            session.record("sandbox", **sandbox)
        self.renderer.system(
            shapes.init(
                session_id=session.id,
                cwd=str(self.workspace),
                model=self.chain[0].info.id,
                tools=[t.name for t in self._tool_list],
                mcp_servers=[dict(s) for s in self.ctx.statuses],
                permission_mode=self.permissions.mode,
                slash_commands=sorted(self.ctx.commands),
                plugins=[
                    {"name": r.name, "version": r.version, "dist": r.dist}
                    for r in app.pm.records
                    if r.status == "loaded"
                ],
                api_key_source=primary.credentials().source or "none",
                sandbox=sandbox,
            )
        )

    def _sandbox_status(self) -> dict[str, Any]:
        """What confines this session's commands (``init`` event and session file): the sandbox's own
        description, or why none does although settings ask for one."""
        cfg = self.settings.model.sandbox
        if not cfg.requested:
            return {"enabled": False}
        sandbox = self.tool_ctx.sandbox
        if sandbox is None:
            return {
                "enabled": True,
                "available": False,
                "reason": f"no sandbox named {cfg.name or '(any)'} is installed",
            }
        return {"enabled": True, **sandbox.describe()}

    def model_line(self) -> str:
        """Which model runs and why (``model: anthropic/claude-sonnet-5-5 (from ANTHROPIC_API_KEY)``),
        for the REPL banner; valid after :meth:`start`."""
        return f"model: {self.model_choice.describe(self.chain[0].address)}"

    def _model_chain(self, resumed: SessionState | None) -> list[Route]:
        """The session's models: ``--model``, else the model a resumed session recorded (so
        ``--continue`` goes on with the model the session was started with), else Claude Code's order
        (:func:`claw.routing.choose_model`). Sets :attr:`model_choice` (the primary and why)."""
        recorded = None if self.opts.model or resumed is None else resumed.chosen_model
        #: The primary model and why it was chosen (:meth:`model_line`).
        self.model_choice = routing.choose_model(
            self.app.providers, self.settings, self.env, model=self.opts.model or recorded
        )
        if recorded is not None and resumed is not None:
            self.model_choice = dataclasses.replace(self.model_choice, source=f"session {resumed.session_id}")
        try:
            return routing.model_chain(
                self.app.providers, self.settings, self.model_choice, fallbacks=self.opts.fallback_models
            )
        except ClawError as exc:
            if recorded is None or resumed is None:
                raise
            raise ClawError(
                f"{exc} (the model session {resumed.session_id} recorded; choose one with --model)"
            ) from None

    async def close(self, reason: str = "other") -> None:
        """End the session: ``SessionEnd`` hook, plugins' ``claw_session_end``, providers closed, file synced."""
        try:
            if self._started_plugins and self.ctx is not None:
                await self._hook("SessionEnd", source=reason)
                await self._call_plugins("claw_session_end")
        finally:
            for provider in self._providers.values():
                try:
                    await provider.aclose()
                except Exception as exc:
                    console.warn(f"closing provider {provider.name} failed: {exc}")
            if self.session is not None:
                self._emit("session_end", reason=reason)
                self.session.record("session_end", reason=reason)
                self.session.close()

    async def _call_plugins(self, hook_name: str) -> None:
        """Call a session hook on every plugin, awaiting awaitables concurrently with a timeout;
        failures are reported, never fatal."""
        assert self.ctx is not None
        _, answers = self.app.pm.call_attributed(hook_name, session=self.ctx)
        timeout = self.ctx.start_timeout  # read after the call: plugins may ask for longer in it
        pending = [a for a in answers if inspect.isawaitable(a.result)]

        async def wait(answer: Any) -> None:
            try:  # a PluginAwaitable: a plugin that raises is reported by the plugin manager
                await asyncio.wait_for(answer.result, timeout)
            except TimeoutError:
                console.warn(
                    f"{answer.plugin.label} did not finish {hook_name} within {timeout:g}s; going on"
                )

        if pending:
            await asyncio.gather(*(wait(a) for a in pending))

    def _build_tools(self) -> None:
        """Assemble the tools offered to the model (registered ones, then the session's), hidden
        ones left out; remembers which session tools it saw so :meth:`_refresh_tools` is cheap."""
        wanted = self.opts.tools
        chosen: list[Tool] = []
        for reg in self.app.unique(self.app.tools):
            tool = reg.obj
            if wanted is not None and tool.name not in wanted:
                continue
            chosen.append(tool)
        assert self.ctx is not None
        chosen += self.ctx.session_tools
        self._tools_version = self.ctx.tools_version
        self._tool_list = [t for t in chosen if self.permissions.visible(t.name)]
        table: dict[str, Tool] = {}
        for tool in self._tool_list:
            for name in (tool.name, *tool.spec.aliases):
                table.setdefault(name, tool)
        self.tools = table
        self.ctx.available_tools = [t.spec for t in self._tool_list]

    def _refresh_tools(self) -> None:
        """Offer tools a plugin added during the session (an MCP server authorised through
        ``McpAuth``) from the next model request on."""
        assert self.ctx is not None
        if self.ctx.tools_version == self._tools_version:
            return
        self._build_tools()
        self.runner.tools = self.tools
        self._fingerprints.clear()

    def _find_tool(self, name: str) -> Tool | None:
        """A registered or session tool by name or alias, hidden or not offered to the model included."""
        assert self.ctx is not None
        candidates = [*(r.obj for r in self.app.unique(self.app.tools)), *self.ctx.session_tools]
        return self.tools.get(name) or next(
            (t for t in candidates if name in (t.name, *t.spec.aliases)), None
        )

    def _check_prompt_tool(self) -> None:
        """``--permission-prompt-tool`` must name a tool once the MCP servers are up (Claude Code
        stops with the same complaint)."""
        name = self.opts.permission_prompt_tool
        if not name or self._find_tool(name) is not None:
            return
        assert self.ctx is not None
        mcp = sorted(t.name for t in self.ctx.session_tools if t.name.startswith("mcp__"))
        raise ClawError(
            f"MCP tool {name} (passed via --permission-prompt-tool) not found. "
            f"Available MCP tools: {', '.join(mcp) or 'none'}"
        )

    async def _call_tool_for_user(self, name: str, tool_input: Any) -> ToolResult:
        """:meth:`claw.SessionContext.call_tool`: a registered or session tool, hidden or not offered
        to the model included, run after the permission engine allows it."""
        tool = self._find_tool(name)
        if tool is None:
            raise ToolError(f"there is no {name} tool")
        from claw.loop.tool_input import validation_error

        invalid = validation_error(tool, tool_input)
        if invalid is not None:
            raise ToolError(invalid)
        verdict = await self.permissions.check(tool, tool_input, self.tool_ctx)
        if verdict.decision != "allow":
            raise ToolError(f"permission denied: {verdict.reason or verdict.source}")
        try:
            return await tool.run(dict(tool_input), self.tool_ctx)
        except ToolError:
            raise
        except Exception as exc:
            raise ToolError(f"{name} failed: {type(exc).__name__}: {exc}") from exc

    def _system_prompt(self) -> str:
        from claw import prompt

        return prompt.build(
            self.workspace,
            self.env,
            date=self.opts.date,
            system_prompt=self.opts.system_prompt,
            append=self.opts.append_system_prompt,
            additional_dirs=self.permissions.roots[1:],
        )

    # -- events --------------------------------------------------------------------------------

    def _emit(self, type: str, **data: Any) -> None:
        if not self._runtime_impls:
            return
        event = RuntimeEvent(type=type, session_id=self.session.id if self.session else "", data=data)
        self.app.pm.hook.claw_runtime_event(event=event)

    def _hook_base(self) -> dict[str, Any]:
        assert self.session is not None
        return {
            "session_id": self.session.id,
            "transcript_path": str(self.session.path or ""),
            "cwd": str(self.workspace),
            "permission_mode": self.permissions.mode,
        }

    async def _hook(self, name: str, **fields: Any) -> HookOutcome:
        outcome = await self.hooks.run(HookEvent(hook_event_name=name, **self._hook_base(), **fields))  # type: ignore[arg-type]
        show_system_message(outcome)
        return outcome

    def _on_hook_run(self, record: dict[str, Any]) -> None:
        if self.session is not None:
            self.session.record("hook", sync=False, **record)
        self._emit("hook_run", **record)

    def _on_retry(self, attempt: int, max_retries: int, delay: float, error: ApiError, route: Route) -> None:
        assert self.session is not None
        status = error.status_code
        self.session.record(
            "api_retry",
            attempt=attempt,
            max_retries=max_retries,
            delay_ms=round(delay * 1000),
            status=status,
            error=error.kind,
            message=str(error),
            model=route.address,
        )
        self._emit("api_retry", attempt=attempt, status=status, error=error.kind, model=route.address)
        if not isinstance(error, EndpointUnreachable):  # retried for seconds only; the final error says it
            console.warn(
                f"retrying after {route.address}: {error} ({status or error.kind}); next attempt in "
                f"{delay:.1f}s ({attempt}/{max_retries})",
                once=False,
            )
        self.renderer.system(
            shapes.api_retry(
                attempt=attempt,
                max_retries=max_retries,
                delay_s=delay,
                status=status,
                error=error.kind,
                session_id=self.session.id,
            )
        )

    def _on_switch(self, old: Route, new: Route, error: ApiError) -> None:
        assert self.session is not None
        switched: dict[str, Any] = {"from": old.address, "to": new.address, "reason": str(error)}
        self.session.record("model_switch", **switched)
        self._emit("model_switch", **{"from": old.address, "to": new.address})
        console.warn(f"{old.address} failed ({error}); falling back to {new.address}", once=False)

    def _on_skip(self, route: Route, reason: str) -> None:
        assert self.session is not None
        self.session.record("model_skip", model=route.address, reason=reason)
        console.warn(f"skipping fallback {route.address}: {reason}", once=False)

    # -- model requests ------------------------------------------------------------------------

    def _provider(self, route: Route) -> Any:
        """The provider serving ``route``: one instance (one client) per provider for the session."""
        name = route.provider_cls.name
        if name not in self._providers:
            self._providers[name] = routing.instantiate(route.provider_cls, self.app.settings.data, self.env)
        return self._providers[name]

    def _caller(self, chain: list[Route]) -> ModelCaller:
        """A caller for ``chain`` that reports retries, switches and skipped fallbacks to this session."""
        return ModelCaller(chain, self._provider, self.policy, self._on_retry, self._on_switch, self._on_skip)

    async def _complete(self, model: str, system: str, prompt: str) -> str:
        """:attr:`claw.ToolContext.complete`: one request to ``model`` through the session's providers
        and retry policy (no fallback chain, no tools, no prompt cache); its cost is counted."""
        route = routing.resolve(model, self.app.providers)

        def build(r: Route) -> ModelRequest:
            info = self._info(r)
            return ModelRequest(
                model=info.id,
                info=info,
                system=[TextBlock(text=system)],
                messages=[Message.user(prompt)],
                max_tokens=min(COMPLETE_MAX_TOKENS, info.max_output_tokens),
                cache=False,
            )

        caller = ModelCaller(
            [route], self._provider, self.policy, self._on_retry, lambda *_: None, lambda *_: None
        )
        response, used = await caller.call(build, lambda _event: None)
        self.costs.add(self._info(used), response.usage)
        return response.to_message().text

    def _info(self, route: Route) -> ModelInfo:
        """What ``route``'s model can do, as its configured provider says (settings-declared models
        included), asked once per model."""
        described = self._described.get(route.address)
        if described is None:
            described = self._described[route.address] = route.described(self._provider(route))
        return described.info

    def _request(self, route: Route, messages: list[Message], *, tools: bool = True) -> ModelRequest:
        info = self._info(route)
        specs = [t.spec for t in self._tool_list] if tools else []
        routing.check_capabilities(info, tools=bool(specs), images=self._has_images)
        return ModelRequest(
            model=info.id,
            info=info,
            system=self.system,
            messages=messages,
            tools=specs,
            max_tokens=min(info.max_output_tokens, 32_000),
            reasoning_effort=self.opts.reasoning_effort,
            metadata={"session_id": self.session.id if self.session else ""},
        )

    def _fingerprint(self, route: Route) -> str:
        """The cached prefix's fingerprint for ``route`` (system and tools are fixed for the session)."""
        fp = self._fingerprints.get(route.address)
        if fp is None:
            fp = self._fingerprints[route.address] = fingerprint(
                route.info.id, self.system, [t.spec for t in self._tool_list]
            )
        return fp

    async def _call(
        self, messages: list[Message], *, tools: bool = True, shown: bool = True
    ) -> tuple[ModelResponse, Route]:
        """One model request; ``shown=False`` keeps its stream from the output (a compaction's
        summary is no answer)."""
        self._refresh_tools()
        self._emit("model_request", model=self.caller.route.address)
        show = self.renderer.stream_event if shown else None
        started = time.perf_counter()
        first: list[float] = []  # when the first stream event arrived (time to first token)

        def on_event(event: Any) -> None:
            if not first:
                first.append(time.perf_counter())
            if show is not None:
                show(event)

        try:
            response, route = await self.caller.call(
                lambda r: self._request(r, messages, tools=tools), on_event
            )
        except ApiError as exc:
            failed = self.caller.route
            self._emit(
                "api_error",
                model=failed.address,
                provider=failed.provider_cls.name,
                request_model=failed.info.id,
                status=exc.status_code,
                error=exc.kind,
                duration_ms=round((time.perf_counter() - started) * 1000, 2),
            )
            raise
        cost = self.costs.add(self._info(route), response.usage)
        if self._runtime_impls:
            u = response.usage
            self._emit(
                "model_response",
                model=route.address,
                provider=route.provider_cls.name,
                request_model=self._info(route).id,
                response_model=response.model,
                response_id=response.id,
                stop_reason=response.stop_reason,
                input_tokens=u.input_tokens,
                output_tokens=u.output_tokens,
                cache_read_input_tokens=u.cache_read_input_tokens,
                cache_creation_input_tokens=u.cache_creation_input_tokens,
                cost_usd=cost,
                duration_ms=round((time.perf_counter() - started) * 1000, 2),
                ttft_ms=round((first[0] - started) * 1000, 2) if first else None,
                purpose="turn" if shown else "compaction",
            )
        return response, route

    # -- a prompt ------------------------------------------------------------------------------

    def _add(self, message: Message, **fields: Any) -> None:
        assert self.session is not None
        if _has_image(message.content):
            self._has_images = True
        self.session.add_message(message, **fields)

    def _user_message(self, content: list[ContentBlock], **fields: Any) -> None:
        """Add user content, merged into a trailing user message (after a repair or a stopped run)."""
        assert self.session is not None
        messages = self.session.messages
        if messages and messages[-1].role == "user":
            merged = Message(role="user", content=[*messages[-1].content, *content])
            messages.pop()
            self._add(merged, replaces_last=True, **fields)
        else:
            self._add(Message(role="user", content=content), **fields)

    async def run_prompt(self, prompt: str | list[ContentBlock]) -> Outcome:
        """Run one prompt to the end of its turn.

        A ``/name args`` prompt runs that slash command (:mod:`claw.loop.slash`): its expansion is the
        prompt, with the command's ``allowed-tools`` granted and its ``model`` used for this turn.

        :raises UnknownCommand: no command has that name (the message lists close matches).
        :raises ClawError: the command failed to expand, or names a bad rule or model.
        """
        call = slash.parse(prompt) if isinstance(prompt, str) else None
        if call is None:
            return await self._run_turn(prompt)
        assert self.ctx is not None
        command = slash.lookup(self.ctx.commands, call.name)
        assert self.session is not None
        self.session.record(
            "slash_command",
            name=command.name,
            args=call.args,
            source=command.source,
            allowed_tools=list(command.allowed_tools),
            model=command.model,
        )
        self._emit("slash_command", name=command.name, source=command.source)
        grants = self.permissions.granted(command.allowed_tools, f"/{command.name} allowed-tools")
        with grants, self._turn_model(command.model):
            try:
                text = await command.expand(call.args)
            except ClawError:
                raise
            except Exception as exc:
                raise ClawError(f"/{command.name} failed: {type(exc).__name__}: {exc}") from exc
            return await self._run_turn(text)

    @contextlib.contextmanager
    def _turn_model(self, model: str | None) -> Iterator[None]:
        """Use ``model`` (a slash command's frontmatter ``model``) while the block runs."""
        if not model or model == "inherit":
            yield
            return
        choice = routing.ModelChoice(model, "the command's frontmatter", self.model_choice.prefer)
        chain = routing.model_chain(
            self.app.providers, self.settings, choice, fallbacks=self.opts.fallback_models
        )
        self._provider(chain[0])  # missing credentials fail before the turn starts
        session_caller = self.caller
        self.caller = self._caller(chain)
        try:
            yield
        finally:
            session_caller.api_seconds += self.caller.api_seconds
            self.caller = session_caller

    async def _run_turn(self, prompt: str | list[ContentBlock]) -> Outcome:
        assert self.session is not None
        session = self.session
        started = time.perf_counter()
        api_before = self.caller.api_seconds
        self.costs = CostTracker(self.settings.model.prices)
        self.runner.denials = []
        self.tool_ctx.cancelled.clear()
        self.tool_ctx.stash[STRUCTURED_OUTPUT] = None
        text = (
            prompt if isinstance(prompt, str) else "".join(b.text for b in prompt if isinstance(b, TextBlock))
        )
        blocks: list[ContentBlock] = [TextBlock(text=prompt)] if isinstance(prompt, str) else list(prompt)

        self._emit("turn_start", prompt=text, prompt_length=len(text))
        turns = 0
        subtype, error, api_status = "success", None, None
        stop_reason: str | None = None
        stop_blocks = reminders = 0

        def outcome() -> Outcome:
            last = next((m for m in reversed(session.messages) if m.role == "assistant"), None)
            is_error = subtype != "success"
            result_text = (
                error if error and subtype == "error_during_execution" else (last.text if last else "")
            )
            route = self.caller.route
            data = shapes.result(
                subtype=subtype,
                is_error=is_error,
                duration_ms=(time.perf_counter() - started) * 1000,
                duration_api_ms=(self.caller.api_seconds - api_before) * 1000,
                num_turns=turns,
                result=result_text,
                session_id=session.id,
                stop_reason=stop_reason,
                total_cost_usd=self.costs.total_cost_usd,
                usage=self.costs.usage,
                model_usage=self.costs.model_usage(),
                permission_denials=self.runner.denials,
                cache_stats=self.cache.stats.as_dict(),
                structured_output=self.tool_ctx.stash.get(STRUCTURED_OUTPUT),
                api_error_status=api_status,
                model=route.address if route is not self.chain[0] else None,
            )
            session.record(
                "result",
                subtype=subtype,
                is_error=is_error,
                num_turns=turns,
                total_cost_usd=data["total_cost_usd"],
                usage=data["usage"],
                duration_ms=data["duration_ms"],
            )
            session.state.count_result(data["total_cost_usd"], data["usage"])
            self._emit(
                "turn_end",
                subtype=subtype,
                is_error=is_error,
                num_turns=turns,
                stop_reason=stop_reason,
                total_cost_usd=data["total_cost_usd"],
                duration_ms=data["duration_ms"],
                error=error,
            )
            self.renderer.result(data)
            return Outcome(data, 1 if is_error else 0, error)

        interrupted = False
        self._turn = asyncio.current_task()  # set only while every await is inside the try
        try:
            submitted = await self._hook("UserPromptSubmit", prompt=text)
            if submitted.action == "block" or not submitted.keep_going:
                subtype = "error_during_execution"
                why = submitted.reason or submitted.stop_reason
                error = "prompt blocked by a UserPromptSubmit hook" + (f": {why}" if why else "")
                session.record("prompt_blocked", prompt=text, reason=submitted.reason)
                return outcome()
            if submitted.additional_context:
                blocks.append(TextBlock(text=submitted.additional_context))
            self._user_message(blocks, prompt=text)

            while True:
                if self.opts.max_turns is not None and turns >= self.opts.max_turns:
                    subtype = "error_max_turns"
                    error = f"reached the maximum number of turns ({self.opts.max_turns})"
                    break
                try:
                    await self._maybe_compact("auto")
                    try:
                        response, route = await self._call(session.messages)
                    except ApiError as exc:
                        # The context outgrew the window (a tool returned a lot): compact and try once more.
                        if not _context_overflow(exc) or not await self.compact("auto"):
                            raise
                        response, route = await self._call(session.messages)
                except ApiError as exc:
                    subtype, error, api_status = "error_during_execution", _api_message(exc), exc.status_code
                    break
                except ClawError as exc:  # a capability the primary lacks, no fallback able to serve
                    subtype, error = "error_during_execution", str(exc)
                    break
                turns += 1
                stop_reason = response.stop_reason
                message = response.to_message()
                u = response.usage
                self._context_tokens = u.total_input_tokens + u.output_tokens
                cache = self.cache.observe(self._fingerprint(route), u)
                if cache.get("break"):
                    session.record("cache_break", **cache, sync=False)
                self._add(
                    message,
                    model=route.address,
                    usage=u.model_dump(),
                    stop_reason=response.stop_reason,
                    cache=cache,
                )
                self.renderer.assistant(shapes.assistant(response, message, session.id), message, response)

                uses = message.tool_uses
                if uses:
                    results = await self.runner.run_all(uses)
                    reply = Message(role="user", content=list(results))
                    self._add(reply)
                    self.renderer.user(shapes.user(reply, session.id), reply)
                if self._over_budget():
                    subtype = "error_max_budget_usd"
                    error = f"reached the budget of ${self.opts.max_budget_usd:g}"
                    break
                if self.runner.stop_reason:
                    stop_reason = "hook_stop"
                    break
                if uses:
                    if (
                        any(u.name == STRUCTURED_NAME for u in uses)
                        and self.tool_ctx.stash.get(STRUCTURED_OUTPUT) is not None
                    ):
                        break
                    continue
                if response.stop_reason == "pause_turn":
                    continue  # the server paused a long turn: sending it back lets the model go on
                if self.opts.json_schema is not None and self.tool_ctx.stash.get(STRUCTURED_OUTPUT) is None:
                    if reminders < MAX_SCHEMA_REMINDERS:
                        reminders += 1
                        self._user_message(
                            [TextBlock(text=f"Give your final answer by calling the {STRUCTURED_NAME} tool.")]
                        )
                        continue
                    subtype, error = (
                        "error_during_execution",
                        "the model did not produce the structured output",
                    )
                    break
                stop = await self._hook("Stop", stop_hook_active=stop_blocks > 0)
                if stop.action == "block" and stop_blocks < MAX_STOP_BLOCKS:
                    stop_blocks += 1
                    self._user_message([TextBlock(text=stop.reason or "Continue.")], stop_hook=True)
                    continue
                break
        except asyncio.CancelledError:
            self.tool_ctx.cancelled.set()
            self._close_dangling("interrupted by the user")
            session.record("interrupted")
            if not self._interrupted:  # Ctrl-C, SIGTERM: the caller's cancellation goes on
                raise
            assert self._turn is not None
            self._turn.uncancel()
            interrupted = True
            subtype, error = "error_during_execution", "interrupted by the user"
        except Exception as exc:  # a bug (claw's or a plugin's): the turn still ends in a result, saved
            subtype, error = "error_during_execution", internal_error(exc)
            log.get_logger("claw.loop").debug("turn failed", exc_info=True)
            session.record("internal_error", error=error, traceback=traceback.format_exc())
        finally:
            self._turn, self._interrupted = None, False
        if interrupted:  # as Claude Code: an error result, but the client asked for it
            return Outcome(outcome().result, 0)
        self._close_dangling(error or "the run stopped before this tool call")
        return outcome()

    def interrupt(self) -> bool:
        """Stop the running turn at once (stream-json's ``interrupt``): unanswered tool calls are
        answered "not run", the turn ends with an ``error_during_execution`` result and the session
        stays ready for the next prompt. Returns whether a turn was running."""
        if self._turn is None or self._turn.done():
            return False
        self._interrupted = True
        self._turn.cancel()
        return True

    def set_permission_mode(self, mode: str) -> str:
        """Switch the permission mode (stream-json's ``set_permission_mode``); returns its canonical name.

        :raises UsageError: an unknown mode. :raises ConfigError: a bypass mode settings disable.
        """
        self.permissions.mode = mode
        self.tool_ctx.permission_mode = self.permissions.mode
        return self.permissions.mode

    def set_model(self, model: str | None) -> str:
        """Use ``model`` (``None``: the configured default) from the next request on (stream-json's
        ``set_model``); returns its address.

        :raises ClawError: an unknown model or one without credentials (the current one stays).
        """
        choice = routing.choose_model(self.app.providers, self.settings, self.env, model=model)
        if model:
            choice = dataclasses.replace(choice, source="set_model")
        chain = routing.model_chain(
            self.app.providers, self.settings, choice, fallbacks=self.opts.fallback_models
        )
        self._provider(chain[0])
        assert self.session is not None
        switched: dict[str, Any] = {
            "from": self.chain[0].address,
            "to": chain[0].address,
            "reason": "set_model",
        }
        self.session.record("model_switch", **switched)
        spent = self.caller.api_seconds
        self.chain, self.model_choice = chain, choice
        self.caller = self._caller(chain)
        self.caller.api_seconds = spent
        return chain[0].address

    def _close_dangling(self, reason: str) -> None:
        """Answer unanswered tool calls so the history stays valid for the next request."""
        assert self.session is not None
        repair = interrupted_results(self.session.messages)
        if repair is not None:
            for block in repair.content:
                if isinstance(block, ToolResultBlock):
                    block.content = f"not run: {reason}"
            self._add(repair, repaired=True)

    def _over_budget(self) -> bool:
        budget = self.opts.max_budget_usd
        return budget is not None and self.costs.total_cost_usd >= budget

    def status(self) -> dict[str, Any]:
        """Where the session stands, for ``/status``."""
        assert self.session is not None
        route = self.caller.route
        return {
            "session_id": self.session.id,
            "path": str(self.session.path) if self.session.path else None,
            "model": route.address,
            "messages": len(self.session.messages),
            "context_tokens": self._context_tokens,
            "context_window": self._info(route).context_window,
            "permission_mode": self.permissions.mode,
            "workspace": str(self.workspace),
        }

    # -- compaction ------------------------------------------------------------------------------

    async def _maybe_compact(self, trigger: str) -> None:
        cfg = self.settings.model.compaction
        if trigger == "auto" and (
            not cfg.auto
            or not compaction.should_compact(
                self._context_tokens, self._info(self.caller.route).context_window, cfg.threshold
            )
        ):
            return
        await self.compact(trigger)

    async def compact(self, trigger: str = "manual") -> bool:
        """Summarise the older turns; returns whether anything was compacted."""
        assert self.session is not None
        session = self.session
        cfg = self.settings.model.compaction
        cut = compaction.split_point(session.messages, cfg.keepRecentTurns)
        if cut is None:
            if trigger == "manual":
                console.warn("nothing to compact yet")
            return False
        pre = await self._hook("PreCompact", trigger=trigger)
        if pre.action == "block":
            return False
        older, kept = session.messages[:cut], session.messages[cut:]
        # An automatic compaction is part of its turn's cost; a manual one (between turns) is
        # counted on its own, in its event, or the next turn's fresh tally would lose it.
        manual, turn_costs = trigger == "manual", self.costs
        if manual:
            self.costs = CostTracker(self.settings.model.prices)
        try:
            response, _ = await self._call(compaction.summary_request(older), tools=True, shown=False)
        finally:
            own, self.costs = self.costs, turn_costs
        cost = {"total_cost_usd": own.total_cost_usd, "usage": shapes.usage_dict(own.usage)} if manual else {}
        summary = response.to_message().text or "(no summary)"
        messages = compaction.compacted(summary, kept)
        pre_tokens = self._context_tokens
        session.state.messages = messages
        session.record(
            "compaction",
            trigger=trigger,
            pre_tokens=pre_tokens,
            summarised_messages=len(older),
            kept_messages=len(kept),
            summary=summary,
            messages=[m.model_dump(mode="json", exclude_none=True) for m in messages],
            **cost,
        )
        if cost:
            session.state.count_result(cost["total_cost_usd"], cost["usage"])
        self._context_tokens = 0
        self._emit("compaction", trigger=trigger, pre_tokens=pre_tokens)
        self.renderer.system(
            shapes.compact_boundary(trigger=trigger, pre_tokens=pre_tokens, session_id=session.id)
        )
        await self._hook("PostCompact", trigger=trigger)
        return True


def _has_image(content: list[ContentBlock]) -> bool:
    for b in content:
        if isinstance(b, ImageBlock):
            return True
        if (
            isinstance(b, ToolResultBlock)
            and not isinstance(b.content, str)
            and any(isinstance(c, ImageBlock) for c in b.content)
        ):
            return True
    return False


_OVERFLOW = re.compile(r"too long|context (length|window)|maximum context|too many (input )?tokens", re.I)


def _context_overflow(exc: ApiError) -> bool:
    """Whether the API refused the request for exceeding the model's context window."""
    return exc.status_code in (400, 413) and bool(_OVERFLOW.search(str(exc)))


def _api_message(exc: ApiError) -> str:
    status = f" {exc.status_code}" if exc.status_code else ""
    who = f"{exc.provider}" if exc.provider else "API"
    return f"{who} API error{status}: {exc}"


def _sandbox(app: Any, settings: Any) -> Any:
    """The sandbox settings ``sandbox.enabled`` / ``sandbox.name`` select, made with those settings,
    or ``None`` when none is selected or registered (the shell tool then refuses to run commands
    rather than run them unconfined). Whether it can run here is the shell tool's question, so that
    it can say why and honour ``sandbox.failIfUnavailable``."""
    if not settings.requested:
        return None
    name = settings.name or next(iter(app.sandboxes), None)
    if name is None or name not in app.sandboxes:
        return None
    return app.sandboxes[name].obj(settings)

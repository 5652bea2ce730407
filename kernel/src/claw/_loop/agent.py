"""The agent loop: one session, any number of prompts, each run to the end of its turn.

:class:`AgentLoop` starts and ends the session (models, permission engine, session file, contexts, plugins'
session hooks, the ``init`` event) and switches model or permission mode on request. Its parts are layers,
one module each (docs/architecture.md, ``_loop/``). Sub-agents are the ``subagents`` built-in's."""

from __future__ import annotations

import asyncio
import dataclasses
import inspect
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from claw import _console as console
from claw import _paths as paths
from claw import _routing as routing
from claw._config import EffectiveSettings
from claw._cost import CostTracker
from claw._errors import ClawError
from claw._loop.retry import RetryPolicy
from claw._loop.state import LOOP
from claw._loop.turn import Turn
from claw._messages import TextBlock
from claw._plugin_commands import CommandContext
from claw._plugins import disabled_builtin, missing_provider
from claw._routing import Route
from claw._session_context import SessionContext
from claw._sessions import Session, SessionState, session_store
from claw._settings import env_number
from claw._tools import ToolContext, ToolError

if TYPE_CHECKING:
    from claw._subagents import SubagentResult, SubagentSpec


class AgentLoop(Turn):
    """One session. Use ``await start()``, then ``await run_prompt(...)`` any number of times, then
    ``await close()`` (always, in a ``finally``)."""

    # -- start and end -------------------------------------------------------------------------

    async def start(self) -> None:
        """Choose the models, build the permission engine (bad input fails here, before a session
        file exists), open the session, start the plugins' part of it and announce it."""
        from claw._permissions.gate import PermissionGate

        app, opts = self.app, self.opts
        directory = opts.session_dir or paths.sessions_dir(self.workspace, self.env)
        store = session_store(app.pm, directory, opts.persist)
        resumed = store.resume(opts.resume) if opts.resume else None
        settings = self._read_settings(resumed)
        self.compactor = app.pm.hook.claw_compactor(settings=settings)
        self.chain = self._model_chain(resumed)
        primary = self._provider(self.chain[0])  # missing credentials fail before anything is written
        self.costs = CostTracker(settings.model.prices)
        self.caller = self._caller(self.chain, RetryPolicy.configured(settings.model, self.env))
        self._runtime_impls = app.pm.implementers("claw_runtime_event")

        # A bad permission mode fails here too, before a session file exists.
        self.permissions = PermissionGate.for_app(
            app,
            workspace=self.workspace,
            mode=opts.permission_mode,
            allowed_tools=opts.allowed_tools,
            disallowed_tools=opts.disallowed_tools,
            asker=opts.asker,
            approver=opts.approver,
            additional_dirs=opts.add_dirs,
        )

        start: dict[str, Any] = {"model": self.chain[0].address, "cwd": str(self.workspace)}
        if opts.parent:
            start.update(parent_session_id=opts.parent.session_id, agent_type=opts.parent.agent_type)
        elif opts.meta:
            start["meta"] = opts.meta
        self.session = session = store.open(
            resume=resumed, fork=opts.fork, session_id=opts.session_id, start=start
        )
        self._context_tokens = session.state.context_tokens
        self._contexts(session)
        source = "resume" if opts.resume and not opts.fork else "startup"
        if opts.parent is None:
            self._started_plugins = True
            await self._call_plugins("claw_session_start")
        else:  # a sub-agent uses its parent's connections: plugins start nothing for it
            for tool in opts.parent.session_tools:
                self._ctx.add_tool(tool)
        self._build_tools()
        self._check_prompt_tool()
        text = self._system_prompt()
        if opts.parent is None:
            outcome = await self._hook("SessionStart", source=source, model=self.chain[0].info.id)
        else:
            outcome = await self._hook("SubagentStart", **self._subagent_fields())
        if outcome.additional_context:
            text += "\n\n" + outcome.additional_context
        self.system = [TextBlock(text=text)] if text else []  # no prompt: nothing to send
        self._emit("session_start", model=self.chain[0].address, source=source)
        self._announce(session, primary)

    def _contexts(self, session: Session) -> None:
        """The plugins' session context, the hook dispatch and the tools' context (with the sandbox)."""
        from claw._hook_dispatch import HookContext, HookDispatch
        from claw._permissions.gate import PERMISSIONS

        app, opts, settings = self.app, self.opts, self.settings
        self.ctx = SessionContext(
            session_id=session.id,
            workspace=self.workspace,
            settings=settings.data,
            env=self.env,
            interactive=opts.interactive,
            extra={**opts.extra, "json_schema": opts.json_schema},
            transports={**app.objects("transports"), **opts.transports},
            call_tool=self._call_tool_for_user,
            start_timeout=session_start_timeout(settings.model, self.env),
            run_subagent=self._run_subagent,
            task_backends=lambda: app.objects("task_backends"),
            trust=settings.trust,
            call_hook=lambda name, **kwargs: app.pm.call_attributed(name, session=self.ctx, **kwargs),
        )
        self.ctx.transcript_path, self.ctx.plugin_folders = session.path, opts.plugin_folders
        self.ctx.stash[LOOP] = self  # for the subagents built-in (claw_subagent_runner)
        if opts.hooks and "hooks" not in app.plugin_settings:
            console.warn(missing_provider("hooks", "the Agent SDK's hook callbacks"))
        self.hooks = HookDispatch(
            app.pm,
            HookContext(
                settings=settings,
                workspace=self.workspace,
                env=self.env,
                report=self._on_hook_run,
                callbacks=list(opts.hooks),
                tool_lookup=lambda name: self.tools.get(name),
            ),
        )
        self.tool_ctx = ToolContext(
            workspace=self.workspace,
            session_id=session.id,
            additional_dirs=[Path(d) for d in self.permissions.roots[1:]],  # resolved as the gate's
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
        self.hooks.context.sandbox = self.ctx.sandbox = self.tool_ctx.sandbox
        self.tool_ctx.stash[PERMISSIONS] = self.permissions  # EnterPlanMode switches its mode

    def _announce(self, session: Session, primary: Any) -> None:
        """The ``init`` system event (and the sandbox in the session file); its ``permissionMode`` is
        Claude Code's name of the mode (``acceptEdits`` for claw's ``workspace-write``)."""
        from claw._permissions.modes import claude_code_name  # the permissions package is heavy to import

        sandbox = self._sandbox_status()
        if sandbox["enabled"]:
            session.record("sandbox", **sandbox)
        self.renderer.init(
            {
                **self._ctx.facts,  # the plugins' (SessionContext.facts); the loop's own win
                "cwd": str(self.workspace),
                "session_id": session.id,
                "tools": [t.name for t in self._tool_list],
                "mcp_servers": [dict(s) for s in self._ctx.statuses],
                "model": self.chain[0].info.id,
                "permissionMode": claude_code_name(self.permissions.mode),
                "slash_commands": sorted(self._ctx.commands),
                "apiKeySource": primary.credentials().source or "none",
                "plugins": [{"name": f.name, "path": str(f.root)} for f in self.opts.plugin_folders]
                + [
                    {"name": r.name, "version": r.version, "dist": r.dist}
                    for r in self.app.pm.records
                    if r.status == "loaded"
                ],
                "sandbox": sandbox,
            }
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

    def _model_chain(self, resumed: SessionState | None) -> list[Route]:
        """The session's models: ``--model``, else the model a resumed session recorded (so
        ``--continue`` goes on with the model the session was started with), else Claude Code's order
        (:func:`claw._routing.choose_model`). Sets :attr:`model_choice` (the primary and why)."""
        recorded = None if self.opts.model or resumed is None else resumed.chosen_model
        source = f"session {resumed.session_id}" if recorded is not None and resumed is not None else None
        try:
            #: The primary model and why it was chosen (the REPL's banner says it).
            self.model_choice, chain = self._choose(self.opts.model or recorded, source)
            return chain
        except ClawError as exc:
            if source is None:
                raise
            raise ClawError(f"{exc} (the model {source} recorded; choose one with --model)") from None

    def _choose(self, model: str | None, source: str | None) -> tuple[routing.ModelChoice, list[Route]]:
        """``model`` (``None``: the configured default; ``source``, why it was chosen) and its fallbacks."""
        choice = routing.choose_model(self.app.providers, self.settings, self.env, model=model)
        choice = dataclasses.replace(choice, source=source) if source else choice
        fallbacks = self.opts.fallback_models
        return choice, routing.model_chain(self.app.providers, self.settings, choice, fallbacks=fallbacks)

    async def close(self, reason: str = "other") -> None:
        """End the session: ``SessionEnd`` hook, plugins' ``claw_session_end``, providers closed, file
        synced (a sub-agent's: no ``SessionEnd``, as in Claude Code; its parent's providers stay open)."""
        try:
            if self._started_plugins and self.ctx is not None:
                await self._hook("SessionEnd", reason=reason)
            if self.ctx is not None and (self._started_plugins or self.opts.parent):
                await self._call_plugins("claw_session_end")
        finally:
            for provider in self._providers.values() if self.opts.parent is None else ():
                try:
                    await provider.aclose()
                except Exception as exc:
                    console.warn(f"closing provider {provider.name} failed: {exc}")
            if self.session is not None:
                self._emit("session_end", reason=reason)
                self.session.record("session_end", reason=reason)
                self.session.close()

    async def _run_subagent(self, spec: SubagentSpec) -> SubagentResult:
        """:meth:`claw.SessionContext.run_subagent`, by ``claw_subagent_runner``'s answer (the ``subagents``
        built-in's child loop, unless a plugin replaces it)."""
        run = self.app.pm.hook.claw_subagent_runner(session=self._ctx)
        if run is None:
            raise ToolError(f"sub-agents come with {disabled_builtin('subagents')}")
        return await run(spec)

    async def _call_plugins(self, hook_name: str) -> None:
        """Call a session hook on every plugin, awaiting awaitables concurrently with a timeout;
        failures are reported, never fatal."""
        _, answers = self.app.pm.call_attributed(hook_name, session=self._ctx)
        timeout = self._ctx.start_timeout  # read after the call: plugins may ask for longer in it

        async def wait(answer: Any) -> None:
            try:  # a PluginAwaitable: a plugin that raises is reported by the plugin manager
                await asyncio.wait_for(answer.result, timeout)
            except TimeoutError:
                console.warn(
                    f"{answer.plugin.label} did not finish {hook_name} within {timeout:g}s; going on"
                )

        await asyncio.gather(*(wait(a) for a in answers if inspect.isawaitable(a.result)))

    def _system_prompt(self) -> str:
        from claw import _prompt as prompt

        moved: list[str] | None = [] if self.opts.exclude_dynamic_sections else None
        system = prompt.build(
            self.app.pm,
            self.workspace,
            self.env,
            self.settings,
            system_prompt=self.opts.system_prompt,
            append=self.opts.append_system_prompt,
            additional_dirs=self.permissions.roots[1:],
            dynamic=moved,
        )
        self.first_context = [TextBlock(text=text) for text in moved or ()]
        return system

    def set_permission_mode(self, mode: str) -> str:
        """Switch the permission mode (stream-json's ``set_permission_mode``); returns its canonical name.

        :raises UsageError: an unknown mode. :raises ConfigError: a bypass mode settings disable."""
        self.permissions.mode = mode
        self.tool_ctx.permission_mode = self.permissions.mode
        return self.permissions.mode

    def set_model(self, model: str | None) -> str:
        """Use ``model`` (``None``: the configured default) from the next request on (stream-json's
        ``set_model``); returns its address.

        :raises ClawError: an unknown model or one without credentials (the current one stays)."""
        choice, chain = self._choose(model, "set_model" if model else None)
        self._provider(chain[0])  # missing credentials fail here
        switched: dict[str, Any] = {"from": self.chain[0].address, "to": chain[0].address}
        self._session.record("model_switch", **switched, reason="set_model")
        self.chain, self.model_choice = chain, choice
        self.caller.chain, self.caller.index = chain, 0  # the same caller: its API time goes on counting
        return chain[0].address

    def _read_settings(self, resumed: SessionState | None) -> EffectiveSettings:
        """The app's settings, with the options' layers added (a sub-agent's are its parent's); their
        ``reasoningEffort`` and ``maxTurns`` for what the options left open: the command line builds
        them before settings are validated (an interactive start draws its screen first)."""
        if self.opts.parent is None:  # what settings choose to load may add layers (added once each)
            for layer in self.opts.settings:
                self.app.add_settings(*layer)
            _ = self.app.settings  # broken settings end the run in their own words, not in a plugin's hook
            context = CommandContext(self.app)
            said = self.app.pm.hook.claw_adjust_session(options=self.opts, context=context, resumed=resumed)
            if refusal := next((r for r in said if r), None):
                raise ClawError(refusal)
            for layer in self.opts.settings:
                self.app.add_settings(*layer)
        self.settings = settings = self.app.settings
        self.opts.reasoning_effort = self.opts.reasoning_effort or settings.model.reasoningEffort
        self.opts.max_turns = self.opts.max_turns or settings.model.maxTurns
        return settings

    def status(self) -> dict[str, Any]:
        """Where the session stands, for ``/status``."""
        route = self.caller.route
        return {
            "session_id": self._session.id,
            "path": str(self._session.path) if self._session.path else None,
            "model": route.address,
            "messages": len(self._session.messages),
            "context_tokens": self._context_tokens,
            "context_window": self._info(route).context_window,
            "permission_mode": self.permissions.mode,
            "workspace": str(self.workspace),
            "sandbox": self._sandbox_status(),
        }


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


def session_start_timeout(settings: Any, env: Mapping[str, str]) -> float | None:
    """Seconds the user gives plugins for ``claw_session_start``: ``CLAW_SESSION_START_TIMEOUT``, else
    settings ``sessionStartTimeout``; ``None`` when neither is set (then plugins may ask for a wait,
    :meth:`claw.SessionContext.request_start_timeout`, else it is 30)."""
    configured = env_number(env, "CLAW_SESSION_START_TIMEOUT", -1)
    return configured if configured > 0 else settings.sessionStartTimeout

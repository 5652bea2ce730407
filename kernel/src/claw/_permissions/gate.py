"""The kernel's side of permissions: the session's mode, who is asked, and the contract a policy meets
(:class:`PermissionPolicy`, built per session by ``claw_permission_policy``); ``docs/permissions.md``,
"Replacing or removing the rule engine". The agent loop calls :meth:`PermissionGate.check` before every
tool call and :meth:`PermissionGate.visible` when it builds the tool list."""

from __future__ import annotations

import contextlib
import inspect
import os
from collections.abc import Awaitable, Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from claw._classifiers import Classifier, Verdict
from claw._errors import ConfigError, UsageError
from claw._log import get_logger
from claw._paths import home_of, resolved
from claw._permissions.modes import BYPASS_MODES, normalize_mode
from claw._plugins import unique
from claw._tools import StashKey, Tool, ToolContext
from claw._trust import WORKSPACE_SCOPES

if TYPE_CHECKING:
    from claw._config import EffectiveSettings
    from claw._events import HookOutcome
    from claw._permissions.asking import PermissionApprover
    from claw._plugins import PluginManager

#: Asks a person about a tool call: returns ``"once"``, ``"session"``, ``"always"`` or ``"deny"``.
PermissionAsker = Callable[[str, Mapping[str, Any], str], Awaitable[str]]

#: Opens a model by ``provider/model`` address: returns the provider instance and the model id.
ModelOpener = Callable[[str], tuple[Any, str]]

#: Where the session's gate lives in ``ToolContext.stash`` (set on every :meth:`PermissionGate.check`),
#: so tools such as ``EnterPlanMode`` can switch the mode.
PERMISSIONS: StashKey[PermissionGate] = StashKey()


@dataclass
class Decision:
    """A verdict with the reasoning behind it. Policies may subclass it to carry their own reasoning
    (``claw permissions explain`` prints the rule engine's)."""

    verdict: Verdict
    mode: str
    #: The plugin that decided instead of the policy (``claw_permission_decision``), if one did.
    plugin: str | None = None

    def binding(self) -> Verdict | None:
        """The deny or ask a PreToolUse hook's ``allow`` cannot lift (an explicit rule's, or a
        deciding plugin's); ``None`` when only the mode's default would refuse."""
        if self.plugin is not None and self.verdict.decision in ("deny", "ask"):
            return self.verdict
        return None

    def allow_rules(self, tool: Tool) -> list[str]:
        """Rules (Claude Code syntax) that would allow calls like this one from now on: offered to an
        approver (``PermissionQuestion.rules``), saved by a "session" or "always" answer."""
        return [tool.name]


@dataclass(frozen=True)
class PermissionContext:
    """What a policy is built from: the session's contract values (``claw_permission_policy``)."""

    #: The effective settings (``permissions`` rules with the files they came from); ``None`` in tests.
    settings: EffectiveSettings | None
    workspace: Path
    env: Mapping[str, str]
    #: The workspace (resolved) first, then settings ``permissions.additionalDirectories`` and ``--add-dir``.
    roots: list[str]
    allowed_tools: list[str] = field(default_factory=list)
    disallowed_tools: list[str] = field(default_factory=list)
    #: Registered classifiers (``claw_register_classifiers``), for the ``auto`` mode.
    classifiers: list[Classifier] = field(default_factory=list)
    open_model: ModelOpener | None = None


class PermissionPolicy(Protocol):
    """A session's permission rules (``claw_permission_policy``): decides calls, hides tools, learns rules."""

    async def decide(
        self, tool: Tool, tool_input: Mapping[str, Any], ctx: ToolContext, mode: str
    ) -> Decision:
        """The decision before anyone is asked: ``allow``, ``deny`` or ``ask``."""
        ...

    def visible(self, tool_name: str) -> bool:
        """False for a tool the model must not be offered at all."""
        ...

    def add_rules(self, texts: Sequence[str], behavior: str, source: str) -> list[Any]:
        """Add rules for this session; returns handles for :meth:`remove_rules`.

        :raises UsageError: for a rule the policy cannot use."""
        ...

    def remove_rules(self, handles: Sequence[Any]) -> None:
        """Remove rules :meth:`add_rules` added."""
        ...

    def remember(self, tool: Tool, decision: Decision, *, permanent: bool, destination: str) -> None:
        """A person or program allowed ``decision``'s call for the session (or, ``permanent``, for good:
        in the settings file Claude Code's ``destination`` names)."""
        ...


class PermissionGate:
    """The permission side of one session: its mode, its policy, and who answers its questions.

    :param settings: the effective settings (``permissions.defaultMode``, additional directories).
    :param workspace: the workspace root.
    :param mode: ``--permission-mode`` (any name or alias); ``None`` means settings
        ``permissions.defaultMode`` or ``prompt``.
    :param allowed_tools: ``--allowed-tools`` rules, for the policy.
    :param disallowed_tools: ``--disallowed-tools`` rules, for the policy.
    :param classifiers: classifiers for the ``auto`` mode, for the policy.
    :param asker: asks a person; ``None`` when nobody can answer (``-p``): an "ask" becomes a deny.
    :param approver: asks a program instead (``--permission-prompt-tool``, a stream-json client),
        which may also rewrite the call's input; it takes precedence over ``asker``.
    :param open_model: opens a ``provider/model`` address (for classifiers that consult a model).
    :param env: the environment (``HOME`` for ``~`` paths); defaults to ``os.environ``.
    :param additional_dirs: ``--add-dir`` directories, treated like the workspace.
    :param plugins: the plugin manager: ``claw_permission_policy`` builds the policy and
        ``claw_permission_decision`` may decide each call first; ``None``: ``policy`` decides alone.
    :param policy: builds the policy instead of the hook (tests, embedding).
    :raises ConfigError: for a refused bypass mode, a bad rule (the policy's) or no policy at all.
    :raises UsageError: for an unknown mode."""

    def __init__(
        self,
        *,
        settings: Any,
        workspace: Path,
        mode: str | None = None,
        allowed_tools: Sequence[str] = (),
        disallowed_tools: Sequence[str] = (),
        classifiers: Sequence[Classifier] = (),
        asker: PermissionAsker | None = None,
        approver: PermissionApprover | None = None,
        open_model: ModelOpener | None = None,
        env: Mapping[str, str] | None = None,
        additional_dirs: Sequence[str | Path] = (),
        plugins: PluginManager | None = None,
        policy: Callable[[PermissionContext], PermissionPolicy] | None = None,
    ) -> None:
        self.plugins = plugins
        self.workspace = Path(workspace)
        self.env: Mapping[str, str] = os.environ if env is None else env
        self.asker = asker
        self.approver = approver
        perms = settings.model.permissions if settings is not None else None
        self._bypass_disabled_by: str | None = None
        if settings is not None and perms is not None and perms.disableBypassPermissionsMode == "disable":
            self._bypass_disabled_by = settings.sources.get(
                "permissions.disableBypassPermissionsMode", "settings"
            )
        self._mode = self._checked(normalize_mode(mode) if mode is not None else _default_mode(settings))
        ws = os.path.realpath(self.workspace)
        self.roots = [ws, *additional_roots(settings, ws, self.env, additional_dirs)]
        self.context = PermissionContext(
            settings=settings,
            workspace=self.workspace,
            env=self.env,
            roots=self.roots,
            allowed_tools=list(allowed_tools),
            disallowed_tools=list(disallowed_tools),
            classifiers=list(classifiers),
            open_model=open_model,
        )
        if policy is None and plugins is not None:
            policy = plugins.hook.claw_permission_policy(context=self.context)
        if policy is None:
            raise ConfigError(
                "no permission policy: claw-permissions and the safe_policy built-in are both disabled "
                "or not installed (settings plugins.disabled)"
            )
        # Built here, not in the hook: a bad rule must end the run (a hook's exception is only reported).
        self.policy: PermissionPolicy = policy(self.context)

    @classmethod
    def for_app(cls, app: Any, workspace: Path | None = None, **kwargs: Any) -> PermissionGate:
        """A gate for an :class:`claw._app.App`: its settings, workspace (or ``workspace``: a sub-agent's
        worktree), environment, registered classifiers and model opener; ``kwargs`` as for the constructor."""
        return cls(
            settings=app.settings,
            workspace=workspace or app.workspace,
            classifiers=[reg.obj for reg in unique(app.classifiers)],
            open_model=app.open_provider,
            env=app.env,
            plugins=app.pm,
            **kwargs,
        )

    # -- the mode -----------------------------------------------------------------------------

    @property
    def mode(self) -> str:
        """The canonical mode name (``prompt``, ``read-only``, ...)."""
        return self._mode

    @mode.setter
    def mode(self, value: str) -> None:
        self._mode = self._checked(normalize_mode(value))

    def _checked(self, mode: str) -> str:
        if mode in BYPASS_MODES and self._bypass_disabled_by is not None:
            raise ConfigError(
                f"permission mode {mode} is disabled by {self._bypass_disabled_by} "
                "(permissions.disableBypassPermissionsMode)"
            )
        return mode

    # -- rules --------------------------------------------------------------------------------

    def visible(self, tool_name: str) -> bool:
        """False when the policy hides the tool (a deny rule naming it without a specifier)."""
        return self.policy.visible(tool_name)

    @contextlib.contextmanager
    def granted(self, rules: Sequence[str], source: str) -> Iterator[None]:
        """Allow ``rules`` while the block runs (a slash command's ``allowed-tools`` for its turn).

        :raises UsageError: for a bad rule, naming ``source``."""
        added = self.policy.add_rules(rules, "allow", source)
        try:
            yield
        finally:
            self.policy.remove_rules(added)

    # -- decisions ----------------------------------------------------------------------------

    async def check(
        self,
        tool: Tool,
        tool_input: Mapping[str, Any],
        ctx: ToolContext,
        *,
        ask_reason: str | None = None,
        hook_allowed: bool = False,
        tool_use_id: str | None = None,
        request_hook: Callable[[], Awaitable[HookOutcome]] | None = None,
    ) -> Verdict:
        """The final decision for one call: ``allow`` or ``deny`` (an ``ask`` is resolved here).

        :param ask_reason: set when a PreToolUse hook answered ``ask``: a call the rules and mode
            would allow is asked about anyway (deny rules still deny).
        :param hook_allowed: set when a PreToolUse hook answered ``allow``: the mode's own prompt is
            skipped, but deny and ask rules still apply (as in Claude Code, a hook cannot approve what
            a rule forbids).
        :param tool_use_id: the model's id for the call, told to an approver.
        :param request_hook: fires Claude Code's ``PermissionRequest`` hook event when the call would be
            asked about; its ``allow`` or ``block`` answers for the person or approver.

        An approver that rewrote the input sets the verdict's ``updated_input``: the call runs with it."""
        ctx.stash[PERMISSIONS] = self
        decision = await self.decide(tool, tool_input, ctx)
        if hook_allowed:
            decision.verdict = decision.binding() or Verdict(
                decision="allow", reason="allowed by a PreToolUse hook", source="hook PreToolUse"
            )
        elif ask_reason is not None and decision.verdict.decision == "allow":
            reason = ask_reason or f"a hook asks to confirm {tool.name}"
            decision.verdict = Verdict(decision="ask", reason=reason, source="hook PreToolUse")
        verdict = decision.verdict
        if verdict.decision == "ask":
            verdict = await self._ask(tool, tool_input, decision, tool_use_id, request_hook)
        self._debug(tool.name, decision, verdict)
        return verdict

    async def decide(
        self, tool: Tool, tool_input: Mapping[str, Any], ctx: ToolContext | None = None
    ) -> Decision:
        """The first ``claw_permission_decision`` plugin's answer, else the policy's; an awaitable that
        resolves to nothing denies. Nobody is asked (``claw permissions explain`` shows this)."""
        if ctx is None:
            ctx = ToolContext(
                workspace=self.workspace, session_id="", permission_mode=self._mode, env=self.env
            )
        if self.plugins is None:
            return await self.policy.decide(tool, tool_input, ctx, self._mode)
        answer, answers = self.plugins.call_attributed(
            "claw_permission_decision", tool=tool, tool_input=dict(tool_input), ctx=ctx, mode=self._mode
        )
        if answer is None:
            return await self.policy.decide(tool, tool_input, ctx, self._mode)
        if inspect.isawaitable(answer):
            answer = await answer
        if isinstance(answer, Decision):
            return answer
        who = f"plugin {answers[-1].plugin.name}"
        if isinstance(answer, Verdict):
            verdict = answer.model_copy(update={"source": answer.source or who})
            return Decision(verdict, self._mode, plugin=who)
        reason = f"{who} decided nothing on this {tool.name} call (claw_permission_decision)"
        return Decision(Verdict(decision="deny", reason=reason, source=who), self._mode, plugin=who)

    async def _ask(
        self,
        tool: Tool,
        tool_input: Mapping[str, Any],
        decision: Decision,
        tool_use_id: str | None,
        request_hook: Callable[[], Awaitable[HookOutcome]] | None,
    ) -> Verdict:
        from claw._permissions.asking import PermissionAnswer, PermissionQuestion  # when asking

        verdict = decision.verdict
        if self._mode == "dont-ask":
            return Verdict(
                decision="deny",
                reason=f"{verdict.reason}; dont-ask mode denies anything not explicitly allowed",
                source=verdict.source,
            )
        hooked = await request_hook() if request_hook is not None else None
        if hooked is not None and hooked.action == "allow":
            return Verdict(
                decision="allow", source="hook PermissionRequest", updated_input=hooked.updated_input
            )
        if hooked is not None and hooked.action == "block":
            return Verdict(decision="deny", reason=hooked.reason, source="hook PermissionRequest")
        if self.approver is not None:
            rules = decision.allow_rules(tool)
            answer = await self.approver(
                PermissionQuestion(tool.name, tool_input, verdict.reason, tool_use_id, rules)
            )
        elif self.asker is not None:
            word = await self.asker(tool.name, tool_input, verdict.reason)
            if word == "deny":
                answer = PermissionAnswer("deny", message="denied by the user")
            else:
                answer = PermissionAnswer("allow", scope=word if word in ("session", "always") else "once")
        else:
            return Verdict(
                decision="deny",
                reason=f"{verdict.reason}; no one can approve it in a non-interactive run",
                source=verdict.source,
            )
        if answer.behavior == "deny":
            return Verdict(decision="deny", reason=answer.message, source=answer.source)
        if answer.scope != "once":
            self.policy.remember(
                tool, decision, permanent=answer.scope == "always", destination=answer.destination
            )
        return Verdict(
            decision="allow", source=f"{answer.source} ({answer.scope})", updated_input=answer.updated_input
        )

    def _debug(self, tool_name: str, decision: Decision, verdict: Verdict) -> None:
        get_logger("claw._permissions").debug(
            "permission_decision",
            tool=tool_name,
            mode=decision.mode,
            decision=verdict.decision,
            source=verdict.source,
            reason=verdict.reason,
        )


def _default_mode(settings: Any) -> str:
    """``permissions.defaultMode`` from the highest layer that may set it, else ``prompt``: a cloned
    project (its own settings files, ``WORKSPACE_SCOPES``) must not start itself in a mode
    that skips approval (Claude Code ignores ``bypassPermissions`` and ``auto`` there too).

    :raises ConfigError: for an unknown mode, naming the file."""
    for layer in reversed(getattr(settings, "layers", None) or []):
        value = (layer.data.get("permissions") or {}).get("defaultMode")
        if not isinstance(value, str):
            continue
        try:
            canonical = normalize_mode(value)
        except UsageError as exc:
            raise ConfigError(f"{layer.label}: permissions.defaultMode: {exc}") from exc
        if layer.scope in WORKSPACE_SCOPES and (canonical in BYPASS_MODES or canonical == "auto"):
            from claw import _console as console

            console.warn(
                f"{layer.label}: permissions.defaultMode {value!r} is ignored in project settings; "
                "use --permission-mode or user settings"
            )
            continue
        return canonical
    return "prompt"


def additional_roots(
    settings: Any, workspace: str | Path, env: Mapping[str, str], additional_dirs: Sequence[str | Path] = ()
) -> list[str]:
    """The directories treated like the workspace besides it: settings
    ``permissions.additionalDirectories`` (relative to ``workspace``) then ``--add-dir`` ones, resolved.
    The gate's roots and ``claw print-system-prompt`` both use it, so the printed prompt lists what a
    run's does."""
    ws = os.path.realpath(workspace)
    home = home_of(env)
    perms = settings.model.permissions if settings is not None else None
    extra = [*((perms.additionalDirectories if perms is not None else []) or []), *map(str, additional_dirs)]
    return [resolved(d, ws, home) for d in extra]

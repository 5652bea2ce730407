"""The ``Agent`` tool (Claude Code's, formerly ``Task``): run a sub-agent and return its answer.

The input is Claude Code's: ``description`` and ``prompt`` (required), ``subagent_type`` (a definition's
name; ``general-purpose`` by default), ``model`` (overrides the definition's), ``effort``,
``run_in_background``, ``name``, ``mode`` (a permission mode, never wider than the parent's) and
``isolation`` (``worktree``). The sub-agent is a child session run by the kernel
(:meth:`claw.SessionContext.run_subagent`); several ``Agent`` calls in one response run at the same
time (the tool is ``read_only``: the call itself changes nothing, the sub-agent's calls are checked).
"""

from __future__ import annotations

import asyncio
import dataclasses
import uuid
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, ClassVar

import claw

from claw_agents.subagents import definitions

if TYPE_CHECKING:
    from claw_agents.subagents.background import Runner
    from claw_agents.subagents.worktree import Worktree

NAME = "Agent"
#: Never offered to a sub-agent: sub-agents do not start sub-agents (as in Claude Code).
HIDDEN = (NAME, "Task")
EFFORTS = ["low", "medium", "high", "xhigh", "max"]

SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "description": {"type": "string", "description": "A short (3-5 word) description of the task."},
        "prompt": {"type": "string", "description": "The task for the agent to perform."},
        "subagent_type": {
            "type": "string",
            "description": "The type of specialised agent to use (default: general-purpose).",
        },
        "model": {
            "type": "string",
            "description": "A model for this agent (sonnet, opus, haiku or provider/model); default: "
            "the definition's, else yours.",
        },
        "effort": {"type": "string", "enum": EFFORTS, "description": "Reasoning effort for this agent."},
        "run_in_background": {
            "type": "boolean",
            "description": "Run the agent in the background; you are told when it ends.",
        },
        "name": {
            "type": "string",
            "description": "A name that makes the running agent addressable by SendMessage (to: the name).",
        },
        "mode": {
            "type": "string",
            "description": "Permission mode for the agent (never wider than yours), e.g. plan, acceptEdits.",
        },
        "isolation": {
            "type": "string",
            "enum": ["worktree"],
            "description": '"worktree": work in a temporary git worktree on its own branch.',
        },
    },
    "required": ["description", "prompt"],
    "additionalProperties": False,
}

DESCRIPTION = """\
Launch a sub-agent that works on a task on its own, with its own context, and returns one final \
report. Use it for broad searches, independent pieces of work and anything that would flood your \
context. Send several Agent calls in one response to run them in parallel. The sub-agent sees only \
the prompt you give it: make it self-contained and say what to report back. Its report is not shown \
to the user: summarise it yourself.

Sub-agent types (subagent_type):"""


def _listing(found: Mapping[str, definitions.AgentDefinition]) -> str:
    lines = []
    for d in found.values():
        tools = ", ".join(d.tools) if d.tools is not None else "all tools"
        lines.append(f"- {d.name}: {d.description} (Tools: {tools})")
    return "\n".join(lines)


class AgentTool(claw.Tool):
    """One instance per process; :meth:`describe` lists a session's agent types in its description."""

    _shared: ClassVar[AgentTool | None] = None

    def __init__(self) -> None:
        self._spec = self._make_spec(_listing({"general-purpose": definitions.GENERAL_PURPOSE}))

    @classmethod
    def shared(cls) -> AgentTool:
        if cls._shared is None:
            cls._shared = cls()
        return cls._shared

    @staticmethod
    def _make_spec(listing: str) -> claw.ToolSpec:
        return claw.ToolSpec(
            name=NAME,
            description=f"{DESCRIPTION}\n{listing}",
            input_schema=SCHEMA,
            aliases=("Task",),
            # The call itself changes nothing: what the sub-agent does is checked call by call, in a
            # permission mode no wider than the parent's. So it needs no approval of its own and
            # several run at once, like other read-only calls.
            read_only=True,
        )

    @property
    def spec(self) -> claw.ToolSpec:  # type: ignore[override]
        return self._spec

    def describe(self, session: claw.SessionContext) -> None:
        """List the agent types ``session`` can use in the tool's description and in the session's
        ``agents`` fact (``system/init``, the Agent SDK's ``initialize``: Claude Code's ``AgentInfo``);
        a broken definition is reported when the tool is called, naming its file and line."""
        try:
            found = definitions.discover(
                session.workspace, session.env, session.extra.get("agents"), session.plugin_folders
            )
        except claw.ConfigError:
            return
        self._spec = self._make_spec(_listing(found))
        session.facts["agents"] = [
            {"name": d.name, "description": d.description, **({"model": d.model} if d.model else {})}
            for d in found.values()
        ]

    async def run(self, input: dict[str, Any], ctx: claw.ToolContext) -> claw.ToolResult:
        # Imported at the first call: the tool is built (and described) on every start.
        from claw_agents.subagents import background, worktree

        session = ctx.session
        if session is None:
            raise claw.ToolError("the Agent tool needs a running session")
        try:
            found = definitions.discover(
                ctx.workspace, ctx.env, session.extra.get("agents"), session.plugin_folders
            )
        except claw.ConfigError as exc:
            raise claw.ToolError(str(exc)) from None
        kind = input.get("subagent_type") or definitions.GENERAL_PURPOSE.name
        definition = found.get(kind)
        if definition is None:
            raise claw.ToolError(
                f"unknown subagent_type {kind!r}; available agent types: {', '.join(sorted(found))}"
            )
        agent_id = str(uuid.uuid4())
        tree = await worktree.create(ctx.workspace, ctx.env, agent_id) if input.get("isolation") else None
        spec = claw.SubagentSpec(
            prompt=input["prompt"],
            agent_type=definition.name,
            description=input["description"],
            system_prompt=definition.prompt or None,
            tools=definition.tools,
            hidden_tools=(*HIDDEN, *definition.disallowed_tools),
            model=input.get("model") or definition.model,
            effort=input.get("effort"),
            permission_mode=input.get("mode") or definition.permission_mode,
            workspace=tree.workspace if tree else None,
            session_id=agent_id,
        )
        if input.get("name"):  # addressable by SendMessage while it runs (a later one takes the name)
            session.stash.setdefault(background.NAMES, {})[input["name"]] = agent_id
        kept = False

        async def run(answered: Callable[[claw.SubagentResult], None]) -> claw.SubagentResult:
            nonlocal kept
            try:
                return await _run(session, dataclasses.replace(spec, on_answer=answered))
            finally:
                kept = await worktree.finish(tree) if tree else False

        if input.get("run_in_background"):
            return _start_background(session, spec, run, input)
        first: asyncio.Future[claw.SubagentResult] = asyncio.get_running_loop().create_future()
        handle = background.start(session, agent_id, spec.description, run, input.get("name"), first)
        try:
            result = await first
            if not result.kept_alive:
                await handle.result()  # its session ends (its worktree is finished)
        except BaseException:
            await handle.cancel()
            raise
        return _answer(result, input, tree if kept or result.kept_alive else None)


async def _run(session: claw.SessionContext, spec: claw.SubagentSpec) -> claw.SubagentResult:
    try:
        return await session.run_subagent(spec)
    except claw.ClawError as exc:  # an unknown model or mode, missing credentials: the model is told
        raise claw.ToolError(f"the sub-agent could not start: {exc}") from None


def _start_background(
    session: claw.SessionContext, spec: claw.SubagentSpec, run: Runner, input: Mapping[str, Any]
) -> claw.ToolResult:
    from claw_agents.subagents import background

    agent_id = spec.session_id or ""
    background.start(session, agent_id, spec.description, run, name=input.get("name"))
    text = (
        "Async agent launched successfully.\n"
        f"agentId: {agent_id} (you are told when it ends; TaskOutput shows its progress, TaskStop ends it)"
    )
    if input.get("name"):
        text += f"\nname: {input['name']} (SendMessage to it while it runs)"
    data = {"status": "async_launched", "agentId": agent_id, "name": input.get("name")}
    return claw.ToolResult(content=text, data={**data, "description": spec.description})


def _answer(result: claw.SubagentResult, input: Mapping[str, Any], tree: Worktree | None) -> claw.ToolResult:
    """The tool result: the sub-agent's answer, then its id, usage and (kept) worktree."""
    usage = result.usage
    tokens = sum(int(usage.get(k) or 0) for k in ("input_tokens", "output_tokens"))
    trailer = [f"agentId: {result.agent_id}"]
    if result.kept_alive:
        trailer.append(
            "The agent is kept alive while background commands it started run: when they end it answers "
            "again, and you are told (a task notification with this agentId). TaskStop ends it."
        )
    if tree is not None:
        trailer.append(f"worktree: {tree.root} (branch {tree.branch}) holds the agent's changes")
    trailer.append(
        f"<usage>total_tokens: {tokens}\nturns: {result.num_turns}\nduration_ms: {round(result.duration_ms)}"
        f"\ncost_usd: {result.total_cost_usd:.6f}</usage>"
    )
    text = result.text if not result.is_error else f"the sub-agent failed ({result.subtype}): {result.text}"
    data = {
        **dataclasses.asdict(result),
        "status": "failed" if result.is_error else "completed",
        "name": input.get("name"),
        "description": input.get("description"),
        "worktree": {"path": str(tree.root), "branch": tree.branch} if tree else None,
    }
    return claw.ToolResult(content=f"{text}\n\n" + "\n".join(trailer), is_error=result.is_error, data=data)

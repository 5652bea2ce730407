"""``Skill``: run a slash command or skill on the model's own initiative and get its prompt text."""

from __future__ import annotations

from typing import Any

import claw

from claw_tools_workflow._commands import discover, slash_command


def _commands(ctx: claw.ToolContext) -> dict[str, claw.SlashCommand]:
    """The session's commands; without a session (a tool called directly), the ones on disk."""
    if ctx.session is not None:
        return dict(ctx.session.commands)
    found = discover(ctx.workspace, ctx.env)
    return {
        n: slash_command(c, session_id=ctx.session_id, project_dir=ctx.workspace) for n, c in found.items()
    }


class SkillTool(claw.Tool):
    spec = claw.ToolSpec(
        name="Skill",
        description=(
            "Run one of the session's slash commands or skills (from .claw/commands, .claude/commands, "
            "skills directories, plugin folders, MCP prompts): returns its instructions with args filled "
            "in; then follow them."
        ),
        input_schema={
            "type": "object",
            "properties": {
                "skill": {
                    "type": "string",
                    "description": 'The command or skill name, e.g. "review" or "/review".',
                },
                "args": {"type": "string", "description": "The argument string, as typed after the command."},
            },
            "required": ["skill"],
            "additionalProperties": False,
        },
        read_only=True,
    )

    async def run(self, input: dict[str, Any], ctx: claw.ToolContext) -> claw.ToolResult:
        name = input["skill"].strip().lstrip("/")
        if not name:
            raise claw.ToolError("skill must name a command or skill")
        args = input.get("args") or ""
        commands = _commands(ctx)
        command = commands.get(name)
        if command is None:
            known = ", ".join(sorted(commands)) or "none"
            raise claw.ToolError(f'no skill or command named "{name}" (available: {known})')
        if not command.model_invocable:
            raise claw.ToolError(f'"{name}" can only be run by the user (disable-model-invocation)')
        text = await command.expand(args)
        return claw.ToolResult(
            content=text,
            data={
                "skill": name,
                "args": args,
                "allowedTools": list(command.allowed_tools),
                "model": command.model,
            },
        )

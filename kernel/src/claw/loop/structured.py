"""``--json-schema``: the ``StructuredOutput`` tool, through which the model gives its final answer as
JSON matching the user's schema (Claude Code's mechanism). The kernel's builtin plugin offers it for
sessions started with a schema; the validated value becomes the result's ``structured_output``.
"""

from __future__ import annotations

from typing import Any

from claw.tools import StashKey, Tool, ToolContext, ToolError, ToolResult, ToolSpec

#: Where the accepted answer is kept for the loop to put in the result.
STRUCTURED_OUTPUT = StashKey[Any]()

NAME = "StructuredOutput"


class StructuredOutputTool(Tool):
    def __init__(self, schema: dict[str, Any]) -> None:
        self.schema = schema
        self.spec = ToolSpec(
            name=NAME,
            description=(
                "Give your final answer as structured data. Call this exactly once, when you are done, "
                "with input that matches the schema; the run ends when it is accepted."
            ),
            input_schema=schema if schema.get("type") == "object" else {"type": "object", "properties": {}},
            read_only=True,
        )

    async def run(self, input: dict[str, Any], ctx: ToolContext) -> ToolResult:
        import jsonschema  # imported lazily: only runs with --json-schema

        try:
            jsonschema.validate(input, self.schema)
        except jsonschema.ValidationError as exc:
            where = "/".join(str(p) for p in exc.absolute_path) or "(root)"
            raise ToolError(f"the output does not match the schema at {where}: {exc.message}") from None
        ctx.stash[STRUCTURED_OUTPUT] = input
        return ToolResult(content="Structured output accepted.", data={"structured_output": input})

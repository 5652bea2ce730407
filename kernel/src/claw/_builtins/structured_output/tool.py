"""``--json-schema``: the ``StructuredOutput`` tool, through which the model gives its final answer as
JSON matching the user's schema (Claude Code's mechanism). The kernel validates the input against it like
any tool's, and the accepted value, kept under the loop's ``STRUCTURED_OUTPUT`` key, becomes the result's
``structured_output``.
"""

from __future__ import annotations

from typing import Any

from claw._loop.turn import STRUCTURED_NAME, STRUCTURED_OUTPUT
from claw._tools import Tool, ToolContext, ToolError, ToolResult, ToolSpec


class StructuredOutputTool(Tool):
    def __init__(self, schema: dict[str, Any]) -> None:
        self.schema = schema
        self.is_object = schema.get("type", "object") == "object"
        self.spec = ToolSpec(
            name=STRUCTURED_NAME,
            description=(
                "Give your final answer as structured data. Call this exactly once, when you are done, "
                "with input that matches the schema; the run ends when it is accepted."
            ),
            input_schema=schema if self.is_object else {"type": "object", "properties": {}},
            read_only=True,
        )

    async def run(self, input: dict[str, Any], ctx: ToolContext) -> ToolResult:
        # An object schema is the tool's input schema, which the kernel has checked already; any
        # other schema can never be matched by a tool call's input object.
        if not self.is_object:
            raise ToolError("the output schema is not an object schema, so no tool input can match it")
        ctx.stash[STRUCTURED_OUTPUT] = input
        return ToolResult(content="Structured output accepted.", data={"structured_output": input})

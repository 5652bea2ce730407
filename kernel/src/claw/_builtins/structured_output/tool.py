"""``--json-schema``: the ``StructuredOutput`` tool, through which the model gives its final answer as
JSON matching the user's schema (Claude Code's mechanism). The kernel validates the input against it like
any tool's, and the accepted value, added to the running prompt's result fields (the loop's
``RESULT_FIELDS``), becomes the result's ``structured_output`` and ends the turn.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from claw._loop.turn import RESULT_FIELDS
from claw._tools import Tool, ToolContext, ToolError, ToolResult, ToolSpec

#: The tool's name, which the reminder asks the model to call.
STRUCTURED_NAME = "StructuredOutput"


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
        ctx.stash.setdefault(RESULT_FIELDS, {})["structured_output"] = input
        return ToolResult(content="Structured output accepted.", data={"structured_output": input})


def read_schema(options: Any) -> str | None:
    """``options.json_schema`` from the flag's value (``options.extra``): inline JSON or a file's; returns
    the usage error for a value that is neither."""
    value: str = options.extra["json_schema"]
    text: str | bytes = value
    if not value.lstrip().startswith("{"):
        path = Path(value).expanduser()
        if not path.is_file():
            return f"--json-schema: not a JSON object nor a file: {value}"
        text = path.read_bytes()
    try:  # bytes: JSON's own UTF-8 detection; a bad byte is a ValueError too
        schema = json.loads(text)
    except ValueError as exc:
        return f"--json-schema: invalid JSON: {exc}"
    problem = _schema_problem(schema)
    if problem is not None:
        return f"--json-schema: {problem}"
    options.json_schema = schema
    return None


def _schema_problem(schema: Any) -> str | None:
    """Why ``schema`` can never be answered, checked before the run: the answer is a tool call's input
    (an object), so a schema that is not an object schema, or not a valid JSON Schema at all, would only
    cost the model's turns and end in "did not produce the structured output"."""
    if not isinstance(schema, dict):
        return f"the schema must be a JSON object, not {type(schema).__name__}"
    from jsonschema.exceptions import SchemaError
    from jsonschema.validators import validator_for

    from claw._config import key_path

    try:
        validator_for(schema).check_schema(schema)
    except SchemaError as exc:
        return f"not a valid JSON Schema: {exc.message} (at {key_path(exc.absolute_path) or 'its top'})"
    if schema.get("type", "object") != "object":
        return f'the schema must describe an object ("type": "object"), not {json.dumps(schema["type"])}'
    return None

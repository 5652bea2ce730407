"""Shared pieces of the cloud providers' end-to-end tests (``test_e2e_bedrock/vertex/foundry.py``):
a read-only tool the scripted model calls (loaded with the ``e2e_env`` fixture) and what they check."""

from __future__ import annotations

from typing import Any

LOOKUP_TOOL = """
import claw
from claw import Tool, ToolResult, ToolSpec

FACTS = {"answer": "42", "colour": "blue"}


class Lookup(Tool):
    spec = ToolSpec(name="Lookup", description="Look a fact up.", read_only=True,
                    input_schema={"type": "object", "properties": {"key": {"type": "string"}},
                                  "required": ["key"]})

    async def run(self, input, ctx):
        return ToolResult(content="fact: " + FACTS.get(input["key"], "unknown"))


@claw.hookimpl
def claw_register_tools(register):
    register(Lookup())
"""


def tool_results(messages: list[dict[str, Any]]) -> list[str]:
    """The text of every Anthropic-shaped ``tool_result`` block in ``messages``."""
    out = []
    for message in messages:
        for block in message.get("content", []):
            if isinstance(block, dict) and block.get("type") == "tool_result":
                content = block["content"]
                out.append(
                    content if isinstance(content, str) else "".join(c.get("text", "") for c in content)
                )
    return out


def error_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("claw: error:")]

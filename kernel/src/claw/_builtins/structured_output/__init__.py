"""``--json-schema``: offers the ``StructuredOutput`` tool (:mod:`.tool`) to sessions
started with a schema. Disabled, a schema run ends without structured output (the loop reminds the
model, then reports it missing)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from claw import hookimpl

if TYPE_CHECKING:
    from claw._session_context import SessionContext


@hookimpl
def claw_session_start(session: SessionContext) -> None:
    schema = session.extra.get("json_schema")
    if schema is not None:
        from claw._builtins.structured_output.tool import StructuredOutputTool

        session.add_tool(StructuredOutputTool(schema))

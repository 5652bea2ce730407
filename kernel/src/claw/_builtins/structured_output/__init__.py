"""``--json-schema``: the option, read into ``LoopOptions.json_schema`` (:func:`.tool.read_schema`), and the
``StructuredOutput`` tool (:mod:`.tool`) offered to sessions started with a schema, and the turn's end
(``claw_turn_continues``): with the answer, or reminding the model of it. Disabled, the flag is a usage
error saying so; a schema the Agent SDK sends in ``initialize`` runs without structured output."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from claw import hookimpl

if TYPE_CHECKING:
    from collections.abc import Callable

    import click

    from claw._errors import ClawError
    from claw._loop.options import LoopOptions
    from claw._providers import ModelResponse
    from claw._session_context import SessionContext

#: Reminders sent when the model ends its turn without calling StructuredOutput, before the run fails.
MAX_REMINDERS = 2


@hookimpl
def claw_register_run_options(register: Callable[[click.Option], None]) -> None:
    import click

    help = "Make the final answer JSON matching this schema (result.structured_output)."
    register(click.Option(["--json-schema"], metavar="JSON|FILE", help=help))


@hookimpl
def claw_adjust_run(options: LoopOptions) -> str | None:
    if not options.extra.get("json_schema"):
        return None
    from claw._builtins.structured_output.tool import read_schema

    return read_schema(options)


@hookimpl
def claw_session_start(session: SessionContext) -> None:
    schema = session.extra.get("json_schema")
    if schema is not None:
        from claw._builtins.structured_output.tool import StructuredOutputTool

        session.add_tool(StructuredOutputTool(schema))


@hookimpl
def claw_turn_continues(
    session: SessionContext, response: ModelResponse, result: dict[str, Any], nudges: int
) -> str | bool | ClawError | None:
    if session.extra.get("json_schema") is None:
        return None
    if "structured_output" in result:
        return False  # accepted: the run ends without another request
    if response.stop_reason == "pause_turn" or response.to_message().tool_uses:
        return None
    from claw._builtins.structured_output.tool import STRUCTURED_NAME
    from claw._errors import ClawError

    if nudges < MAX_REMINDERS:
        return f"Give your final answer by calling the {STRUCTURED_NAME} tool."
    return ClawError("the model did not produce the structured output")

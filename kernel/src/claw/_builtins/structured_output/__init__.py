"""``--json-schema``: the option (:mod:`.option`), and the ``StructuredOutput`` tool (:mod:`.tool`) offered
to sessions started with a schema. Disabled, ``--json-schema`` is a usage error saying so; a schema the
Agent SDK sends in ``initialize`` runs without structured output (the loop reminds the model, then
reports it missing)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from claw import hookimpl

if TYPE_CHECKING:
    from collections.abc import Callable

    import click

    from claw._loop.options import LoopOptions
    from claw._session_context import SessionContext


@hookimpl
def claw_register_run_options(register: Callable[[click.Option], None]) -> None:
    from claw._builtins.structured_output.option import OPTION

    register(OPTION)


@hookimpl
def claw_adjust_run(options: LoopOptions) -> str | None:
    from claw._builtins.structured_output.option import adjust

    return adjust(options)


@hookimpl
def claw_session_start(session: SessionContext) -> None:
    schema = session.extra.get("json_schema")
    if schema is not None:
        from claw._builtins.structured_output.tool import StructuredOutputTool

        session.add_tool(StructuredOutputTool(schema))

"""Tools written as plain functions: ``@claw.tool`` turns a typed, documented function into a :class:`Tool`.

The input schema comes from the type hints and the description from the docstring (its text up to the
first ``:param`` line; each ``:param name: text`` describes that parameter), the way ``llm`` builds its
function tools, so a tool plugin fits in one short module::

    import claw

    @claw.tool(read_only=True)
    def WordCount(path: str, ctx: claw.ToolContext) -> str:
        \"\"\"Count the words in a file of the workspace.

        :param path: the file, relative to the workspace.
        \"\"\"
        return str(len(ctx.resolve(path).read_text(errors="replace").split()))

    @claw.hookimpl
    def claw_register_tools(register):
        register(WordCount)

A parameter annotated :class:`claw.ToolContext` receives the call's context and is not shown to the
model. The function may be ``async``; a plain function runs in a worker thread so it cannot stall the
loop. It returns a string, a :class:`ToolResult`, or anything JSON can encode; raising
:class:`ToolError` reports its message to the model. A tool that must tell the permission engine which
paths, commands or URLs it touches passes ``access=`` or uses the class form (subclass :class:`Tool`).
"""

from __future__ import annotations

import asyncio
import inspect
import json
import re
from collections.abc import Callable, Mapping
from typing import Any, get_type_hints, overload

from claw.tools import Access, Tool, ToolContext, ToolError, ToolResult, ToolSpec

#: ``(input, ctx) -> [Access, ...]``: what one call touches, for the permission engine.
AccessFn = Callable[[Mapping[str, Any], ToolContext], list[Access]]

_PARAM = re.compile(r"^\s*:param\s+(?:[^:]*\s)?(\w+):\s*(.*)$")


def _docs(fn: Callable[..., Any]) -> tuple[str, dict[str, str]]:
    """The description and the per-parameter texts of ``fn``'s docstring."""
    lines = inspect.cleandoc(fn.__doc__ or "").splitlines()
    description: list[str] = []
    params: dict[str, str] = {}
    current: str | None = None
    for line in lines:
        match = _PARAM.match(line)
        if match:
            current = str(match.group(1))
            params[current] = match.group(2).strip()
        elif line.lstrip().startswith(":"):  # :returns:, :raises: ... end the parameter texts
            current = None
        elif current is not None and line.strip():
            params[current] += " " + line.strip()
        elif current is None and not params:
            description.append(line)
    return "\n".join(description).strip(), params


class FunctionTool(Tool):
    """A :class:`Tool` whose schema, description and behaviour come from one function."""

    def __init__(
        self,
        fn: Callable[..., Any],
        *,
        name: str | None = None,
        description: str | None = None,
        read_only: bool = False,
        aliases: tuple[str, ...] = (),
        access: AccessFn | None = None,
    ) -> None:
        from pydantic import ConfigDict, create_model

        self.fn = fn
        self._access = access
        hints = get_type_hints(fn)
        doc, param_docs = _docs(fn)
        fields: dict[str, Any] = {}
        self._ctx_param: str | None = None
        for param in inspect.signature(fn).parameters.values():
            hint = hints.get(param.name, Any)
            if hint is ToolContext:
                self._ctx_param = param.name
                continue
            if param.kind in (param.VAR_POSITIONAL, param.VAR_KEYWORD):
                raise TypeError(f"tool function {fn.__name__}: *args and **kwargs cannot be described")
            from pydantic import Field

            default = ... if param.default is param.empty else param.default
            fields[param.name] = (hint, Field(default, description=param_docs.get(param.name)))
        self._model = create_model(  # type: ignore[call-overload]
            f"{fn.__name__}_input", __config__=ConfigDict(extra="forbid"), **fields
        )
        schema = self._model.model_json_schema()
        schema.pop("title", None)
        for prop in schema.get("properties", {}).values():
            prop.pop("title", None)
        text = description or doc
        if not text:
            raise TypeError(f"tool function {fn.__name__} needs a docstring: it is what the model reads")
        self.spec = ToolSpec(
            name=name or fn.__name__,
            description=text,
            input_schema=schema,
            read_only=read_only,
            aliases=aliases,
        )

    def access(self, input: Mapping[str, Any], ctx: ToolContext) -> list[Access]:
        return self._access(input, ctx) if self._access is not None else []

    async def run(self, input: dict[str, Any], ctx: ToolContext) -> ToolResult:
        from pydantic import ValidationError

        try:
            parsed = self._model.model_validate(input)
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"]) or "input"
            raise ToolError(f"invalid input for {self.spec.name}: {where}: {first['msg']}") from None
        kwargs = {key: getattr(parsed, key) for key in type(parsed).model_fields}
        if self._ctx_param is not None:
            kwargs[self._ctx_param] = ctx
        if inspect.iscoroutinefunction(self.fn):
            result = await self.fn(**kwargs)
        else:
            result = await asyncio.to_thread(self.fn, **kwargs)
        if isinstance(result, ToolResult):
            return result
        if result is None or isinstance(result, str):
            return ToolResult(content=result or "")
        return ToolResult(content=json.dumps(result, ensure_ascii=False, default=str))


@overload
def tool(fn: Callable[..., Any], /) -> FunctionTool: ...
@overload
def tool(
    *,
    name: str | None = None,
    description: str | None = None,
    read_only: bool = False,
    aliases: tuple[str, ...] = (),
    access: AccessFn | None = None,
) -> Callable[[Callable[..., Any]], FunctionTool]: ...
def tool(
    fn: Callable[..., Any] | None = None,
    /,
    *,
    name: str | None = None,
    description: str | None = None,
    read_only: bool = False,
    aliases: tuple[str, ...] = (),
    access: AccessFn | None = None,
) -> FunctionTool | Callable[[Callable[..., Any]], FunctionTool]:
    """Make a :class:`Tool` of a function: ``@claw.tool`` or ``@claw.tool(name=..., read_only=True)``.

    :param name: the name the model calls (default: the function's name).
    :param description: what the model reads (default: the docstring up to its ``:param`` lines).
    :param read_only: the tool never changes anything (read-only modes allow it; calls may run in parallel).
    :param aliases: other names permission rules may use.
    :param access: ``(input, ctx) -> [Access]``, what a call touches, for the permission engine.
    """

    def make(f: Callable[..., Any]) -> FunctionTool:
        return FunctionTool(
            f, name=name, description=description, read_only=read_only, aliases=aliases, access=access
        )

    return make(fn) if fn is not None else make

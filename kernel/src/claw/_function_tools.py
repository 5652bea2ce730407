"""Tools written as plain functions: ``@claw.tool`` turns a typed, documented function into a :class:`Tool`.

The input schema comes from the type hints and the description from the docstring (its text up to the
first ``:param`` line; each ``:param name: text`` describes that parameter), the way ``llm`` builds its
function tools, so a tool plugin fits in one short module: docs/plugins.md ("Quick start") shows one and
says what the function may take (a :class:`claw.ToolContext` parameter, ``async``) and return. A tool
that must tell the permission engine which paths, commands or URLs it touches passes ``access=`` or uses
the class form (subclass :class:`Tool`).
"""

from __future__ import annotations

import asyncio
import inspect
import json
import re
import types
from collections.abc import Callable, Mapping
from functools import cached_property
from typing import Any, Literal, Union, get_args, get_origin, get_type_hints, overload

from claw._tools import Access, Tool, ToolContext, ToolError, ToolResult, ToolSpec

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


#: The JSON schema pydantic writes for each of these hints.
_SCALARS: dict[Any, dict[str, Any]] = {
    str: {"type": "string"},
    int: {"type": "integer"},
    float: {"type": "number"},
    bool: {"type": "boolean"},
    Any: {},
    list: {"items": {}, "type": "array"},
    dict: {"additionalProperties": True, "type": "object"},
}


def _plain_schema(hint: Any) -> dict[str, Any] | None:
    """What pydantic's JSON schema says of ``hint``, for the hints tools mostly take (``str``, ``int``,
    ``float``, ``bool``, ``Any``, ``X | None``, ``list[X]``, ``dict[str, X]``, ``Literal`` of strings),
    written without building a model: pydantic takes about a millisecond per tool for it, on every
    start. ``None`` for any other hint (pydantic then writes the schema)."""
    if hint in _SCALARS:
        return dict(_SCALARS[hint])
    origin, args = get_origin(hint), get_args(hint)
    if origin in (Union, types.UnionType) and len(args) == 2 and type(None) in args:
        inner = _plain_schema(args[0] if args[1] is type(None) else args[1])
        return None if inner is None else {"anyOf": [inner, {"type": "null"}]}
    if origin is list and len(args) == 1:
        inner = _plain_schema(args[0])
        return None if inner is None else {"items": inner, "type": "array"}
    if origin is dict and len(args) == 2 and args[0] is str:
        inner = _plain_schema(args[1])
        return None if inner is None else {"additionalProperties": inner or True, "type": "object"}
    if origin is Literal and len(args) > 1 and all(type(a) is str for a in args):
        return {"enum": list(args), "type": "string"}
    return None


def _plain_input_schema(fields: dict[str, tuple[Any, Any]]) -> dict[str, Any] | None:
    """The input schema of ``fields`` (name -> (hint, ``Field``)) as pydantic writes it (keys sorted,
    titles left out), or ``None`` when a hint or a default is not one :func:`_plain_schema` knows."""
    properties: dict[str, Any] = {}
    required: list[str] = []
    for name, (hint, info) in fields.items():
        prop = _plain_schema(hint)
        if prop is None:
            return None
        if info.is_required():
            required.append(name)
        elif info.default is None or type(info.default) in (str, int, float, bool):
            prop["default"] = info.default
        else:
            return None
        if info.description is not None:
            prop["description"] = info.description
        properties[name] = dict(sorted(prop.items()))
    schema: dict[str, Any] = {"additionalProperties": False, "properties": properties}
    if required:
        schema["required"] = required
    return {**schema, "type": "object"}


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
        from pydantic import Field

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
            default = ... if param.default is param.empty else param.default
            fields[param.name] = (hint, Field(default, description=param_docs.get(param.name)))
        self._fields = fields
        schema = _plain_input_schema(fields)
        if schema is None:  # a hint only pydantic can describe: the model is needed now
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

    @cached_property
    def _model(self) -> Any:
        """The pydantic model that validates the input, built at the first call (or for the schema)."""
        from pydantic import ConfigDict, create_model

        return create_model(  # type: ignore[call-overload]
            f"{self.fn.__name__}_input", __config__=ConfigDict(extra="forbid"), **self._fields
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

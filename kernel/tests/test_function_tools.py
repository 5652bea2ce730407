"""``@claw.tool``: a tool plugin written as one typed, documented function, driven through a real loop."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any, Literal, Optional, Union

import claw
import pytest
from claw.testing.script import Reply, Text, ToolCall

# A complete third-party tool plugin, as docs/plugins.md shows it: one module, under 30 lines.
WORDCOUNT = '''
import claw


@claw.tool(read_only=True)
def WordCount(path: str, ctx: claw.ToolContext, min_length: int = 1) -> str:
    """Count the words in a file of the workspace.

    :param path: the file, relative to the workspace.
    :param min_length: only count words at least this long.
    """
    words = ctx.resolve(path).read_text(errors="replace").split()
    return str(sum(1 for w in words if len(w) >= min_length))


@claw.hookimpl
def claw_register_tools(register):
    register(WordCount)
'''


def test_a_function_plugin_under_30_lines_is_offered_and_runs(claw, scripted, plugin_module, claw_env):
    assert len(WORDCOUNT.strip().splitlines()) < 30
    plugin_module("claw_tool_wordcount", WORDCOUNT)
    (claw.workspace / "notes.txt").write_text("a bb ccc dddd")
    scripted.script(
        Reply(ToolCall("WordCount", {"path": "notes.txt", "min_length": 2})), Reply(Text("three words"))
    )
    done = claw.subprocess("-p", "count", "--model", "scripted/default", "--output-format", "json")
    assert done.exit_code == 0, done.stderr
    first, second = scripted.requests
    offered = next(t for t in first["tools"] if t["name"] == "WordCount")
    assert offered["description"] == "Count the words in a file of the workspace."
    assert offered["input_schema"]["required"] == ["path"]
    assert offered["input_schema"]["properties"]["path"] == {
        "type": "string",
        "description": "the file, relative to the workspace.",
    }
    assert offered["input_schema"]["properties"]["min_length"]["type"] == "integer"
    assert "ctx" not in offered["input_schema"]["properties"]
    result = next(b for b in second["messages"][-1]["content"] if b["type"] == "tool_result")
    assert result["content"] in ("3", [{"type": "text", "text": "3"}])
    assert done.json()["result"] == "three words"


def _ctx(tmp_path: Path) -> claw.ToolContext:
    return claw.ToolContext(workspace=tmp_path, session_id="s")


def test_wrong_input_is_a_one_line_tool_error(tmp_path):
    @claw.tool
    def Add(a: int, b: int = 2) -> int:
        """Add two numbers."""
        return a + b

    assert (asyncio.run(Add.run({"a": 1}, _ctx(tmp_path)))).content == "3"
    with pytest.raises(claw.ToolError, match=r"invalid input for Add: a: Input should be a valid integer"):
        asyncio.run(Add.run({"a": "one"}, _ctx(tmp_path)))
    with pytest.raises(claw.ToolError, match=r"invalid input for Add: c: Extra inputs are not permitted"):
        asyncio.run(Add.run({"a": 1, "c": 3}, _ctx(tmp_path)))


def test_async_functions_results_and_access(tmp_path):
    @claw.tool(name="Fetch", access=lambda input, ctx: [claw.Access(kind="network", url=input["url"])])
    async def fetch(url: str) -> dict:
        """Fetch a URL."""
        return {"url": url, "ok": True}

    ctx = _ctx(tmp_path)
    assert fetch.spec.name == "Fetch" and not fetch.spec.read_only
    assert fetch.access({"url": "https://example.org"}, ctx) == [
        claw.Access(kind="network", url="https://example.org")
    ]
    assert json.loads(asyncio.run(fetch.run({"url": "u"}, ctx)).content) == {"url": "u", "ok": True}


def test_a_function_without_a_docstring_or_with_kwargs_is_refused():
    def nodoc(x: str) -> str:
        return x

    with pytest.raises(TypeError, match="needs a docstring"):
        claw.tool(nodoc)

    def star(**kw: str) -> str:
        """Stars."""
        return ""

    with pytest.raises(TypeError, match=r"\*args and \*\*kwargs"):
        claw.tool(star)


def _pydantic_schema(fn) -> dict:  # type: ignore[no-untyped-def]
    """The input schema as pydantic writes it (what every function tool's schema was before claw wrote
    the common hints itself)."""
    t = claw.tool(fn)
    schema = t._model.model_json_schema()
    schema.pop("title", None)
    for prop in schema.get("properties", {}).values():
        prop.pop("title", None)
    return schema


def test_the_common_hints_are_described_exactly_as_pydantic_describes_them():
    def Everything(
        text: str,
        count: int,
        ratio: float,
        flag: bool,
        anything: Any,
        items: list[str],
        bare: list,  # type: ignore[type-arg]
        mapping: dict[str, Any],
        scores: dict[str, int],
        mode: Literal["fast", "slow"],
        nested: list[list[int]] | None,
        ctx: claw.ToolContext,
        maybe: str | None = None,
        older: Optional[int] = 3,  # noqa: UP045 - the spelling is what is tested
        flipped: Union[None, float] = None,  # noqa: UP007, RUF036
        on: bool = True,
        label: str = "x",
        level: Literal["a", "b"] = "a",
    ) -> str:
        """Take every kind of hint.

        :param text: some text.
        :param mode: how.
        :param maybe: perhaps.
        """
        return ""

    tool = claw.tool(Everything)
    assert "_model" not in vars(tool)  # the schema was written without building the model
    assert json.dumps(tool.spec.input_schema) == json.dumps(_pydantic_schema(Everything))


def test_hints_only_pydantic_describes_still_get_its_schema():
    def Odd(where: Path, pair: tuple[int, int] = (1, 2), choice: int | str = 1) -> str:
        """Odd hints and defaults."""
        return ""

    tool = claw.tool(Odd)
    assert tool.spec.input_schema == _pydantic_schema(Odd)
    assert tool.spec.input_schema["properties"]["where"]["format"] == "path"

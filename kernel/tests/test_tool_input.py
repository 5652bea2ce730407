"""Tool input is checked once, by the kernel, with jsonschema: one line per problem, in Claude Code's
``InputValidationError`` wording, for the whole schema (nested items included)."""

from __future__ import annotations

import pytest
from claw._loop.tool_input import input_problem

SCHEMA = {
    "type": "object",
    "properties": {
        "path": {"type": "string"},
        "n": {"type": ["integer", "null"], "minimum": 1},
        "mode": {"type": "string", "enum": ["a", "b"]},
        "items": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "properties": {"old": {"type": "string"}},
                "required": ["old"],
                "additionalProperties": False,
            },
        },
    },
    "required": ["path"],
    "additionalProperties": False,
}


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ({"path": "x"}, None),
        ({"path": "x", "n": None, "items": [{"old": ""}]}, None),
        ([], "the input must be an object"),
        ({}, "the required parameter `path` is missing"),
        ({"path": "x", "extra": 1}, "an unexpected parameter `extra` was provided"),
        ({"path": 3}, "the parameter `path` type is expected as `string` but provided as `integer`"),
        (
            {"path": "x", "n": True},
            "the parameter `n` type is expected as `integer or null` but provided as `boolean`",
        ),
        ({"path": "x", "n": 0}, "the parameter `n` must be at least 1 but provided as `0`"),
        (
            {"path": "x", "mode": "c"},
            'the parameter `mode` must be one of `"a"`, `"b"` but provided as `"c"`',
        ),
        ({"path": "x", "items": []}, "the parameter `items` must have at least 1 items but provided as `[]`"),
        ({"path": "x", "items": [{}]}, "the required parameter `items[0].old` is missing"),
        ({"path": "x", "items": [{"old": "", "x": 1}]}, "an unexpected parameter `items[0].x` was provided"),
        # the shallowest problem first, missing parameters before wrong ones
        ({"n": "x", "extra": 1}, "the required parameter `path` is missing"),
    ],
)
def test_input_problem(value, problem):
    assert input_problem(SCHEMA, value) == problem


def test_a_schema_jsonschema_cannot_use_lets_the_input_through(capsys):
    assert input_problem({"type": "object", "properties": {"x": {"type": "nonsense"}}}, {"x": 1}) is None
    assert "input schema cannot be checked" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("schema", "warning"),
    [
        (
            {"type": "object", "properties": {"y": {"type": "nonsense"}}},
            "'nonsense' is not valid under any of the given schemas (at properties.y.type)",
        ),
        (
            {"type": "object", "properties": {"x": {"minimum": "a"}}},
            "'a' is not of type 'number' (at properties.x.minimum)",
        ),
    ],
)
def test_a_schema_jsonschema_cannot_use_is_one_line_naming_where(capsys, schema, warning):
    """jsonschema's own message spanned five lines (the schema, "While checking instance:", the value),
    or named a TypeError it met while comparing; the warning is one line saying what is wrong where."""
    assert input_problem(schema, {"x": 1, "y": 2}) is None
    assert capsys.readouterr().err == f"claw: warning: a tool's input schema cannot be checked: {warning}\n"

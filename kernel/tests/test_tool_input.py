"""Tool input is checked once, by the kernel, with jsonschema: one line per problem, in Claude Code's
``InputValidationError`` wording, for the whole schema (nested items included)."""

from __future__ import annotations

import pytest
from claw._loop.tool_input import _plainly_valid, input_problem

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


#: Schemas and values where a shortcut could go wrong: a wrong "valid" would let bad input reach a tool.
AWKWARD = [
    ({"type": "integer"}, [1, 1.0, 1.5, True, "1", None]),
    ({"type": "number", "minimum": 0, "maximum": 1}, [0, 1, 0.5, -1, 2, 1.5, True, "0"]),
    ({"type": ["string", "null"], "minLength": 2}, ["ab", "a", "", None, 3, "é"]),
    ({"minLength": 1, "minItems": 1, "minimum": 1}, ["", [], 0, "a", [1], 1, {}, None]),
    ({"enum": ["a", "b"]}, ["a", "c", ["a"], None, 1]),
    ({"enum": "ab"}, ["a", "ab"]),
    ({"enum": [1, True]}, [1, True, 1.0, False]),
    ({"type": "array", "items": {"type": "string"}, "maxItems": 2}, [["a"], ["a", 1], ["a", "b", "c"], []]),
    ({"type": "array", "items": [{"type": "string"}]}, [["a"], [1]]),
    ({"$schema": "http://json-schema.org/draft-04/schema#", "maximum": 1, "exclusiveMaximum": True}, [1, 0]),
    ({"$schema": "http://json-schema.org/draft-03/schema#", "properties": {"a": {"required": True}}}, [{}]),
    ({"$schema": "http://json-schema.org/draft-03/schema#", "type": "any"}, [1]),
    ({"type": "string", "pattern": "^a"}, ["a", "b"]),
    ({"type": "string", "format": "email"}, ["not an email"]),
    ({"anyOf": [{"type": "string"}]}, ["a", 1]),
]
OBJECTS = [
    (SCHEMA, [{"path": "x", "n": 1.0}, {"path": "x", "items": [{"old": 1}]}, {"path": "x", "n": None}]),
    ({"type": "object", "properties": {"a": False}}, [{"a": 1}, {}]),
    ({"type": "object", "additionalProperties": {"type": "string"}}, [{"a": "x"}, {"a": 1}]),
    ({"type": "object", "required": "ab"}, [{"a": 1}, {}]),
    ({"type": "object", "required": [1]}, [{}]),
    (
        {"type": "object", "properties": {"a": {"type": "string"}}, "patternProperties": {"^b": False}},
        [{"b": 1}],
    ),
]


@pytest.mark.parametrize(
    ("schema", "value"),
    [(schema, value) for schema, values in AWKWARD for value in values]
    + [(schema, value) for schema, values in OBJECTS for value in values],
)
def test_the_plain_check_never_passes_what_jsonschema_rejects(schema, value):
    # Input the plain check passes never reaches jsonschema; anything it is unsure of does.
    from jsonschema.validators import validator_for

    if isinstance(value, dict):
        plain = _plainly_valid(schema, value)
    else:  # a sub-schema: checked as the one property of an object
        plain = _plainly_valid({"type": "object", "properties": {"v": schema}}, {"v": value})
    assert not plain or validator_for(schema)(schema).is_valid(value)


@pytest.mark.parametrize(
    "value", [{"path": "x"}, {"path": "x", "n": None, "items": [{"old": ""}]}, {"path": "é" * 9, "n": 3}]
)
def test_common_input_is_passed_without_jsonschema(value):
    assert _plainly_valid(SCHEMA, value)


def test_an_mcp_servers_schema_naming_its_draft_is_passed_without_jsonschema():
    # zod-to-json-schema, behind many MCP servers, writes $schema and additionalProperties: false
    schema = {**SCHEMA, "$schema": "http://json-schema.org/draft-07/schema#"}
    assert _plainly_valid(schema, {"path": "x"})

"""Tool input checked once, by the kernel, against the tool's declared ``input_schema`` with ``jsonschema``
(docs/plugins.md, ``claw_register_tools``, says what is checked and how a problem reads, as Claude Code's
``InputValidationError``). ``jsonschema`` (~100 ms to import, with attrs, referencing and the meta-schemas)
is imported only for input that a plain check cannot pass: a schema using a keyword outside
:data:`_PLAIN`, or input it may reject (then jsonschema finds and words the problem)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from claw import _console as console
from claw._config import key_path

if TYPE_CHECKING:
    from jsonschema.exceptions import ValidationError
    from jsonschema.protocols import Validator

    from claw._tools import Tool

#: JSON type names by Python type, ``bool`` before ``int`` (a subclass of it).
_JSON_TYPES: tuple[tuple[str, type], ...] = (
    ("boolean", bool),
    ("integer", int),
    ("number", float),
    ("string", str),
    ("array", list),
    ("object", dict),
    ("null", type(None)),
)

#: Which of several problems the model hears first: a wrong top-level shape, then missing
#: parameters, then unexpected ones, then the rest in schema order.
_RANK = {"required": 1, "additionalProperties": 2, "type": 3}

#: Wording for the bound keywords, completing "the parameter `x` ...".
_BOUNDS = {
    "minimum": "must be at least {}",
    "maximum": "must be at most {}",
    "exclusiveMinimum": "must be greater than {}",
    "exclusiveMaximum": "must be less than {}",
    "minLength": "must be at least {} characters long",
    "maxLength": "must be at most {} characters long",
    "minItems": "must have at least {} items",
    "maxItems": "must have at most {} items",
}

#: The keywords :func:`_plainly_valid` checks exactly as jsonschema does, and the annotations it may ignore.
_PLAIN = frozenset(
    {
        *("type", "properties", "required", "additionalProperties", "items", "enum"),
        *("minimum", "maximum", "minLength", "maxLength", "minItems", "maxItems"),
        # annotations; ``$schema`` too: the keywords above mean the same in every draft but the 3rd
        *("description", "title", "default", "examples", "format", "$comment", "deprecated", "$schema"),
    }
)

#: The types each bound keyword (after its ``min``/``max``) applies to; jsonschema ignores it for others.
_BOUNDED = {"imum": ("integer", "number"), "Length": ("string",), "Items": ("array",)}

#: id(schema) -> (schema, its validator); the schema is kept so the id stays unique.
_VALIDATORS: dict[int, tuple[dict[str, Any], Validator]] = {}


def validation_error(tool: Tool, value: Any) -> str | None:
    """The ``is_error`` result text for input that breaks ``tool``'s schema, or ``None``."""
    problem = input_problem(tool.spec.input_schema, value)
    if problem is None:
        return None
    return f"InputValidationError: {tool.name} failed due to the following issue: {problem}"


def input_problem(schema: dict[str, Any], value: Any) -> str | None:
    """The first way ``value`` breaks ``schema``, as one line, or ``None`` when it is valid.

    A schema ``jsonschema`` cannot use is reported once on stderr and the input is let through:
    the tool's own checks still apply, and the session is not stopped by a plugin's mistake.
    """
    if not isinstance(value, dict):
        return "the input must be an object"
    if _plainly_valid(schema, value):
        return None
    try:
        errors = list(_validator(schema).iter_errors(value))
    except Exception as exc:  # an invalid schema (unknown type, bad $ref): the tool's fault, not the model's
        console.warn(f"a tool's input schema cannot be checked: {_schema_problem(exc)}")
        return None
    if not errors:
        return None
    first = min(errors, key=lambda e: (len(e.absolute_path), _RANK.get(str(e.validator), 9)))
    return _describe(first)


def _plainly_valid(schema: Any, value: Any) -> bool:
    """Whether ``value`` surely fits ``schema`` by a check of the common keywords (:data:`_PLAIN`), without
    importing jsonschema. ``False`` means "not sure": another keyword, an odd schema, or a value jsonschema
    may reject; never a wrong ``True``."""
    if not isinstance(schema, dict) or not _PLAIN.issuperset(schema) or "-03" in str(schema.get("$schema")):
        return False
    kind, enum, json_type = schema.get("type"), schema.get("enum"), _json_type(value)
    kinds = [kind] if isinstance(kind, str) else kind if isinstance(kind, list) else []
    if kind is not None and json_type not in kinds and not (json_type == "integer" and "number" in kinds):
        return False  # also an integer-valued float against "integer": jsonschema decides
    if enum is not None and not (isinstance(enum, list) and isinstance(value, str) and value in enum):
        return False
    for keyword, bound in schema.items():
        applies = _BOUNDED.get(keyword[3:])  # minimum, maxLength, minItems, ...: each for one JSON type
        if applies is None or json_type not in applies:
            continue
        measure = value if keyword.endswith("imum") else len(value)
        if _json_type(bound) not in ("integer", "number"):
            return False
        if measure < bound if keyword.startswith("min") else measure > bound:
            return False
    if isinstance(value, list) and "items" in schema:
        return all(_plainly_valid(schema["items"], item) for item in value)
    return not isinstance(value, dict) or _object_plainly_valid(schema, value)


def _object_plainly_valid(schema: dict[str, Any], value: dict[str, Any]) -> bool:
    properties, required = schema.get("properties", {}), schema.get("required", [])
    if not isinstance(properties, dict) or not isinstance(required, list):
        return False
    if not all(isinstance(k, str) and k in value for k in required):
        return False
    subs = ((properties.get(k, schema.get("additionalProperties", True)), v) for k, v in value.items())
    return all(sub is True or _plainly_valid(sub, v) for sub, v in subs)


def _validator(schema: dict[str, Any]) -> Validator:
    entry = _VALIDATORS.get(id(schema))
    if entry is not None and entry[0] is schema:
        return entry[1]
    from jsonschema.validators import validator_for

    cls = validator_for(schema)
    cls.check_schema(schema)  # an invalid schema named as such, not by what it later breaks on
    validator = cls(schema)
    _VALIDATORS[id(schema)] = (schema, validator)
    return validator


def _schema_problem(exc: Exception) -> str:
    """One line for a schema ``jsonschema`` cannot use (its own messages span several lines, with the
    schema and the instance)."""
    from jsonschema.exceptions import SchemaError

    if isinstance(exc, SchemaError):
        return f"{exc.message} (at {key_path(exc.absolute_path) or 'its top'})"
    lines = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {lines[0]}" if lines else type(exc).__name__


def _describe(error: ValidationError) -> str:
    where = key_path(error.absolute_path)
    kind = error.validator
    instance = error.instance
    value: Any = error.validator_value  # typed loosely by jsonschema: the keyword's value in the schema
    schema: Any = error.schema
    if kind == "required":
        missing = next((k for k in value if k not in instance), value[0])
        return f"the required parameter `{_join(where, missing)}` is missing"
    if kind == "additionalProperties" and isinstance(instance, dict):
        known = set(schema.get("properties") or {})
        extra = next((k for k in instance if k not in known), "?")
        return f"an unexpected parameter `{_join(where, extra)}` was provided"
    if kind == "type" and where:
        want = value
        wants = " or ".join(want) if isinstance(want, list) else str(want)
        return (
            f"the parameter `{where}` type is expected as `{wants}` but provided as `{_json_type(instance)}`"
        )
    if kind == "enum":
        options = ", ".join(f"`{json.dumps(v)}`" for v in value)
        return f"the parameter `{where}` must be one of {options} but provided as `{json.dumps(instance)}`"
    bound = _BOUNDS.get(str(kind))
    if bound is not None and where:
        return f"the parameter `{where}` {bound.format(value)} but provided as `{json.dumps(instance)}`"
    message = error.message if len(error.message) <= 200 else error.message[:197] + "..."
    return f"the parameter `{where}` is invalid: {message}" if where else message


def _join(where: str, key: str) -> str:
    return f"{where}.{key}" if where else key


def _json_type(value: Any) -> str:
    for name, t in _JSON_TYPES:
        if isinstance(value, t):
            return name
    return type(value).__name__

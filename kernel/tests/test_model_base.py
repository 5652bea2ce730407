"""``claw._model`` adjusts pydantic in claw's process for start-up speed; models behave as pydantic's own:
a ``default_factory=list`` field gets a new list per instance, a factory taking the validated data
still gets it, and validators build and validate as usual."""

from __future__ import annotations

from typing import Any

import pytest
from claw._model import Model
from pydantic import Field, ValidationError
from pydantic._internal import _fields


class Box(Model):
    size: int
    items: list[str] = Field(default_factory=list)
    tags: dict[str, str] = Field(default_factory=dict)
    # A factory that takes the data validated so far (pydantic >= 2.10).
    label: str = Field(default_factory=lambda data: f"box of {data['size']}")


def test_builtin_factories_give_a_new_container_per_instance():
    a, b = Box(size=1), Box(size=2)
    a.items.append("x")
    a.tags["k"] = "v"
    assert (b.items, b.tags) == ([], {})


def test_a_factory_taking_the_validated_data_still_gets_it():
    assert Box(size=3).label == "box of 3"


def test_validation_errors_are_unchanged():
    with pytest.raises(ValidationError, match="size"):
        Box.model_validate({"items": []})


def test_only_the_builtin_containers_skip_the_signature_check():
    asked = _fields.takes_validated_data_argument

    def one_arg(data: Any) -> str:
        return ""

    assert [asked(f) for f in (list, dict, set, frozenset, tuple)] == [False] * 5
    assert asked(one_arg) is True and asked(lambda: []) is False

"""The permission-classifier contract.

A classifier gives a verdict on a tool call that no rule decided: the ``auto`` permission mode asks
the registered classifiers in order. claw-permissions registers the rule-based one; ``claw-classifier-llm``
adds a model-backed one. A classifier that cannot decide returns ``None``; one that fails must
answer ``ask``, never ``allow``."""

from __future__ import annotations

import abc
from typing import Any, ClassVar, Literal

from pydantic import Field

from claw._model import Model
from claw._tools import Access


class PermissionRequest(Model):
    """A tool call awaiting a permission decision."""

    tool_name: str
    tool_input: dict[str, Any]
    read_only: bool = False
    accesses: list[Access] = Field(default_factory=list)
    workspace: str
    mode: str
    #: The effective settings (plugin keys included), for classifiers configured there. Not
    #: serialized.
    settings: dict[str, Any] = Field(default_factory=dict, exclude=True)
    #: Opens a model by ``provider/model`` address, returning ``(provider, model_id)``; ``None``
    #: when the engine has no opener (then a model-backed classifier must answer ``ask``).
    open_model: Any = Field(default=None, exclude=True)


class Verdict(Model):
    decision: Literal["allow", "deny", "ask"]
    reason: str = ""
    #: Who decided: a rule with its file, a mode, a classifier or a hook; shown by ``permissions explain``.
    source: str = ""
    #: Set when whoever approved the call rewrote its input (a permission prompt tool's
    #: ``updatedInput``): the call runs with this instead.
    updated_input: dict[str, Any] | None = None


class Classifier(abc.ABC):
    """Decides on tool calls in ``auto`` mode."""

    #: Used in ``settings permissions.classifiers`` and in explanations.
    name: ClassVar[str]

    @abc.abstractmethod
    async def classify(self, request: PermissionRequest) -> Verdict | None:
        """Return a verdict, or ``None`` to leave it to the next classifier."""

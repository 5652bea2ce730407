"""claw-classifier-llm: a permission classifier for the ``auto`` mode that asks a small model.

Entry-point module: imports only ``claw``; the classifier loads when registered.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import claw

CLAW_API = ">=1.0,<2"


@claw.hookimpl
def claw_register_classifiers(register: Callable[[Any], None]) -> None:
    from claw_classifier_llm.classifier import LLMClassifier

    register(LLMClassifier())


@claw.hookimpl
def claw_register_settings(register: Callable[..., None]) -> None:
    from claw_classifier_llm.config import SETTINGS_KEY, ClassifierLlmSettings

    register(SETTINGS_KEY, ClassifierLlmSettings, "the llm permission classifier: model, cache and timeout")

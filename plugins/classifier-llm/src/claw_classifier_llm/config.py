"""Settings of the llm classifier, under the ``classifierLlm`` settings key::

{"classifierLlm": {"model": "anthropic/claude-haiku-4-5", "cacheTtlSeconds": 3600,
                   "cacheSize": 1024, "timeoutSeconds": 20}}
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

SETTINGS_KEY = "classifierLlm"


class ClassifierLlmSettings(BaseModel):
    # defer_build: the validator is built when settings are first checked, not on every start-up.
    model_config = ConfigDict(extra="forbid", defer_build=True)

    #: ``provider/model`` of the small model; unset means the classifier abstains.
    model: str | None = None
    #: How long a decision is reused for an identical call.
    cacheTtlSeconds: float = Field(default=3600.0, ge=0)
    #: Decisions kept; the oldest is dropped first.
    cacheSize: int = Field(default=1024, ge=0)
    #: The whole model call, in seconds; a slower answer means "ask".
    timeoutSeconds: float = Field(default=20.0, gt=0)
    maxTokens: int = Field(default=256, gt=0)

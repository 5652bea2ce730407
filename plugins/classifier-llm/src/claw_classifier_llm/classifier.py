"""The model-backed classifier. Fails closed: no model answer, a timeout, an error or an answer
that is not exactly one clear JSON verdict means "ask", never "allow"."""

from __future__ import annotations

import asyncio
import hashlib
import json
from typing import Any

from claw import Classifier, Message, ModelRequest, PermissionRequest, ResponseComplete, TextBlock, Verdict

from claw_classifier_llm.cache import TTLCache
from claw_classifier_llm.config import SETTINGS_KEY, ClassifierLlmSettings
from claw_classifier_llm.prompt import SYSTEM, parse_answer, user_prompt


class LLMClassifier(Classifier):
    """Asks the model configured under ``classifierLlm.model``; abstains (``None``) when none is."""

    name = "llm"

    def __init__(self) -> None:
        self._cache: TTLCache[Verdict] | None = None

    def _config(self, request: PermissionRequest) -> ClassifierLlmSettings:
        return ClassifierLlmSettings.model_validate(request.settings.get(SETTINGS_KEY) or {})

    def cache_for(self, cfg: ClassifierLlmSettings) -> TTLCache[Verdict]:
        if self._cache is None or (self._cache.max_entries, self._cache.ttl) != (
            cfg.cacheSize,
            cfg.cacheTtlSeconds,
        ):
            self._cache = TTLCache(cfg.cacheSize, cfg.cacheTtlSeconds)
        return self._cache

    async def classify(self, request: PermissionRequest) -> Verdict | None:
        try:
            cfg = self._config(request)
        except Exception as exc:
            return _ask(f"its settings are invalid ({exc})")
        if not cfg.model:
            return None
        cache = self.cache_for(cfg)
        key = _key(request, cfg.model)
        hit = cache.get(key)
        if hit is not None:
            return hit
        if request.open_model is None:
            return _ask("no model can be opened in this run")
        try:
            text = await asyncio.wait_for(self._ask_model(request, cfg), cfg.timeoutSeconds)
        except TimeoutError:
            return _ask(f"the model did not answer within {cfg.timeoutSeconds:g}s")
        except Exception as exc:
            return _ask(f"the model call failed ({type(exc).__name__}: {exc})")
        parsed = parse_answer(text)
        if parsed is None:
            return _ask("the model's answer was not a clear verdict")
        decision, reason = parsed
        verdict = Verdict(
            decision=decision,
            reason=reason or f"{cfg.model} said {decision}",
            source=f"classifier llm ({cfg.model})",
        )
        cache.put(key, verdict)
        return verdict

    async def _ask_model(self, request: PermissionRequest, cfg: ClassifierLlmSettings) -> str:
        provider, model_id = request.open_model(cfg.model)
        try:
            model_request = ModelRequest(
                model=model_id,
                system=[TextBlock(text=SYSTEM)],
                messages=[Message.user(user_prompt(request))],
                max_tokens=cfg.maxTokens,
                temperature=0,
                cache=False,
            )
            async for event in provider.stream(model_request):
                if isinstance(event, ResponseComplete):
                    return event.response.to_message().text
            raise RuntimeError("the stream ended without a response")
        finally:
            await provider.aclose()


def _key(request: PermissionRequest, model: str) -> str:
    data: dict[str, Any] = {
        "model": model,
        "tool": request.tool_name,
        "input": request.tool_input,
        "accesses": [a.model_dump(exclude_none=True) for a in request.accesses],
        "workspace": request.workspace,
        "mode": request.mode,
    }
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()


def _ask(why: str) -> Verdict:
    return Verdict(
        decision="ask", reason=f"the llm classifier could not decide: {why}", source="classifier llm"
    )

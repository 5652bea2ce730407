"""The command hooks of a run, read from every settings layer with the file each came from, and the
embedder's callbacks (:class:`claw.CallbackHook`) in the same shape."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import claw
from claw import CallbackHook, HookCallback

from claw_hooks.matchers import compile_matcher

#: Claude Code's default timeout for command hooks, in seconds.
DEFAULT_TIMEOUT = 600.0


@dataclass
class ConfiguredHook:
    """One command hook from settings, or a callback an embedder registered (``command`` is then
    its label, unique per callback)."""

    event: str
    matcher: str
    command: str
    timeout: float
    #: The settings file (layer label) it came from.
    source: str
    #: Claude Code's ``if`` filter: a permission rule the tool call must match.
    condition: str | None = None
    #: Settings ``"sandbox": true``: run confined by the session's sandbox.
    sandboxed: bool = False
    #: Settings ``env``: added to the command's environment (a Claude Code plugin's folder and data).
    env: dict[str, str] = field(default_factory=dict)
    test: Callable[[str | None], bool] = field(repr=False, compare=False, default=lambda s: True)
    #: Run by calling this instead of a shell; its answer is read as the command's JSON output.
    callback: HookCallback | None = field(repr=False, compare=False, default=None)
    #: A callback that fails (raises, times out) blocks like exit code 2 (the SDK's ``onFailure: block``).
    blocks_on_failure: bool = False

    @property
    def identity(self) -> tuple[str, str]:
        """What makes two hooks the same command: the command line and its environment."""
        return self.command, json.dumps(self.env, sort_keys=True)


#: The settings files claw finds on its own: bare mode (``claw.bare``) leaves out their hooks.
DISCOVERED_SCOPES = frozenset({"user", "project", "local"})


def effective_hooks(settings: Any, *, bare: bool = False, safe: bool = False) -> list[ConfiguredHook]:
    """Every command hook, in layer order (lowest precedence first); an identical hook (same
    event, matcher, command and environment) from a later file is listed once, with its first file.
    ``bare`` (``--bare``) leaves out the user, project and local files' hooks: those of ``--settings``,
    managed settings and ``--plugin-dir`` folders are given explicitly (or by policy) and still run.
    ``safe`` (``--safe-mode``) keeps only the managed settings' hooks (policy), as Claude Code's does.
    ``disableAllHooks`` (:func:`disabled_by`) leaves out every hook, or all but the managed ones."""
    out: list[ConfiguredHook] = []
    seen: set[tuple[str, str, str | None, str, str]] = set()
    layers = getattr(settings, "layers", []) or []
    disabled = disabled_by(layers)
    for layer in layers:
        if (bare and layer.scope in DISCOVERED_SCOPES) or (safe and layer.scope != "managed"):
            continue
        if disabled is not None and (disabled.scope == "managed" or layer.scope != "managed"):
            continue
        hooks = layer.data.get("hooks") or {}
        if not isinstance(hooks, dict):
            continue
        for event, matchers in hooks.items():
            for entry in matchers or []:
                matcher = entry.get("matcher") or ""
                for hook in entry.get("hooks") or []:
                    timeout = hook.get("timeout")
                    configured = ConfiguredHook(
                        event=event,
                        matcher=matcher,
                        command=hook.get("command", ""),
                        timeout=float(timeout) if timeout else DEFAULT_TIMEOUT,
                        source=layer.label,
                        condition=hook.get("if"),
                        sandboxed=bool(hook.get("sandbox")),
                        env=dict(hook.get("env") or {}),
                        test=compile_matcher(matcher),
                    )
                    key = (event, matcher, configured.condition, *configured.identity)
                    if key not in seen:
                        seen.add(key)
                        out.append(configured)
    return out


def disabled_by(layers: list[Any]) -> Any:
    """The settings layer whose ``disableAllHooks: true`` is in effect, or ``None``. As in Claude Code, the
    managed file's switch turns off every hook; the other files' (the last one setting the key wins)
    cannot turn off the managed hooks."""
    managed = [layer for layer in layers if layer.scope == "managed" and "disableAllHooks" in layer.data]
    if managed and managed[-1].data["disableAllHooks"] is True:
        return managed[-1]
    others = [layer for layer in layers if layer.scope != "managed" and "disableAllHooks" in layer.data]
    return others[-1] if others and others[-1].data["disableAllHooks"] is True else None


def callback_hooks(callbacks: list[CallbackHook]) -> list[ConfiguredHook]:
    """The embedder's callbacks as hooks; one whose matcher is a regular expression that does not
    compile matches nothing (said once)."""
    out: list[ConfiguredHook] = []
    for cb in callbacks:
        try:
            test = compile_matcher(cb.matcher)
        except re.error as exc:
            claw.warn(f"{cb.source} hook {cb.label}: invalid matcher {cb.matcher!r} ({exc}); never runs")
            continue
        out.append(
            ConfiguredHook(
                event=cb.event,
                matcher=cb.matcher,
                command=cb.label,
                timeout=cb.timeout,
                source=cb.source,
                test=test,
                callback=cb.callback,
                blocks_on_failure=cb.blocks_on_failure,
            )
        )
    return out

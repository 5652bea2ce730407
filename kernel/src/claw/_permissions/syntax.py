"""Claude Code's permission rule syntax, ``Tool`` or ``Tool(specifier)``: the kernel checks it where
settings carry rules (a hook's ``if``); what a specifier matches is the permission policy's business."""

from __future__ import annotations


class RuleError(ValueError):
    """A rule that cannot be parsed."""


def split_rule(text: str) -> tuple[str, str | None]:
    """``"Bash(npm test)"`` -> ``("Bash", "npm test")``; ``"Read"`` -> ``("Read", None)``."""
    text = text.strip()
    if not text:
        raise RuleError("empty rule")
    open_at = text.find("(")
    if open_at < 0:
        if ")" in text:
            raise RuleError(f"unbalanced parenthesis in rule {text!r}")
        return text, None
    if not text.endswith(")"):
        raise RuleError(f"rule {text!r} must end with ')'")
    tool = text[:open_at].strip()
    if not tool:
        raise RuleError(f"rule {text!r} names no tool")
    spec = text[open_at + 1 : -1].replace("\\(", "(").replace("\\)", ")").strip()
    return tool, spec

"""``ToolSearch``: find tools offered in this session by name or description."""

from __future__ import annotations

import re
from typing import Any

import claw


def _words(text: str) -> list[str]:
    """Lower-case words, with CamelCase and snake_case split (``NotebookEdit`` -> notebook, edit)."""
    text = re.sub(r"([a-z])([A-Z])", r"\1 \2", text)
    return [w for w in re.split(r"[^A-Za-z0-9]+", text.lower()) if w]


def score(spec: claw.ToolSpec, query: str) -> float:
    """Exact name beats name words beats description words; every query word counts."""
    q = query.strip().lower()
    names = [spec.name.lower(), *(a.lower() for a in spec.aliases)]
    if q in names:
        return 1000.0
    name_words = set(_words(" ".join([spec.name, *spec.aliases])))
    desc_words = _words(spec.description)
    total = 0.0
    for word in _words(query):
        if word in name_words:
            total += 10
        elif any(n.startswith(word) or word in n for n in name_words):
            total += 6
        hits = sum(1 for d in desc_words if d == word or (len(word) > 3 and d.startswith(word)))
        total += min(hits, 3) * 2
    return total


class ToolSearchTool(claw.Tool):
    spec = claw.ToolSpec(
        name="ToolSearch",
        description=(
            'Find tools available in this session by what they do ("edit notebook", "web") or by name. '
            'Use "select:Name1,Name2" to get specific tools. Returns names, descriptions and input schemas.'
        ),
        input_schema={
            "type": "object",
            "properties": {
                "query": {"type": "string", "description": "Words describing the tool, or select:<names>."},
                "max_results": {
                    "type": "number",
                    "minimum": 1,
                    "default": 5,
                    "description": "How many tools to return.",
                },
            },
            "required": ["query", "max_results"],
            "additionalProperties": False,
        },
        read_only=True,
    )

    async def run(self, input: dict[str, Any], ctx: claw.ToolContext) -> claw.ToolResult:
        query, limit = input["query"], input.get("max_results") or 5
        if not query.strip():
            raise claw.ToolError("query must not be blank")
        specs: list[claw.ToolSpec] = list(getattr(ctx.session, "available_tools", None) or [])
        if query.startswith("select:"):
            wanted = [n.strip() for n in query[len("select:") :].split(",") if n.strip()]
            by_name = {s.name: s for s in specs}
            found = [by_name[n] for n in wanted if n in by_name]
            missing = [n for n in wanted if n not in by_name]
        else:
            ranked = sorted(((score(s, query), s.name, s) for s in specs), key=lambda t: (-t[0], t[1]))
            found = [s for sc, _, s in ranked if sc > 0][: int(limit)]
            missing = []
        if not found:
            return claw.ToolResult(content=f"No tools match {query!r}.", data={"matches": []})
        blocks = [f"{s.name}: {s.description}\ninput_schema: {_schema(s)}" for s in found]
        if missing:
            blocks.append(f"(not available: {', '.join(missing)})")
        return claw.ToolResult(content="\n\n".join(blocks), data={"matches": [s.name for s in found]})


def _schema(spec: claw.ToolSpec) -> str:
    import json

    return json.dumps(spec.input_schema, separators=(",", ":"))

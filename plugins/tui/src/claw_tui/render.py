"""The one renderer: session content as Rich renderables, for the TUI's transcript view and for
``claw timeline`` (pretty), so both look the same.

Everything the model or a tool produced goes through :func:`clean` first: escape sequences and other
control characters are dropped, so nothing the model streams can drive the terminal (move the cursor,
retitle the window, switch the screen). Text is handed to Rich as :class:`~rich.text.Text` or Markdown,
never as console markup, so ``[bold]`` in an answer stays literal.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Iterator, Mapping
from typing import Any

import claw
from rich.console import Group, RenderableType
from rich.text import Text

#: A whole escape sequence (CSI, OSC, DCS/APC/PM/SOS strings, two-byte ESC x), then any single C0
#: control but tab and newline, DEL, and the C1 range (``\x9b`` is a one-byte CSI).
_ESCAPES = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"  # CSI
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"  # OSC, ended by BEL or ST
    r"|\x1b[PX^_][^\x1b]*(?:\x1b\\)?"  # DCS, SOS, PM, APC
    r"|\x1b[@-Z\\-_]"  # two-byte sequences
    r"|[\x00-\x08\x0b-\x1f\x7f-\x9f]"
)

#: The tool input key shown on a tool call's one-line summary, by tool (the first one present).
_KEY_ARGS = ("file_path", "command", "pattern", "path", "url", "query", "description", "prompt")

#: Code block theme per UI theme (Pygments styles that ship with Pygments).
CODE_THEMES = {"dark": "monokai", "light": "default", "high-contrast": "bw"}


def clean(text: str) -> str:
    """``text`` without escape sequences and control characters (tab and newline stay)."""
    return _ESCAPES.sub("", text.replace("\r\n", "\n"))


def markdown(text: str, theme: str = "dark") -> RenderableType:
    """An answer's Markdown: headings, lists, tables, links, code blocks highlighted. (The Markdown parser
    loads with the first answer, not before the first frame.)"""
    from rich.markdown import Markdown

    return Markdown(clean(text), code_theme=CODE_THEMES.get(theme, "monokai"), hyperlinks=True)


def thinking(text: str) -> Text:
    """The model's thinking: dimmed, set apart from the answer."""
    return Text(clean(text), style="dim italic")


def key_argument(tool_input: Mapping[str, Any]) -> str:
    """The argument that says what a tool call is about (its file, command, pattern), one line."""
    for key in _KEY_ARGS:
        value = tool_input.get(key)
        if isinstance(value, str) and value:
            return _one_line(value, 80)
    first = next((v for v in tool_input.values() if isinstance(v, str) and v), None)
    if first is not None:
        return _one_line(first, 80)
    return _one_line(json.dumps(dict(tool_input), ensure_ascii=False), 80) if tool_input else ""


def tool_line(name: str, tool_input: Mapping[str, Any], status: str, seconds: float | None = None) -> Text:
    """A tool call as one compact line: ``● Bash(pytest -q)  ok  1.2s``.

    :param status: ``running``, ``ok``, ``error``, ``denied`` or ``interrupted``.
    """
    colours = {"running": "yellow", "ok": "green", "error": "red", "denied": "red", "interrupted": "red"}
    line = Text()
    line.append("● ", style=colours.get(status, "white"))
    line.append(clean(name), style="bold")
    argument = key_argument(tool_input)
    if argument:
        line.append(f"({clean(argument)})")
    line.append(f"  {status}", style=colours.get(status, ""))
    if seconds is not None:
        line.append(f"  {seconds:.1f}s", style="dim")
    return line


def tool_detail(name: str, tool_input: Mapping[str, Any], output: str | None) -> RenderableType:
    """What an expanded tool call shows: its diff (Edit, MultiEdit, Write) or its input, then its output."""
    from rich.syntax import Syntax  # Pygments: loaded with the first expanded call

    parts: list[RenderableType] = []
    change = diff(name, tool_input)
    if change is not None:
        parts.append(change)
    else:
        shown = clean(json.dumps(dict(tool_input), indent=2, ensure_ascii=False))
        parts.append(Syntax(shown, "json", word_wrap=True, background_color="default"))
    if output:
        parts.append(Text(clean(output), style="dim"))
    return Group(*parts)


def diff(name: str, tool_input: Mapping[str, Any]) -> RenderableType | None:
    """An Edit, MultiEdit or Write call as a coloured unified diff; ``None`` for other tools."""
    path = str(tool_input.get("file_path") or "")
    if name == "Write":
        old, new = "", str(tool_input.get("content") or "")
    elif name == "Edit":
        old, new = str(tool_input.get("old_string") or ""), str(tool_input.get("new_string") or "")
    elif name == "MultiEdit":
        edits = [e for e in tool_input.get("edits") or [] if isinstance(e, dict)]
        old = "\n".join(str(e.get("old_string") or "") for e in edits)
        new = "\n".join(str(e.get("new_string") or "") for e in edits)
    else:
        return None
    lines = difflib.unified_diff(
        old.splitlines(), new.splitlines(), f"a/{path}", f"b/{path}", lineterm="", n=2
    )
    text = Text()
    for line in lines:
        style = (
            "green"
            if line.startswith("+")
            else "red"
            if line.startswith("-")
            else "cyan"
            if line.startswith("@@")
            else ""
        )
        text.append(clean(line) + "\n", style=style)
    return text


def tool_result_text(content: Any) -> str:
    """A tool result's content (a string or blocks) as text; images become ``[image]``."""
    if isinstance(content, str):
        return content
    parts = []
    for block in content or []:
        if isinstance(block, Mapping):
            parts.append(
                str(block.get("text", "")) if block.get("type") == "text" else f"[{block.get('type')}]"
            )
        else:
            parts.append(str(getattr(block, "text", "") or f"[{getattr(block, 'type', 'block')}]"))
    return "\n".join(parts)


def _one_line(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


# -- a session's events (the session file), for the transcript and ``claw timeline`` -------------


def transcript(events: list[dict[str, Any]], theme: str = "dark") -> Iterator[RenderableType]:
    """Renderables for a session's events, in order: prompts, answers, thinking, tool calls with their
    results (matched by id), and one dim line for each other event (retries, compactions, permissions)."""
    results: dict[str, tuple[str, bool]] = {}
    for event in events:
        for block in _blocks(event) if event.get("type") == "user" else []:
            if block.get("type") == "tool_result":
                results[str(block.get("tool_use_id"))] = (
                    tool_result_text(block.get("content")),
                    bool(block.get("is_error")),
                )
    for event in events:
        kind = event.get("type")
        if kind == "user":
            texts = [str(b.get("text", "")) for b in _blocks(event) if b.get("type") == "text"]
            said = "".join(t for t in texts if not claw.TaskNotification.find(t))
            if said.strip():
                yield prompt(said)
            for text in texts:
                yield from notices(text)
        elif kind == "assistant":
            for block in _blocks(event):
                yield from _assistant_block(block, results, theme)
        elif kind not in ("session_start", "session_end"):
            yield _event_line(event)


def prompt(text: str) -> Text:
    """A prompt the person sent."""
    line = Text("> ", style="bold cyan")
    line.append(clean(text))
    return line


def notices(text: str) -> list[Text]:
    """One line per ``<task-notification>`` in ``text`` (a notice the loop told the model, which the
    session keeps as user content): its summary, not the markup, which no person typed."""
    return [notice(told.summary.strip()) for told in claw.TaskNotification.find(text)]


def notice(summary: str) -> Text:
    """Background work that ended and was told to the model."""
    line = Text("⚑ ", style="bold yellow")
    line.append(_one_line(clean(summary), 200), style="yellow")
    return line


def _assistant_block(
    block: Mapping[str, Any], results: Mapping[str, tuple[str, bool]], theme: str
) -> Iterator[RenderableType]:
    kind = block.get("type")
    if kind == "text" and str(block.get("text", "")).strip():
        yield markdown(str(block["text"]), theme)
    elif kind == "thinking":
        yield thinking(str(block.get("thinking", "")))
    elif kind == "tool_use":
        output, failed = results.get(str(block.get("id")), ("", False))
        tool_input = block.get("input") if isinstance(block.get("input"), Mapping) else {}
        status = "error" if failed else "ok" if str(block.get("id")) in results else "interrupted"
        yield tool_line(str(block.get("name")), tool_input, status)  # type: ignore[arg-type]
        change = diff(str(block.get("name")), tool_input)  # type: ignore[arg-type]
        if change is not None:
            yield change
        if failed and output:
            yield Text("  " + _one_line(clean(output), 200), style="red")


def _event_line(event: Mapping[str, Any]) -> Text:
    """Any other event (retry, compaction, permission, hook run) as one dim line of its fields."""
    details = {k: v for k, v in event.items() if k not in ("type", "ts", "messages", "message", "summary")}
    return Text(
        f"· {event.get('type')}: {clean(_one_line(json.dumps(details, ensure_ascii=False), 160))}",
        style="dim",
    )


def _blocks(event: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    message = event.get("message")
    content = message.get("content") if isinstance(message, Mapping) else None
    if isinstance(content, str):
        return [{"type": "text", "text": content}]
    return [b for b in content or [] if isinstance(b, Mapping)]

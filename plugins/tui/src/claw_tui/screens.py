"""Dialogs: permission requests, the folder's trust, AskUser questions, the session picker and history search.

Each is a modal screen dismissed with its answer; the session waits on it through a future.
"""

from __future__ import annotations

import json
from typing import Any

import claw
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, OptionList, Select, Static
from textual.widgets.option_list import Option

from claw_tui import render

DIALOG_CSS = """
ModalScreen { align: center middle; }
ModalScreen > Vertical { width: 90%; max-width: 110; height: auto; max-height: 90%;
    border: thick $accent; background: $surface; padding: 0 1; }
ModalScreen Horizontal { height: auto; }
ModalScreen Button { margin: 0 1 0 0; width: auto; }
ModalScreen #input { max-height: 12; overflow: auto; }
"""

#: Where "allow always" saves the rule: Claude Code's ``destination`` names and what they mean here.
DESTINATIONS = [
    ("this project, only me (.claw/settings.local.json)", "localSettings"),
    ("this project, shared (.claw/settings.json)", "projectSettings"),
    ("all my projects (~/.config/claw/settings.json)", "userSettings"),
]


class PermissionDialog(ModalScreen[Any]):
    """Allow once, allow always (saving the rule to the chosen settings file), or deny with a reason."""

    DEFAULT_CSS = DIALOG_CSS
    BINDINGS = [
        Binding("y", "once", "allow once"),
        Binding("a", "always", "allow always"),
        Binding("n", "deny", "deny"),
        Binding("escape", "escape", "deny"),
    ]

    def __init__(self, question: Any) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        q = self.question
        with Vertical():
            yield Label(Text(f"claw wants to use {render.clean(q.tool_name)}", style="bold"))
            if q.reason:
                yield Label(Text(render.clean(q.reason), style="dim"))
            yield Static(self._detail(), id="input")
            with Horizontal():
                yield Button("Allow once (y)", id="once", variant="success")
                yield Button("Allow always (a)", id="always", variant="primary")
                yield Button("Deny (n)", id="deny", variant="error")
            yield Select(DESTINATIONS, value="localSettings", allow_blank=False, id="destination")
            yield Input(placeholder="reason for denying (told to the model; optional)", id="reason")

    def _detail(self) -> Any:
        change = render.diff(self.question.tool_name, self.question.tool_input)
        if change is not None:
            return change
        return Text(render.clean(json.dumps(dict(self.question.tool_input), indent=2, ensure_ascii=False)))

    def on_mount(self) -> None:
        self.query_one("#once", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        getattr(self, f"action_{event.button.id}")()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.action_deny()

    def action_once(self) -> None:
        self.dismiss(claw.PermissionAnswer("allow", scope="once"))

    def action_always(self) -> None:
        destination = self.query_one("#destination", Select).value
        self.dismiss(claw.PermissionAnswer("allow", scope="always", destination=str(destination)))

    def action_deny(self) -> None:
        reason = self.query_one("#reason", Input).value.strip()
        self.dismiss(claw.PermissionAnswer("deny", message=reason or "denied by the user"))

    def action_escape(self) -> None:
        self.action_deny()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The letter keys answer only while the reason field is not being typed in."""
        return not (action in ("once", "always", "deny") and isinstance(self.focused, Input))


class TrustDialog(ModalScreen[str]):
    """The folder's trust (``claw_trust_dialog``), as the line REPL asks it: trust always (remembered), once
    (this run), or continue untrusted without what needs trust; Esc continues untrusted."""

    DEFAULT_CSS = DIALOG_CSS
    BINDINGS = [
        Binding("a", "answer('always')", "trust always"),
        Binding("o", "answer('once')", "trust once"),
        Binding("n", "answer('untrusted')", "continue untrusted"),
        Binding("escape", "answer('untrusted')", "continue untrusted"),
    ]

    def __init__(self, folder: Any, items: list[str]) -> None:
        super().__init__()
        self.folder = folder
        self.items = items

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Text("Do you trust the files in this folder?", style="bold"))
            yield Label(Text(render.clean(str(self.folder))))
            yield Label(Text("Trusting it lets what it brings run code or reach the network:", style="dim"))
            yield Static(Text("\n".join(f"- {render.clean(item)}" for item in self.items)), id="input")
            with Horizontal():
                yield Button("Trust always (a)", id="always", variant="primary")
                yield Button("Trust once (o)", id="once", variant="success")
                yield Button("Continue untrusted (n)", id="untrusted", variant="error")

    def on_mount(self) -> None:
        self.query_one("#untrusted", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.action_answer(str(event.button.id))

    def action_answer(self, answer: str) -> None:
        self.dismiss(answer)


class AskDialog(ModalScreen[str | None]):
    """A tool's question (AskUser): pick one of its options or type an answer; Esc answers nothing."""

    DEFAULT_CSS = DIALOG_CSS
    BINDINGS = [Binding("escape", "cancel", "no answer")]

    def __init__(self, question: str, options: list[str] | None) -> None:
        super().__init__()
        self.question = question
        self.options = options or []

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Text(render.clean(self.question), style="bold"))
            if self.options:
                yield OptionList(
                    *[Option(Text(render.clean(o)), id=str(i)) for i, o in enumerate(self.options)]
                )
            yield Input(placeholder="type an answer and press Enter", id="answer")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.options[int(event.option.id or 0)])

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        self.dismiss(None)


class Picker(ModalScreen[str | None]):
    """Pick one of a list (sessions to resume, earlier prompts): type to filter, Enter picks, Esc cancels.

    :param items: ``(value, label)`` pairs, best first.
    """

    DEFAULT_CSS = DIALOG_CSS
    BINDINGS = [Binding("escape", "cancel", "cancel")]

    def __init__(self, title: str, items: list[tuple[str, str]], empty: str) -> None:
        super().__init__()
        self.title_text = title
        self.items = items
        self.empty = empty

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Text(self.title_text, style="bold"))
            yield Input(placeholder="type to filter", id="filter")
            yield OptionList(id="choices")

    def on_mount(self) -> None:
        self._fill("")
        self.query_one("#filter", Input).focus()

    def _fill(self, text: str) -> None:
        choices = self.query_one("#choices", OptionList)
        choices.clear_options()
        shown = [(v, label) for v, label in self.items if text.lower() in label.lower()]
        for value, label in shown[:200]:
            choices.add_option(Option(Text(render.clean(label)), id=value))
        if not shown:
            choices.add_option(Option(Text(self.empty, style="dim"), disabled=True))
        else:
            choices.highlighted = 0

    def on_input_changed(self, event: Input.Changed) -> None:
        self._fill(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        choices = self.query_one("#choices", OptionList)
        if choices.highlighted is not None:
            option = choices.get_option_at_index(choices.highlighted)
            if not option.disabled:
                self.dismiss(option.id)

    def on_key(self, event: Any) -> None:
        if event.key in ("up", "down"):
            choices = self.query_one("#choices", OptionList)
            (choices.action_cursor_up if event.key == "up" else choices.action_cursor_down)()
            event.stop()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)


def session_items(sessions: list[Any]) -> list[tuple[str, str]]:
    """The session store's ``list()`` rows as picker items: path, and a label with when, turns and the
    session's name (``-n``, ``/rename``), else its first prompt, as Claude Code's picker shows it."""
    return [
        (
            str(s.path),
            f"{(s.updated or s.started or '')[:16].replace('T', ' ')}  {s.num_turns:>3} turns  {s.name or s.title or s.session_id}",
        )
        for s in sessions
    ]

"""The full-screen UI: a Textual app that runs one agent loop (``CommandContext.agent_loop``) on its own
event loop.

The agent loop reports to :class:`claw_tui.reporting.TuiRenderer`, which turns stream events into widgets; permission
questions and AskUser questions open dialogs and the turn waits on them. Esc stops the turn through
``AgentLoop.interrupt`` (the kernel answers unanswered tool calls and records the interruption, so the
session stays resumable); Shift-Tab cycles permission modes as Claude Code does.
"""

from __future__ import annotations

import asyncio
import dataclasses
import io
import os
import re
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, ClassVar

import claw
from rich.text import Text
from textual import events
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.theme import Theme
from textual.widgets import Static

from claw_tui import render
from claw_tui.history import History
from claw_tui.screens import AskDialog, PermissionDialog, Picker, TrustDialog, session_items
from claw_tui.widgets import Note, Prompt, ToolCall

#: Smallest usable terminal; below it the UI says so instead of drawing a broken layout.
MIN_WIDTH, MIN_HEIGHT = 40, 10

#: UI theme -> Textual theme.
THEMES = {"dark": "textual-dark", "light": "textual-light", "high-contrast": "claw-high-contrast"}

HIGH_CONTRAST = Theme(
    name="claw-high-contrast",
    primary="#ffff00",
    secondary="#00ffff",
    accent="#ffffff",
    foreground="#ffffff",
    background="#000000",
    surface="#000000",
    panel="#000000",
    success="#00ff00",
    warning="#ffff00",
    error="#ff5555",
    dark=True,
)

#: Shift-Tab's cycle, in claw's names (Claude Code's: default, acceptEdits, plan).
MODE_CYCLE = ("prompt", "workspace-write", "read-only")
MODE_LABELS = {"prompt": "default", "workspace-write": "accept edits", "read-only": "plan"}

#: Commands the UI itself answers, beside the built-in slash commands and the session's commands.
TUI_COMMANDS = {
    "resume": "pick a session of this project to continue",
    "model": "show the model, or switch: /model MODEL",
    "theme": "switch theme: /theme dark|light|high-contrast",
    "clear": "start a new session (the conversation so far stays in its file)",
}

LOGO = r"""  ___| | __ ___      __
 / __| |/ _` \ \ /\ / /
| (__| | (_| |\ V  V /
 \___|_|\__,_| \_/\_/"""

WELCOME = (
    f"claw {claw.VERSION}: /help for commands, @ and Tab for paths, ! for a shell command.\n"
    "Esc stops a turn, Shift-Tab switches permission mode, Ctrl-R searches history, Ctrl-D exits."
)

#: Output kept of a ``!`` shell command.
SHELL_OUTPUT_LIMIT = 200_000

#: How often the status line counts the session's background work, and the idle UI looks for news of it
#: (:meth:`ClawTui.wake`).
BACKGROUND_POLL_SECONDS = 1.0

#: The UI on screen in this process, which answers ``claw_trust_dialog`` (:func:`asking_trust`).
RUNNING: list[ClawTui] = []


class ClawTui(App[int]):
    """``claw`` on a terminal: conversation, prompt, status line."""

    TITLE = "claw"
    CSS = """
    Screen { layout: vertical; }
    #conversation { height: 1fr; padding: 0 1; }
    #conversation > * { margin: 0 0 1 0; }
    #logo { color: $accent; }
    #prompt { height: auto; max-height: 12; border: round $primary; }
    #hint { height: auto; max-height: 6; color: $text-muted; padding: 0 1; }
    #status { height: 1; background: $panel; color: $text; padding: 0 1; }
    #too-small { display: none; }
    Screen.-too-narrow > *, Screen.-too-short > * { display: none; }
    Screen.-too-narrow > #too-small, Screen.-too-short > #too-small { display: block; height: 1fr; }
    """
    # Textual sets these classes on the screen as its size changes (the first size it learns too).
    HORIZONTAL_BREAKPOINTS: ClassVar[list[tuple[int, str]]] = [
        (0, "-too-narrow"),
        (MIN_WIDTH, "-wide-enough"),
    ]
    VERTICAL_BREAKPOINTS: ClassVar[list[tuple[int, str]]] = [(0, "-too-short"), (MIN_HEIGHT, "-tall-enough")]

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "interrupt", "stop the turn", show=False),
        Binding("shift+tab", "cycle_mode", "permission mode", priority=True, show=False),
        Binding("ctrl+c", "ctrl_c", "clear / exit", priority=True, show=False),
        Binding("ctrl+d", "ctrl_d", "exit", priority=True, show=False),
        Binding("ctrl+r", "search_history", "search history", show=False),
    ]

    def __init__(self, context: Any, options: Any, initial: str | None = None) -> None:
        super().__init__()
        #: The run (:class:`claw.CommandContext`): workspace, environment, ``agent_loop(...)``.
        self.context = context
        self.options = options
        self.initial = initial
        self.workspace = Path(context.workspace)
        self.history = History(claw.history_file(self.workspace, context.env))
        self.ui_theme = (
            os.environ.get("CLAW_THEME", "dark") if os.environ.get("CLAW_THEME") in THEMES else "dark"
        )
        self.loop: Any = None
        self.ready = asyncio.Event()
        self.turn: asyncio.Task[Any] | None = None
        self._recall = 0
        self._ctrl_c = 0.0
        self._calls: dict[str, ToolCall] = {}
        self.exit_reason = "prompt_input_exit"
        #: Why the UI ended early (the session could not start), printed once the screen is restored.
        self.error: str | None = None
        #: The session's background work still running (:meth:`count_background`).
        self.background = 0
        self._poll: Any = None

    # -- layout -----------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="conversation"):
            yield Static(Text(LOGO, no_wrap=True, overflow="crop"), id="logo")
            yield Static(Text(WELCOME, style="dim"), id="welcome")
        yield Static(id="hint")
        yield Prompt()
        yield Static(id="status")
        yield Static(
            Text(f"The terminal is too small for claw: make it at least {MIN_WIDTH}x{MIN_HEIGHT}."),
            id="too-small",
        )

    def on_mount(self) -> None:
        RUNNING.append(self)
        self.register_theme(HIGH_CONTRAST)
        self.theme = THEMES[self.ui_theme]
        self.query_one(Prompt).focus()
        self.begin_capture_print(self, stdout=True, stderr=True)
        # The session (the agent loop's modules, settings, plugins, the trust question) once the first
        # frame is on screen: the prompt is there to type into while it starts.
        self.call_after_refresh(
            self.run_worker, self._open(self.options.resume), exclusive=True, group="session"
        )

    def on_print(self, event: events.Print) -> None:
        """Warnings claw writes to stderr while the screen is ours: shown as notes, not drawn over it."""
        if event.text.strip():
            self.note(event.text.strip(), error=event.stderr)

    # -- the conversation ---------------------------------------------------------------------------

    def add(self, widget: Any) -> None:
        if isinstance(widget, ToolCall):
            self._calls[widget.tool_use_id] = widget
        self.query_one("#conversation").mount(widget)
        self.follow()

    def follow(self) -> None:
        """Keep the conversation scrolled to its end as it grows (until the person scrolls up; new
        content anchors it again)."""
        self.query_one("#conversation", VerticalScroll).anchor()

    def note(self, text: str, *, error: bool = False) -> None:
        self.add(Note(text, error=error))

    def tool_call(self, tool_use_id: str) -> ToolCall | None:
        return self._calls.get(tool_use_id)

    def show_transcript(self, messages: list[Any]) -> None:
        """A resumed session's conversation so far, drawn by the shared renderer."""
        events_ = [{"type": m.role, "message": m.model_dump(mode="json")} for m in messages]
        for renderable in render.transcript(events_, self.ui_theme):
            self.add(Static(renderable))

    def refresh_status(self) -> None:
        if self.loop is None or self.loop.session is None:
            return
        s = self.loop.status()
        state = self.loop.session.state
        used = f"{s['context_tokens']:,}"
        if s["context_window"]:
            used += f"/{s['context_window']:,} ({s['context_tokens'] * 100 // s['context_window']}%)"
        mode = s["permission_mode"]
        running = f" │ {self.background} in background" if self.background else ""
        # The session's name (-n, /rename) on the prompt box's border, as Claude Code's prompt box shows it.
        self.query_one(Prompt).border_title = state.name or None
        self.query_one("#status", Static).update(
            Text(
                f"{s['model']} │ mode: {MODE_LABELS.get(mode, mode)} │ ${state.cost_usd:.4f} │ "
                f"context {used} │ {state.usage.input_tokens:,} in, {state.usage.output_tokens:,} out │ "
                f"{sandbox_label(s.get('sandbox') or {})}{running}",
                no_wrap=True,
                overflow="ellipsis",
            )
        )

    async def count_background(self) -> None:
        """How much of this session's work runs in the background, for the status line: the work it
        tracks (``SessionContext.tracked``: sub-agents in the background, to their real end when kept
        alive for their jobs, and ``Bash`` jobs) and detached tasks it submitted that have not ended (its
        task backend's records). A backend that cannot answer counts none."""
        loop = self.loop
        if loop is None or loop.ctx is None or loop.session is None:
            return
        count = len(loop.ctx.tracked)
        try:
            unended = [claw.TaskStatus.PENDING, claw.TaskStatus.RUNNING]
            wanted = claw.TaskFilter(statuses=unended, parent_session_id=loop.session.id)
            count += len(await loop.ctx.task_backend().list(wanted))
        except Exception:  # a status line: a broker out of reach must not break the UI
            pass
        if count != self.background:
            self.background = count
            self.refresh_status()

    async def _watch_background(self) -> None:
        await self.count_background()
        self.wake()

    def wake(self) -> bool:
        """Start a turn by itself when the session is idle and has notices (``SessionContext.notify``:
        a background command or sub-agent ended), so the model reacts without anyone typing, as Claude
        Code does; returns whether it did. Not while a turn or a dialog is on or the session is
        (re)starting, nor while a prompt is half typed: a permission dialog opening under the person's
        keys could take them for an answer. The notices then go with that prompt, or wake once it is
        cleared."""
        loop = self.loop
        if loop is None or loop.ctx is None or not self.ready.is_set() or not loop.ctx.has_notices:
            return False
        busy = self.turn is not None and not self.turn.done()
        if busy or len(self.screen_stack) > 1 or self.query_one(Prompt).text.strip():
            return False
        self.turn = asyncio.ensure_future(self._woken(loop.ctx.take_notices()))
        return True

    async def _woken(self, notices: list[str]) -> None:
        """The turn :meth:`wake` starts (``AgentLoop.run_notices``), its notices shown one line each."""
        for text in notices:
            for line in render.notices(text) or [render.notice(text)]:
                self.add(Static(line))
        await self._run(self.loop.run_notices(notices))

    # -- the session --------------------------------------------------------------------------------

    async def _open(self, resume: str | None) -> None:
        """Start a session (after the picker when ``claw --resume`` came without an id)."""
        self.ready.clear()
        if resume == claw.RESUME_PICK:
            resume = await self._pick_session()
        options = dataclasses.replace(self.options, resume=resume, interactive=True)
        options.approver = self.ask_permission
        options.tool_asker = self.ask_question
        from claw_tui.reporting import TuiRenderer  # the agent loop's types: after the first frame

        # Off the event loop: the loop's modules load while the screen stays live, and the folder's trust
        # question (asked there first) comes back here as a dialog (``ask_trust``).
        loop = await asyncio.to_thread(self.context.agent_loop, options, TuiRenderer(self))
        try:
            await loop.start()
        except claw.ClawError as exc:  # no model, a session that cannot be resumed: nothing to do here
            await loop.close("other")
            self.error = str(exc)
            self.exit(1)
            return
        self.loop = loop
        if resume:
            self.show_transcript(loop.session.messages)
            self.note(f"resumed session {loop.session.id}")
        self.refresh_status()
        self.ready.set()
        if self._poll is None:
            self._poll = self.set_interval(BACKGROUND_POLL_SECONDS, self._watch_background)
        if self.initial is not None:
            initial, self.initial = self.initial, None
            self.history.add(initial)
            self.submit(initial)

    async def on_unmount(self) -> None:
        if self in RUNNING:
            RUNNING.remove(self)
        await self.close_session()

    async def close_session(self) -> None:
        if self.loop is not None:
            loop, self.loop = self.loop, None
            await loop.close(self.exit_reason)

    async def _pick_session(self) -> str | None:
        items = session_items(self.context.session_store(self.options.session_dir).list())
        return await self.wait_for(Picker("Resume a session of this project", items, "no sessions yet"))

    async def wait_for(self, screen: Any) -> Any:
        """Show a dialog and wait for its answer (from any task on this loop)."""
        answer: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self.push_screen(screen, lambda value: answer.done() or answer.set_result(value))
        try:
            return await answer
        except asyncio.CancelledError:
            if self.screen is screen:
                screen.dismiss(None)  # the turn was stopped while the question waited
            raise

    async def ask_permission(self, question: Any) -> Any:
        """``options.approver``: the permission dialog."""
        return await self.wait_for(PermissionDialog(question))

    def ask_trust(self, folder: Path, items: list[str]) -> str:
        """``claw_trust_dialog`` from the thread building the session: the trust dialog, on the UI's loop."""
        return self.call_from_thread(self.wait_for, TrustDialog(folder, items))

    async def ask_question(self, question: str, options: list[str] | None) -> str | None:
        """``options.tool_asker`` (AskUser): the question dialog."""
        return await self.wait_for(AskDialog(question, options))

    # -- the prompt ---------------------------------------------------------------------------------

    def on_prompt_submitted(self, message: Prompt.Submitted) -> None:
        text = message.text.strip()
        if not text:
            return
        if self.turn is not None and not self.turn.done():
            self.note("a turn is running: wait for it, or press Esc to stop it")
            return
        self.query_one(Prompt).reset()
        self.query_one("#hint", Static).update("")
        self.history.add(text)
        self._recall = 0
        self.submit(text)

    def submit(self, text: str) -> None:
        self.turn = asyncio.ensure_future(self._handle(text))

    async def _handle(self, text: str) -> None:
        if text.startswith("!"):
            await self._shell(text[1:].strip())
            return
        call = re.match(r"/([A-Za-z0-9_.:-]+)\s*(.*)", text, re.DOTALL)
        name, args = (call.group(1), call.group(2).strip()) if call else ("", "")
        if name in ("exit", "quit"):
            await self.action_leave()
            return
        local: dict[str, Callable[[str], Any]] = {
            "resume": self._cmd_resume,
            "model": self._cmd_model,
            "theme": self._cmd_theme,
            "clear": self._cmd_clear,
        }
        if name in local:
            await local[name](args)
            return
        await self.ready.wait()
        self.add(Static(render.prompt(text)))
        await self._run(self._prompt(name, text))

    async def _prompt(self, name: str, text: str) -> Any:
        """A built-in command's answer as a note (``None``), else the prompt's turn (its outcome)."""
        out = io.StringIO()
        if await claw.run_builtin(self.loop, text, out):
            if name == "help":  # the UI's own commands belong in the list too
                out.write("".join(f"{'/' + n:<18} {summary}\n" for n, summary in TUI_COMMANDS.items()))
            self.note(out.getvalue().rstrip())
            return None
        return await self.loop.run_prompt(text)

    async def _run(self, work: Awaitable[Any]) -> None:
        """Await a turn: its error or its interruption as a note, the status line after."""
        try:
            outcome = await work
            if outcome is not None and outcome.error:
                self.note(outcome.error, error=True)
        except claw.ClawError as exc:
            self.note(str(exc), error=True)
        except asyncio.CancelledError:
            self.note("(interrupted)", error=True)
        finally:
            self._end_turn()

    def _end_turn(self) -> None:
        for call in self._calls.values():
            if call.status == "running":
                call.finish("interrupted", None)
        self.refresh_status()

    async def _shell(self, command: str) -> None:
        """``!command``: run it as the person would in their shell, in the workspace; show its output."""
        self.add(Static(Text("! " + render.clean(command), style="bold magenta")))
        if not command:
            return
        process = await asyncio.create_subprocess_shell(
            command,
            cwd=self.workspace,
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
        )
        try:
            out, _ = await process.communicate()
        except asyncio.CancelledError:
            process.kill()
            await process.wait()
            self.note("(interrupted)", error=True)
            return
        text = out[:SHELL_OUTPUT_LIMIT].decode("utf-8", errors="replace")
        self.note(text.rstrip() + (f"\n(exit status {process.returncode})" if process.returncode else ""))

    async def _cmd_resume(self, args: str) -> None:
        path = args or await self._pick_session()
        if path is None:
            return
        await self._restart(path)

    async def _cmd_clear(self, args: str) -> None:
        await self._restart(None)

    async def _restart(self, resume: str | None) -> None:
        await self.close_session()
        conversation = self.query_one("#conversation")
        await conversation.remove_children()
        self._calls.clear()
        await self._open(resume)

    async def _cmd_model(self, args: str) -> None:
        await self.ready.wait()
        if not args:
            self.note(f"model: {self.loop.status()['model']} (switch with /model MODEL)")
            return
        try:
            self.note(f"model: {self.loop.set_model(args)}")
        except claw.ClawError as exc:
            self.note(str(exc), error=True)
        self.refresh_status()

    async def _cmd_theme(self, args: str) -> None:
        names = list(THEMES)
        choice = args or names[(names.index(self.ui_theme) + 1) % len(names)]
        if choice not in THEMES:
            self.note(f"unknown theme {choice!r}: choose from {', '.join(names)}", error=True)
            return
        self.ui_theme = choice
        self.theme = THEMES[choice]
        self.note(f"theme: {choice}")

    def on_prompt_recall(self, message: Prompt.Recall) -> None:
        entries = self.history.entries
        self._recall = max(-len(entries), min(0, self._recall + message.step))
        self.query_one(Prompt).reset(entries[self._recall] if self._recall else "")

    def on_prompt_complete(self, message: Prompt.Complete) -> None:
        prompt = self.query_one(Prompt)
        row, column = prompt.cursor_location
        before = prompt.document.get_line(row)[:column]
        if row == 0 and (typed := re.fullmatch(r"/([A-Za-z0-9_.:-]*)", before)):
            commands = claw.command_names(self.loop.ctx.commands, self.loop) if self.loop else {}
            options = {f"/{name}": summary for name, summary in {**commands, **TUI_COMMANDS}.items()}
            prefix = "/" + typed.group(1)
        elif typed := re.search(r"@(\S*)$", before):
            prefix = "@" + typed.group(1)
            options = {"@" + p: "" for p in self._paths(typed.group(1))}
        else:
            return
        matches = sorted(o for o in options if o.startswith(prefix))
        if not matches:
            self.query_one("#hint", Static).update(Text("no completions", style="dim"))
            return
        common = os.path.commonprefix(matches)  # noqa: RUF071 (text, not paths)
        if len(matches) == 1 and not common.endswith("/"):
            common += " "
        prompt.replace(common, (row, column - len(prefix)), (row, column))
        hint = Text()
        for match in matches[:30]:
            hint.append(match, style="bold")
            hint.append(f"  {options[match]}\n" if options[match] else "   ", style="dim")
        self.query_one("#hint", Static).update(hint if len(matches) > 1 else "")

    def _paths(self, typed: str) -> list[str]:
        """Workspace paths for ``@`` completion: the entries of the directory being typed."""
        folder, _, _ = typed.rpartition("/")
        base = (self.workspace / folder).resolve()
        try:
            entries = sorted(base.iterdir())[:500]
        except OSError:
            return []
        prefix = f"{folder}/" if folder else ""
        return [prefix + e.name + ("/" if e.is_dir() else "") for e in entries if not e.name.startswith(".")]

    # -- keys ---------------------------------------------------------------------------------------

    def action_interrupt(self) -> None:
        if self.loop is not None and self.loop.interrupt():
            return
        if self.turn is not None and not self.turn.done():
            self.turn.cancel()  # a ``!`` command or a slash command still running

    def action_cycle_mode(self) -> None:
        if self.loop is None:
            return
        mode = self.loop.permissions.mode
        following = (
            MODE_CYCLE[(MODE_CYCLE.index(mode) + 1) % len(MODE_CYCLE)] if mode in MODE_CYCLE else "prompt"
        )
        try:
            self.loop.set_permission_mode(following)
        except claw.ClawError as exc:
            self.note(str(exc), error=True)
        self.refresh_status()

    async def action_ctrl_c(self) -> None:
        """Stop the turn, else clear the prompt, else exit when pressed twice within two seconds."""
        prompt = self.query_one(Prompt)
        if self.turn is not None and not self.turn.done():
            self.action_interrupt()
        elif prompt.text:
            prompt.reset()
        elif time.monotonic() - self._ctrl_c < 2:
            await self.action_leave()
        else:
            self._ctrl_c = time.monotonic()
            self.notify("press Ctrl-C again to exit", timeout=2)

    async def action_ctrl_d(self) -> None:
        if not self.query_one(Prompt).text:
            await self.action_leave()

    async def action_leave(self) -> None:
        if self.turn is not None and not self.turn.done() and self.turn is not asyncio.current_task():
            self.action_interrupt()
        self.exit(0)

    async def action_search_history(self) -> None:
        items = [(str(i), entry) for i, entry in enumerate(self.history.search(""))]
        self.run_worker(self._search(items), group="history")

    async def _search(self, items: list[tuple[str, str]]) -> None:
        chosen = await self.wait_for(Picker("Search earlier prompts (Ctrl-R)", items, "no matching prompt"))
        if chosen is not None:
            self.query_one(Prompt).reset(dict(items)[chosen])
        self.query_one(Prompt).focus()


def sandbox_label(status: dict[str, Any]) -> str:
    """The status line's word on what confines commands (``AgentLoop.status()["sandbox"]``)."""
    if not status.get("enabled"):
        return "sandbox off"
    if not status.get("available"):
        return "sandbox unavailable"
    return f"sandbox {status.get('engine') or status.get('name') or 'on'} ({status.get('filesystem', '')})".replace(
        " ()", ""
    )


def asking_trust(folder: Path, items: list[str]) -> str | None:
    """The trust question, when a UI is on screen and it comes from a thread other than the UI's (where
    ``CommandContext.agent_loop`` runs); otherwise ``None``, and the next plugin or the terminal asks."""
    if not RUNNING:
        return None
    try:
        return RUNNING[-1].ask_trust(folder, items)
    except RuntimeError:  # asked on the UI's own thread: it cannot wait for its own dialog there
        return None


async def run(context: Any, options: Any, initial: str | None) -> int:
    """Run the UI until the person leaves; the session is closed on the same event loop."""
    ui = ClawTui(context, options, initial)
    try:
        code = await ui.run_async()
    except asyncio.CancelledError:
        ui.exit_reason = "interrupted"
        raise
    finally:
        if ui.turn is not None and not ui.turn.done():
            ui.turn.cancel()
            await asyncio.gather(ui.turn, return_exceptions=True)
        await ui.close_session()
    if ui.error:
        claw.error(ui.error)
    return code or 0

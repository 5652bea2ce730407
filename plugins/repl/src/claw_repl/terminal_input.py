"""The REPL's line editor on a terminal: prompt_toolkit, imported only once the REPL starts.

prompt_toolkit rather than the stdlib ``readline``: ``input()`` blocks the thread it runs on and only
edits when *stdout* is a terminal. On the event loop's thread it would freeze the session while a
permission question waits (MCP servers, tools running alongside); on a worker thread Ctrl-C cannot
clear the line being edited (signals reach only the main thread). ``prompt_async`` edits on the
event loop, draws on stderr when stdout is piped, and takes Ctrl-C / Ctrl-D as keys.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import TextIO

import claw
from prompt_toolkit import PromptSession
from prompt_toolkit.completion import CompleteEvent, Completer, Completion
from prompt_toolkit.document import Document
from prompt_toolkit.history import History
from prompt_toolkit.output import create_output
from prompt_toolkit.validation import Validator

from claw_repl.line_input import CONTROL_NOTICE, Interrupted, Woken, has_control

#: Prompts kept per workspace; the file is cut back to this many once it holds twice as many.
MAX_HISTORY = 1000

#: The command name being typed: ``/`` then name characters (as the kernel parses them), at the line's start.
_TYPING_COMMAND = re.compile(r"/([A-Za-z0-9_.:-]*)")


class TerminalReader:
    """Prompts with editing (Emacs keys), Up/Down through earlier prompts (kept in ``history``), Tab
    completion of slash command names. Questions asked during a turn edit the same way but are not
    remembered. One prompt at a time: parallel tool calls asking at once wait their turn."""

    def __init__(self, screen: TextIO, history: Path, commands: Callable[[], Mapping[str, str]]) -> None:
        output = create_output(stdout=screen)
        no_control = Validator.from_callable(
            lambda text: not has_control(text), error_message=CONTROL_NOTICE, move_cursor_to_end=True
        )
        self._prompts: PromptSession[str] = PromptSession(
            history=BoundedHistory(history),
            completer=SlashCompleter(commands),
            complete_while_typing=False,
            validator=no_control,
            output=output,
        )
        self._questions: PromptSession[str] = PromptSession(validator=no_control, output=output)
        self._active: PromptSession[str] | None = None
        self._lock: asyncio.Lock | None = None

    async def read(self, prompt: str, *, history: bool = False) -> str | None:
        session = self._prompts if history else self._questions
        self._lock = self._lock or asyncio.Lock()
        async with self._lock:
            self._active = session
            try:
                # SIGINT stays with the REPL (it stops turns); at the prompt Ctrl-C is a key anyway.
                return await session.prompt_async(prompt, handle_sigint=False)
            except KeyboardInterrupt:
                raise Interrupted from None
            except EOFError:
                return None
            finally:
                self._active = None

    def interrupt(self) -> bool:
        app = self._active.app if self._active is not None else None
        if app is not None and app.is_running and not app.future.done():  # type: ignore[union-attr]
            app.exit(exception=KeyboardInterrupt())
        return True

    def remember(self, line: str) -> None:
        self._prompts.history.append_string(line)

    def wake(self) -> bool:
        """Only the prompt (not a question) and only while empty: half a prompt keeps the notices for
        itself. Checked and ended on the event loop, between keys, so no typed key is lost."""
        app = self._active.app if self._active is self._prompts else None
        if app is None or not app.is_running or app.future is None or app.future.done():
            return False
        if self._prompts.default_buffer.text.strip():
            return False
        app.exit(exception=Woken())
        return True


class BoundedHistory(History):
    """Earlier prompts in ``path``, one JSON string a line (a prompt may span lines), oldest first.

    Written as each prompt is entered, so two REPLs in one workspace both keep theirs; bounded by
    :data:`MAX_HISTORY`. A file that cannot be read or written costs the history, never the session.
    """

    def __init__(self, path: Path, limit: int = MAX_HISTORY) -> None:
        super().__init__()
        self.path = path
        self.limit = limit
        self._count = 0

    def load_history_strings(self) -> Iterable[str]:
        entries = self._entries()
        if len(entries) > self.limit:
            entries = entries[-self.limit :]
            self._rewrite(entries)
        self._count = len(entries)
        return reversed(entries)

    def append_string(self, string: str) -> None:
        strings = self.get_strings()
        if strings and strings[-1] == string:  # Up after repeating a prompt goes to the one before
            return
        super().append_string(string)

    def store_string(self, string: str) -> None:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            with os.fdopen(fd, "a", encoding="utf-8") as fh:
                fh.write(json.dumps(string, ensure_ascii=False) + "\n")
        except OSError as exc:
            claw.warn(f"prompt history not saved to {self.path}: {exc}")
            return
        self._count += 1
        if self._count > 2 * self.limit:
            entries = self._entries()[-self.limit :]
            self._rewrite(entries)
            self._count = len(entries)

    def _entries(self) -> list[str]:
        try:
            text = self.path.read_text(encoding="utf-8", errors="replace")
        except FileNotFoundError:
            return []
        except OSError as exc:
            claw.warn(f"prompt history not read from {self.path}: {exc}")
            return []
        return list(_decoded(text.splitlines()))

    def _rewrite(self, entries: list[str]) -> None:
        """Replace the file at once, so a crash never leaves half a history."""
        tmp: str | None = None
        try:
            fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".history-")
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.writelines(json.dumps(e, ensure_ascii=False) + "\n" for e in entries)
            os.replace(tmp, self.path)
        except OSError as exc:
            if tmp is not None:
                Path(tmp).unlink(missing_ok=True)
            claw.warn(f"prompt history not trimmed in {self.path}: {exc}")


def _decoded(lines: Iterable[str]) -> Iterator[str]:
    for line in lines:
        try:
            entry = json.loads(line)
        except ValueError:
            continue  # a line cut short by a crash
        if isinstance(entry, str):
            yield entry


class SlashCompleter(Completer):
    """Tab after ``/`` and part of a name: the commands whose names start with it."""

    def __init__(self, commands: Callable[[], Mapping[str, str]]) -> None:
        self._commands = commands

    def get_completions(self, document: Document, complete_event: CompleteEvent) -> Iterator[Completion]:
        typed = _TYPING_COMMAND.fullmatch(document.text_before_cursor)
        if typed is None:
            return
        prefix = typed.group(1)
        for name, description in sorted(self._commands().items()):
            if name.startswith(prefix):
                yield Completion(
                    name, start_position=-len(prefix), display="/" + name, display_meta=description
                )

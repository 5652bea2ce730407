"""The system prompt: claw's own instructions, facts about the environment, and the user's
instruction files (:mod:`claw._prompt.instructions`).

``claw print-system-prompt`` prints exactly what :func:`build` returns, so what the model is told is
never a mystery. ``--system-prompt`` replaces claw's own instructions (the environment and instruction
files still follow, as in Claude Code); ``--append-system-prompt`` adds text at the end.
"""

from __future__ import annotations

import datetime as _dt
import platform
import subprocess
from collections.abc import Mapping, Sequence
from pathlib import Path

from claw._prompt import instructions
from claw._text import model_text

BASE_PROMPT = """\
You are claw, an agent that works on software in the user's workspace: you read code, edit files and \
run commands through the tools you are given, and you finish the task you are asked to do.

How to work:
- Understand before you change: read the relevant files and search the code instead of guessing. \
Check how the project builds, tests and formats code, and follow its existing conventions.
- Make the smallest change that fully solves the task. Do not rewrite what works, add features nobody \
asked for, or leave debugging code behind.
- Verify your work: run the tests, the build or the command that shows the change works, and fix \
what fails. Say plainly when you could not verify something.
- Use the tools for actions and your reply for communication. Independent read-only lookups can be \
requested together; they run in parallel.
- A denied or failed tool call is information, not an obstacle to route around: adapt, or explain \
what you need.
- Never expose secrets, never push, publish or delete data outside the workspace unless the user asked \
for exactly that.

How to answer:
- Be brief and concrete. Lead with the result; mention files as path:line.
- When the task is done, stop. When it cannot be done, say why and what would unblock it."""


def _git(workspace: Path, *args: str) -> str | None:
    try:
        out = subprocess.run(
            ["git", *args],
            cwd=workspace,
            capture_output=True,
            encoding="utf-8",
            errors="replace",
            timeout=5,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.rstrip() if out.returncode == 0 else None


def _git_state(workspace: Path) -> tuple[str, list[str]] | None:
    """``(branch, short status lines)``, or ``None`` outside a git repository. One ``git`` call."""
    out = _git(workspace, "status", "--short", "--branch")
    if out is None:
        return None
    lines = out.splitlines()
    header = lines[0][3:] if lines and lines[0].startswith("## ") else ""
    if header.startswith("No commits yet on "):
        branch = header.removeprefix("No commits yet on ")
    elif header.startswith("HEAD (no branch)"):
        branch = "(detached HEAD)"
    else:
        branch = header.split("...")[0]
    return branch, lines[1:]


def environment(workspace: Path, date: _dt.date, additional_dirs: Sequence[str | Path] = ()) -> str:
    """Facts the model cannot see for itself: where it is (and where else it may work, as Claude
    Code's ``Additional working directories``), on what system, on which day, git state."""
    git = _git_state(workspace)
    lines = [
        "<env>",
        f"Working directory: {workspace}",
        *(
            [f"Additional working directories: {', '.join(map(str, additional_dirs))}"]
            if additional_dirs
            else []
        ),
        f"Is directory a git repo: {'Yes' if git is not None else 'No'}",
        f"Platform: {platform.system().lower()}",
        f"OS Version: {platform.system()} {platform.release()}",
        f"Today's date: {date.isoformat()}",
        "</env>",
    ]
    if git is not None:
        branch, rows = git
        if len(rows) > 40:
            rows = [*rows[:40], f"... ({len(rows) - 40} more)"]
        lines += [
            "",
            "Git status at the start of the session (a snapshot; it will not update):",
            f"Current branch: {branch}",
            "Status:",
            "\n".join(rows) or "(clean)",
        ]
    return "\n".join(lines)


def build(
    workspace: Path,
    env: Mapping[str, str],
    *,
    date: _dt.date | None = None,
    system_prompt: str | None = None,
    append: str | None = None,
    additional_dirs: Sequence[str | Path] = (),
) -> str:
    """The complete system prompt for a session in ``workspace`` (``additional_dirs``: settings
    ``permissions.additionalDirectories`` and ``--add-dir``, resolved)."""
    parts = [system_prompt if system_prompt is not None else BASE_PROMPT]
    parts.append(environment(workspace, date or _dt.date.today(), additional_dirs))
    files = instructions.load(workspace, env)
    if files:
        labels = {
            "user": "the user's private global instructions",
            "project": "project instructions, checked into the codebase",
            "local": "the user's private project instructions, not checked in",
            "import": "imported by an instruction file",
        }
        sections = ["The user's instructions follow. They override the defaults above; follow them exactly."]
        for f in files:
            sections.append(f"Contents of {f.path} ({labels[f.kind]}):\n\n{f.text.strip()}")
        parts.append("\n\n".join(sections))
    if append:
        parts.append(append)
    # Paths and flag values may carry bytes that are not UTF-8 (surrogate escapes): U+FFFD for the model.
    return model_text("\n\n".join(p for p in parts if p))

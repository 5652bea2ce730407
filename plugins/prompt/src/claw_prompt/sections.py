"""The default sections of the system prompt: claw's own instructions (``instructions``, what
``--system-prompt`` replaces), facts about the environment (``environment``) and the user's instruction
files (``memory``, :mod:`claw_prompt.instructions`), in that order, as Claude Code orders them, then the
output style's text (``style``, :mod:`claw_prompt.styles`).
"""

from __future__ import annotations

import datetime as _dt
import platform
import subprocess
from collections.abc import Mapping, Sequence
from pathlib import Path

import claw

from claw_prompt import instructions, styles

IDENTITY = """\
You are claw, an agent that works on software in the user's workspace: you read code, edit files and \
run commands through the tools you are given, and you finish the task you are asked to do."""

#: Claw's coding instructions: what a custom output style drops unless ``keep-coding-instructions: true``.
CODING = """\
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
for exactly that."""

#: How to answer: what every output style but ``default`` replaces with its own.
ANSWERING = """\
How to answer:
- Be brief and concrete. Lead with the result; mention files as path:line.
- When the task is done, stop. When it cannot be done, say why and what would unblock it."""

BASE_PROMPT = "\n\n".join((IDENTITY, CODING, ANSWERING))


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


#: How each kind of instruction file is introduced to the model.
_LABELS = {
    "user": "the user's private global instructions",
    "project": "project instructions, checked into the codebase",
    "local": "the user's private project instructions, not checked in",
    "import": "imported by an instruction file",
}


def memory(workspace: Path, env: Mapping[str, str]) -> str:
    """The user's instruction files for ``workspace``, each introduced by its path; ``""`` when none,
    and in bare and safe mode (``claw.bare``, ``claw.safe_mode``: both skip CLAUDE.md, as Claude Code's do)."""
    if claw.bare(env) or claw.safe_mode(env):
        return ""
    files = instructions.load(workspace, env)
    if not files:
        return ""
    parts = ["The user's instructions follow. They override the defaults above; follow them exactly."]
    parts += [f"Contents of {f.path} ({_LABELS[f.kind]}):\n\n{f.text.strip()}" for f in files]
    return "\n\n".join(parts)


def own_instructions(style: styles.Style) -> str:
    """Claw's own instructions as ``style`` keeps them (:mod:`claw_prompt.styles`)."""
    if style.name == styles.DEFAULT:
        return BASE_PROMPT
    return "\n\n".join((IDENTITY, CODING) if style.keep_coding_instructions else (IDENTITY,))


def sections(
    workspace: Path,
    env: Mapping[str, str],
    date: _dt.date,
    additional_dirs: Sequence[str | Path] = (),
    output_style: object = None,
) -> dict[str, str]:
    """The sections for a session in ``workspace`` (``additional_dirs``: settings
    ``permissions.additionalDirectories`` and ``--add-dir``, resolved; ``output_style``: settings
    ``outputStyle``, whose text is the last section, ``style``)."""
    style = styles.active(output_style, workspace, env)
    return {
        "instructions": own_instructions(style),
        "environment": environment(workspace, date, additional_dirs),
        "memory": memory(workspace, env),
        "style": style.text,
    }

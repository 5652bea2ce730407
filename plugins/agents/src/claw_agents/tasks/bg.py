"""``claw --bg``: the same command line, without ``--bg``, run in print mode as a detached task on the task
backend settings select; this process prints how to follow it and exits 0 without starting a session.

Claude Code's ``--bg`` starts a background session managed with ``claude agents``; claw's runs as a
detached task, managed with ``claw tasks`` (docs/agents.md, "Background runs: --bg"). The task gets a
session id chosen here (``--session-id``), so ``claw --resume ID`` goes on with it once it ends.
"""

from __future__ import annotations

import json
import os
import shlex
import sys
import uuid
from typing import Any

import claw
import click

#: The option's flags, removed from the command line the task runs.
FLAGS = ("--bg", "--background")


def _refusal(options: claw.LoopOptions, root: click.Context) -> str | None:
    """Why this command line cannot run in the background: what needs a terminal or standard input."""
    params = root.params
    if params.get("repl"):
        return "--bg cannot be used with --repl: a background run is a print-mode run"
    if params.get("input_format") == "stream-json":
        return "--bg cannot be used with --input-format=stream-json: a background run reads no standard input"
    if options.resume == "":  # --resume with no id: the interactive picker
        return "--bg cannot pick a session to resume: give --resume ID"
    if not (root.meta.get("claw.prompt") or "").strip():
        return "--bg needs the prompt as an argument (a background run reads no standard input)"
    return None


def _session_id(options: claw.LoopOptions) -> tuple[str | None, list[str]]:
    """The session the task will write, and the arguments that make it so: a new one gets an id chosen
    here; ``--resume ID`` goes on with ID; ``--continue`` (the latest, found when the task starts) has
    none known now."""
    if options.session_id:
        return options.session_id, []
    if options.resume is None or options.fork:
        new = str(uuid.uuid4())
        return new, ["--session-id", new]
    return (None if options.resume == "latest" else options.resume), []


def _command_line(argv: list[str], extra: list[str]) -> list[str]:
    """``argv`` without ``--bg``, in print mode, with ``extra`` before it; ``--`` and what follows stay."""
    end = argv.index("--") if "--" in argv else len(argv)
    head = [a for a in argv[:end] if a not in FLAGS]
    print_mode = any(a in ("-p", "--print") for a in head)
    return [sys.executable, "-m", "claw", *([] if print_mode else ["-p"]), *extra, *head, *argv[end:]]


def hand_off(options: claw.LoopOptions) -> str | None:
    """Submit the run and end this process (exit 0) once the line saying how to follow it is printed; a
    refusal (exit 2) when the command line cannot run in the background or no task backend outlives this
    process (a hook's exception would only skip the plugin: :class:`claw.ClawError` is a refusal too)."""
    ctx = click.get_current_context()
    root = ctx.find_root()
    refusal = _refusal(options, root)
    if refusal is not None:
        return refusal
    try:
        backend = claw.command_context(ctx).task_backend()
    except claw.ClawError as exc:
        return f"--bg: {exc}"
    if backend.name == "local":  # its detached tasks end with the process that started them: this one
        return (
            "--bg needs a task backend whose tasks outlive this process; settings agents.backend names "
            "'local' (use 'embedded', the default)"
        )
    session_id, extra = _session_id(options)
    prompt = str(root.meta["claw.prompt"])
    spec = claw.TaskSpec(
        kind="command",
        text=shlex.join(_command_line(list(root.meta["claw.argv"]), extra)),
        cwd=os.getcwd(),
        name=prompt.strip().splitlines()[0][:60],
        description="claw --bg",
    )
    import asyncio

    record = asyncio.run(backend.submit(spec))
    report = _report(record, session_id)
    json_output = root.params.get("output_format") == "json"
    # Printed as the root context closes: the print-mode run reserves standard output while this hook
    # runs. Exit, not ctx.exit(), which would close the context (and print) at once.
    root.call_on_close(lambda: click.echo(json.dumps(report) if json_output else _line(report)))
    raise click.exceptions.Exit(0)


def _report(record: claw.TaskRecord, session_id: str | None) -> dict[str, Any]:
    """What ``--output-format json`` prints (docs/agents.md): the task, its session and the commands."""
    commands = {
        "show": f"claw tasks show {record.id}",
        "output": f"claw tasks output {record.id}",
        "stop": f"claw tasks stop {record.id}",
        "resume": f"claw --resume {session_id}" if session_id else None,
    }
    return {
        "type": "background",
        "task_id": record.id,
        "session_id": session_id,
        "backend": record.backend,
        "status": record.status.value,
        "commands": commands,
    }


def _line(report: dict[str, Any]) -> str:
    """The one line, led as Claude Code's banner is (``backgrounded · ID``), so the id is read the same way."""
    commands = report["commands"]
    then = f"; when it ends: {commands['resume']}" if commands["resume"] else ""
    return f"backgrounded · {report['task_id']} · follow: {commands['show']}, {commands['output']}{then}"

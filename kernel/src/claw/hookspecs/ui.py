"""Output and the terminal

What the person sees: the renderer of a ``claw -p`` run's stdout, the interactive session, the trust question
and the session timeline. Each is ``firstresult``: the first plugin that answers draws it, and with none the
kernel's own (or its built-in plugin's) remains.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TextIO

from claw._markers import hookspec

if TYPE_CHECKING:
    from pathlib import Path

    from claw._loop.options import LoopOptions
    from claw._output import Renderer
    from claw._plugin_commands import CommandContext


@hookspec(firstresult=True)
def claw_output_renderer(format: str, partial: bool, out: TextIO) -> Renderer | None:
    """What prints a ``claw -p`` run on stdout, for ``--output-format``.

    Stops at first non-None result. A plugin's answer comes before claw-output's (``trylast``), which
    answers for ``text``, ``json`` and ``stream-json`` (Claude Code's shapes, `cli <cli.md>`_). With no
    answer, ``text`` prints each assistant message whole and the JSON formats stop the run naming
    claw-output. A :class:`claw.Renderer` receives ``init``, ``system``, ``stream_event``, ``assistant``,
    ``user``, ``result`` and (``--include-hook-events``) ``hook_run`` calls as the run goes; it writes the run's
    output to ``out`` and nothing else (diagnostics go to stderr). While the run goes on, ``sys.stdout``
    points at stderr so that nothing else can mix into the output: write to ``out``, not to ``sys.stdout``.

    :param format: the ``--output-format`` value (``text``, ``json`` or ``stream-json``).
    :param partial: ``--include-partial-messages``: stream each delta as well.
    :param out: the process's real standard output, reserved for the renderer.
    :returns: a :class:`claw.Renderer`, or ``None`` to leave it to the next plugin.

    .. versionadded:: 1.1
    """


@hookspec(firstresult=True)
def claw_interactive(context: CommandContext, options: LoopOptions, initial: str | None) -> int | None:
    """Run an interactive session (``claw`` on a terminal, or ``claw --repl``) until the user ends it.

    Stops at first non-None result. A plugin's answer comes before claw-repl's (``trylast``), the line
    REPL; with no answer, interactive ``claw`` says in one line that no front end is installed.
    ``context.agent_loop(options, renderer)`` makes the session's loop: ``await loop.start()``, then
    ``await loop.run_prompt(text)`` per prompt (idle with ``loop.ctx.has_notices``, a background job's end:
    ``await loop.run_notices(loop.ctx.take_notices())``), ``await loop.close(reason)`` in a ``finally``. Called
    before the agent loop is imported and settings are validated, so a screen can go up first; the
    folder's trust question comes with the first ``agent_loop`` call of an interactive session
    (``claw_trust_dialog``), which a front end with its own event loop makes from a worker thread. A front
    end that cannot serve this terminal (claw-tui with ``TERM=dumb`` or stdin not a terminal) returns
    ``None``. ``options.resume`` is
    :data:`claw.RESUME_PICK` after ``claw --resume`` without an id: let the person pick a session (the
    line REPL cannot, and refuses with a usage error).

    :param context: the run (workspace, environment, settings) as plugin commands see it.
    :param options: the session's options from the command line (model, permission mode, ...).
    :param initial: a prompt given on the command line, to run first; ``None`` for none.
    :returns: the process exit code, or ``None`` to leave it to the next plugin.

    .. versionadded:: 1.1
    """


@hookspec(firstresult=True)
def claw_trust_dialog(folder: Path, items: list[str]) -> str | None:
    """Ask the person at the terminal whether to trust ``folder`` (interactive runs only).

    The ``workspace_trust`` built-in asks when an interactive session starts in a folder not trusted that
    brings something needing trust. A full-screen interface draws the question itself by answering this
    hook; claw-repl asks on the terminal (``trylast``); with no answer at all the folder stays untrusted
    for the run. Stops at first non-None result.

    :param folder: the folder's real path.
    :param items: what trusting it would enable, one line each (hook commands, MCP server commands,
        environment variable names).
    :returns: ``"always"`` (trust and remember), ``"once"`` (trust for this run), ``"untrusted"``
        (continue without what needs trust), or ``None`` to let the next plugin or the kernel ask.

    .. versionadded:: 1.0
    """


@hookspec(firstresult=True)
def claw_render_timeline(session_id: str, events: list[dict[str, Any]], limit: int | None) -> bool | None:
    """Draw ``claw timeline --format pretty`` on stdout, e.g. with the renderer of a UI's transcript view
    so both look the same. Not called for ``json`` and ``md``, which programs parse.

    Stops at first non-None result. With no answer, claw prints its table of events.

    :param session_id: the session's id.
    :param events: the session file's events, oldest first (the shapes ``claw timeline --format json``
        summarises).
    :param limit: ``--limit``: show only the last this many events (``None``: all).
    :returns: ``True`` once drawn, ``None`` to leave it to the next implementation (finally claw's
        table).

    .. versionadded:: 1.1
    """

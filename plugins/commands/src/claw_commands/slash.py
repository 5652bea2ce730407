"""The built-in slash commands ``/help``, ``/compact``, ``/cost``, ``/status``, ``/export [FILE]`` and
``/trust`` (``claw_register_slash_commands``): each reads the session through its
:class:`claw.BuiltinContext` and writes a short report to ``context.out``."""

from __future__ import annotations

from pathlib import Path

from claw import BuiltinCommand, BuiltinContext, ClawError

from claw_commands import transcript


async def _help(context: BuiltinContext, _args: str) -> None:
    context.out.write(context.help_text + "\n")


async def _compact(context: BuiltinContext, _args: str) -> None:
    if await context.compact():
        context.out.write("compacted\n")


async def _cost(context: BuiltinContext, _args: str) -> None:
    u = context.usage
    context.out.write(
        f"Total cost:  ${context.cost_usd:.4f}\n"
        f"Tokens:      {u.input_tokens} input, {u.output_tokens} output, "
        f"{u.cache_read_input_tokens} cache read, {u.cache_creation_input_tokens} cache write\n"
    )


async def _status(context: BuiltinContext, _args: str) -> None:
    c, session = context, context.session
    share = f" ({c.context_tokens * 100 // c.context_window}%)" if c.context_window else ""
    c.out.write(
        f"Session:     {session.session_id}\n"
        f"File:        {session.transcript_path or '(not saved)'}\n"
        f"Model:       {c.model}\n"
        f"Messages:    {len(c.messages)}\n"
        f"Context:     {c.context_tokens} of {c.context_window} tokens{share}\n"
        f"Permissions: {c.permission_mode}\n"
        f"Workspace:   {session.workspace}\n"
    )


async def _export(context: BuiltinContext, args: str) -> None:
    session_id = context.session.session_id
    path = Path(args or f"claw-session-{session_id[:8]}.md").expanduser()
    try:
        with path.open("x", encoding="utf-8") as fh:  # never overwrite: an existing file is someone's
            fh.write(transcript.markdown(session_id, context.messages))
    except FileExistsError:
        raise ClawError(f"/export: {path} already exists; give another file name") from None
    except OSError as exc:
        raise ClawError(f"/export: cannot write {path}: {exc.strerror}") from None
    context.out.write(f"exported the conversation to {path}\n")


async def _trust(context: BuiltinContext, _args: str) -> None:
    trust = context.session.trust
    if trust.trusted and trust.reason == "remembered":
        context.out.write(f"already trusted: {trust.folder}\n")
        return
    store = context.trust_store()
    if store is None:
        raise ClawError("/trust: no trust store remembers folders (the trust_store built-in is disabled)")
    store.add(trust.folder)
    context.out.write(
        f"trusted: {trust.folder}; its hooks, env, MCP servers and commands' !`cmd` lines take effect "
        "when claw next starts here\n"
    )


COMMANDS = (
    BuiltinCommand("help", "this list", _help),
    BuiltinCommand("compact", "summarise older turns now to free context", _compact),
    BuiltinCommand("cost", "what the session has cost so far, and its tokens", _cost),
    BuiltinCommand("status", "the session, model, context use and permission mode", _status),
    BuiltinCommand("export", "write the conversation to FILE as Markdown", _export, "[FILE]"),
    BuiltinCommand("trust", "trust this folder (remembered; takes effect at the next start)", _trust),
)

"""``-w, --worktree [NAME]``: Claude Code's flag, the whole session in a new git worktree.

As in Claude Code the worktree is ``<repository root>/.claude/worktrees/<NAME>`` on the new branch
``worktree-<NAME>``; without a name one is made up (``bright-running-fox``). A name whose worktree is
already there is that worktree again (how a session in it is resumed: ``claw -w NAME --resume ID``).
When the run ends a worktree this run made and left clean (no change, no commit) is removed with its
branch; one with changes, or one it found, is kept and a line on stderr says where. The session's
workspace (tools, permissions, the system prompt's working directory, its sessions folder) is the
worktree. See docs/agents.md "Worktrees".
"""

from __future__ import annotations

import random
import re
from pathlib import Path

import claw
import click

from claw_agents.subagents import worktree

#: The key of ``LoopOptions.extra`` holding why ``-w`` made no worktree (the session refuses to start).
FAILED = "worktree_failed"
#: The words of a made-up name, as Claude Code's ``bright-running-fox``.
_WORDS = (
    ("bright", "calm", "eager", "gentle", "quick", "quiet", "steady", "swift", "witty", "bold"),
    ("running", "jumping", "singing", "dancing", "drifting", "gliding", "hopping", "roaming"),
    ("fox", "otter", "heron", "lynx", "badger", "falcon", "panda", "whale", "wren", "yak"),
)
#: A name that is a folder and a branch as it is (no ``/``, no leading ``.`` or ``-``).
_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9._-]*")


def made_up_name() -> str:
    return "-".join(random.choice(words) for words in _WORDS)


def bad_name(name: str) -> str | None:
    """Why ``name`` cannot name a worktree (a usage error), or ``None``."""
    if _NAME.fullmatch(name) and not name.endswith((".", ".lock")) and ".." not in name:
        return None
    return f"--worktree: {name!r} is not a worktree name (letters, digits, '.', '_' and '-')"


def enter(options: claw.LoopOptions, name: str, ctx: click.Context) -> None:
    """Make (or find) the worktree ``name`` of the repository the run's workspace is in, make it the
    session's workspace, and settle it when the ``claw`` invocation ``ctx`` closes.

    :raises ClawError: the workspace is in no git repository (or one without a commit), or git failed.
    """
    start = claw.command_context(ctx).workspace
    toplevel, base = worktree.repository(start, "--worktree", "; run claw without -w or `git init` first")
    root = toplevel / ".claude" / "worktrees" / name
    if root.exists():
        tree, made = _found(root, start, toplevel), False
    else:
        tree, made = worktree.add(start, toplevel, base, root, f"worktree-{name}"), True
    ctx.find_root().call_on_close(lambda: _settle(tree, made))
    options.workspace = tree.workspace


def _found(root: Path, start: Path, toplevel: Path) -> worktree.Worktree:
    """The worktree already at ``root``, kept whatever the run does with it (it may hold an earlier
    session's commits).

    :raises ClawError: ``root`` is something else than a worktree of this repository.
    """
    code, top = worktree.git(root, "rev-parse", "--show-toplevel")
    if code != 0 or Path(top).resolve() != root.resolve():
        raise claw.ClawError(f"--worktree: {root} exists and is not a git worktree; choose another name")
    _, branch = worktree.git(root, "branch", "--show-current")
    _, head = worktree.git(root, "rev-parse", "HEAD")
    relative = start.resolve().relative_to(toplevel.resolve())
    return worktree.Worktree(repo=toplevel, root=root, branch=branch, base=head, workspace=root / relative)


def _settle(tree: worktree.Worktree, made: bool) -> None:
    """At the end of the run: remove the worktree it made if it stayed clean, else say where it is."""
    if made and not worktree.remove_if_clean(tree):
        return
    click.echo(f"claw: worktree kept at {tree.root} (branch {tree.branch})", err=True)

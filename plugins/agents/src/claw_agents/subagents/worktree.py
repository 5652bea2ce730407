"""Git worktrees, the one owner of their creation and clean-up: a sub-agent's (``isolation: "worktree"``)
and a whole session's (``claw -w NAME``, :mod:`claw_agents.subagents.session_worktree`).

A sub-agent's worktree lives in claw's state directory (``$XDG_STATE_HOME/claw/worktrees/``), not in
the project, so the parent's checkout (files, index, untracked files) stays exactly as it was. It is
made from the parent's ``HEAD`` on the branch ``claw/agent-<id>``. When the sub-agent leaves it clean
(no change, no commit) it is removed with its branch; otherwise it is kept and the result names it.
"""

from __future__ import annotations

import asyncio
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import claw


@dataclass(frozen=True)
class Worktree:
    #: The repository's main checkout, the worktree and its branch.
    repo: Path
    root: Path
    branch: str
    base: str
    #: Where the session works: the worktree, or the same subdirectory of it as the starting workspace.
    workspace: Path


def git(cwd: Path, *args: str) -> tuple[int, str]:
    """``git args`` in ``cwd``: its exit code and output (stdout and stderr), stripped."""
    proc = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, errors="replace")
    return proc.returncode, (proc.stdout + proc.stderr).strip()


def repository(workspace: Path, needs: str, hint: str = "") -> tuple[Path, str]:
    """The top level of the repository ``workspace`` is in and its ``HEAD`` commit.

    :param needs: who asks, for the error (``isolation "worktree"``, ``--worktree``).
    :param hint: what to do instead, appended to the error when ``workspace`` is in no repository.
    :raises ClawError: ``workspace`` is not in a git repository, or it has no commit yet.
    """
    code, top = git(workspace, "rev-parse", "--show-toplevel")
    if code != 0:
        raise claw.ClawError(f"{needs} needs a git repository, and {workspace} is not in one{hint}")
    toplevel = Path(top)
    code, base = git(toplevel, "rev-parse", "--verify", "HEAD")
    if code != 0:
        raise claw.ClawError(f"{needs} needs a commit to start from; {toplevel} has none yet")
    return toplevel, base


def add(workspace: Path, toplevel: Path, base: str, root: Path, branch: str) -> Worktree:
    """A new worktree at ``root`` on the new branch ``branch`` made from ``base``.

    :raises ClawError: git failed (the branch exists, the folder is not empty).
    """
    root.parent.mkdir(parents=True, exist_ok=True)
    code, out = git(toplevel, "worktree", "add", "-q", "-b", branch, str(root), base)
    if code != 0:
        raise claw.ClawError(f"git worktree add failed: {out}")
    relative = workspace.resolve().relative_to(toplevel.resolve())
    return Worktree(repo=toplevel, root=root, branch=branch, base=base, workspace=root / relative)


def remove_if_clean(tree: Worktree) -> bool:
    """Remove ``tree`` and its branch when nothing was left in it (no change, no commit since ``base``);
    returns whether it is kept."""
    _, status = git(tree.root, "status", "--porcelain")
    _, head = git(tree.root, "rev-parse", "HEAD")
    if status or head != tree.base:
        return True
    git(tree.repo, "worktree", "remove", "--force", str(tree.root))
    git(tree.repo, "branch", "-D", tree.branch)
    return False


def _for_agent(workspace: Path, env: Mapping[str, str], agent_id: str) -> Worktree:
    try:
        hint = "; run the sub-agent without isolation or `git init` first"
        toplevel, base = repository(workspace, 'isolation "worktree"', hint)
        short = agent_id[:8]
        root = claw.state_dir(env) / "worktrees" / f"{toplevel.name}-{short}"
        return add(workspace, toplevel, base, root, f"claw/agent-{short}")
    except claw.ClawError as exc:  # the model is told
        raise claw.ToolError(str(exc)) from None


async def create(workspace: Path, env: Mapping[str, str], agent_id: str) -> Worktree:
    """A sub-agent's new worktree of the repository ``workspace`` is in, on branch ``claw/agent-<id>``.

    :raises ToolError: ``workspace`` is not in a git repository (or has no commit), or git failed.
    """
    return await asyncio.to_thread(_for_agent, workspace, env, agent_id)


async def finish(tree: Worktree) -> bool:
    """Remove ``tree`` and its branch when the sub-agent left nothing in it; returns whether it is kept."""
    return await asyncio.to_thread(remove_if_clean, tree)

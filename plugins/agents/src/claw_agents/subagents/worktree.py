"""``isolation: "worktree"``: a sub-agent working in a fresh git worktree on its own branch.

The worktree lives in claw's state directory (``$XDG_STATE_HOME/claw/worktrees/``), not in the
project, so the parent's checkout (files, index, untracked files) stays exactly as it was. It is made
from the parent's ``HEAD`` on the branch ``claw/agent-<id>``. When the sub-agent leaves it clean (no
change, no commit) it is removed with its branch; otherwise it is kept and the result names it.
"""

from __future__ import annotations

import asyncio
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
    #: Where the sub-agent works: the worktree, or the same subdirectory of it as the parent's workspace.
    workspace: Path


async def _git(cwd: Path, *args: str) -> tuple[int, str]:
    proc = await asyncio.create_subprocess_exec(
        "git",
        *args,
        cwd=cwd,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    out, _ = await proc.communicate()
    return proc.returncode or 0, out.decode(errors="replace").strip()


async def create(workspace: Path, env: Mapping[str, str], agent_id: str) -> Worktree:
    """A new worktree of the repository ``workspace`` is in, on branch ``claw/agent-<id>``.

    :raises ToolError: ``workspace`` is not in a git repository (or has no commit), or git failed.
    """
    code, top = await _git(workspace, "rev-parse", "--show-toplevel")
    if code != 0:
        raise claw.ToolError(
            f'isolation "worktree" needs a git repository, and {workspace} is not in one; '
            "run the sub-agent without isolation or `git init` first"
        )
    toplevel = Path(top)
    code, base = await _git(toplevel, "rev-parse", "--verify", "HEAD")
    if code != 0:
        raise claw.ToolError(f'isolation "worktree" needs a commit to start from; {toplevel} has none yet')
    short = agent_id[:8]
    root = claw.state_dir(env) / "worktrees" / f"{toplevel.name}-{short}"
    branch = f"claw/agent-{short}"
    root.parent.mkdir(parents=True, exist_ok=True)
    code, out = await _git(toplevel, "worktree", "add", "-q", "-b", branch, str(root), base)
    if code != 0:
        raise claw.ToolError(f"git worktree add failed: {out}")
    relative = workspace.resolve().relative_to(toplevel.resolve())
    return Worktree(repo=toplevel, root=root, branch=branch, base=base, workspace=root / relative)


async def finish(tree: Worktree) -> bool:
    """Remove ``tree`` and its branch when the sub-agent left nothing in it; returns whether it is kept."""
    _, status = await _git(tree.root, "status", "--porcelain")
    _, head = await _git(tree.root, "rev-parse", "HEAD")
    if status or head != tree.base:
        return True
    await _git(tree.repo, "worktree", "remove", "--force", str(tree.root))
    await _git(tree.repo, "branch", "-D", tree.branch)
    return False

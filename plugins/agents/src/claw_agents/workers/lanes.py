"""Lanes: one branch, one git worktree, one worker at a time; and the policies checked before each task.

A lane is claimed in the shared store (a second live claim is refused) before its worktree is made, so
two workers never share a checkout. The worktree lives under the state dir, not inside the repository.
Policies (settings ``agents.policies``) run before every task delivered to the lane's worker:
``stale`` (the branch lacks ``behindBy`` commits of its base) and ``red`` (the build fails), each
answered by ``rebase``, ``rebuild`` or ``block``. Rebase and rebuild are the ``stale_branch`` and
``compile_red`` recipes, with their one automatic attempt and the ledger.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import claw

from claw_agents.workers import recovery
from claw_agents.workers.config import AgentsPart
from claw_agents.workers.store import Store


def git(cwd: Path, *args: str) -> str:
    """``git args`` in ``cwd``; its stdout, stripped.

    :raises claw.ClawError: naming the command and git's message.
    """
    proc = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        why = (proc.stderr or proc.stdout).strip().splitlines()
        raise claw.ClawError(f"git {' '.join(args)}: {why[-1] if why else f'exit {proc.returncode}'}")
    return proc.stdout.strip()


def open_lane(store: Store, *, cwd: Path, branch: str, base: str | None, holder: str) -> dict[str, Any]:
    """Claim the lane ``branch`` of the repository holding ``cwd`` for ``holder`` and make its worktree.

    :raises claw.ClawError: ``cwd`` is not in a git repository, or git refused.
    :raises claw_agents.workers.store.LaneHeld: another live worker holds the lane.
    """
    if not re.fullmatch(r"[A-Za-z0-9._/-]{1,100}", branch) or ".." in branch:
        raise claw.ClawError(f"lane {branch!r}: a branch name of letters, digits and ._/- is expected")
    try:
        repo = Path(git(cwd, "rev-parse", "--show-toplevel"))
    except claw.ClawError:
        raise claw.ClawError(f"a lane needs a git repository, and {cwd} is not in one") from None
    base = base or git(repo, "rev-parse", "--abbrev-ref", "HEAD")
    slug = re.sub(r"[^A-Za-z0-9]", "-", str(repo))
    worktree = claw.state_dir() / "agents" / "worktrees" / slug / branch.replace("/", "-")
    lane = store.claim_lane(repo=str(repo), branch=branch, base=base, worktree=str(worktree), holder=holder)
    if not (worktree / ".git").exists():
        try:
            exists = bool(git(repo, "branch", "--list", branch))
            if exists:
                git(repo, "worktree", "add", str(worktree), branch)
            else:
                git(repo, "worktree", "add", "-b", branch, str(worktree), base)
        except claw.ClawError:
            store.release_lane(holder)
            raise
    return lane


def behind(lane: Mapping[str, Any]) -> int:
    """How many commits of its base the lane branch lacks."""
    return int(git(Path(lane["worktree"]), "rev-list", "--count", f"HEAD..{lane['base']}"))


def rebase(store: Store, lane: Mapping[str, Any], subject: str) -> bool:
    """The ``stale_branch`` recipe: rebase onto the base; a conflicting rebase is aborted and escalated."""
    where = Path(lane["worktree"])
    steps = [recovery.run_step(["git", "rebase", lane["base"]], where)]
    if steps[0]["exit"] != 0:
        steps.append(recovery.run_step(["git", "rebase", "--abort"], where))
        steps[-1]["exit"] = steps[-1]["exit"] or 1  # the abort restores the branch; the lane is still stale
    return recovery.conclude(
        store, "stale_branch", subject, steps, f"lane {lane['branch']} onto {lane['base']}"
    )


def build(lane: Mapping[str, Any], command: str) -> dict[str, Any]:
    return recovery.run_step(command, Path(lane["worktree"]))


def rebuild(store: Store, lane: Mapping[str, Any], settings: AgentsPart, subject: str) -> bool:
    """The ``compile_red`` recipe: the lane's clean command, then its build command."""
    command = settings.lanes.build
    if not command:
        recovery.escalate(store, "compile_red", subject, "no build command: set agents.lanes.build")
        return False
    steps = [recovery.run_step(settings.lanes.clean, Path(lane["worktree"])), build(lane, command)]
    return recovery.conclude(store, "compile_red", subject, steps, f"lane {lane['branch']}")


def check(store: Store, lane: Mapping[str, Any], settings: AgentsPart, subject: str) -> str | None:
    """Apply the policies before a task; ``None`` when the task may run, else why it may not."""
    for policy in settings.policies:
        if policy.when == "stale":
            count = behind(lane)
            if count < policy.behind_by:
                continue
            why = f"lane {lane['branch']} is {count} commit(s) behind {lane['base']}"
            if policy.then == "rebase" and rebase(store, lane, subject):
                continue
        else:
            if not settings.lanes.build:
                return "policy red needs agents.lanes.build"
            result = build(lane, settings.lanes.build)
            if result["exit"] == 0:
                continue
            why = f"the build of lane {lane['branch']} fails (exit {result['exit']})"
            if policy.then == "rebuild" and rebuild(store, lane, settings, subject):
                continue
        return f"{why}; blocked by policy {policy.when} -> {policy.then}"
    return None

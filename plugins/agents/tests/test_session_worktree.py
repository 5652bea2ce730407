"""``claw -w [NAME]`` (Claude Code's ``-w, --worktree [name]``) end to end, with the scripted model in a
temporary git repository: the session works in ``.claude/worktrees/NAME`` on ``worktree-NAME``, and
the run ends by removing a clean worktree or keeping one with changes (a line on stderr says where)."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
from claw.testing.script import Reply, Text, ToolCall

_AUTHOR = ("-c", "user.email=t@e", "-c", "user.name=t")


def _git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True).stdout


@pytest.fixture
def repo(workspace: Path) -> Path:
    """The workspace as a git repository on ``main`` with one commit holding ``tracked.txt``."""
    _git(workspace, "init", "-q", "-b", "main")
    (workspace / "tracked.txt").write_text("v1\n")
    _git(workspace, "add", "tracked.txt")
    _git(workspace, *_AUTHOR, "commit", "-q", "-m", "base")
    return workspace


def _run(claw: Any, *args: str) -> Any:
    return claw(
        "--model", "scripted/default", "--output-format", "json", "--permission-mode", "acceptEdits", *args
    )


def _user_text(request: dict[str, Any]) -> str:
    return "".join(b.get("text", "") for b in request["messages"][0]["content"])


def test_a_session_in_a_worktree_edits_it_and_not_the_checkout(claw, scripted, repo):
    scripted.script(
        Reply(ToolCall("Read", {"file_path": "tracked.txt"})),
        Reply(ToolCall("Edit", {"file_path": "tracked.txt", "old_string": "v1", "new_string": "v2"})),
        Reply(Text("edited")),
    )
    res = _run(claw, "-p", "edit it", "-w", "feat")
    res.assert_success()
    assert res.json()["result"] == "edited"  # stdout stays the JSON result alone
    tree = repo / ".claude" / "worktrees" / "feat"
    assert (tree / "tracked.txt").read_text() == "v2\n"
    assert (repo / "tracked.txt").read_text() == "v1\n"
    assert _git(repo, "branch", "--show-current") == "main\n"
    assert _git(tree, "branch", "--show-current") == "worktree-feat\n"
    assert f"Working directory: {tree}" in json.dumps(scripted.requests[0]["system"])
    assert f"claw: worktree kept at {tree} (branch worktree-feat)" in res.stderr


def test_a_clean_worktree_is_removed_with_its_branch_when_the_run_ends(claw, scripted, repo):
    scripted.script(Reply(Text("nothing to do")))
    res = _run(claw, "-p", "look", "--worktree", "feat")
    res.assert_success()
    assert str(repo / ".claude" / "worktrees" / "feat") in json.dumps(scripted.requests[0]["system"])
    assert not (repo / ".claude" / "worktrees" / "feat").exists()
    assert len(_git(repo, "worktree", "list").splitlines()) == 1
    assert _git(repo, "branch", "--list", "worktree-feat") == ""
    assert "worktree" not in res.stderr


def test_a_commit_keeps_the_worktree_though_its_files_are_clean(claw, scripted, repo):
    commit = "git add -A && git -c user.email=t@e -c user.name=t commit -q -m child"
    scripted.script(
        Reply(ToolCall("Write", {"file_path": "new.txt", "content": "n\n"})),
        Reply(ToolCall("Bash", {"command": commit})),
        Reply(Text("committed")),
    )
    res = _run(claw, "-p", "commit", "-w", "feat", "--allowed-tools", "Bash")
    res.assert_success()
    tree = repo / ".claude" / "worktrees" / "feat"
    assert (
        _git(tree, "status", "--porcelain") == ""
        and _git(repo, "log", "-1", "--format=%s", "worktree-feat") == "child\n"
    )
    assert f"claw: worktree kept at {tree}" in res.stderr


def test_w_without_a_name_makes_one_up_and_keeps_the_prompt(claw, scripted, repo):
    scripted.script(Reply(ToolCall("Write", {"file_path": "a.txt", "content": "a\n"})), Reply(Text("ok")))
    res = _run(claw, "-p", "the prompt", "-w")
    res.assert_success()
    assert _user_text(scripted.requests[0]) == "the prompt"
    kept = re.search(r"worktree kept at (\S+) \(branch worktree-([a-z]+-[a-z]+-[a-z]+)\)", res.stderr)
    assert kept and Path(kept[1]) == repo / ".claude" / "worktrees" / kept[2]
    assert (Path(kept[1]) / "a.txt").read_text() == "a\n" and not (repo / "a.txt").exists()


def test_w_names_an_existing_worktree_to_resume_a_session_in_it(claw, scripted, repo):
    scripted.script(
        Reply(ToolCall("Write", {"file_path": "a.txt", "content": "a\n"})),
        Reply(Text("first")),
        Reply(Text("second")),
    )
    first = _run(claw, "-p", "one", "-w", "feat")
    first.assert_success()
    again = _run(claw, "-p", "two", "-w", "feat", "--resume", first.json()["session_id"])
    again.assert_success()
    assert again.json()["result"] == "second"
    assert (
        _user_text(scripted.requests[2]) == "one"
    )  # the resumed conversation, found in the worktree's folder
    tree = repo / ".claude" / "worktrees" / "feat"
    assert (tree / "a.txt").exists() and f"claw: worktree kept at {tree}" in again.stderr


def test_w_outside_a_git_repository_is_one_line_and_runs_nothing(claw, scripted, workspace, claw_env):
    from claw import sessions_dir

    res = _run(claw, "-p", "hi", "-w", "feat")
    assert res.exit_code == 1
    assert res.stderr.strip().splitlines() == [
        f"claw: error: --worktree needs a git repository, and {workspace.resolve()} is not in one; "
        "run claw without -w or `git init` first"
    ]
    assert scripted.requests == [] and not sessions_dir(workspace.resolve(), claw_env).exists()


@pytest.mark.parametrize("name", ["a/b", "..", ".x", "x.lock", "a b"])
def test_a_name_that_is_no_folder_or_branch_is_a_usage_error(claw, scripted, repo, name):
    res = _run(claw, "-p", "hi", f"--worktree={name}")
    assert res.exit_code == 2 and "is not a worktree name" in res.stderr
    assert scripted.requests == [] and not (repo / ".claude").exists()


def test_the_repl_works_in_the_worktree_and_keeps_it_with_changes(claw, scripted, repo):
    scripted.script(Reply(ToolCall("Write", {"file_path": "a.txt", "content": "a\n"})), Reply(Text("done")))
    res = claw(
        "--model", "scripted/default", "--permission-mode", "acceptEdits", "--repl", "-w", "feat", "write it"
    )
    res.assert_success()
    tree = repo / ".claude" / "worktrees" / "feat"
    assert (tree / "a.txt").read_text() == "a\n" and not (repo / "a.txt").exists()
    assert f"claw: worktree kept at {tree} (branch worktree-feat)" in res.stderr

"""Recovery recipes on real repositories and real worker processes: a stale lane really rebased, a red
build really rebuilt (and escalated while it stays red), the trust gate re-read, an MCP handshake retried,
a plugin that fails to start; each with its ledger entry."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from claw.testing.script import Reply, Text
from workers_support import repo, settings, sh, store, transitions, wait_for, wait_state


def _lane_worker(store: Any, repo: Path, name: str = "w") -> Any:
    from claw_agents.workers import manager

    # The lane's worktree holds what is committed: the model comes on the command line.
    manager.create(store, name=name, cwd=repo, env=dict(os.environ), lane="feature", model="scripted/default")
    wait_state(store, name, "ready_for_prompt")
    return store.worker(name)


def test_stale_lane_is_rebased_before_its_task(scripted: Any, store: Any, settings: Any, repo: Path) -> None:
    settings({"policies": [{"when": "stale", "behindBy": 1, "then": "rebase"}]})
    worker = _lane_worker(store, repo)
    tree = Path(worker.cwd)
    sh(tree, "echo mine > lane.txt && git add lane.txt && git commit -qm lane-work")
    sh(repo, "echo two >> file.txt && git commit -qam upstream")  # the base moves on: the lane is stale
    assert sh(tree, "git rev-list --count HEAD..main") == "1"

    scripted.script(Reply(Text("worked on a fresh base")))
    store.enqueue(worker.id, "go on")
    assert wait_state(store, "w", "finished").last_result == "worked on a fresh base"
    assert sh(tree, "git rev-list --count HEAD..main") == "0"  # really rebased: main is an ancestor
    assert sh(tree, "git log --format=%s").splitlines() == ["lane-work", "upstream", "one"]
    [entry] = store.ledger(worker.id)
    assert (entry["scenario"], entry["outcome"]) == ("stale_branch", "recovered")
    assert entry["steps"][0]["step"] == "git rebase main" and entry["steps"][0]["exit"] == 0


def test_conflicting_rebase_is_aborted_and_escalated(
    scripted: Any, store: Any, settings: Any, repo: Path
) -> None:
    settings({"policies": [{"when": "stale", "then": "rebase"}]})
    worker = _lane_worker(store, repo)
    tree = Path(worker.cwd)
    sh(tree, "echo lane > file.txt && git commit -qam lane-edit")
    sh(repo, "echo base > file.txt && git commit -qam base-edit")
    store.enqueue(worker.id, "go on")
    wait_for(lambda: store.ledger(worker.id), "a ledger entry")
    [entry] = store.ledger(worker.id)
    assert (entry["scenario"], entry["outcome"]) == ("stale_branch", "escalated")
    assert [s["step"] for s in entry["steps"]] == ["git rebase main", "git rebase --abort"]
    assert sh(tree, "git log -1 --format=%s") == "lane-edit" and not (tree / ".git").is_dir()
    assert sh(tree, "git status --porcelain") == ""  # the abort left the lane as it was
    prompt = wait_for(
        lambda: store.prompts(worker.id)[0]["finished_at"] and store.prompts(worker.id)[0], "a verdict"
    )
    assert prompt["is_error"] == 1 and "blocked by policy stale -> rebase" in prompt["result"]
    assert scripted.requests == []  # the task never reached the model


def test_red_build_is_cleaned_and_rebuilt(scripted: Any, store: Any, settings: Any, repo: Path) -> None:
    # A stale artifact (ignored by git) breaks the build; a clean build fixes it.
    sh(repo, "echo out/ > .gitignore && git add .gitignore && git commit -qm ignore")
    build = f"{sys.executable} -c \"import os,sys; sys.exit(os.path.exists('out/stale'))\" && mkdir -p out && cp file.txt out/app"
    settings({"lanes": {"build": build}, "policies": [{"when": "red", "then": "rebuild"}]})
    worker = _lane_worker(store, repo)
    tree = Path(worker.cwd)
    (tree / "out").mkdir()
    (tree / "out" / "stale").write_text("left over")

    scripted.script(Reply(Text("built and done")))
    store.enqueue(worker.id, "go on")
    assert wait_state(store, "w", "finished").last_result == "built and done"
    assert not (tree / "out" / "stale").exists() and (tree / "out" / "app").read_text() == "one\n"
    [entry] = store.ledger(worker.id)
    assert (entry["scenario"], entry["outcome"]) == ("compile_red", "recovered")
    assert [(s["step"], s["exit"]) for s in entry["steps"]] == [("git clean -fdX", 0), (build, 0)]


def test_red_build_escalates_then_rebuilds_after_the_fix(
    claw: Any, scripted: Any, store: Any, settings: Any, repo: Path
) -> None:
    build = "grep -q good file.txt"
    settings({"lanes": {"build": build}, "policies": [{"when": "red", "then": "rebuild"}]})
    worker = _lane_worker(store, repo)
    tree = Path(worker.cwd)
    store.enqueue(worker.id, "go on")
    wait_for(lambda: store.ledger(worker.id), "a ledger entry")
    [entry] = store.ledger(worker.id)
    # The build failed, the one automatic attempt (clean + build) failed again: escalated, task blocked.
    assert (entry["scenario"], entry["outcome"]) == ("compile_red", "escalated")
    assert [(s["step"], s["exit"]) for s in entry["steps"]] == [("git clean -fdX", 0), (build, 1)]
    prompt = wait_for(
        lambda: store.prompts(worker.id)[0]["finished_at"] and store.prompts(worker.id)[0], "a verdict"
    )
    assert prompt["result"] == "the build of lane feature fails (exit 1); blocked by policy red -> rebuild"

    sh(tree, "echo good > file.txt && git commit -qam fix")
    claw("workers", "recover", "w", "compile_red").assert_success()
    ledger = claw.subprocess("workers", "ledger", "--subject", worker.id, "--json").assert_success().json()
    assert [(r["scenario"], r["outcome"]) for r in ledger] == [
        ("compile_red", "escalated"),
        ("compile_red", "recovered"),
    ]
    assert ledger[-1]["steps"][-1] == {"step": build, "exit": 0, "output": ""}


def test_unresolved_trust_gate_rereads_trust_then_escalates(
    claw: Any, scripted: Any, store: Any, settings: Any, workspace: Path
) -> None:
    from claw_agents.workers import manager

    gate = {"requireTrust": True, "trustTimeout": 1}
    settings({"workers": gate})
    manager.create(store, name="t1", cwd=workspace, env=dict(os.environ))
    wait_for(lambda: store.ledger(), "a ledger entry")
    worker = wait_state(store, "t1", "failed")
    assert worker.failure_class == "trust_gate"
    [entry] = store.ledger(worker.id)
    assert (entry["scenario"], entry["outcome"]) == ("trust_prompt_unresolved", "escalated")

    # The folder becomes trusted while a second worker waits: the recipe reads it and the worker starts.
    manager.create(store, name="t2", cwd=workspace, env=dict(os.environ))
    wait_state(store, "t2", "trust_required")
    settings({"workers": {**gate, "trustedRoots": [str(workspace)]}})
    wait_state(store, "t2", "ready_for_prompt")
    assert transitions(store, "t2") == [
        "spawning",
        "trust_required",
        "failed",
        "spawning",
        "ready_for_prompt",
    ]
    [entry] = store.ledger(store.worker("t2").id)
    assert (entry["scenario"], entry["outcome"]) == ("trust_prompt_unresolved", "recovered")


def test_failed_mcp_handshake_is_retried_then_escalated(scripted: Any, store: Any, workspace: Path) -> None:
    from claw_agents.workers import manager

    server = {"command": sys.executable, "args": ["-c", "import sys; sys.exit(3)"]}
    # the recipe asks `claw mcp get`, which (unlike the headless worker) counts the folder's servers
    # only in a trusted folder: this one is the test's own
    claw_bin = str(Path(sys.executable).with_name("claw"))
    subprocess.run([claw_bin, "trust", str(workspace)], check=True, env=dict(os.environ), capture_output=True)
    (workspace / ".claw").mkdir()
    (workspace / ".claw" / "settings.json").write_text(
        json.dumps({"model": "scripted/default", "mcpServers": {"broken": server}}), encoding="utf-8"
    )
    manager.create(store, name="m", cwd=workspace, env=dict(os.environ))
    wait_for(lambda: store.ledger(), "a ledger entry", timeout=90)
    worker = wait_state(store, "m", "failed")
    assert (worker.failure_class, worker.failure) == ("protocol", "MCP server(s) failed to connect: broken")
    [entry] = store.ledger(worker.id)
    assert (entry["scenario"], entry["outcome"]) == ("mcp_handshake_failure", "escalated")
    [step] = entry["steps"]
    assert step["step"].endswith("mcp get broken --json") and step["exit"] == 1
    assert json.loads(step["output"])["status"] == "failed"


def test_partial_plugin_startup_restarts_once_then_escalates(
    scripted: Any, store: Any, settings: Any, workspace: Path, plugin_module: Any
) -> None:
    from claw_agents.workers import manager

    plugin_module("broken_plugin", "raise RuntimeError('cannot start')\n")
    manager.create(store, name="p", cwd=workspace, env=dict(os.environ))
    wait_for(lambda: store.ledger(), "a ledger entry")
    worker = wait_state(store, "p", "failed")
    assert transitions(store, "p") == ["spawning", "failed", "spawning", "failed"]
    assert 'plugin "broken_plugin"' in (worker.failure or "")
    [entry] = store.ledger(worker.id)
    assert (entry["scenario"], entry["outcome"]) == ("partial_plugin_startup", "escalated")
    assert [s["step"] for s in entry["steps"]] == ["restart the worker"]

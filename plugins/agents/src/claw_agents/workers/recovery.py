"""The seven named failure scenarios, the steps their recipes run, and the ledger they end in.

A recipe is real work (a ``git rebase``, a clean build, an MCP handshake, a process restart); each step
is a command whose argv, exit code and output tail go into the ledger. A failure gets one automatic
attempt; when the attempt fails, or the same failure comes back before the task is done, the failure is
escalated: recorded in the ledger (``claw workers ledger``) and left for a human.
"""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

from claw_agents.workers.store import Store

#: Scenario -> what its recipe does (``claw workers ledger`` and docs/agents.md use these words).
SCENARIOS: dict[str, str] = {
    "trust_prompt_unresolved": "re-read the trust settings; start the worker if its folder is now trusted",
    "prompt_misdelivery": "restart the worker and deliver the prompt again",
    "stale_branch": "rebase the lane branch onto its base (aborted on conflict)",
    "compile_red": "run the lane's clean command, then its build command again",
    "mcp_handshake_failure": "retry the MCP handshake with `claw mcp get`, then restart the worker",
    "partial_plugin_startup": "restart the worker so its plugins load again",
    "provider_failure": "restart the worker on its session and deliver the prompt again",
}

#: Failure class -> scenario, as claw-code's ``FailureScenario::from_worker_failure_kind``.
FROM_FAILURE = {
    "trust_gate": "trust_prompt_unresolved",
    "prompt_delivery": "prompt_misdelivery",
    "protocol": "mcp_handshake_failure",
    "provider": "provider_failure",
}

_TAIL = 2000


def run_step(argv: list[str] | str, cwd: Path) -> dict[str, Any]:
    """Run one recipe step (a string runs in the shell) and return what the ledger keeps of it."""
    proc = subprocess.run(
        argv,
        cwd=cwd,
        shell=isinstance(argv, str),
        capture_output=True,
        text=True,
        errors="replace",
        check=False,
    )
    output = (proc.stdout + proc.stderr).strip()
    return {
        "step": argv if isinstance(argv, str) else " ".join(argv),
        "exit": proc.returncode,
        "output": output[-_TAIL:],
    }


def conclude(
    store: Store, scenario: str, subject: str, steps: list[dict[str, Any]], detail: str = ""
) -> bool:
    """Record the outcome of one automatic attempt: ``recovered`` when every step exited 0, else
    ``escalated``; returns whether it recovered."""
    ok = all(step["exit"] == 0 for step in steps)
    store.record(scenario, subject, "recovered" if ok else "escalated", steps, detail)
    return ok


def escalate(
    store: Store, scenario: str, subject: str, detail: str, steps: list[dict[str, Any]] | None = None
) -> None:
    """The failure came back after its automatic attempt (``steps``): record it for a human, try nothing more."""
    store.record(scenario, subject, "escalated", steps or [], detail)

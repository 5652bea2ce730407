"""Worker benchmark: how long a worker takes to become ready, and a prompt's round trip through it.

For each run, in a temporary state dir with the scripted model:

- create-to-ready: from ``manager.create`` returning to the record saying ``ready_for_prompt`` (a host
  process started, the ``claw`` child started and answered the stream-json ``initialize`` request);
- prompt round trip: from queueing a prompt to its result recorded (delivery, echo, one model turn).

Run: ``uv run python benchmarks/workers.py [--runs 5]``. Prints medians and maxima in ms.
Targets: create-to-ready median under 3000 ms (a host interpreter and claw's own start-up, on an idle
2-core machine), round trip median under 1000 ms; exits 1 when one is missed.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import tempfile
import time
from pathlib import Path

from claw.testing import isolated_env
from claw.testing.script import Reply, Text
from claw.testing.scripted_provider import write_script

READY_TARGET = 3.0
ROUND_TRIP_TARGET = 1.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    ready: list[float] = []
    trips: list[float] = []
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        env = isolated_env(root / "env")
        script = root / "script.json"
        write_script(script, [Reply(Text(f"answer {i}")) for i in range(args.runs)])
        env.update(CLAW_PLUGIN_MODULES="claw.testing.scripted_provider", CLAW_SCRIPT=str(script))
        os.environ.update(env)
        workspace = root / "workspace"
        (workspace / ".claw").mkdir(parents=True)
        (workspace / ".claw" / "settings.json").write_text(json.dumps({"model": "scripted/default"}))

        from claw_agents.workers import manager
        from claw_agents.workers.store import Store, db_path

        store = Store(db_path(env))
        for i in range(args.runs):
            start = time.perf_counter()
            worker = manager.create(store, name=f"bench{i}", cwd=workspace, env=env)
            while store.worker(worker.id).state not in ("ready_for_prompt", "failed"):
                time.sleep(0.005)
            ready.append(time.perf_counter() - start)
            start = time.perf_counter()
            prompt_id = store.enqueue(worker.id, "hi")
            while (
                store.prompt(prompt_id)["finished_at"] is None and store.worker(worker.id).state != "failed"
            ):
                time.sleep(0.005)
            trips.append(time.perf_counter() - start)
            assert store.worker(worker.id).state == "finished", store.events(worker.id)
            manager.terminate(store, worker.id)
    missed = 0
    for label, values, target in (
        ("create-to-ready", ready, READY_TARGET),
        ("round trip", trips, ROUND_TRIP_TARGET),
    ):
        median = statistics.median(values)
        ok = median < target
        missed += not ok
        print(
            f"{label}: median {median * 1000:.0f} ms, max {max(values) * 1000:.0f} ms "
            f"(target {target * 1000:.0f} ms: {'ok' if ok else 'MISSED'})"
        )
    return 1 if missed else 0


if __name__ == "__main__":
    raise SystemExit(main())

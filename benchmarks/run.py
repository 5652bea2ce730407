"""Run every benchmark in this folder, one after another, and report which missed its target.

Run: ``uv run python benchmarks/run.py``. Each benchmark is a script printing its own figures and
exiting non-zero when it misses a target.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def main() -> int:
    here = Path(__file__).parent
    missed = []
    for script in sorted(here.glob("*.py")):
        if script.name == "run.py" or script.name.startswith("_"):
            continue
        print(f"== {script.name}", flush=True)
        if subprocess.run([sys.executable, str(script)]).returncode != 0:
            missed.append(script.name)
    print(f"== {len(missed)} missed a target" + (f": {', '.join(missed)}" if missed else ""))
    return 1 if missed else 0


if __name__ == "__main__":
    raise SystemExit(main())

"""LSP benchmark: pylsp on a generated 20-module project, through claw-lsp's public pieces (the
``LSP`` tool and its ``claw_tool_result`` hook, with a real :class:`claw.ToolContext`).

Measures: the first answer (server cold start: spawn, ``initialize``, first ``goToDefinition``); warm
query latency per operation, split into the server's own time (the bare request) and what claw adds
(syncing the file, formatting); and the time diagnostics collection adds to an Edit, for an edit
that introduces an error and for one that does not.

Run: ``uv run python benchmarks/lsp.py [--queries 30] [--wait-ms 2000]``. Prints medians in ms.
Targets (exit 1 when missed): claw adds under 50 ms to a warm query (median), and no edit is
delayed by more than the configured wait (``lsp.diagnosticsWaitMs``) plus 100 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import claw
from claw_lsp import plugin
from claw_lsp._state import MANAGER
from claw_lsp._tool import LspTool

OVERHEAD_TARGET_MS = 50.0
EDIT_MARGIN_MS = 100.0


def make_project(root: Path, modules: int = 20) -> None:
    for i in range(modules):
        body = [f"from mod{i - 1} import func{i - 1}\n" if i else ""]
        body.append(f'def func{i}(x: int) -> int:\n    """Function {i}."""\n')
        body.append(f"    return func{i - 1}(x) + 1\n" if i else "    return x\n")
        body.append(f"\n\nclass Thing{i}:\n    def method(self) -> int:\n        return func{i}({i})\n")
        (root / f"mod{i}.py").write_text("".join(body))


def ms(seconds: float) -> float:
    return round(seconds * 1000, 1)


async def main(queries: int, wait_ms: int) -> int:
    root = Path(tempfile.mkdtemp(prefix="claw-lsp-bench-"))
    make_project(root)
    settings = {
        "lspServers": {
            "pylsp": {
                "command": sys.executable,
                "args": ["-m", "pylsp"],
                "extensionToLanguage": {".py": "python"},
            }
        },
        "lsp": {"diagnosticsWaitMs": wait_ms},
    }
    env = dict(os.environ)
    # as in a session: the tool's stash is the session's, so claw_session_end finds the servers
    session = claw.SessionContext(session_id="bench", workspace=root, settings=settings, env=env)
    ctx = claw.ToolContext(
        workspace=root, session_id="bench", settings=settings, env=env, stash=session.stash
    )
    tool = LspTool()
    target = root / "mod10.py"

    async def call(op: str, line: int, character: int) -> float:
        start = time.perf_counter()
        result = await tool.run(
            {"operation": op, "filePath": "mod10.py", "line": line, "character": character}, ctx
        )
        if result.is_error:
            raise SystemExit(f"{op} failed: {result.content}")
        return time.perf_counter() - start

    cold = await call("goToDefinition", 4, 12)
    manager = ctx.stash[MANAGER]
    server = next(iter(manager.servers.values()))
    ops = {"goToDefinition": (4, 12), "findReferences": (2, 5), "hover": (4, 12), "documentSymbol": (1, 1)}
    print(f"cold start (spawn + initialize + first goToDefinition): {ms(cold)} ms")
    worst = 0.0
    for op, (line, character) in ops.items():
        await call(op, line, character)  # warm this operation's caches
        whole, own = [], []
        for _ in range(queries):
            waited = server.request_seconds
            whole.append(await call(op, line, character))
            own.append(whole[-1] - (server.request_seconds - waited))
        added = statistics.median(own)
        worst = max(worst, added)
        print(
            f"warm {op}: {ms(statistics.median(whole))} ms median, p90 {ms(sorted(whole)[int(queries * 0.9) - 1])} ms; "
            f"claw adds {ms(added)} ms (median, the rest is the server's own time)"
        )

    async def edit(new_text: str) -> float:
        target.write_text(new_text)
        start = time.perf_counter()
        pending = plugin.claw_tool_result(
            tool_name="Edit", tool_input={"file_path": str(target)}, result=claw.ToolResult(), ctx=ctx
        )
        added = await pending if pending is not None else None
        elapsed = time.perf_counter() - start
        if "undefined_name" in new_text and "undefined_name" not in (added or ""):
            raise SystemExit("the new error was not reported")
        return elapsed

    original = target.read_text()
    broken, clean = [], []
    for i in range(5):
        broken.append(await edit(original + f"\nprint(undefined_name{i})\n"))
        clean.append(await edit(original + f"\n# edit {i}\n"))
    target.write_text(original)
    print(
        f"edit with a new error: diagnostics add {ms(statistics.median(broken))} ms median (max {ms(max(broken))})"
    )
    print(
        f"edit without one:      diagnostics add {ms(statistics.median(clean))} ms median (max {ms(max(clean))})"
    )
    start = time.perf_counter()
    await plugin.claw_session_end(session)
    print(f"shutdown: {ms(time.perf_counter() - start)} ms, state {server.state}")

    failed = []
    if worst * 1000 > OVERHEAD_TARGET_MS:
        failed.append(f"claw adds {ms(worst)} ms to a warm query (target < {OVERHEAD_TARGET_MS:g} ms)")
    if max(broken + clean) * 1000 > wait_ms + EDIT_MARGIN_MS:
        failed.append(
            f"an edit was delayed {ms(max(broken + clean))} ms (target <= {wait_ms} + {EDIT_MARGIN_MS:g} ms)"
        )
    for line in failed:
        print(f"MISSED: {line}")
    return 1 if failed else 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--queries", type=int, default=30)
    parser.add_argument("--wait-ms", type=int, default=2000)
    args = parser.parse_args()
    raise SystemExit(asyncio.run(main(args.queries, args.wait_ms)))

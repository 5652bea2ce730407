"""The worker host: a small detached process that owns one worker's ``claw`` child and walks its states.

``python -m claw_agents.workers.host WORKER_ID`` (started by :mod:`claw_agents.workers.manager`) runs
``claw -p --input-format stream-json --output-format stream-json --verbose --replay-user-messages`` in
the worker's folder and records every transition in the store:

``spawning`` (the child starts) -> ``trust_required`` (only when the folder needs approval) ->
``ready_for_prompt`` (the stream-json ``initialize`` handshake answered) -> ``running`` (a prompt from the
inbox delivered and echoed back) -> ``finished`` (its ``result`` line) -> ``running`` again for the next
prompt, or ``failed`` with a class: ``trust_gate``, ``prompt_delivery``, ``protocol``, ``provider``.

A failure gets its scenario's recipe once (:mod:`claw_agents.workers.recovery`); the host then starts
the child again (resuming its session) and re-delivers the unfinished prompt. A second failure before
that prompt finishes is escalated and the host exits, leaving the worker ``failed``.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import re
import shutil
import signal
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from claw_agents.workers import recovery
from claw_agents.workers.store import Store, Worker, db_path

if TYPE_CHECKING:
    from claw_agents.workers.config import WorkerSettings

_POLL = 0.1
#: ``claw: warning: plugin "x" (dist 1.0) failed to import: ...; skipped``: a plugin that did not start.
_PLUGIN_FAILED = re.compile(r'^claw: warning: (plugin "[^"]+".*(?:skipped|rejected))\s*$')


class Failure(Exception):
    """The worker failed: its class, what happened, and the scenario evidence points at."""

    def __init__(
        self, failure_class: str, detail: str, scenario: str | None = None, servers: tuple[str, ...] = ()
    ):
        super().__init__(detail)
        self.failure_class = failure_class
        self.detail = detail
        self.scenario = scenario or recovery.FROM_FAILURE[failure_class]
        self.servers = servers


def claw_executable() -> str:
    """The ``claw`` next to this interpreter (the same installation), else the one on ``PATH``."""
    here = Path(sys.executable).with_name("claw")
    return str(here) if here.exists() else (shutil.which("claw") or "claw")


class Host:
    def __init__(self, store: Store, worker_id: str) -> None:
        self.store = store
        self.id = worker_id
        self.proc: asyncio.subprocess.Process | None = None
        self.lines: asyncio.Queue[dict[str, Any] | None] = asyncio.Queue()
        self.plugin_failures: list[str] = []
        #: Scenarios whose automatic attempt the current prompt has used.
        self.attempted: set[str] = set()
        #: The attempt under way (scenario, steps, failure), concluded once the worker is ready again.
        self.pending: tuple[str, list[dict[str, Any]], str] | None = None
        #: The handshake is done: a process that ends now ends mid-work (``provider``), not at start.
        self.ready = False

    @property
    def worker(self) -> Worker:
        return self.store.worker(self.id)

    async def main(self) -> int:
        self.store.update(self.id, host_pid=os.getpid())
        while True:
            try:
                await self.session()
                return 0
            except Failure as failure:
                await self.stop_child()
                self.store.transition(self.id, "failed", failure.detail, failure.failure_class)
                if self.worker.stop_requested:
                    return 0
                if not self.recover(failure):
                    return 1
            except Exception as exc:  # settings that do not validate, a bug: recorded, never silent
                await self.stop_child()
                self.store.transition(self.id, "failed", f"the worker's host stopped: {exc}", "protocol")
                raise

    # -- one child process ----------------------------------------------------------------------

    async def session(self) -> None:
        worker = self.worker
        argv = [claw_executable(), "-p", "--verbose", "--input-format", "stream-json"]
        argv += ["--output-format", "stream-json", "--replay-user-messages"]
        if worker.model:
            argv += ["--model", worker.model]
        if worker.permission_mode:
            argv += ["--permission-mode", worker.permission_mode]
        if worker.session_id and any(p["delivered_at"] for p in self.store.prompts(self.id)):
            argv += ["--resume", worker.session_id]  # a session is saved once a prompt has reached it
        self.store.transition(self.id, "spawning", " ".join(argv[1:]))
        self.plugin_failures = []
        self.lines = asyncio.Queue()
        env = {**os.environ, "CLAW_WORKER_ID": self.id}
        if worker.team:  # the team's members share one task list (TaskCreate, TaskList, ...)
            env["CLAW_TASK_LIST_ID"] = f"team-{worker.team}"
        self.proc = await asyncio.create_subprocess_exec(
            *argv,
            cwd=worker.cwd,
            env=env,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            limit=16 * 1024 * 1024,
        )
        self.store.update(self.id, pid=self.proc.pid)
        readers = [asyncio.create_task(self._stdout()), asyncio.create_task(self._stderr())]
        try:
            from claw_agents.workers import config  # pydantic and settings load after the child started

            settings = config.load(Path(worker.cwd), os.environ)
            await self.gate(settings.workers)
            await self.handshake(settings.workers.ready_timeout)
            await self.serve(settings.workers.ready_timeout)
        finally:
            for task in readers:
                task.cancel()

    async def _stdout(self) -> None:
        assert self.proc and self.proc.stdout
        async for raw in self.proc.stdout:
            line = raw.decode("utf-8", "replace").strip()
            if not line:
                continue
            try:
                data = json.loads(line)
            except ValueError:
                data = {"type": "_garbage", "line": line[:200]}
            self.lines.put_nowait(
                data if isinstance(data, dict) else {"type": "_garbage", "line": line[:200]}
            )
        self.lines.put_nowait(None)

    async def _stderr(self) -> None:
        assert self.proc and self.proc.stderr
        log = db_path().parent / "logs" / f"{self.id}.log"
        log.parent.mkdir(parents=True, exist_ok=True)
        with log.open("ab") as out:
            async for raw in self.proc.stderr:
                out.write(raw)
                out.flush()
                match = _PLUGIN_FAILED.match(raw.decode("utf-8", "replace"))
                if match:
                    self.plugin_failures.append(match.group(1))

    async def _next(self, timeout: float) -> dict[str, Any]:
        """The next stdout message, or ``{}`` when none came within ``timeout``.

        :raises Failure: the child exited (``None`` on the queue).
        """
        try:
            data = await asyncio.wait_for(self.lines.get(), timeout)
        except TimeoutError:
            return {}
        if data is None:
            code = await self.proc.wait() if self.proc else None
            how = f"killed by signal {-code}" if code is not None and code < 0 else f"exit {code}"
            raise Failure("provider" if self.ready else "protocol", f"the worker process ended ({how})")
        if data.get("type") == "_garbage":
            raise Failure("protocol", f"not stream-json on the worker's stdout: {data['line']}")
        return data

    async def gate(self, settings: WorkerSettings) -> None:
        from claw_agents.workers import config

        self.ready = False
        why = None if self.worker.approved else config.trust_needed(Path(self.worker.cwd), settings)
        if why is None:
            return
        self.store.transition(self.id, "trust_required", why)
        deadline = time.monotonic() + settings.trust_timeout
        while not self.worker.approved:
            if time.monotonic() > deadline:
                raise Failure("trust_gate", f"not approved within {settings.trust_timeout:g}s: {why}")
            if self.worker.stop_requested:
                return
            await asyncio.sleep(_POLL * 2)
        self.store.note(self.id, "approved", "the folder was approved")

    async def handshake(self, timeout: float) -> None:
        self._send(
            {"type": "control_request", "request_id": "host-init", "request": {"subtype": "initialize"}}
        )
        deadline = time.monotonic() + timeout
        failed: dict[str, str] = {}
        while True:
            if time.monotonic() > deadline:
                raise Failure(
                    "protocol", f"no answer to the stream-json initialize request within {timeout:g}s"
                )
            data = await self._next(deadline - time.monotonic())
            if data.get("type") == "system" and data.get("subtype") == "init":
                servers = data.get("mcp_servers") or []
                self.store.update(self.id, session_id=data.get("session_id"), mcp=json.dumps(servers))
                failed = {s["name"]: s.get("status", "") for s in servers if s.get("status") == "failed"}
            elif data.get("type") == "control_response":
                response = data.get("response") or {}
                if response.get("request_id") == "host-init":
                    if response.get("subtype") != "success":
                        raise Failure("protocol", f"initialize refused: {response.get('error')}")
                    break
        await asyncio.sleep(0)  # let stderr's reader see what the child printed while it started
        if failed:
            raise Failure(
                "protocol", f"MCP server(s) failed to connect: {', '.join(failed)}", servers=tuple(failed)
            )
        if self.plugin_failures:
            raise Failure("protocol", "; ".join(self.plugin_failures), scenario="partial_plugin_startup")
        self.ready = True
        self._recovered()
        self.store.transition(self.id, "ready_for_prompt", f"pid {self.proc.pid if self.proc else '?'}")

    async def serve(self, timeout: float) -> None:
        while True:
            worker = self.worker
            if worker.stop_requested:
                await self.stop_child()
                self.store.transition(self.id, "finished", "terminated")
                return
            prompt = self.store.next_prompt(self.id)
            if prompt is None:
                await self._next(_POLL)  # an exit while idle is a failure too
                continue
            await self.run_prompt(prompt, timeout)

    async def run_prompt(self, prompt: dict[str, Any], timeout: float) -> None:
        lane = self.store.lane_of(self.id)
        if lane is not None:
            from claw_agents.workers import config, lanes

            settings = config.load(Path(lane["repo"]), os.environ)  # the checkout the lane was opened from
            blocked = await asyncio.to_thread(lanes.check, self.store, lane, settings, self.id)
            if blocked:
                self.store.mark_prompt(prompt["id"], finished_at=time.time(), result=blocked, is_error=1)
                self.store.note(self.id, "blocked", blocked)
                return
        text = prompt["text"]
        self.store.mark_prompt(prompt["id"], delivered_at=time.time(), attempts=prompt["attempts"] + 1)
        try:
            self._send({"type": "user", "message": {"role": "user", "content": text}})
        except (BrokenPipeError, ConnectionResetError) as exc:
            raise Failure("prompt_delivery", f"prompt {prompt['id']} not delivered: {exc}") from None
        deadline = time.monotonic() + timeout
        while True:  # the replayed user message is the child's receipt for the prompt
            if time.monotonic() > deadline:
                raise Failure(
                    "prompt_delivery", f"prompt {prompt['id']} was not acknowledged in {timeout:g}s"
                )
            data = await self._next(deadline - time.monotonic())
            if data.get("type") == "user" and data.get("isReplay"):
                if (data.get("message") or {}).get("content") != text:
                    raise Failure(
                        "prompt_delivery", f"prompt {prompt['id']}: the worker echoed another prompt"
                    )
                break
        who = f" from {prompt['sender']}" if prompt["sender"] else ""
        self.store.transition(
            self.id, "running", f"prompt {prompt['id']}{who}: {prompt['summary'] or text[:80]}"
        )
        while True:
            data = await self._next(3600)
            if data.get("type") == "assistant":
                said = [
                    b.get("text", "") for b in data["message"].get("content", []) if b.get("type") == "text"
                ]
                calls = [
                    b.get("name", "")
                    for b in data["message"].get("content", [])
                    if b.get("type") == "tool_use"
                ]
                self.store.note(
                    self.id, "assistant", " ".join(said)[:500] + "".join(f" [{c}]" for c in calls)
                )
            elif data.get("type") == "result":
                break
        result = str(data.get("result") or "")
        if data.get("is_error") and data.get("api_error_status"):
            raise Failure("provider", f"prompt {prompt['id']}: {result}")
        self.attempted.clear()
        self.store.finish(self.id, prompt["id"], result, bool(data.get("is_error")))

    def _send(self, data: dict[str, Any]) -> None:
        assert self.proc and self.proc.stdin
        self.proc.stdin.write((json.dumps(data, ensure_ascii=False) + "\n").encode())

    async def stop_child(self) -> None:
        proc, self.proc = self.proc, None
        if proc is None or proc.returncode is not None:
            return
        with contextlib.suppress(ProcessLookupError, OSError):
            assert proc.stdin
            proc.stdin.close()
        try:
            await asyncio.wait_for(proc.wait(), 5)
        except TimeoutError:
            with contextlib.suppress(ProcessLookupError):
                proc.kill()
            await proc.wait()

    # -- recovery -------------------------------------------------------------------------------

    def recover(self, failure: Failure) -> bool:
        """The one automatic attempt for ``failure``'s scenario; ``False`` once it is escalated."""
        scenario = failure.scenario
        if scenario in self.attempted:
            pending, self.pending = self.pending, None
            steps = pending[1] if pending is not None and pending[0] == scenario else []
            recovery.escalate(self.store, scenario, self.id, f"failed again: {failure.detail}", steps)
            return False
        self.attempted.add(scenario)
        steps: list[dict[str, Any]] = []
        cwd = Path(self.worker.cwd)
        if scenario == "trust_prompt_unresolved":
            from claw_agents.workers import config

            settings = config.load(cwd, os.environ)
            why = config.trust_needed(cwd, settings.workers)
            steps.append(
                {"step": "re-read agents.workers.trustedRoots", "exit": 1 if why else 0, "output": why or ""}
            )
            if why is None:
                self.store.update(self.id, approved=1)
        for server in failure.servers:  # a fresh handshake with each server that failed
            step = recovery.run_step([claw_executable(), "mcp", "get", server, "--json"], cwd)
            if step["exit"] == 0 and '"status": "connected"' not in step["output"]:
                step["exit"] = 1
            steps.append(step)
        if all(step["exit"] == 0 for step in steps):
            steps.append({"step": "restart the worker", "exit": 0, "output": ""})
            self.pending = (scenario, steps, failure.detail)
            self.store.note(self.id, "recovery", f"{scenario}: {recovery.SCENARIOS[scenario]}")
            return True
        recovery.conclude(self.store, scenario, self.id, steps, failure.detail)
        return False

    def _recovered(self) -> None:
        """The restarted worker is ready again: its recipe worked."""
        if self.pending is not None:
            scenario, steps, detail = self.pending
            self.pending = None
            recovery.conclude(self.store, scenario, self.id, steps, detail)


def main() -> int:
    worker_id = sys.argv[1]
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    return asyncio.run(Host(Store(db_path()), worker_id).main())


if __name__ == "__main__":
    sys.exit(main())

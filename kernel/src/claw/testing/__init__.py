"""Test helpers for claw and for plugin authors.

Installed as a pytest plugin (entry point ``pytest11``), so these fixtures are available in any
test suite once ``claw-kernel`` is installed:

- ``claw_env``: an isolated environment: config, state and home directories under ``tmp_path``, no
  provider credentials from the real environment, and no managed settings.
- ``workspace``: an empty workspace directory.
- ``claw``: a :class:`ClawRunner` that runs the CLI in-process (``claw("doctor")``) or as a real
  subprocess (``claw.subprocess("doctor")``), both in that environment.
- ``plugin_module``: writes a plugin module to a temporary directory and loads it in both kinds of run
  through ``CLAW_PLUGIN_MODULES`` (no packaging needed).

:func:`imported_modules` tells which modules importing a given module pulls in; :func:`assert_import_light`
checks with it that a plugin's entry-point module stays light. :mod:`claw.testing.venvs` builds real
wheels and fresh virtual environments with ``uv``.

Scripted replies and faults (:mod:`claw.testing.script`: ``Reply``/``Text``/``ToolCall``/``Fault``) drive
both the in-process ``scripted`` provider and the vendor mock servers (``anthropic_server``,
``openai_server``, ... fixtures), which live in the separate test kit ``claw-testkit``
(import package ``claw_testkit``) so the kernel carries no vendor wire format.

:func:`stream_events` runs one :meth:`claw.Provider.stream` call to completion from synchronous tests.
:func:`process_alive` and :func:`processes_gone` tell whether a child process claw started has ended;
:func:`wait_for` polls for any other condition.
:mod:`claw.testing.permissions` (and the ``permission_folder`` fixture) serves tables of permission cases.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager, redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path
from typing import Any

#: Environment variables scrubbed from isolated runs so no test reaches a real provider.
CREDENTIAL_VARS = (
    "ANTHROPIC_API_KEY",
    "ANTHROPIC_AUTH_TOKEN",
    "ANTHROPIC_MODEL",
    "CLAUDE_CODE_USE_BEDROCK",
    "CLAUDE_CODE_USE_VERTEX",
    "CLAUDE_CODE_USE_FOUNDRY",
    "ANTHROPIC_BASE_URL",
    "OPENAI_API_KEY",
    "OPENAI_BASE_URL",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_PROFILE",
    "AWS_ENDPOINT_URL_BEDROCK_RUNTIME",
    "AWS_DEFAULT_PROFILE",
    "AWS_BEARER_TOKEN_BEDROCK",
    "AWS_SHARED_CREDENTIALS_FILE",
    "AWS_CONFIG_FILE",
    "AWS_ENDPOINT_URL",
    "AWS_WEB_IDENTITY_TOKEN_FILE",
    "AWS_ROLE_ARN",
    "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
    "AWS_CONTAINER_CREDENTIALS_FULL_URI",
    "GOOGLE_APPLICATION_CREDENTIALS",
    "GOOGLE_CLOUD_PROJECT",
    "GCLOUD_PROJECT",
    "CLOUDSDK_CORE_PROJECT",
    "CLOUDSDK_CONFIG",
    "ANTHROPIC_VERTEX_PROJECT_ID",
    "ANTHROPIC_VERTEX_BASE_URL",
    "GOOGLE_VERTEX_BASE_URL",
    "AZURE_OPENAI_API_KEY",
    "AZURE_OPENAI_ENDPOINT",
    "ANTHROPIC_FOUNDRY_API_KEY",
    "ANTHROPIC_FOUNDRY_RESOURCE",
    "ANTHROPIC_FOUNDRY_BASE_URL",
    "AZURE_CLIENT_ID",
    "AZURE_CLIENT_SECRET",
    "AZURE_TENANT_ID",
    "AZURE_FEDERATED_TOKEN_FILE",
    "AZURE_CONFIG_DIR",
    "IDENTITY_ENDPOINT",
    "IDENTITY_HEADER",
    "MSI_ENDPOINT",
    "CLAW_PLUGINS",
    "CLAW_DISABLE_PLUGINS",
    "CLAW_PLUGIN_MODULES",
    "CLAW_MARKETPLACE_URL",
    "CLAW_REQUIRE_SIGNED",
)


@dataclass
class RunResult:
    """The outcome of one ``claw`` run."""

    exit_code: int
    stdout: str
    stderr: str
    args: Sequence[str] = ()

    def json(self) -> Any:
        """``stdout`` parsed as one JSON document."""
        return json.loads(self.stdout)

    def json_lines(self) -> list[Any]:
        """``stdout`` parsed as NDJSON (``--output-format stream-json``)."""
        return [json.loads(line) for line in self.stdout.splitlines() if line.strip()]

    def assert_success(self) -> RunResult:
        assert self.exit_code == 0, (
            f"claw {' '.join(self.args)} exited {self.exit_code}\nstderr:\n{self.stderr}\nstdout:\n{self.stdout}"
        )
        return self

    def assert_failure(self, code: int = 1, message: str | None = None) -> RunResult:
        assert self.exit_code == code, f"expected exit {code}, got {self.exit_code}\nstderr:\n{self.stderr}"
        if message is not None:
            assert message in self.stderr, f"{message!r} not in stderr:\n{self.stderr}"
        return self


def isolated_env(root: Path, base: Mapping[str, str] | None = None) -> dict[str, str]:
    """An environment whose config, state and home live under ``root``."""
    env = dict(os.environ if base is None else base)
    for var in (*CREDENTIAL_VARS, "CLAUDE_CONFIG_DIR"):
        env.pop(var, None)
    for name in ("home", "config", "state", "cache"):
        (root / name).mkdir(parents=True, exist_ok=True)
    env.update(
        HOME=str(root / "home"),
        XDG_CONFIG_HOME=str(root / "config"),
        XDG_STATE_HOME=str(root / "state"),
        XDG_CACHE_HOME=str(root / "cache"),
        CLAW_CONFIG_DIR=str(root / "config" / "claw"),
        CLAW_STATE_DIR=str(root / "state" / "claw"),
    )
    return env


class ClawRunner:
    """Runs ``claw`` against one environment and workspace.

    ``runner("doctor", "--json")`` runs in-process (fast; the same interpreter and imports);
    ``runner.subprocess(...)`` runs the installed console script, as a user would.
    """

    def __init__(self, env: dict[str, str], workspace: Path, managed_settings: Path | None = None) -> None:
        self.env = env
        self.workspace = workspace
        #: Where in-process runs read managed settings instead of ``/etc/claw`` (write it to test policies).
        self.managed_settings = managed_settings or Path(env["HOME"]).parent / "managed-settings.json"

    def _args(self, args: Sequence[str | os.PathLike[str]]) -> list[str]:
        return [str(a) for a in args]

    def __call__(
        self, *args: str | os.PathLike[str], input: str | None = None, cwd: Path | None = None
    ) -> RunResult:
        from claw import _console as console
        from claw import _paths as paths
        from claw._cli import cli
        from claw._cli._errors import run

        argv = self._args(args)
        out, err = io.StringIO(), io.StringIO()
        saved_env = dict(os.environ)
        saved_cwd = os.getcwd()
        saved_stdin = sys.stdin
        os.environ.clear()
        os.environ.update(self.env)
        os.chdir(cwd or self.workspace)
        sys.stdin = io.StringIO(input or "")
        saved_managed, paths.MANAGED_SETTINGS = paths.MANAGED_SETTINGS, self.managed_settings
        # Each run warns as a new process would: a warning given once per process, given by an earlier
        # run in this one, still shows (restored after, for the test's own process).
        saved_seen = set(console._seen)
        console._seen.clear()
        try:
            with redirect_stdout(out), redirect_stderr(err):
                code = run(cli, argv)
        finally:
            os.environ.clear()
            os.environ.update(saved_env)
            os.chdir(saved_cwd)
            sys.stdin = saved_stdin
            paths.MANAGED_SETTINGS = saved_managed
            console._seen.clear()
            console._seen.update(saved_seen)
        return RunResult(code, out.getvalue(), err.getvalue(), argv)

    def subprocess(
        self,
        *args: str | os.PathLike[str],
        input: str | bytes | None = None,
        cwd: Path | None = None,
        timeout: float = 120,
        executable: str | os.PathLike[str] | None = None,
    ) -> RunResult:
        """Run the ``claw`` console script next to this interpreter (or ``executable``).

        ``input`` as bytes goes to stdin unchanged (input that is not UTF-8); stdout and stderr are then
        decoded strictly as UTF-8, so output that is not valid UTF-8 fails the test."""
        exe = str(executable or Path(sys.executable).with_name("claw"))
        argv = self._args(args)
        raw = isinstance(input, bytes)
        proc = subprocess.run(
            [exe, *argv],
            input=input or ("" if not raw else b""),
            capture_output=True,
            text=not raw,
            env=self.env,
            cwd=cwd or self.workspace,
            timeout=timeout,
        )
        out, err = (proc.stdout.decode(), proc.stderr.decode()) if raw else (proc.stdout, proc.stderr)
        return RunResult(proc.returncode, out, err, argv)

    def popen(
        self, *args: str | os.PathLike[str], cwd: Path | None = None, **kwargs: Any
    ) -> subprocess.Popen[str]:
        """Start ``claw`` without waiting (for kill-mid-turn tests)."""
        exe = str(Path(sys.executable).with_name("claw"))
        return subprocess.Popen(
            [exe, *self._args(args)],
            env=self.env,
            cwd=cwd or self.workspace,
            text=True,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            **kwargs,
        )


def call_tool(tool: Any, ctx: Any, **input: Any) -> Any:
    """Run one tool call as the agent loop does it: input checked against the tool's schema by the
    kernel (an ``InputValidationError`` result), then ``run``; a ``claw.ToolError`` becomes an
    ``is_error`` result. For plugin unit tests (no event loop may be running)."""
    import asyncio

    from claw._loop.tool_input import validation_error
    from claw._tools import ToolError, ToolResult

    invalid = validation_error(tool, input)
    if invalid is not None:
        return ToolResult.error(invalid)
    try:
        return asyncio.run(tool.run(dict(input), ctx))
    except ToolError as exc:
        return ToolResult.error(str(exc))


def write_plugin(directory: Path, name: str, source: str) -> str:
    """Write ``source`` as module ``name`` in ``directory`` and return the module name."""
    directory.mkdir(parents=True, exist_ok=True)
    (directory / f"{name}.py").write_text(textwrap.dedent(source), encoding="utf-8")
    return name


def stream_events(provider: Any, request: Any) -> list[Any]:
    """Run ``provider.stream(request)`` on a fresh event loop and return every event it yielded (the last
    is the ``ResponseComplete``); errors propagate. The provider is closed afterwards, so each call stands
    alone, as each turn of a test would."""
    import asyncio

    async def collect() -> list[Any]:
        try:
            return [event async for event in provider.stream(request)]
        finally:
            await provider.aclose()

    return asyncio.run(collect())


def imported_modules(
    module: str, *, python: str | None = None, env: Mapping[str, str] | None = None
) -> set[str]:
    """The modules a fresh interpreter has loaded after ``import module``.

    Use it to keep entry-point modules light::

        assert not {"anthropic", "httpx"} & imported_modules("claw_provider_anthropic.plugin")
    """
    code = f"import sys, json; import {module}; print(json.dumps(sorted(sys.modules)))"
    out = subprocess.run(
        [python or sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env=dict(env) if env else None,
    )
    return set(json.loads(out.stdout))


def banned_among(modules: Iterable[str], banned: Iterable[str]) -> set[str]:
    """The ``modules`` that are one of ``banned`` or inside one (``google.genai.types`` for ``google.genai``)."""
    prefixes = tuple(banned)
    return {m for m in modules if any(m == b or m.startswith(b + ".") for b in prefixes)}


def assert_import_light(
    module: str,
    *,
    banned: Iterable[str],
    only_itself: bool = False,
    claw_modules: Collection[str] | None = None,
    env: Mapping[str, str] | None = None,
) -> set[str]:
    """Assert that a fresh ``import module`` loads none of ``banned`` (packages or dotted modules, with
    everything inside them; the module's own top-level package is never banned, so plugins can share
    one list); returns the modules it loaded.

    ``only_itself``: of the module's own top-level package nothing but the module and its parents is
    loaded (the plugin's real code loads inside its hooks). ``claw_modules``: exactly these ``claw.*``
    modules are loaded (e.g. ``{"claw._markers", "claw._version"}`` for a plugin that only uses ``claw.hookimpl``)::

        assert_import_light("claw_tools_files.plugin", banned={"httpx", "pydantic"}, only_itself=True)
    """
    loaded = imported_modules(module, env=env)
    heavy = banned_among(loaded, set(banned) - {module.split(".")[0]})
    assert not heavy, f"importing {module} loads {sorted(heavy)}"
    if only_itself:
        parts = module.split(".")
        allowed = {".".join(parts[: i + 1]) for i in range(len(parts))}
        extra = {m for m in banned_among(loaded, [parts[0]]) if m not in allowed}
        assert not extra, f"importing {module} loads more of its own package: {sorted(extra)}"
    if claw_modules is not None:
        kernel = {m for m in loaded if m.startswith("claw.")}
        assert kernel == set(claw_modules), f"importing {module} loads claw modules {sorted(kernel)}"
    return loaded


def assert_tools_by_reference(plugin: str, implementation: Iterable[str]) -> list[Any]:
    """Assert that the plugin module ``plugin`` registers its tools by reference (:class:`claw.ToolRef`)
    whose specs are the ones their implementations declare, and that registering them, in a fresh
    interpreter, loads none of the ``implementation`` modules (they load at a tool's first call);
    returns the registered tools::

        assert_tools_by_reference("claw_tools_files.plugin", {"claw_tools_files._read"})
    """
    import importlib

    import claw

    registered: list[Any] = []
    importlib.import_module(plugin).claw_register_tools(registered.append)
    assert registered, f"{plugin} registers no tools"
    eager = [tool for tool in registered if not isinstance(tool, claw.ToolRef)]
    assert not eager, f"{plugin} registers tools that are not references: {eager}"
    drifted = [tool.spec.name for tool in registered if tool.resolve().spec != tool.spec]
    assert not drifted, f"the specs {plugin} registers differ from their implementations': {drifted}"
    code = (
        f"import json, sys, importlib\n"
        f"importlib.import_module({plugin!r}).claw_register_tools(lambda tool: None)\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = set(json.loads(done.stdout)) & set(implementation)
    assert not loaded, f"registering the tools of {plugin} imports {sorted(loaded)}"
    return registered


def write_project_settings(workspace: Path, data: Mapping[str, Any], name: str = "settings.json") -> Path:
    """Write ``data`` as the project settings file ``workspace/.claw/<name>`` (``settings.local.json`` for
    the local layer); returns its path."""
    path = workspace / ".claw" / name
    path.parent.mkdir(exist_ok=True)
    path.write_text(json.dumps(data))
    return path


@contextmanager
def claw_on_terminal(
    args: Sequence[str], *, env: Mapping[str, str], cwd: Path
) -> Iterator[tuple[subprocess.Popen[str], int]]:
    """``claw args...`` with a pseudo-terminal as its stdin (what makes it interactive) and stdout and
    stderr piped as text; yields the process and the terminal's master side, to write keys to with
    ``os.write(master, b"...")``. On leaving, a process still running is killed and the terminal closed."""
    import pty

    master, slave = pty.openpty()
    exe = str(Path(sys.executable).with_name("claw"))
    proc = subprocess.Popen(
        [exe, *args],
        stdin=slave,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=dict(env),
        cwd=cwd,
        text=True,
    )
    os.close(slave)
    try:
        yield proc, master
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        os.close(master)


def process_alive(pid: int) -> bool:
    """Whether process ``pid`` still runs. A zombie (exited, waiting for its parent to reap it) counts as
    gone: tests that check claw ended a child must not wait on a parent they do not control. Where there
    is a ``/proc`` (Linux) this is :func:`claw.process_start`'s reading; elsewhere ``kill(pid, 0)``, which
    cannot tell a zombie."""
    if Path("/proc/self/stat").exists():
        from claw._builtins.local_tasks.processes import process_start

        return process_start(pid) is not None
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # it exists, under another user
    return True


def processes_gone(pids: Iterable[int], timeout: float = 10.0) -> bool:
    """Wait up to ``timeout`` seconds for every process in ``pids`` to end (:func:`process_alive`);
    whether they all did. Processes end a moment after the signal that ends them, so a test polls rather
    than checking once."""
    pending = list(pids)
    deadline = time.monotonic() + timeout
    while (pending := [pid for pid in pending if process_alive(pid)]) and time.monotonic() < deadline:
        time.sleep(0.05)
    return not pending


def wait_for(check: Callable[[], Any], what: str = "condition", timeout: float = 30.0) -> Any:
    """Poll ``check`` every 50 ms until it returns something truthy, and return that; after ``timeout``
    seconds fail the test with an ``AssertionError`` naming ``what``. For what claw or a plugin does in
    another process or thread (a file appears, a record changes state), where checking once races it."""
    deadline = time.monotonic() + timeout
    while not (value := check()):
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        time.sleep(0.05)
    return value

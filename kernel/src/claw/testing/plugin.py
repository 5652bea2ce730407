"""pytest fixtures for claw and its plugins (entry point ``pytest11``); see :mod:`claw.testing`.

Kept import-light: claw itself is imported inside the fixtures.
"""

from __future__ import annotations

import importlib
import json
import os
import signal
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest


def pytest_configure(config: pytest.Config) -> None:
    """Give SIGINT back its default disposition when the launcher ignored it.

    A script that starts pytest in the background (``pytest ... &``) or a CI runner may set SIGINT to
    ignored, and every ``claw`` the tests start inherits that, so a test that presses Ctrl-C (sends SIGINT)
    would wait for a process that cannot hear it. claw itself keeps honouring an inherited ignore, as a
    background job must: the reset belongs to the test session.
    """
    if signal.getsignal(signal.SIGINT) == signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)


@pytest.fixture
def claw_env(tmp_path: Path) -> Iterator[dict[str, str]]:
    """An isolated environment (config, state, home under ``tmp_path``), also applied to ``os.environ``
    for the duration of the test so in-process code sees it."""
    from claw.testing import isolated_env

    env = isolated_env(tmp_path / "env")
    saved = dict(os.environ)
    os.environ.clear()
    os.environ.update(env)
    try:
        yield env
    finally:
        os.environ.clear()
        os.environ.update(saved)


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    """An empty workspace directory."""
    path = tmp_path / "workspace"
    path.mkdir()
    return path


@pytest.fixture
def permission_folder(claw_env: dict[str, str], workspace: Path, tmp_path: Path):  # type: ignore[no-untyped-def]
    """The workspace laid out for tables of permission cases: a
    :class:`claw.testing.permissions.PermissionFolder`."""
    from claw.testing.permissions import PermissionFolder

    return PermissionFolder.create(workspace, tmp_path / "outside", claw_env)


@pytest.fixture
def claw(claw_env: dict[str, str], workspace: Path):  # type: ignore[no-untyped-def]
    """A :class:`claw.testing.ClawRunner` for the isolated environment and workspace."""
    from claw.testing import ClawRunner

    return ClawRunner(claw_env, workspace)


@pytest.fixture
def plugin_module(tmp_path: Path, claw_env: dict[str, str]) -> Iterator[Callable[[str, str], str]]:
    """``plugin_module(name, source)`` writes a plugin module and loads it in every claw run of the
    test (in-process and subprocess) via ``CLAW_PLUGIN_MODULES``."""
    from claw.testing import write_plugin

    directory = tmp_path / "test_plugins"
    # Created before it goes on sys.path: an import attempted while it is missing caches "no finder"
    # for it in sys.path_importer_cache, and the module written later would never be found.
    directory.mkdir(parents=True, exist_ok=True)
    names: list[str] = []
    sys.path.insert(0, str(directory))

    def make(name: str, source: str) -> str:
        write_plugin(directory, name, source)
        sys.modules.pop(name, None)
        # The directory may already have been scanned (and cached as empty) by an import in between.
        importlib.invalidate_caches()
        names.append(name)
        # Keep modules other fixtures enabled (``scripted``), whatever the order they ran in.
        modules = [m for m in claw_env.get("CLAW_PLUGIN_MODULES", "").split(",") if m]
        claw_env["CLAW_PLUGIN_MODULES"] = ",".join([*modules, *([] if name in modules else [name])])
        claw_env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(directory), claw_env.get("PYTHONPATH")]))
        os.environ.update(claw_env)
        return name

    try:
        yield make
    finally:
        sys.path.remove(str(directory))
        for name in names:
            sys.modules.pop(name, None)


class Scripted:
    """Handle of the ``scripted`` fixture: queue steps, read what the model was sent."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.steps: list = []

    def script(self, *steps) -> Scripted:  # type: ignore[no-untyped-def]
        """Append steps; each model request (in any run of the test) consumes the next one."""
        from claw.testing.scripted_provider import write_script

        self.steps.extend(steps)
        write_script(self.path, self.steps)
        return self

    @property
    def requests(self) -> list[dict]:
        """Every request received so far, as ``ModelRequest`` JSON."""
        import json

        log = self.path.with_name(self.path.name + ".log.jsonl")
        if not log.exists():
            return []
        return [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture
def scripted(claw_env: dict[str, str], tmp_path: Path) -> Iterator[Scripted]:
    """Enables the in-process ``scripted`` provider (``scripted/default``, ``scripted/backup``,
    ``scripted/tiny``, ...) for in-process and subprocess runs, with fast retries. Queue replies with
    ``scripted.script(Reply(...), Fault(...))``; inspect ``scripted.requests``."""
    from claw.testing import scripted_provider

    path = tmp_path / "script.json"
    modules = [m for m in claw_env.get("CLAW_PLUGIN_MODULES", "").split(",") if m]
    claw_env["CLAW_PLUGIN_MODULES"] = ",".join([*modules, "claw.testing.scripted_provider"])
    claw_env["CLAW_SCRIPT"] = str(path)
    claw_env.setdefault("CLAW_RETRY_BASE_DELAY", "0.001")
    claw_env.setdefault("CLAW_RETRY_MAX_DELAY", "0.01")
    os.environ.update(claw_env)
    handle = Scripted(path)
    handle.script()
    try:
        yield handle
    finally:
        scripted_provider.RESPONDER = None


@pytest.fixture
def loop_env(
    scripted: Scripted, plugin_module: Callable[[str, str], str], claw_env: dict[str, str]
) -> Scripted:
    """The ``scripted`` model as the default model, plus the test tools of :mod:`claw.testing.tools`
    (``Echo``, ``Touch``, ``Boom``, ``Nap``)."""
    from claw.testing.tools import TOOLS

    plugin_module("loop_test_tools", TOOLS)
    cfg = Path(claw_env["CLAW_CONFIG_DIR"])
    cfg.mkdir(parents=True, exist_ok=True)
    (cfg / "settings.json").write_text(json.dumps({"model": "scripted/default"}))
    return scripted


@pytest.fixture
def session_events(claw_env: dict[str, str], workspace: Path) -> Callable[[str], list[dict[str, Any]]]:
    """``session_events(session_id)``: the events of a session of this workspace, as claw-sessions'
    JSONL store writes them."""
    from claw import sessions_dir

    def read(session_id: str) -> list[dict[str, Any]]:
        path = sessions_dir(workspace, claw_env) / f"{session_id}.jsonl"
        return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]

    return read


@pytest.fixture
def trusted_workspace(claw: Any, workspace: Path) -> Path:
    """The test's ``workspace``, trusted with ``claw trust``, so its project settings, hooks,
    ``.mcp.json`` servers and permission grants count (an untrusted folder's are held back); use it with
    ``pytestmark = pytest.mark.usefixtures("trusted_workspace")`` for a whole module."""
    claw("trust").assert_success()
    return workspace

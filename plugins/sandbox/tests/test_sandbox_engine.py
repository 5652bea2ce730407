"""claw-sandbox on its own: the bwrap command line run for real, the proxy's domain matching and
refusals, the engine probe's answers, the import-light entry point."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import claw
import pytest
from claw.testing import assert_import_light
from claw_sandbox._probe import container, find_engine
from claw_sandbox._proxy import allowed
from claw_sandbox.sandbox import BubblewrapSandbox


@pytest.fixture
def bwrap() -> str:
    path = shutil.which("bwrap")
    assert path, "bubblewrap must be installed for these tests (tests/setup.d/bubblewrap.sh)"
    return path


needs_bwrap = pytest.mark.usefixtures("bwrap")


def test_entry_point_imports_only_claw():
    assert_import_light(
        "claw_sandbox.plugin",
        banned={"subprocess", "asyncio", "pydantic", "claw_sandbox.sandbox", "claw_sandbox._proxy"},
        only_itself=True,
        claw_modules={"claw._markers", "claw._version"},
    )


def run(workspace: Path, script: str, **settings: object) -> subprocess.CompletedProcess[str]:
    sandbox = BubblewrapSandbox(claw.SandboxSettings.model_validate({"enabled": True, **settings}))
    policy = claw.sandbox_policy(sandbox.settings, workspace)
    argv = sandbox.wrap(["bash", "-c", script], policy)
    return subprocess.run(argv, cwd=workspace, capture_output=True, text=True, timeout=30)


@needs_bwrap
@pytest.mark.parametrize("engine", ["bubblewrap", "unshare"])
def test_workspace_only_writes_the_workspace_and_a_private_tmp(tmp_path, engine):
    workspace = tmp_path / "ws"
    workspace.mkdir()
    # Outside /tmp (the command's private temp dir there would swallow the write, and a checkout under
    # /tmp is hidden by it): in the home directory, which the sandbox mounts read-only.
    outside = Path.home() / f".claw-escape-{tmp_path.name}"
    try:
        script = f'echo a > in.txt; echo b > "$TMPDIR/t" && cat "$TMPDIR/t"; echo c > {outside}; hostname'
        done = run(workspace, script, engine=engine)
        assert not outside.exists()
    finally:
        outside.unlink(missing_ok=True)
    assert (workspace / "in.txt").read_text() == "a\n"
    assert "b\n" in done.stdout and "Read-only file system" in done.stderr and "claw-sandbox" in done.stdout


@needs_bwrap
def test_allow_list_writes_only_listed_paths_and_hides_secrets(tmp_path, monkeypatch):
    workspace = tmp_path / "ws"
    (workspace / "build").mkdir(parents=True)
    (workspace / ".env").write_text("TOKEN=s3cret\n")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    (tmp_path / "home" / ".ssh").mkdir(parents=True)
    (tmp_path / "home" / ".ssh" / "id_rsa").write_text("s3cret\n")
    done = run(
        workspace,
        "echo a > build/ok; echo b > top.txt; cat .env ~/.ssh/id_rsa; ls ~/.ssh | wc -l",
        filesystem={"mode": "allow-list", "allowWrite": ["build"]},
    )
    assert (workspace / "build" / "ok").exists() and not (workspace / "top.txt").exists()
    assert "s3cret" not in done.stdout and done.stdout.strip().endswith("0")


@needs_bwrap
def test_pid_namespace_shows_only_the_command(tmp_path):
    done = run(tmp_path, "ps -eo pid= | wc -l; kill -0 1 && echo init-is-bwrap")
    assert int(done.stdout.split()[0]) <= 4 and "init-is-bwrap" in done.stdout


@needs_bwrap
def test_network_none_and_host(tmp_path):
    import socket

    with socket.create_server(("127.0.0.1", 0)) as server:
        port = server.getsockname()[1]
        probe = f"{sys.executable} -c \"import socket; socket.create_connection(('127.0.0.1', {port}), 2)\""
        assert run(tmp_path, probe).returncode != 0
        assert run(tmp_path, probe, network={"mode": "host"}).returncode == 0


def test_domain_matching():
    assert allowed("example.com", ["example.com"]) and allowed("EXAMPLE.com.", ["example.com"])
    assert allowed("api.example.com", ["*.example.com"]) and allowed("example.com", ["*.example.com"])
    assert not allowed("evil-example.com", ["*.example.com"]) and not allowed(
        "example.com.evil", ["example.com"]
    )
    assert not allowed("api.example.com", ["example.com"])


def test_engine_choice_and_its_errors(tmp_path):
    assert find_engine(None, "unshare").kind == "unshare"
    missing = find_engine(str(tmp_path / "bwrap"))
    assert missing.path is None and "settings sandbox.enginePath" in missing.problem
    sandbox = BubblewrapSandbox(claw.SandboxSettings(enabled=True, enginePath=str(tmp_path / "bwrap")))
    assert not sandbox.available() and sandbox.unavailable_reason().startswith("sandbox unavailable: ")
    with pytest.raises(claw.ToolError, match="sandbox unavailable"):
        sandbox.wrap(["true"], claw.sandbox_policy(None, tmp_path))


def test_container_detection_names_a_runtime_or_none():
    found = container()
    assert found in (None, "docker", "podman", "kubernetes", "containerd", "lxc")
    if Path("/.dockerenv").exists():
        assert found == "docker"


def test_allow_list_path_that_does_not_exist_names_the_setting(tmp_path):
    cfg = claw.SandboxSettings.model_validate({"filesystem": {"mode": "allow-list", "allowWrite": ["nope"]}})
    with pytest.raises(claw.ConfigError, match=r"sandbox.filesystem.allowWrite: nope does not exist"):
        claw.sandbox_policy(cfg, tmp_path)

"""End to end: real plugin wheels built with ``uv build``, published with ``claw marketplace build``,
served over loopback HTTPS (a CA made here), installed by ``claw plugin install`` into a fresh venv,
then used and removed there."""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from claw.testing import ClawRunner, RunResult
from claw.testing.script import Reply, Text, ToolCall
from claw.testing.venvs import build_wheel, kernel_paths, make_venv, run_uv
from claw_marketplace.testing import (
    TLS,
    StaticServer,
    hook_recorder,
    make_tls,
    read_hook_log,
    write_plugin_project,
)

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]


@dataclass
class Kit:
    venv: Path
    claw: Path
    python: Path
    wheels: Path  # claw-hello 1.0.0, 2.0.0 (good) and 3.0.0 (fails to import)
    keys: Path
    tls: TLS

    @property
    def private(self) -> Path:
        return self.keys / "claw-plugin.key"

    @property
    def public(self) -> Path:
        return self.keys / "claw-plugin.pub"


def _shared(factory: pytest.TempPathFactory, name: str, make: Callable[[Path], None]) -> Path:
    """Build ``name`` once per test session, even when xdist workers ask for it at the same time."""
    root = factory.getbasetemp()
    if "PYTEST_XDIST_WORKER" in os.environ:
        root = root.parent  # the directory all workers share
    target = root / name
    with (root / f"{name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (target / ".done").exists():
            shutil.rmtree(target, ignore_errors=True)
            target.mkdir()
            make(target)
            (target / ".done").touch()
    return target


def _artifacts(base: Path) -> None:
    """Wheels of claw-hello 1.0.0 and 2.0.0 and a 3.0.0 that fails to import, a key pair, a CA."""
    for version, extra in (("1.0.0", ""), ("2.0.0", ""), ("3.0.0", 'raise RuntimeError("broken build")')):
        build_wheel(
            write_plugin_project(base / f"src-{version}", version=version, extra=extra), base / "wheels"
        )
    from claw_marketplace.publish import keygen

    keygen(base / "keys")
    make_tls(base / "tls")


@pytest.fixture(scope="module")
def kit(tmp_path_factory: pytest.TempPathFactory) -> Kit:
    """Shared artifacts, and a fresh venv with the kernel, the marketplace and the Anthropic provider (with
    the wire library it depends on) for this worker (tests install into it, so workers never share one)."""
    shared = _shared(tmp_path_factory, "market-e2e", _artifacts)
    venv = tmp_path_factory.mktemp("market-venv") / "venv"
    packages = [
        *kernel_paths(ROOT),
        ROOT / "libs" / "wire",
        ROOT / "marketplace",
        ROOT / "plugins" / "provider-anthropic",
    ]
    python = make_venv(venv, *packages, editable=True) / "python"
    tls = TLS(shared / "tls" / "ca.pem", shared / "tls" / "server.pem", shared / "tls" / "server.key")
    return Kit(venv, venv / "bin" / "claw", python, shared / "wheels", shared / "keys", tls)


@pytest.fixture
def site(kit: Kit, tmp_path: Path) -> Path:
    """A marketplace of claw-hello 1.0.0 and 2.0.0, built with the CLI."""
    src = tmp_path / "publish"
    src.mkdir()
    for w in kit.wheels.glob("claw_hello-[12].*.whl"):
        shutil.copy(w, src)
    out = tmp_path / "site"
    subprocess.run(
        [
            str(kit.claw),
            "marketplace",
            "build",
            str(src),
            "--key",
            str(kit.private),
            "--out",
            str(out),
            "--publisher",
            "Hello Inc.",
        ],
        check=True,
        capture_output=True,
    )
    return out


@pytest.fixture
def server(site: Path, kit: Kit) -> Iterator[StaticServer]:
    with StaticServer(site, kit.tls) as s:
        yield s


@pytest.fixture
def env(claw_env: dict[str, str], kit: Kit, server: StaticServer, tmp_path: Path) -> Iterator[dict[str, str]]:
    # Every claw run here is a fresh interpreter: let it cache bytecode, or each start compiles ~1 s.
    claw_env.pop("PYTHONDONTWRITEBYTECODE", None)
    claw_env.update(
        CLAW_MARKETPLACE_URL=server.url,
        CLAW_PLUGIN_PUBLIC_KEY=str(kit.public),
        SSL_CERT_FILE=str(kit.tls.ca_cert),
        HOOK_LOG=str(tmp_path / "hooks.jsonl"),
    )
    yield claw_env
    run_uv("pip", "uninstall", "--quiet", "--python", str(kit.python), "claw-hello")


@pytest.fixture
def run(env: dict[str, str], workspace: Path, kit: Kit):  # type: ignore[no-untyped-def]
    runner = ClawRunner(env, workspace)

    def call(*args: str | Path) -> RunResult:
        return runner.subprocess(*args, executable=kit.claw)

    return call


def installed(kit: Kit) -> str | None:
    out = subprocess.run(
        [
            str(kit.python),
            "-c",
            "import importlib.metadata as m\ntry: print(m.version('claw-hello'))\nexcept Exception: pass",
        ],
        capture_output=True,
        text=True,
    )
    return out.stdout.strip() or None


def tools(run) -> dict[str, str]:  # type: ignore[no-untyped-def]
    data = run("dump-manifests", "--json").assert_success().json()
    return {t["name"]: t["source"] for t in data["tools"]}


def error_line(result: RunResult) -> str:
    lines = [ln for ln in result.stderr.splitlines() if ln.startswith("claw: error:")]
    assert len(lines) == 1, result.stderr
    return lines[0]


def ask_model_to_greet(run, env: dict[str, str], server) -> list[dict[str, object]]:  # type: ignore[no-untyped-def]
    """``claw -p`` against the mock Anthropic server, whose model calls ``Hello``; the requests it got."""
    server.script(Reply(ToolCall("Hello", {"name": "Ada"})), Reply(Text("greeted")))
    env.update(ANTHROPIC_BASE_URL=server.url, ANTHROPIC_API_KEY="test-key")
    out = run("-p", "greet Ada", "--model", "anthropic/claude-sonnet-4-6").assert_success()
    assert out.stdout.strip().endswith("greeted")
    return [r.json for r in server.requests]


def test_install_use_and_uninstall(run, env: dict[str, str], kit: Kit, anthropic_server) -> None:  # type: ignore[no-untyped-def]
    assert "Hello" not in tools(run)
    out = run("plugin", "install", "claw-hello", "--require-signed").assert_success()
    assert out.stdout.startswith("Installed claw-hello 2.0.0 (signed by key SHA256:")
    assert tools(run)["Hello"] == "claw-hello 2.0.0"
    first, second = ask_model_to_greet(run, env, anthropic_server)
    assert "Hello" in {t["name"] for t in first["tools"]}  # type: ignore[union-attr]
    result = second["messages"][-1]["content"][0]  # type: ignore[index]
    assert result["type"] == "tool_result" and result["content"] == "Hello, Ada! from claw-hello 2.0.0"

    listed = {p["name"]: p for p in run("plugin", "list", "--json").assert_success().json()}
    assert listed["claw-hello"]["signer"].startswith("key SHA256:")
    assert listed["claw-hello"]["source"] == env["CLAW_MARKETPLACE_URL"] + "claw-hello/manifest.json"
    records = Path(env["CLAW_STATE_DIR"]) / "plugins"
    record = json.loads((records / "claw-hello.json").read_text())
    assert record["version"] == "2.0.0" and (records / "wheels" / record["wheel"]).is_file()
    info = run("plugin", "info", "hello", "--json").assert_success().json()
    assert info["installed"]["sha256"] == record["sha256"] and info["marketplace"]["version"] == "2.0.0"

    again = run("plugin", "install", "claw-hello").assert_success()
    assert "already installed" in again.stdout

    run("plugin", "uninstall", "claw-hello").assert_success()
    assert "Hello" not in tools(run)
    assert installed(kit) is None
    anthropic_server.requests.clear()
    first, second = ask_model_to_greet(run, env, anthropic_server)
    assert "Hello" not in {t["name"] for t in first.get("tools", [])}  # type: ignore[union-attr]
    assert second["messages"][-1]["content"][0]["is_error"] is True  # type: ignore[index]
    assert not (records / "claw-hello.json").exists() and not list((records / "wheels").glob("*"))


def test_installs_racing_each_other_take_turns(env: dict[str, str], kit: Kit, workspace: Path) -> None:
    """Three ``claw plugin install`` at once: they take turns on the records lock, so one installs,
    the others wait (saying so), then find it installed; one package installer runs, records agree."""
    argv = [str(kit.claw), "plugin", "install", "claw-hello"]
    procs = [
        subprocess.Popen(
            argv, env=env, cwd=workspace, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        for _ in range(3)
    ]
    outs = [(p.wait(timeout=300), *p.communicate()) for p in procs]
    assert [code for code, _, _ in outs] == [0, 0, 0], outs
    stdouts = sorted(out.strip() for _, out, _ in outs)
    assert [s.split(" (")[0] for s in stdouts if s.startswith("Installed")] == ["Installed claw-hello 2.0.0"]
    assert sum("already installed" in s for s in stdouts) == 2
    assert sum("waiting for it" in err for _, _, err in outs) >= 1
    assert installed(kit) == "2.0.0"
    records = Path(env["CLAW_STATE_DIR"]) / "plugins"
    assert json.loads((records / "claw-hello.json").read_text())["version"] == "2.0.0"
    assert len(list((records / "wheels").glob("*.whl"))) == 1


def test_update_downgrade_and_hooks(run, env: dict[str, str], kit: Kit, plugin_module) -> None:  # type: ignore[no-untyped-def]
    plugin_module("e2e_hooks", hook_recorder("not on this machine"))
    run("plugin", "install", "claw-hello", "--version", "1.0.0").assert_success()
    assert tools(run)["Hello"] == "claw-hello 1.0.0"
    assert run("plugin", "update").assert_success().stdout.strip() == "Updated claw-hello 1.0.0 -> 2.0.0"
    assert tools(run)["Hello"] == "claw-hello 2.0.0"
    assert "claw-hello 2.0.0 is up to date" in run("plugin", "update", "claw-hello").assert_success().stdout

    r = run("plugin", "install", "claw-hello", "--version", "1.0.0").assert_failure(1)
    assert "would downgrade the installed 2.0.0 (pass --allow-downgrade" in error_line(r)
    assert installed(kit) == "2.0.0"
    run("plugin", "install", "claw-hello", "--version", "1.0.0", "--allow-downgrade").assert_success()
    assert installed(kit) == "1.0.0"

    events = [
        (e["event"], e["plugin"].get("version"), "error" in e["plugin"])
        for e in read_hook_log(Path(env["HOOK_LOG"]))
    ]  # type: ignore[union-attr]
    assert events == [
        ("PrePluginInstall", "1.0.0", False),
        ("PostPluginInstall", "1.0.0", False),
        ("PrePluginInstall", "2.0.0", False),
        ("PostPluginInstall", "2.0.0", False),
        ("PostPluginInstall", "1.0.0", True),  # the refused downgrade
        ("PrePluginInstall", "1.0.0", False),
        ("PostPluginInstall", "1.0.0", False),
    ]
    env["HOOK_BLOCK"] = "PrePluginUninstall"
    r = run("plugin", "uninstall", "hello").assert_failure(1)
    assert "PrePluginUninstall hook blocked uninstalling claw-hello: not on this machine" in error_line(r)
    assert installed(kit) == "1.0.0"
    assert read_hook_log(Path(env["HOOK_LOG"]))[-1]["event"] == "PostPluginUninstall"


def test_failed_update_keeps_the_previous_version(
    run, env: dict[str, str], kit: Kit, site: Path, plugin_module
) -> None:  # type: ignore[no-untyped-def]
    plugin_module("e2e_hooks", hook_recorder("not on this machine"))
    run("plugin", "install", "claw-hello").assert_success()
    broken = next(kit.wheels.glob("claw_hello-3.0.0-*.whl"))
    src = site.parent / "publish"
    shutil.copy(broken, src)
    subprocess.run(
        [str(kit.claw), "marketplace", "build", str(src), "--key", str(kit.private), "--out", str(site)],
        check=True,
        capture_output=True,
    )

    r = run("plugin", "update", "claw-hello").assert_failure(1)
    line = error_line(r)
    assert (
        "installing claw-hello 3.0.0 failed: its plugin module claw_hello.plugin fails to import: RuntimeError: broken build"
        in line
    )
    assert line.endswith("claw-hello 2.0.0 restored")
    assert installed(kit) == "2.0.0"
    assert tools(run)["Hello"] == "claw-hello 2.0.0"
    record = json.loads((Path(env["CLAW_STATE_DIR"]) / "plugins" / "claw-hello.json").read_text())
    assert record["version"] == "2.0.0"
    post = read_hook_log(Path(env["HOOK_LOG"]))[-1]
    assert post["event"] == "PostPluginInstall" and "broken build" in post["plugin"]["error"]  # type: ignore[index]


def test_failed_first_install_leaves_nothing(run, kit: Kit) -> None:  # type: ignore[no-untyped-def]
    broken = next(kit.wheels.glob("claw_hello-3.0.0-*.whl"))
    r = run("plugin", "install", broken).assert_failure(1)
    assert error_line(r).endswith("nothing was left installed")
    assert installed(kit) is None


def test_local_wheel_with_signature_and_project_directory(
    run, env: dict[str, str], kit: Kit, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    wheel = Path(shutil.copy(next(kit.wheels.glob("claw_hello-1.0.0-*.whl")), tmp_path))
    r = run("plugin", "install", wheel, "--require-signed").assert_failure(1)
    assert "is not signed and signing is required" in error_line(r)
    run("plugin", "sign", wheel, "--key", kit.private).assert_success()
    out = run("plugin", "install", wheel, "--require-signed").assert_success()
    assert "Installed claw-hello 1.0.0 (signed by key" in out.stdout

    project = write_plugin_project(tmp_path / "proj", version="1.5.0", tool="Hello")
    out = run("plugin", "install", project).assert_success()
    assert out.stdout.strip() == "Installed claw-hello 1.5.0 (unsigned)"
    assert tools(run)["Hello"] == "claw-hello 1.5.0"
    assert "already installed" in run("plugin", "install", project).assert_success().stdout
    write_plugin_project(project, version="1.5.0", tool="Howdy")  # same version, other contents
    run("plugin", "install", project).assert_success()
    now = tools(run)
    assert now["Howdy"] == "claw-hello 1.5.0" and "Hello" not in now


@pytest.mark.parametrize("how", ["tampered", "other-key", "unsigned-required", "wrong-name"])
def test_refusals_install_nothing(
    run, env: dict[str, str], kit: Kit, site: Path, tmp_path: Path, how: str
) -> None:  # type: ignore[no-untyped-def]
    manifest_path = site / "claw-hello" / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    args = ["plugin", "install", "claw-hello"]
    if how == "tampered":
        served = site / "claw-hello" / manifest["wheel"]
        data = bytearray(served.read_bytes())
        data[len(data) // 2] ^= 0xFF
        served.write_bytes(bytes(data))
        expected = "tampered or corrupted download"
    elif how == "other-key":
        subprocess.run(
            [str(kit.claw), "plugin", "keygen", "--out", str(tmp_path / "k2")],
            check=True,
            capture_output=True,
        )
        env["CLAW_PLUGIN_PUBLIC_KEY"] = str(tmp_path / "k2" / "claw-plugin.pub")
        expected = "does not match the configured public key"
    elif how == "unsigned-required":
        manifest.pop("signature")
        env["CLAW_REQUIRE_SIGNED"] = "1"
        expected = "is not signed and signing is required"
    else:
        manifest["name"] = "claw-hellp"
        index = json.loads((site / "index.json").read_text())
        index["plugins"][0]["name"] = "claw-hellp"
        (site / "index.json").write_text(json.dumps(index))
        (site / "claw-hellp").mkdir()
        manifest["wheel"] = "../claw-hello/" + manifest["wheel"]
        manifest_path = site / "claw-hellp" / "manifest.json"
        args[-1] = "claw-hellp"
        expected = "manifest names 'claw-hellp' but the wheel contains 'claw-hello'"
    manifest_path.write_text(json.dumps(manifest))
    r = run(*args).assert_failure(1)
    assert expected in error_line(r)
    assert r.stdout == ""
    assert installed(kit) is None


def test_transport_refusals(run, env: dict[str, str], kit: Kit, site: Path, server: StaticServer) -> None:  # type: ignore[no-untyped-def]
    with StaticServer(site) as plain:
        env["CLAW_MARKETPLACE_URL"] = plain.url
        r = run("plugin", "install", "claw-hello").assert_failure(1)
        assert "is not HTTPS (pass --insecure-marketplace" in error_line(r)
        ok = run("plugin", "install", "claw-hello", "--insecure-marketplace").assert_success()
        assert ok.stderr.count("using plain HTTP") == 1 and installed(kit) == "2.0.0"
        run_uv("pip", "uninstall", "--quiet", "--python", str(kit.python), "claw-hello")

        env["CLAW_MARKETPLACE_URL"] = server.url
        plain.requests.clear()
        manifest = json.loads((site / "claw-hello" / "manifest.json").read_text())
        server.redirects[f"/claw-hello/{manifest['wheel']}"] = plain.url + f"claw-hello/{manifest['wheel']}"
        r = run("plugin", "install", "claw-hello", "--insecure-marketplace").assert_failure(1)
        assert "redirected to plain HTTP" in error_line(r)
        assert not any(p.endswith(".whl") for p in plain.requests)
        server.redirects.clear()

    del env["SSL_CERT_FILE"]
    r = run("plugin", "install", "claw-hello").assert_failure(1)
    assert "TLS certificate not trusted" in error_line(r)
    settings = Path(env["CLAW_CONFIG_DIR"]) / "settings.json"
    settings.parent.mkdir(parents=True, exist_ok=True)
    settings.write_text(json.dumps({"marketplace": {"caBundle": str(kit.tls.ca_cert)}}))
    run("plugin", "install", "claw-hello").assert_success()
    assert installed(kit) == "2.0.0"


def test_command_hooks_from_settings(run, env: dict[str, str], kit: Kit, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Claude Code-style command hooks: the matcher is the plugin's name; exit 2 blocks; Post hooks get
    the event JSON on stdin, with the error when it failed."""
    log = tmp_path / "post.jsonl"
    settings = {
        "hooks": {
            "PrePluginInstall": [
                {
                    "matcher": "claw-hello",
                    "hooks": [{"type": "command", "command": "echo 'plugins need review' >&2; exit 2"}],
                },
                {"matcher": "something-else", "hooks": [{"type": "command", "command": "exit 2"}]},
            ],
            "PostPluginInstall": [
                {"hooks": [{"type": "command", "command": f"cat >> {log}; echo >> {log}"}]}
            ],
        }
    }
    path = Path(env["CLAW_CONFIG_DIR"]) / "settings.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(settings))
    r = run("plugin", "install", "claw-hello").assert_failure(1)
    assert "PrePluginInstall hook blocked installing claw-hello: plugins need review" in error_line(r)
    assert installed(kit) is None
    post = json.loads(log.read_text().splitlines()[0])
    assert post["hook_event_name"] == "PostPluginInstall"
    assert post["plugin"]["name"] == "claw-hello" and post["plugin"]["version"] == "2.0.0"
    assert "plugins need review" in post["plugin"]["error"]

    settings["hooks"]["PrePluginInstall"].pop(0)  # type: ignore[attr-defined]
    path.write_text(json.dumps(settings))
    run("plugin", "install", "claw-hello").assert_success()
    post = json.loads([ln for ln in log.read_text().splitlines() if ln.strip()][-1])
    assert post["plugin"] == {
        "name": "claw-hello",
        "version": "2.0.0",
        "source": env["CLAW_MARKETPLACE_URL"] + "claw-hello/manifest.json",
    }

"""The cached entry-point index: a distribution installed or removed between two runs is seen by the
next run, a failing plugin is reported on every run, and a damaged cache costs only a scan. Each run
is a real ``claw`` process with a directory of distributions on ``PYTHONPATH``, as an install makes.
The index is the ``entry_point_cache`` built-in's: disabled, every run reads the metadata."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

CLAW = str(Path(sys.executable).with_name("claw"))


def _install(site: Path, name: str, source: str, attr: str = "") -> None:
    """Write a distribution ``claw-<name>`` whose ``claw`` entry point is module ``<name>_plugin``
    (``<name>_plugin:<attr>`` with ``attr``)."""
    (site / f"{name}_plugin.py").write_text(source)
    meta = site / f"claw_{name}-0.3.dist-info"
    meta.mkdir()
    (meta / "METADATA").write_text(f"Metadata-Version: 2.1\nName: claw-{name}\nVersion: 0.3\n")
    target = f"{name}_plugin:{attr}" if attr else f"{name}_plugin"
    (meta / "entry_points.txt").write_text(f"[claw]\n{name} = {target}\n")


def _age(site: Path) -> None:
    """Date the directory and its metadata back a minute, past the window in which a change is too
    recent to be cached (a real install is that old by the time a later run starts)."""
    past = time.time() - 60
    for path in [site, *site.glob("*.dist-info")]:
        os.utime(path, (past, past))


def _plugins(env: dict[str, str]) -> dict[str, dict[str, object]]:
    proc = subprocess.run([CLAW, "plugins", "--json"], env=env, capture_output=True, text=True, check=True)
    return {p["name"]: p for p in json.loads(proc.stdout)}


@pytest.fixture
def site_env(tmp_path: Path, claw_env: dict[str, str]) -> tuple[Path, dict[str, str]]:
    site = tmp_path / "site"
    site.mkdir()
    return site, {**claw_env, "PYTHONPATH": str(site)}


def _cache(env: dict[str, str]) -> Path:
    return Path(env["XDG_STATE_HOME"]) / "claw" / "entry-points.json"


def test_installs_and_removals_between_runs_are_seen(site_env):
    site, env = site_env
    _install(site, "alpha", "import claw\n")
    _age(site)
    first = _plugins(env)
    assert first["alpha"]["distribution"] == "claw-alpha" and first["alpha"]["status"] == "loaded"
    assert _cache(env).exists()
    assert _plugins(env)["alpha"]["status"] == "loaded"  # from the cache

    _install(site, "beta", "import claw\n")
    _age(site)
    assert {"alpha", "beta"} <= set(_plugins(env))

    shutil.rmtree(site / "claw_alpha-0.3.dist-info")
    _age(site)
    listed = _plugins(env)
    assert "alpha" not in listed and "beta" in listed


def test_with_the_builtin_disabled_every_run_reads_the_metadata(site_env):
    site, env = site_env
    env["CLAW_DISABLE_PLUGINS"] = "entry_point_cache"
    _install(site, "alpha", "import claw\n")
    _age(site)
    listed = _plugins(env)
    assert listed["entry_point_cache"]["status"] == "disabled" and listed["alpha"]["status"] == "loaded"
    assert not _cache(env).exists()


def test_a_failing_plugin_is_reported_on_every_run(site_env):
    site, env = site_env
    _install(site, "broken", "raise RuntimeError('boom')\n")
    _age(site)
    for _ in range(2):
        record = _plugins(env)["broken"]
        assert record["status"] == "failed" and "boom" in str(record["reason"])


def test_when_nothing_changed_the_cache_is_what_is_read(site_env):
    site, env = site_env
    _install(site, "alpha", "import claw\n")
    _age(site)
    _plugins(env)
    data = json.loads(_cache(env).read_text())
    rows = data["entries"][0]["groups"]["claw"]
    rows[:] = [r for r in rows if r["name"] != "alpha"]
    _cache(env).write_text(json.dumps(data))
    assert "alpha" not in _plugins(env)


def test_a_damaged_cache_is_rebuilt(site_env):
    site, env = site_env
    _install(site, "alpha", "import claw\n")
    _age(site)
    _cache(env).parent.mkdir(parents=True, exist_ok=True)
    _cache(env).write_text("{not json")
    assert _plugins(env)["alpha"]["status"] == "loaded"
    assert json.loads(_cache(env).read_text())["format"] == 2


def test_two_installs_sharing_a_state_directory_keep_their_own_index(site_env, tmp_path):
    # Two claws (a tool install and a project's venv; here: two sys.paths) run in turn: each finds its own
    # index, where one entry used to replace the other and every run read the metadata again.
    site, env = site_env
    other = tmp_path / "other"
    other.mkdir()
    _install(site, "alpha", "import claw\n")
    _install(other, "beta", "import claw\n")
    _age(site)
    _age(other)
    envs = [env, {**env, "PYTHONPATH": str(other)}]
    assert [name in _plugins(run_env) for run_env in envs for name in ("alpha", "beta")] == [
        True,
        False,
        False,
        True,
    ]
    written = _cache(env).stat()
    for run_env in envs:
        _plugins(run_env)
    now = _cache(env).stat()  # the file is replaced (atomic_write) when a run scanned again
    assert (now.st_ino, now.st_mtime_ns) == (written.st_ino, written.st_mtime_ns)


def test_a_change_too_recent_to_trust_is_not_cached(site_env):
    site, env = site_env
    _install(site, "alpha", "import claw\n")
    assert _plugins(env)["alpha"]["status"] == "loaded"
    assert not _cache(env).exists()


def test_an_entry_point_naming_an_attribute_loads_it(site_env):
    site, env = site_env
    source = (
        "import claw\n\n"
        "class Plugin:\n"
        "    @claw.hookimpl\n"
        "    def claw_register_settings(register):\n"
        "        register('gammaSettings', dict)\n"
    )
    _install(site, "gamma", source, attr="Plugin")
    _age(site)
    record = _plugins(env)["gamma"]
    assert record["status"] == "loaded" and record["registers"] == {"settings": ["gammaSettings"]}

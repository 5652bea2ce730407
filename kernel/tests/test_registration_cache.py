"""The cached registrations of ``claw plugins``: a second run lists what the first did without calling
the registration hooks, and anything that could change the listing (a distribution installed or
removed, a plugin's code edited, the loading policy, a damaged cache, a plugin that raises) makes the
next run call them again. Each run is a real ``claw`` process with a directory of distributions on
``PYTHONPATH``, as an install makes."""

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


def _source(*keys: str) -> str:
    """A plugin module registering the settings ``keys``."""
    lines = "".join(f"    register({k!r}, dict)\n" for k in keys)
    return f"import claw\n\n\n@claw.hookimpl\ndef claw_register_settings(register):\n{lines}"


def _install(site: Path, name: str, source: str) -> None:
    """Write a distribution ``claw-<name>`` whose ``claw`` entry point is module ``<name>_plugin``."""
    (site / f"{name}_plugin.py").write_text(source)
    meta = site / f"claw_{name}-0.3.dist-info"
    meta.mkdir()
    (meta / "METADATA").write_text(f"Metadata-Version: 2.1\nName: claw-{name}\nVersion: 0.3\n")
    (meta / "entry_points.txt").write_text(f"[claw]\n{name} = {name}_plugin\n")


def _age(site: Path, seconds: float = 60) -> None:
    """Date the directory, its metadata and its modules back, past the window in which a change is too
    recent to be cached (a real install or edit is that old by the time a later run starts)."""
    past = time.time() - seconds
    for path in [site, *site.iterdir()]:
        os.utime(path, (past, past))


def _plugins(env: dict[str, str]) -> dict[str, dict[str, object]]:
    proc = subprocess.run([CLAW, "plugins", "--json"], env=env, capture_output=True, text=True, check=True)
    return {p["name"]: p for p in json.loads(proc.stdout)}


def _cache(env: dict[str, str]) -> Path:
    return Path(env["XDG_STATE_HOME"]) / "claw" / "registrations.json"


def _tamper(env: dict[str, str], name: str, registers: dict[str, list[str]]) -> None:
    """Change what the cache says ``name`` registered: a run that shows it read the cache."""
    data = json.loads(_cache(env).read_text())
    data["registered"][name] = registers
    _cache(env).write_text(json.dumps(data))


def _alpha_listed(site: Path, env: dict[str, str]) -> dict[str, dict[str, object]]:
    """Install ``claw-alpha`` (registering ``alphaKey``) long enough ago to be cached, and list the plugins
    once: the listing, which the cache now holds."""
    _install(site, "alpha", _source("alphaKey"))
    _age(site)
    return _plugins(env)


@pytest.fixture
def site_env(tmp_path: Path, claw_env: dict[str, str]) -> tuple[Path, dict[str, str]]:
    site = tmp_path / "site"
    site.mkdir()
    return site, {**claw_env, "PYTHONPATH": str(site)}


def test_a_second_run_lists_the_cached_registrations(site_env):
    site, env = site_env
    first = _alpha_listed(site, env)
    assert first["alpha"]["registers"] == {"settings": ["alphaKey"]}
    assert _cache(env).exists()
    second = _plugins(env)
    assert [(p["name"], p["registers"], p["status"]) for p in second.values()] == [
        (p["name"], p["registers"], p["status"]) for p in first.values()
    ]
    _tamper(env, "alpha", {"settings": ["fromTheCache"]})
    assert _plugins(env)["alpha"]["registers"] == {"settings": ["fromTheCache"]}


def test_installs_and_removals_are_listed_with_their_registrations(site_env):
    site, env = site_env
    _alpha_listed(site, env)
    _tamper(env, "alpha", {"settings": ["stale"]})

    _install(site, "beta", _source("betaKey"))
    _age(site, 30)
    listed = _plugins(env)
    assert listed["alpha"]["registers"] == {"settings": ["alphaKey"]}
    assert listed["beta"]["registers"] == {"settings": ["betaKey"]}

    shutil.rmtree(site / "claw_beta-0.3.dist-info")
    _age(site, 20)
    listed = _plugins(env)
    assert "beta" not in listed and listed["alpha"]["registers"] == {"settings": ["alphaKey"]}


def test_an_edited_plugin_is_listed_afresh(site_env):
    site, env = site_env
    _alpha_listed(site, env)
    (site / "alpha_plugin.py").write_text(_source("alphaKey", "alphaMore"))
    _age(site, 30)
    assert _plugins(env)["alpha"]["registers"] == {"settings": ["alphaKey", "alphaMore"]}


def test_a_change_of_loading_policy_is_listed_afresh(site_env):
    site, env = site_env
    _alpha_listed(site, env)
    _tamper(env, "alpha", {"settings": ["stale"]})
    listed = _plugins({**env, "CLAW_DISABLE_PLUGINS": "alpha"})
    assert listed["alpha"]["status"] == "disabled" and listed["alpha"]["registers"] == {}


def test_a_damaged_cache_is_rebuilt(site_env):
    site, env = site_env
    _alpha_listed(site, env)
    good = json.loads(_cache(env).read_text())
    for damage in ("{not json", json.dumps({**good, "registered": {"alpha": {"settings": "alphaKey"}}})):
        _cache(env).write_text(damage)
        assert _plugins(env)["alpha"]["registers"] == {"settings": ["alphaKey"]}
        assert json.loads(_cache(env).read_text()) == good


def test_a_plugin_that_raises_is_reported_on_every_run_and_nothing_is_cached(site_env):
    site, env = site_env
    source = "import claw\n\n\n@claw.hookimpl\ndef claw_register_settings(register):\n    raise RuntimeError('boom')\n"
    _install(site, "broken", source)
    _age(site)
    for _ in range(2):
        proc = subprocess.run([CLAW, "plugins"], env=env, capture_output=True, text=True, check=True)
        assert "boom" in proc.stderr
    assert not _cache(env).exists()


def test_a_change_too_recent_to_trust_is_not_cached(site_env):
    site, env = site_env
    _install(site, "alpha", _source("alphaKey"))
    _age(site)
    (site / "alpha_plugin.py").write_text(_source("alphaKey"))  # edited just now
    assert _plugins(env)["alpha"]["registers"] == {"settings": ["alphaKey"]}
    assert not _cache(env).exists()


def _install_package(site: Path, modules: dict[str, str]) -> Path:
    """``claw-alpha`` as a package plugin ``alpha_pkg`` (its modules by file name), dated back."""
    package = site / "alpha_pkg"
    package.mkdir()
    for name, text in modules.items():
        (package / name).write_text(text)
    _install(site, "alpha", "")
    (site / "alpha_plugin.py").unlink()
    (site / "claw_alpha-0.3.dist-info" / "entry_points.txt").write_text("[claw]\nalpha = alpha_pkg\n")
    for path in [*package.iterdir(), package]:
        os.utime(path, (time.time() - 60,) * 2)
    _age(site)
    return package


def test_bytecode_written_into_a_plugin_package_keeps_the_cache(site_env):
    """A ``__pycache__`` appearing in a source directory (an editable install imported by a process
    that writes bytecode) dates the directory now but changes no code: the next run still reads the
    cache, and may store it."""
    site, env = site_env
    package = _install_package(site, {"__init__.py": _source("alphaKey")})
    _plugins(env)
    _tamper(env, "alpha", {"settings": ["fromTheCache"]})
    (package / "__pycache__").mkdir(exist_ok=True)
    assert _plugins(env)["alpha"]["registers"] == {"settings": ["fromTheCache"]}


def test_a_renamed_module_is_listed_afresh(site_env):
    """A module renamed keeps its own modification time (and the count stays): the paths' digest
    changes."""
    site, env = site_env
    package = _install_package(site, {"__init__.py": _source("alphaKey"), "helpers.py": ""})
    _plugins(env)
    _tamper(env, "alpha", {"settings": ["stale"]})
    (package / "helpers.py").rename(package / "tools.py")
    os.utime(package, (time.time() - 30,) * 2)
    assert _plugins(env)["alpha"]["registers"] == {"settings": ["alphaKey"]}

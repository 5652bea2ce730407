"""Selecting and configuring the celery backend: registration, settings errors, ``claw doctor``."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import claw
import pytest
from claw import ConfigError, TaskSpec
from claw_agents_celery.backend import CeleryTaskBackend
from claw_agents_celery.config import CelerySettings
from claw_agents_celery.store import RedisUnavailable
from claw_agents_celery.testing import RedisServer, free_port, use_celery


def _settings(claw_env: dict[str, str], data: dict) -> None:  # type: ignore[type-arg]
    cfg = Path(claw_env["CLAW_CONFIG_DIR"])
    cfg.mkdir(parents=True, exist_ok=True)
    (cfg / "settings.json").write_text(json.dumps(data))


def test_the_backend_and_the_worker_command_are_registered(claw) -> None:  # type: ignore[no-untyped-def]
    data = claw("dump-manifests", "--json").assert_success().json()
    assert {"name": "celery", "source": "claw-agents-celery 0.1.0"} in data["task_backends"]
    assert "worker" in claw("celery", "--help").assert_success().stdout
    assert "--concurrency" in claw("celery", "worker", "--help").assert_success().stdout


def _selected(claw_env: dict[str, str], workspace: Path) -> claw.TaskBackend:
    return claw.CommandContext.create(workspace, claw_env).task_backend()


def test_settings_select_and_configure_the_backend(claw_env, workspace: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    _settings(
        claw_env, {"agents": {"backend": "celery", "celery": {"broker_url": "redis://h:1/2", "queue": "q"}}}
    )
    backend = _selected(claw_env, workspace)
    assert isinstance(backend, CeleryTaskBackend)
    assert backend.store.settings == CelerySettings(broker_url="redis://h:1/2", queue="q")
    monkeypatch.setenv("CLAW_CELERY_BROKER_URL", "redis://other:6379/0")  # the environment wins (workers)
    assert _selected(claw_env, workspace).store.settings.broker_url == "redis://other:6379/0"


def test_bad_celery_settings_are_one_line_errors_naming_the_key(claw_env, workspace: Path) -> None:  # type: ignore[no-untyped-def]
    _settings(claw_env, {"agents": {"backend": "celery", "celery": {"broker_url": "amqp://host//"}}})
    with pytest.raises(ConfigError) as bad:
        _selected(claw_env, workspace)
    assert str(bad.value) == "settings agents.celery.broker_url: 'amqp://host//' is not a Redis URL"
    _settings(claw_env, {"agents": {"backend": "celery", "celery": {"queue": "q", "brokr": "x"}}})
    with pytest.raises(
        ConfigError, match=r"^settings agents\.celery\.brokr: Extra inputs are not permitted$"
    ):
        _selected(claw_env, workspace)


def test_an_unreachable_redis_is_a_one_line_error_naming_it(claw_env, workspace: Path) -> None:  # type: ignore[no-untyped-def]
    url = f"redis://127.0.0.1:{free_port()}/0"
    _settings(claw_env, {"agents": {"backend": "celery", "celery": {"broker_url": url}}})
    backend = _selected(claw_env, workspace)
    with pytest.raises(RedisUnavailable) as down:
        asyncio.run(backend.get("abc"))
    assert str(down.value).startswith(f"celery backend: Redis at {url} is unreachable (")
    assert "\n" not in str(down.value)
    with pytest.raises(RedisUnavailable):  # nothing is recorded or queued
        asyncio.run(backend.submit(TaskSpec(kind="command", text="true")))


def test_doctor_says_whether_the_broker_answers(claw, claw_env, redis_server: RedisServer) -> None:  # type: ignore[no-untyped-def]
    use_celery(claw_env, redis_server)
    checks = {c["name"]: c for c in claw("doctor", "--json").json() if c["section"] == "agents"}
    assert checks["celery broker"]["status"] == "ok"
    assert checks["celery broker"]["detail"] == f"{redis_server.url} answers"
    redis_server.stop()
    down = {c["name"]: c for c in claw("doctor", "--json").json() if c["section"] == "agents"}
    assert down["celery broker"]["status"] == "fail" and "is unreachable" in down["celery broker"]["detail"]

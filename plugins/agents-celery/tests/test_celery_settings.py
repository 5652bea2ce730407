"""Selecting and configuring the celery backend: registration, settings errors, ``claw doctor``."""

from __future__ import annotations

import json
from pathlib import Path

from claw_agents_celery.testing import RedisServer, use_celery


def _settings(claw_env: dict[str, str], data: dict) -> None:  # type: ignore[type-arg]
    cfg = Path(claw_env["CLAW_CONFIG_DIR"])
    cfg.mkdir(parents=True, exist_ok=True)
    (cfg / "settings.json").write_text(json.dumps(data))


def test_the_backend_and_the_worker_command_are_registered(claw) -> None:  # type: ignore[no-untyped-def]
    data = claw("dump-manifests", "--json").assert_success().json()
    assert {"name": "celery", "source": "claw-agents-celery 0.1.0"} in data["task_backends"]
    assert "worker" in claw("celery", "--help").assert_success().stdout
    assert "--concurrency" in claw("celery", "worker", "--help").assert_success().stdout


def test_a_broker_url_that_is_not_redis_is_a_one_line_settings_error(claw, claw_env) -> None:  # type: ignore[no-untyped-def]
    _settings(claw_env, {"agents": {"backend": "celery", "celery": {"broker_url": "amqp://host//"}}})
    result = claw.subprocess("tasks", "list")
    assert result.exit_code != 0
    assert result.stderr.strip() == (
        "claw: error: settings agents.celery.broker_url: 'amqp://host//' is not a Redis URL"
    )
    _settings(claw_env, {"agents": {"backend": "celery", "celery": {"queue": "q", "brokr": "x"}}})
    typo = claw.subprocess("tasks", "list")
    assert (
        typo.exit_code != 0 and "settings agents.celery.brokr: Extra inputs are not permitted" in typo.stderr
    )


def test_an_unreachable_redis_is_a_one_line_error_naming_it(claw, claw_env) -> None:  # type: ignore[no-untyped-def]
    from claw_agents_celery.testing import free_port

    url = f"redis://127.0.0.1:{free_port()}/0"
    _settings(claw_env, {"agents": {"backend": "celery", "celery": {"broker_url": url}}})
    result = claw.subprocess("tasks", "show", "abc")
    assert result.exit_code != 0
    [line] = result.stderr.strip().splitlines()
    assert line.startswith(f"claw: error: celery backend: Redis at {url} is unreachable (")


def test_doctor_says_whether_the_broker_answers(claw, claw_env, redis_server: RedisServer) -> None:  # type: ignore[no-untyped-def]
    use_celery(claw_env, redis_server)
    checks = {c["name"]: c for c in claw("doctor", "--json").json() if c["section"] == "agents"}
    assert checks["celery broker"]["status"] == "ok"
    assert checks["celery broker"]["detail"] == f"{redis_server.url} answers"
    redis_server.stop()
    down = {c["name"]: c for c in claw("doctor", "--json").json() if c["section"] == "agents"}
    assert down["celery broker"]["status"] == "fail" and "is unreachable" in down["celery broker"]["detail"]

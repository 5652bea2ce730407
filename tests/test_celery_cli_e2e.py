"""``claw tasks ...`` (claw-agents' commands) on the celery backend: one-line errors when its settings
are wrong or its Redis is down, and every command working again once Redis is back."""

from __future__ import annotations

import json
from pathlib import Path

from claw_agents_celery.testing import RedisServer, free_port, use_celery


def test_a_broker_url_that_is_not_redis_is_a_one_line_settings_error(claw, claw_env) -> None:  # type: ignore[no-untyped-def]
    cfg = Path(claw_env["CLAW_CONFIG_DIR"])
    cfg.mkdir(parents=True, exist_ok=True)
    settings = {"agents": {"backend": "celery", "celery": {"broker_url": "amqp://host//"}}}
    (cfg / "settings.json").write_text(json.dumps(settings))
    result = claw.subprocess("tasks", "list")
    assert result.exit_code != 0
    assert result.stderr.strip() == (
        "claw: error: settings agents.celery.broker_url: 'amqp://host//' is not a Redis URL"
    )


def test_redis_down_is_a_one_line_error_and_the_commands_work_once_it_is_back(
    claw, claw_env, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    redis = RedisServer(tmp_path / "redis", port=free_port())
    use_celery(claw_env, redis)
    down = claw.subprocess("tasks", "list")
    assert down.exit_code != 0
    [line] = down.stderr.strip().splitlines()
    assert line.startswith(f"claw: error: celery backend: Redis at {redis.url} is unreachable (")
    redis.start()
    try:
        up = claw.subprocess("tasks", "list", "--json")
        assert up.exit_code == 0 and up.json() == []
        missing = claw.subprocess("tasks", "show", "nope")
        assert missing.exit_code != 0 and "no task 'nope'" in missing.stderr
    finally:
        redis.stop()

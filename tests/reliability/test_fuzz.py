"""Hostile input: generated settings files, permission rules, hook output, ``.mcp.json`` files, session
files and stream-json input, each fed to a real ``claw`` run (in-process, the scripted model). Whatever
comes in, the run ends cleanly: exit 0, or one ``claw: error:`` line and a non-zero exit; never a
traceback and never an "internal error" (an exception claw did not expect).

The example counts are the figures the reliability note reports; ``CLAW_FUZZ_EXAMPLES`` raises them
for a longer hunt (``CLAW_FUZZ_EXAMPLES=2000 pytest tests/reliability/test_fuzz.py``)."""

from __future__ import annotations

import json
import os
import string
import uuid
from pathlib import Path
from typing import Any

import pytest
from claw import _paths as paths
from claw.testing.script import Reply, Text, ToolCall
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

EXAMPLES = int(os.environ.get("CLAW_FUZZ_EXAMPLES", "40"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,  # the same cases on every run: a failure here is reproducible, never flaky
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

#: JSON values of every kind, nested.
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=12,
)

#: Keys claw and Claude Code read from settings files, so generated objects reach real validation.
SETTINGS_KEYS = [
    "model",
    "permissions",
    "hooks",
    "env",
    "retry",
    "sandbox",
    "mcpServers",
    "streamIdleTimeout",
    "providers",
    "plugins",
    "outputStyle",
    "apiKeyHelper",
    "cleanupPeriodDays",
    "includeCoAuthoredBy",
    "statusLine",
]


def _text_or_bytes() -> st.SearchStrategy[bytes]:
    """Raw bytes, JSON text cut anywhere, and JSON of the wrong shape."""
    valid = json.dumps({"model": "scripted/default", "permissions": {"allow": ["Bash(ls:*)"]}})
    cut = st.integers(0, len(valid)).map(lambda n: valid[:n].encode())
    shaped = st.dictionaries(st.sampled_from(SETTINGS_KEYS) | st.text(max_size=8), JSON, max_size=5).map(
        lambda d: json.dumps(d).encode()
    )
    return st.binary(max_size=200) | cut | shaped | JSON.map(lambda v: json.dumps(v).encode())


def assert_clean(res: Any) -> None:
    """The oracle: exit 0, or a non-zero exit with exactly one error line; never a traceback."""
    assert "Traceback" not in res.stderr, res.stderr
    assert "internal error" not in res.stderr, res.stderr
    if res.exit_code != 0:
        errors = [line for line in res.stderr.splitlines() if line.startswith("claw: error:")]
        assert len(errors) == 1, res.stderr


@pytest.fixture
def replies(scripted, claw_env):  # type: ignore[no-untyped-def]
    """The scripted model as the user's default, with enough answers for every example: a Bash call
    then an answer, over and over."""
    cfg = Path(claw_env["CLAW_CONFIG_DIR"])
    cfg.mkdir(parents=True, exist_ok=True)
    (cfg / "settings.json").write_text(json.dumps({"model": "scripted/default"}))
    step = [Reply(ToolCall("Bash", {"command": "echo fuzz"})), Reply(Text("ok"))]
    scripted.script(*(step * (EXAMPLES * 4)))
    return scripted


def test_settings_files(claw, replies, workspace: Path) -> None:  # type: ignore[no-untyped-def]
    target = workspace / ".claw" / "settings.json"
    target.parent.mkdir(exist_ok=True)

    @FUZZ
    @given(data=_text_or_bytes())
    def run(data: bytes) -> None:
        target.write_bytes(data)
        res = claw("-p", "hi", "--output-format", "json")
        assert_clean(res)
        if res.exit_code != 0 and ".claw/settings.json" in res.stderr:
            assert str(target) in res.stderr  # an error about the file names it whole

    run()


RULE_TOOLS = st.sampled_from(["Bash", "Read", "Edit", "Write", "WebFetch", "Glob", "mcp__srv__tool", "Task"])
RULES = st.text(string.printable, max_size=30) | st.builds(
    lambda tool, inner: f"{tool}({inner})", RULE_TOOLS, st.text(string.printable, max_size=20)
)


def test_permission_rules(claw, replies, workspace: Path) -> None:  # type: ignore[no-untyped-def]
    target = workspace / ".claw" / "settings.json"
    target.parent.mkdir(exist_ok=True)

    @FUZZ
    @given(
        allow=st.lists(RULES, max_size=3), deny=st.lists(RULES, max_size=3), ask=st.lists(RULES, max_size=2)
    )
    def run(allow: list[str], deny: list[str], ask: list[str]) -> None:
        target.write_text(json.dumps({"permissions": {"allow": allow, "deny": deny, "ask": ask}}))
        assert_clean(claw("-p", "hi", "--output-format", "json"))

    run()


def test_hook_output(claw, replies, workspace: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "hook-out"
    target = workspace / ".claw" / "settings.json"
    target.parent.mkdir(exist_ok=True)
    hook = {"type": "command", "command": f'cat {out}; exit "$(cat {out}.code)"'}
    events = ("PreToolUse", "PostToolUse", "UserPromptSubmit", "Stop", "SessionStart")
    target.write_text(json.dumps({"hooks": {e: [{"matcher": "*", "hooks": [hook]}] for e in events}}))
    hook_json = st.dictionaries(
        st.sampled_from(
            [
                "decision",
                "reason",
                "continue",
                "stopReason",
                "suppressOutput",
                "systemMessage",
                "hookSpecificOutput",
            ]
        )
        | st.text(max_size=6),
        JSON,
        max_size=4,
    ).map(lambda d: json.dumps(d).encode())

    @FUZZ
    @given(data=hook_json | st.binary(max_size=100), code=st.sampled_from([0, 1, 2, 3, 127]))
    def run(data: bytes, code: int) -> None:
        out.write_bytes(data)
        Path(f"{out}.code").write_text(str(code))
        assert_clean(claw("-p", "hi", "--output-format", "json", "--dangerously-skip-permissions"))

    run()


SERVER = st.fixed_dictionaries(
    {},
    optional={
        "type": st.sampled_from(["stdio", "sse", "http", "ws", "bogus"]) | st.text(max_size=5),
        # only commands that cannot exist and loopback addresses nobody serves: a generated case must
        # never run a real program or reach the network
        "command": st.text(string.ascii_letters, max_size=8).map(lambda s: f"/nonexistent/{s}"),
        "args": st.lists(st.text(max_size=8), max_size=3) | JSON,
        "url": st.text(string.ascii_letters + "/:?", max_size=10).map(lambda s: f"http://127.0.0.1:9/{s}"),
        "env": st.dictionaries(st.text(max_size=5), st.text(max_size=5), max_size=2) | JSON,
        "headers": JSON,
        "timeout": JSON,
    },
)


def test_mcp_json_files(claw, replies, workspace: Path) -> None:  # type: ignore[no-untyped-def]
    target = workspace / ".mcp.json"
    shaped = st.dictionaries(st.text(max_size=8), SERVER | JSON, max_size=3).map(
        lambda servers: json.dumps({"mcpServers": servers}).encode()
    )

    @FUZZ
    @given(data=shaped | _text_or_bytes())
    def run(data: bytes) -> None:
        target.write_bytes(data)
        assert_clean(claw("mcp", "list"))
        assert_clean(claw("-p", "hi", "--output-format", "json"))

    run()


def _event() -> st.SearchStrategy[bytes]:
    message = st.fixed_dictionaries(
        {"role": st.sampled_from(["user", "assistant", "system"]) | st.text(max_size=4), "content": JSON}
    )
    event = st.fixed_dictionaries(
        {"type": st.sampled_from(["user", "assistant", "result", "compaction", "fork", "session_start"])},
        optional={"message": message | JSON, "messages": st.lists(message, max_size=2) | JSON, "usage": JSON},
    )
    return (
        event.map(lambda e: json.dumps(e).encode())
        | JSON.map(lambda v: json.dumps(v).encode())
        | st.binary(max_size=60)
    )


def test_session_files(claw, replies, claw_env, workspace: Path) -> None:  # type: ignore[no-untyped-def]
    directory = paths.sessions_dir(workspace, claw_env)
    directory.mkdir(parents=True, exist_ok=True)

    @FUZZ
    @given(lines=st.lists(_event(), min_size=1, max_size=8))
    def run(lines: list[bytes]) -> None:
        sid = str(uuid.uuid4())
        (directory / f"{sid}.jsonl").write_bytes(
            b"\n".join(line.replace(b"\n", b" ") for line in lines) + b"\n"
        )
        assert_clean(claw("-p", "go on", "--resume", sid, "--output-format", "json"))

    run()


def test_stream_json_input(claw, replies) -> None:  # type: ignore[no-untyped-def]
    user = st.fixed_dictionaries(
        {
            "type": st.just("user"),
            "message": st.fixed_dictionaries({"role": st.just("user"), "content": JSON}),
        }
    )
    control = st.fixed_dictionaries(
        {
            "type": st.just("control_request"),
            "request_id": st.text(max_size=6) | JSON,
            "request": st.fixed_dictionaries(
                {
                    "subtype": st.sampled_from(
                        ["interrupt", "set_permission_mode", "set_model", "initialize"]
                    )
                    | st.text(max_size=8)
                },
                optional={"mode": JSON, "model": JSON},
            )
            | JSON,
        }
    )
    line = (user | control | JSON).map(json.dumps) | st.text(max_size=40)

    @FUZZ
    @given(lines=st.lists(line, min_size=1, max_size=5))
    def run(lines: list[str]) -> None:
        text = "\n".join(x.replace("\n", " ") for x in lines) + "\n"
        res = claw(
            "-p", "--input-format", "stream-json", "--output-format", "stream-json", "--verbose", input=text
        )
        assert_clean(res)
        for out in res.stdout.splitlines():
            json.loads(out)  # stdout stays one JSON object per line, whatever came in

    run()

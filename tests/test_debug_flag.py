"""``--debug[=FILTER]`` (Claude Code's ``-d, --debug [filter]``): the debug lines ``--verbose`` shows, on
stderr only, each naming its category (``[claw.http]``, ``[claw.hooks]``); ``FILTER`` keeps only the
categories it names (``http,hooks``, Claude Code's ``api``) or all but those it excludes (``!hooks``).
stdout stays the one JSON result."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from claw.testing.script import Reply, Text


def _categories(stderr: str) -> set[str]:
    """The loggers of the debug lines on stderr."""
    return {line.split("[claw.")[1].split("]")[0] for line in stderr.splitlines() if "[debug" in line}


@pytest.fixture
def run(claw, e2e_env, anthropic_server, claw_env):  # type: ignore[no-untyped-def]
    """``run(*flags)``: ``claw -p hi --output-format json *flags`` against the mock Messages API, with a
    user settings hook: both the model request (``http``) and the hook (``hooks``) log a debug line."""
    e2e_env(ANTHROPIC_API_KEY="sk-ant-test", ANTHROPIC_BASE_URL=anthropic_server.url)
    cfg = Path(claw_env["CLAW_CONFIG_DIR"])
    cfg.mkdir(parents=True, exist_ok=True)
    hook = {"hooks": [{"type": "command", "command": "true"}]}
    (cfg / "settings.json").write_text(json.dumps({"hooks": {"UserPromptSubmit": [hook]}}))

    def run(*flags: str):  # type: ignore[no-untyped-def]
        anthropic_server.script(Reply(Text("fine")))
        res = claw.subprocess("-p", "hi", "--model", "sonnet", "--output-format", "json", *flags)
        res.assert_success()
        assert json.loads(res.stdout)["result"] == "fine"  # stdout is the one JSON object
        return res

    return run


@pytest.mark.parametrize(
    ("flags", "shown"),
    [
        ((), set()),
        (("--debug",), {"http", "hooks"}),
        (("-d",), {"http", "hooks"}),
        (("--debug", "hooks"), {"hooks"}),
        (("--debug=api",), {"http"}),
        (("--debug", "!hooks"), {"http"}),
        (("--debug", "!api,!hooks"), set()),
        (("--debug", "hooks,!http"), {"http", "hooks"}),  # mixed: no filtering, as Claude Code
    ],
)
def test_debug_lines_by_category(run, flags: tuple[str, ...], shown: set[str]) -> None:  # type: ignore[no-untyped-def]
    res = run(*flags)
    assert _categories(res.stderr) == shown, res.stderr


def test_a_prompt_before_debug_stays_the_prompt(claw, run, anthropic_server) -> None:  # type: ignore[no-untyped-def]
    """``claw -p "PROMPT" --debug``: the flag takes no value there and the prompt is sent; a word after
    ``--debug`` is its filter, as in Claude Code (``--debug=FILTER`` is the unambiguous spelling)."""
    anthropic_server.script(Reply(Text("fine")))
    res = claw.subprocess("-p", "say PINEAPPLE", "--model", "sonnet", "--debug").assert_success()
    assert _categories(res.stderr) == {"http", "hooks"} and res.stdout.strip() == "fine"
    assert "say PINEAPPLE" in json.dumps(anthropic_server.requests[-1].json["messages"])


def test_debug_with_verbose_keeps_the_filter(run) -> None:  # type: ignore[no-untyped-def]
    res = run("--debug", "hooks", "--verbose")
    assert _categories(res.stderr) == {"hooks"}


def test_debug_file_takes_the_lines_off_stderr(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """``--debug-file PATH`` (Claude Code's): debug mode on, its lines in the file, none on stderr."""
    log = tmp_path / "debug.log"
    res = run("--debug-file", str(log))
    assert _categories(res.stderr) == set()
    assert _categories(log.read_text()) == {"http", "hooks"}


def test_debug_file_keeps_the_filter(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    log = tmp_path / "debug.log"
    run("--debug", "hooks", "--debug-file", str(log))
    assert _categories(log.read_text()) == {"hooks"}


def test_a_debug_file_that_cannot_be_opened_is_a_usage_error(claw, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    res = claw.subprocess("-p", "hi", "--debug-file", str(tmp_path / "missing" / "debug.log"))
    assert res.exit_code == 2, res.stderr
    assert res.stderr.strip().splitlines() == [
        f"claw: error: --debug-file: cannot open {tmp_path / 'missing' / 'debug.log'}: No such file or directory"
    ]


#: A plugin whose option's callback has a bug: the exception reaches the command line's error handler.
BUGGY_OPTION = """
import click

import claw


def boom(ctx, param, value):
    if value:
        raise RuntimeError("option exploded")


@claw.hookimpl
def claw_register_run_options(register):
    register(click.Option(["--boom"], is_flag=True, expose_value=False, callback=boom))
"""


@pytest.mark.parametrize(
    ("flags", "traceback"),
    [
        ((), False),
        (("--verbose",), True),
        (("--debug",), True),
        (("-d", "api"), True),
        (("--debug-file", "LOG"), True),
    ],
)
def test_debug_shows_a_bugs_traceback_as_verbose_does(  # type: ignore[no-untyped-def]
    claw, plugin_module, tmp_path: Path, flags: tuple[str, ...], traceback: bool
) -> None:
    """The traceback of a bug outside a turn goes to stderr with ``--debug`` (any filter) and
    ``--debug-file`` too, as with ``--verbose``."""
    plugin_module("buggy_option", BUGGY_OPTION)
    flags = tuple(str(tmp_path / "debug.log") if f == "LOG" else f for f in flags)
    res = claw.subprocess("-p", "go", *flags, "--boom", input=b"")
    res.assert_failure(1, "claw: error: internal error: RuntimeError: option exploded")
    assert ("Traceback" in res.stderr) is traceback

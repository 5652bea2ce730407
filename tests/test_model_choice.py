"""A newcomer's first run: which model claw picks when none is named (as Claude Code picks it), what
``claw doctor`` says about it, and the hints for a mistyped provider or subcommand.

Every test builds its environment explicitly: the isolated ``claw_env`` minus every provider variable
of the host (an ``ANTHROPIC_API_KEY`` or ``CLAUDE_CODE_USE_BEDROCK`` exported on the machine running
the tests must not decide the outcome), plus exactly the variables the test is about.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from claw.testing import claw_on_terminal
from claw.testing.script import Reply, Text

#: Variables that configure providers or pick a model, whatever the vendor.
PROVIDER_VARS = ("ANTHROPIC_", "OPENAI_", "AWS_", "GOOGLE_", "GCLOUD_", "CLOUDSDK_", "AZURE_", "CLAUDE_CODE_")


@pytest.fixture
def env(claw_env: dict[str, str]) -> dict[str, str]:
    for key in [k for k in claw_env if k.startswith(PROVIDER_VARS)]:
        del claw_env[key]
    claw_env["AWS_EC2_METADATA_DISABLED"] = "true"  # an EC2 host's instance role would be credentials
    return claw_env


def _model_check(claw) -> tuple[int, dict]:  # type: ignore[no-untyped-def]
    res = claw("doctor", "--json")
    check = next(c for c in res.json() if c["section"] == "model")
    return res.exit_code, check


def test_default_model_from_anthropic_key_runs_print_mode(claw, env, anthropic_server) -> None:
    env.update(ANTHROPIC_API_KEY="sk-ant-test", ANTHROPIC_BASE_URL=anthropic_server.url)
    anthropic_server.script(Reply(Text("hello back")))
    assert claw("-p", "hello").assert_success().stdout == "hello back\n"
    assert anthropic_server.requests[0].json["model"] == "claude-sonnet-5-5"  # the latest Sonnet


def test_nothing_configured_is_one_line_saying_what_to_set(claw, env) -> None:
    res = claw("-p", "hello").assert_failure(1, "no model configured: set ANTHROPIC_API_KEY")
    assert len(res.stderr.strip().splitlines()) == 1
    code, check = _model_check(claw)
    assert code == 1 and check["status"] == "fail" and "set ANTHROPIC_API_KEY" in check["detail"]


def test_doctor_says_which_model_and_why(claw, env, workspace) -> None:
    env["ANTHROPIC_API_KEY"] = "sk-ant-test"
    assert _model_check(claw) == (
        0,
        {
            "section": "model",
            "name": "model",
            "status": "ok",
            "detail": "anthropic/claude-sonnet-5-5 (from ANTHROPIC_API_KEY)",
        },
    )
    text = claw("doctor").assert_success().stdout
    assert "  ok   model: anthropic/claude-sonnet-5-5 (from ANTHROPIC_API_KEY)" in text
    # A named model without credentials cannot run: doctor fails, as the run would.
    res = claw("--model", "openai/gpt-5.5", "doctor").assert_failure(1)
    assert "FAIL model: no credentials for provider 'openai': set OPENAI_API_KEY" in res.stdout


def test_claude_code_order_flag_env_settings(claw, env, workspace) -> None:
    env["ANTHROPIC_API_KEY"] = "sk-ant-test"
    (workspace / ".claw").mkdir()
    (workspace / ".claw" / "settings.json").write_text(json.dumps({"model": "haiku"}))
    _, check = _model_check(claw)
    assert check["detail"].startswith("anthropic/claude-haiku-5-5 (from settings model in ")
    env["ANTHROPIC_MODEL"] = "opus"  # Claude Code: the variable beats the settings file ...
    assert _model_check(claw)[1]["detail"] == "anthropic/claude-opus-5-5 (from ANTHROPIC_MODEL)"
    res = claw("--model", "sonnet", "doctor", "--json")  # ... and --model beats both
    assert next(c for c in res.json() if c["section"] == "model")["detail"] == (
        "anthropic/claude-sonnet-5-5 (from --model)"
    )


def test_first_provider_with_credentials(claw, env) -> None:
    env["OPENAI_API_KEY"] = "sk-test"
    assert _model_check(claw)[1]["detail"] == "openai/gpt-5.5 (from OPENAI_API_KEY)"
    env.update(AWS_ACCESS_KEY_ID="AKIATEST", AWS_SECRET_ACCESS_KEY="secret")
    assert _model_check(claw)[1]["detail"] == "openai/gpt-5.5 (from OPENAI_API_KEY)"  # a key first
    del env["OPENAI_API_KEY"]
    assert _model_check(claw)[1]["detail"] == (
        "bedrock/global.anthropic.claude-sonnet-5-5 (from AWS_ACCESS_KEY_ID)"
    )


def test_claude_code_cloud_switches(claw, env) -> None:
    env.update(ANTHROPIC_API_KEY="sk-ant-test", CLAUDE_CODE_USE_BEDROCK="1")
    # The switch wins over credentials found elsewhere, and names what the cloud still needs.
    res = claw("-p", "hello").assert_failure(1, "no credentials for provider 'bedrock'")
    assert len(res.stderr.strip().splitlines()) == 1
    env.update(AWS_ACCESS_KEY_ID="AKIATEST", AWS_SECRET_ACCESS_KEY="secret")
    assert _model_check(claw) == (
        0,
        {
            "section": "model",
            "name": "model",
            "status": "ok",
            "detail": "bedrock/global.anthropic.claude-sonnet-5-5 (from CLAUDE_CODE_USE_BEDROCK)",
        },
    )
    # Bare names go to the selected cloud when it knows the model, as in Claude Code.
    env["ANTHROPIC_MODEL"] = "sonnet"
    assert _model_check(claw)[1]["detail"] == "bedrock/claude-sonnet-5-5 (from ANTHROPIC_MODEL)"
    del env["CLAUDE_CODE_USE_BEDROCK"]
    env.update(
        CLAUDE_CODE_USE_VERTEX="true", GOOGLE_CLOUD_PROJECT="p", GOOGLE_APPLICATION_CREDENTIALS=__file__
    )
    assert _model_check(claw)[1]["detail"] == "vertex/claude-sonnet-5-5 (from ANTHROPIC_MODEL)"
    del env["ANTHROPIC_MODEL"]
    assert _model_check(claw)[1]["detail"] == "vertex/claude-sonnet-5-5 (from CLAUDE_CODE_USE_VERTEX)"


def test_default_models_are_catalogue_models(env, workspace) -> None:
    """Each first-party default is a model its provider's catalogue knows (with a price: a model it
    does not know would get conservative, price-less defaults)."""
    from claw._app import App

    app = App(workspace=workspace, env=env)
    providers = {reg.obj.name: reg.obj for reg in app.providers.values()}
    for name in ("anthropic", "openai", "bedrock", "vertex", "foundry"):
        cls = providers[name]
        default = cls({}, env).default_model()
        assert default and cls.model_info(default).pricing is not None, name
    # An OpenAI-compatible server: its first declared model, or none rather than a guess.
    compatible = {"base_url": "http://127.0.0.1:1/v1"}
    assert providers["openai"](compatible, {}).default_model() is None
    declared = {**compatible, "models": {"qwen3-coder": {}}}
    assert providers["openai"](declared, {}).default_model() == "qwen3-coder"


def test_unknown_provider_suggests_only_known_names(claw, env) -> None:
    res = claw("-p", "hi", "--model", "nosuchprovider/x").assert_failure(
        1, "unknown provider 'nosuchprovider'"
    )
    assert "claw-provider-nosuchprovider" not in res.stderr
    assert "installed providers: anthropic, bedrock, foundry, openai, vertex" in res.stderr
    claw("-p", "hi", "--model", "antropic/x").assert_failure(1, "did you mean 'anthropic'?")
    env["CLAW_DISABLE_PLUGINS"] = "bedrock"
    res = claw("-p", "hi", "--model", "bedrock/x").assert_failure(1, "pip install claw-provider-bedrock")
    claw("-p", "hi", "--model", "bedrok/x").assert_failure(
        1, "did you mean 'bedrock'? (pip install claw-provider-bedrock)"
    )


def test_broken_settings_files_are_checks_not_a_crash(claw, env, workspace) -> None:
    env["ANTHROPIC_API_KEY"] = "sk-ant-test"
    (workspace / ".claw").mkdir()
    project = workspace / ".claw" / "settings.json"
    project.write_text('{\n  "model": "sonnet",\n}\n')
    user = Path(env["CLAW_CONFIG_DIR"]) / "settings.json"
    user.parent.mkdir(parents=True, exist_ok=True)
    user.write_text('{"model": ')
    res = claw("doctor").assert_failure(1)
    assert f"FAIL project: {project}:3:1: invalid JSON" in res.stdout
    assert f"FAIL user: {user}:1:11: invalid JSON" in res.stdout
    assert "FAIL model: not chosen: settings are broken" in res.stdout
    assert "  ok   anthropic: claw-provider-anthropic" in res.stdout  # the other checks still ran
    checks = claw("doctor", "--json").assert_failure(1).json()
    assert {c["name"] for c in checks if c["status"] == "fail"} == {"project", "user", "model"}


def test_mistyped_subcommand_suggests_the_nearest(claw, env) -> None:
    claw("doctr").assert_failure(2, "no such command 'doctr'; did you mean 'doctor'?")
    claw("sesions").assert_failure(2, "did you mean 'sessions'?")
    claw("hello").assert_failure(2, "no such command 'hello'; to send it as a prompt: claw -p hello")


def test_repl_opens_and_names_the_model(env, workspace, anthropic_server) -> None:
    """On a terminal, with only an API key: the REPL opens and its banner says which model and why."""
    env.update(ANTHROPIC_API_KEY="sk-ant-test", ANTHROPIC_BASE_URL=anthropic_server.url)
    with claw_on_terminal([], env=env, cwd=workspace) as (proc, master):
        os.write(master, b"/exit\n")
        _, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    assert "model: anthropic/claude-sonnet-5-5 (from ANTHROPIC_API_KEY)" in err
    assert not anthropic_server.requests

"""``claw print-system-prompt``: exactly the system prompt a run sends, with the root's prompt flags,
``--add-dir`` and settings ``permissions.additionalDirectories`` applied."""

from __future__ import annotations

import json

from claw.testing.script import Reply, Text


def test_print_system_prompt_lists_additional_directories_like_a_run(claw, loop_env, workspace, tmp_path):
    shared = workspace.parent / "shared"
    shared.mkdir()
    other = tmp_path / "other"
    other.mkdir()
    settings = json.dumps({"permissions": {"additionalDirectories": ["../shared"]}})
    args = ["--settings", settings, "--add-dir", str(other)]
    loop_env.script(Reply(Text("ok")))
    claw(*args, "-p", "hi").assert_success()
    sent = loop_env.requests[0]["system"][0]["text"]
    assert f"Additional working directories: {shared.resolve()}, {other.resolve()}\n" in sent
    printed = claw(*args, "print-system-prompt").assert_success().stdout
    assert printed.rstrip("\n") == sent
    plain = claw("print-system-prompt").assert_success().stdout
    assert "Additional working directories" not in plain
    claw("--add-dir", str(tmp_path / "nope"), "print-system-prompt").assert_failure(2, "--add-dir")


def test_print_system_prompt_command(claw, workspace):
    import subprocess

    subprocess.run(["git", "init", "-q", "-b", "trunk"], cwd=workspace, check=True)
    (workspace / "CLAUDE.md").write_text("Always run the tests.")
    (workspace / "new.txt").write_text("x")
    res = claw("print-system-prompt", "--date", "2031-05-06").assert_success()
    assert res.stdout.startswith("You are claw")
    assert "Always run the tests." in res.stdout and "Today's date: 2031-05-06" in res.stdout
    assert "Current branch: trunk" in res.stdout and "?? new.txt" in res.stdout
    other = (
        claw(
            "--system-prompt",
            "Be terse.",
            "--append-system-prompt",
            "THE END",
            "print-system-prompt",
            "--cwd",
            workspace,
        )
        .assert_success()
        .stdout
    )
    assert other.startswith("Be terse.") and other.rstrip().endswith("THE END")
    claw("print-system-prompt", "--date", "tomorrow").assert_failure(2, "--date")


def test_the_prompt_sent_is_the_printed_one(claw, loop_env, workspace):
    (workspace / "CLAUDE.md").write_text("Project says hi.")
    loop_env.script(Reply(Text("ok")))
    claw("-p", "x").assert_success()
    printed = claw("print-system-prompt").assert_success().stdout
    assert loop_env.requests[0]["system"][0]["text"] == printed.rstrip("\n")


def test_print_system_prompt_reads_the_prompt_files_like_a_run(claw, loop_env, tmp_path):
    (tmp_path / "instead.md").write_text("You are a terse reviewer.")
    (tmp_path / "more.md").write_text("Answer in French.")
    args = ["--system-prompt-file", str(tmp_path / "instead.md")]
    args += ["--append-system-prompt-file", str(tmp_path / "more.md")]
    loop_env.script(Reply(Text("ok")))
    claw(*args, "-p", "hi").assert_success()
    sent = "".join(block["text"] for block in loop_env.requests[0]["system"])
    printed = claw(*args, "print-system-prompt").assert_success().stdout
    assert printed.startswith("You are a terse reviewer.") and "Answer in French." in printed
    assert printed.rstrip("\n") == sent
    both = [*args, "--system-prompt", "x", "print-system-prompt"]
    claw(*both).assert_failure(2, "--system-prompt and --system-prompt-file cannot be used together")

"""Diagnostics after edits end to end: ``claw -p`` with the scripted model, the real Edit tool
(claw-tools-files) and a real pylsp (claw-lsp). An Edit that introduces an undefined name gets
pylsp's new error appended to its result; the fixing Edit gets none."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest
from claw.testing.script import Reply, Text, ToolCall

PYLSP = {"command": sys.executable, "args": ["-m", "pylsp"], "extensionToLanguage": {".py": "python"}}
MAIN = 'from util import greet\n\n\ndef run() -> None:\n    print(greet("world"))\n'
UTIL = 'def greet(name: str) -> str:\n    return "Hello " + name\n'


@pytest.fixture
def project(workspace: Path) -> Path:
    (workspace / "main.py").write_text(MAIN)
    (workspace / "util.py").write_text(UTIL)
    (workspace / ".lsp.json").write_text(json.dumps({"pylsp": PYLSP}))
    return workspace


def edit(old: str, new: str) -> Reply:
    return Reply(ToolCall("Edit", {"file_path": "main.py", "old_string": old, "new_string": new}))


def diagnostics() -> Reply:
    return Reply(
        ToolCall("LSP", {"operation": "diagnostics", "filePath": "main.py", "line": 1, "character": 1})
    )


def contents(scripted: Any) -> list[str]:
    out = []
    for request in scripted.requests:
        for block in request["messages"][-1]["content"]:
            if block.get("type") == "tool_result":
                c = block["content"]
                out.append(c if isinstance(c, str) else "".join(b.get("text", "") for b in c))
    return out


def run(claw: Any) -> None:
    claw(
        "-p", "fix it", "--model", "scripted/default", "--output-format", "json", "--dangerously-skip-permissions"
    ).assert_success()  # fmt: skip


def test_an_edit_gets_the_new_error_and_the_fix_gets_none(claw, scripted, project: Path):
    scripted.script(
        diagnostics(),  # the first LSP call starts pylsp
        Reply(ToolCall("Read", {"file_path": "main.py"})),
        edit('greet("world")', "greet(wrold)"),
        edit("greet(wrold)", 'greet("world")'),
        diagnostics(),
        Reply(Text("done")),
    )
    run(claw)
    before, _read, broken, fixed, after = contents(scripted)
    assert before == "No diagnostics."
    assert broken.endswith(
        "<new-diagnostics>\npylsp reports 1 new error(s) after this edit:\n"
        "main.py:5:17: error: undefined name 'wrold' [pyflakes]\n</new-diagnostics>"
    )
    assert "<new-diagnostics>" not in fixed and after == "No diagnostics."
    assert (project / "main.py").read_text() == MAIN


def test_old_errors_are_not_repeated_and_edits_without_a_running_server_add_nothing(claw, scripted, project):
    (project / "main.py").write_text(MAIN + "\nprint(missing_one)\n")
    scripted.script(
        Reply(ToolCall("Read", {"file_path": "main.py"})),
        edit("print(missing_one)", "print(missing_one, 1)"),  # no server runs yet: nothing added
        diagnostics(),
        edit('greet("world")', 'greet("world", )'),  # the old error moves nowhere new: not repeated
        edit("print(missing_one, 1)", "print(missing_one, missing_two)"),
        Reply(Text("done")),
    )
    run(claw)
    _read, unwatched, listed, harmless, second = contents(scripted)
    assert "<new-diagnostics>" not in unwatched
    assert listed == "1 diagnostics:\nmain.py:7:7: error: undefined name 'missing_one' [pyflakes]"
    assert "<new-diagnostics>" not in harmless
    assert "main.py:7:20: error: undefined name 'missing_two' [pyflakes]" in second
    assert "missing_one" not in second.split("<new-diagnostics>")[1]

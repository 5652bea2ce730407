"""The entry-point module of claw-tools-workflow imports nothing but claw: the tools load inside the hooks."""

from __future__ import annotations

from claw.testing import imported_modules


def test_entry_point_imports_only_claw():
    loaded = imported_modules("claw_tools_workflow.plugin")
    ours = {m for m in loaded if m.startswith("claw_tools_workflow")}
    assert ours == {"claw_tools_workflow", "claw_tools_workflow.plugin"}
    heavy = {m.split(".")[0] for m in loaded} & {
        "pydantic",
        "httpx",
        "pypdf",
        "subprocess",
        "asyncio",
        "claw_tools_files",
        "claw_tools_shell",
        "claw_tools_web",
        "claw_tools_workflow",
    } - {"claw_tools_workflow"}
    assert heavy == set()
    assert {m for m in loaded if m.startswith("claw.")} == {"claw._version", "claw._markers"}  # @claw.hookimpl

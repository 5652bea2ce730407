"""The entry-point module of claw-tools-files imports nothing but claw: the tools load inside the hooks."""

from __future__ import annotations

from claw.testing import assert_import_light

TOOL_PLUGINS = {"claw_tools_files", "claw_tools_shell", "claw_tools_web", "claw_tools_workflow"}


def test_entry_point_imports_only_claw():
    banned = {"pydantic", "httpx", "pypdf", "subprocess", "asyncio", *TOOL_PLUGINS}
    assert_import_light(
        "claw_tools_files.plugin",
        banned=banned,
        only_itself=True,
        claw_modules={"claw._markers", "claw._version"},
    )

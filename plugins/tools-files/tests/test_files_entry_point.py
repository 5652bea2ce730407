"""The entry-point module of claw-tools-files imports nothing but claw: the tools load inside the hooks."""

from __future__ import annotations

from claw.testing import assert_import_light, assert_tools_by_reference

TOOL_PLUGINS = {"claw_tools_files", "claw_tools_shell", "claw_tools_web", "claw_tools_workflow"}


def test_entry_point_imports_only_claw():
    banned = {"pydantic", "httpx", "pypdf", "subprocess", "asyncio", *TOOL_PLUGINS}
    assert_import_light(
        "claw_tools_files.plugin",
        banned=banned,
        only_itself=True,
        claw_modules={"claw._markers", "claw._version"},
    )


#: The implementations, imported at a tool's first call (``claw.ToolRef``), never just to offer them.
IMPLEMENTATION = {
    "claw_tools_files._read",
    "claw_tools_files._write",
    "claw_tools_files._glob",
    "claw_tools_files._grep",
    "claw_tools_files._notebook",
    "claw_tools_files._paths",
    "claw_tools_files._search",
    "claw_tools_files._walk",
    "claw_tools_files._textfile",
}


def test_tools_are_registered_by_reference_and_registering_imports_no_implementation():
    assert_tools_by_reference("claw_tools_files.plugin", IMPLEMENTATION)

"""The entry-point module of claw-tools-shell imports nothing but claw: the tools load inside the hooks."""

from __future__ import annotations

from claw.testing import assert_import_light, assert_tools_by_reference

TOOL_PLUGINS = {"claw_tools_files", "claw_tools_shell", "claw_tools_web", "claw_tools_workflow"}


def test_entry_point_imports_only_claw():
    banned = {"pydantic", "httpx", "pypdf", "subprocess", "asyncio", *TOOL_PLUGINS}
    assert_import_light(
        "claw_tools_shell.plugin",
        banned=banned,
        only_itself=True,
        claw_modules={"claw._markers", "claw._version"},
    )


#: The implementations, imported at a tool's first call (``claw.ToolRef``), never just to offer them.
IMPLEMENTATION = {
    "claw_tools_shell._bash",
    "claw_tools_shell._confine",
    "claw_tools_shell._process",
    "claw_tools_shell._syntax",
    "claw_tools_shell._permissions",
}


def test_tools_are_registered_by_reference_and_registering_imports_no_implementation():
    assert_tools_by_reference("claw_tools_shell.plugin", IMPLEMENTATION)

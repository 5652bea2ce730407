"""The entry-point module of claw-tools-shell imports nothing but claw: the tools load inside the hooks."""

from __future__ import annotations

import json
import subprocess
import sys

import claw
from claw.testing import assert_import_light

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


def test_tools_are_registered_by_reference_with_their_implementations_spec():
    from claw_tools_shell import plugin

    registered: list[claw.Tool] = []
    plugin.claw_register_tools(registered.append)
    assert registered and all(isinstance(tool, claw.ToolRef) for tool in registered)
    # the spec the model is offered is the one the implementation declares
    assert [tool.resolve().spec for tool in registered] == [tool.spec for tool in registered]


def test_registering_the_tools_imports_no_implementation():
    code = (
        "import json, sys\n"
        "from claw_tools_shell import plugin\n"
        "plugin.claw_register_tools(lambda tool: None)\n"
        "print(json.dumps([m for m in sys.modules if m.startswith('claw_tools_shell.')]))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert IMPLEMENTATION.isdisjoint(json.loads(done.stdout)), done.stdout

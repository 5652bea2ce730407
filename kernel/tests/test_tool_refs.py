"""``claw.ToolRef``: a tool registered by its spec and the place of its implementation, which is
imported at the tool's first call; a run that never calls it never imports it, and an implementation
that cannot load fails that tool's calls (and ``claw doctor``) in one clear line, nothing else."""

from __future__ import annotations

import re
from pathlib import Path

import claw
import pytest
from claw.testing import write_plugin
from claw.testing.script import Reply, Text, ToolCall

PLUGIN = """
import claw

SPEC = claw.ToolSpec(
    name="Shout",
    description="Say a text louder.",
    input_schema={"type": "object", "properties": {"text": {"type": "string"}}, "required": ["text"]},
)


@claw.hookimpl
def claw_register_tools(register):
    register(claw.ToolRef(SPEC, "shout_impl:ShoutTool"))
"""

IMPL = """
import os
from pathlib import Path

import claw
import shout_plugin

# Each import leaves a line, so a test sees whether (and how often) a run imported this module.
with open(Path(os.environ["SHOUT_LOG"]), "a") as log:
    log.write("imported\\n")


class ShoutTool(claw.Tool):
    spec = shout_plugin.SPEC

    async def run(self, input, ctx):
        return claw.ToolResult(content=input["text"].upper())
"""


@pytest.fixture
def shout(plugin_module, claw_env, tmp_path: Path) -> Path:
    """The Shout plugin registered by reference; returns the file its implementation's imports log to."""
    plugin_module("shout_plugin", PLUGIN)
    log = tmp_path / "imports.log"
    claw_env["SHOUT_LOG"] = str(log)
    return log


def _tool_result(request: dict) -> dict:
    return next(b for b in request["messages"][-1]["content"] if b["type"] == "tool_result")


def test_a_tool_by_reference_is_offered_and_imported_at_its_first_call(claw, scripted, shout, tmp_path):
    write_plugin(tmp_path / "test_plugins", "shout_impl", IMPL)
    scripted.script(Reply(Text("nothing to do")))
    claw.subprocess("-p", "hi", "--model", "scripted/default").assert_success()
    (offered,) = [t for t in scripted.requests[0]["tools"] if t["name"] == "Shout"]
    assert offered["description"] == "Say a text louder."
    assert not shout.exists()  # offered without importing the implementation

    scripted.script(
        Reply(ToolCall("Shout", {"text": "hey"}), ToolCall("Shout", {"text": "you"})), Reply(Text("ok"))
    )
    claw.subprocess(
        "-p", "shout", "--model", "scripted/default", "--dangerously-skip-permissions"
    ).assert_success()
    results = [b for b in scripted.requests[-1]["messages"][-1]["content"] if b["type"] == "tool_result"]
    assert [r["content"] for r in results] in (
        [[{"type": "text", "text": "HEY"}], [{"type": "text", "text": "YOU"}]],
        ["HEY", "YOU"],
    )
    assert shout.read_text() == "imported\n"  # once, for both calls


def test_a_tool_whose_implementation_cannot_import_fails_its_calls_cleanly(claw, scripted, shout, tmp_path):
    write_plugin(tmp_path / "test_plugins", "shout_impl", "raise ImportError('needs libshout')\n")
    scripted.script(Reply(ToolCall("Shout", {"text": "hey"})), Reply(Text("sorry")))
    done = claw.subprocess("-p", "shout", "--model", "scripted/default", "--dangerously-skip-permissions")
    assert done.exit_code == 0, done.stderr
    assert done.stdout.strip() == "sorry"
    result = _tool_result(scripted.requests[-1])
    assert result["is_error"] is True
    text = result["content"] if isinstance(result["content"], str) else result["content"][0]["text"]
    assert "Shout is unavailable: loading shout_impl:ShoutTool failed: ImportError: needs libshout" in text
    # The other tools are untouched, and the broken one is still offered (a call says why it fails).
    assert {"Shout", "EnterPlanMode"} <= {t["name"] for t in scripted.requests[-1]["tools"]}


def test_doctor_imports_tools_by_reference_and_fails_a_broken_one(claw, shout, tmp_path):
    write_plugin(tmp_path / "test_plugins", "shout_impl", "raise ImportError('needs libshout')\n")
    result = claw("doctor")
    assert result.exit_code == 1
    assert (
        "FAIL shout_plugin: module shout_plugin: Shout is unavailable: loading shout_impl:ShoutTool "
        "failed: ImportError: needs libshout"
    ) in result.stdout


def test_doctor_passes_a_tool_by_reference_that_loads(claw, shout, tmp_path):
    write_plugin(tmp_path / "test_plugins", "shout_impl", IMPL)
    result = claw("doctor", "--json")
    check = next(c for c in result.json() if c["section"] == "plugins" and c["name"] == "shout_plugin")
    assert check["status"] == "ok"
    assert shout.read_text() == "imported\n"


def _spec(name: str) -> claw.ToolSpec:
    return claw.ToolSpec(name=name, description="d")


class Loud(claw.Tool):
    spec = _spec("Loud")

    async def run(self, input, ctx):  # type: ignore[no-untyped-def]
        return claw.ToolResult(content="LOUD")


def test_a_target_that_names_another_tool_or_no_tool_is_refused_at_the_call():
    ref = claw.ToolRef(_spec("Other"), f"{__name__}:Loud")
    with pytest.raises(
        claw.ToolError, match=re.escape(f"Other is unavailable: {__name__}:Loud is not the Other tool")
    ):
        ref.resolve()
    with pytest.raises(claw.ToolError, match=r"Loud is unavailable: .*AttributeError"):
        claw.ToolRef(_spec("Loud"), f"{__name__}:Quiet").resolve()
    good = claw.ToolRef(_spec("Loud"), f"{__name__}:Loud")
    assert isinstance(good.resolve(), Loud) and good.resolve() is good.resolve()


def test_a_target_without_an_attribute_is_refused_at_registration():
    with pytest.raises(ValueError, match=re.escape("target 'claw._tools' is not 'module:attribute'")):
        claw.ToolRef(_spec("Loud"), "claw._tools")

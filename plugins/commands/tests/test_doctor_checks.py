"""claw-commands' ``claw doctor`` lines (the folder's trust, the state folder, provider credentials),
answered through ``claw_doctor_checks`` and placed in the kernel's section order; with claw-commands
disabled, doctor still reports the plugins' health and says in one line what needs claw-commands; and
another plugin can answer those sections instead."""

from __future__ import annotations

from typing import Any

#: The sections the kernel prints first, in this order, whoever answers them.
SECTIONS = ["claw", "config", "trust", "state", "plugins", "model", "providers"]

MISSING = (
    "the trust, state and provider credential checks need claw-commands, which is not installed or is "
    "disabled (pip install claw-commands)"
)

#: A third-party plugin answering the trust section from the run it is given.
MY_TRUST = """
import claw

@claw.hookimpl
def claw_doctor_checks(settings, env, context):
    return [claw.DoctorCheck(section="trust", name="mine", status="ok", detail=str(context.workspace))]
"""


def _sections(checks: list[dict[str, Any]]) -> list[str]:
    return list(dict.fromkeys(c["section"] for c in checks))


#: The in-process scripted provider answers the model check, so each test runs with the kernel and the
#: default plugins alone (the tox env installs no provider plugin).
SCRIPTED = ("--model", "scripted/default")


def test_its_sections_come_in_the_kernels_order(claw, scripted, workspace):  # type: ignore[no-untyped-def]
    checks = claw(*SCRIPTED, "doctor", "--json").json()
    assert _sections(checks)[: len(SECTIONS)] == SECTIONS
    trust = [c for c in checks if c["section"] == "trust"]
    assert trust == [
        {"section": "trust", "name": "folder", "status": "info", "detail": f"not trusted: {workspace}"}
    ]
    assert [c["name"] for c in checks if c["section"] == "state"] == ["state dir"]
    assert {
        "section": "providers",
        "name": "scripted",
        "status": "ok",
        "detail": "credentials from none needed",
    } in checks
    headers = [line for line in claw(*SCRIPTED, "doctor").stdout.splitlines() if not line.startswith(" ")]
    assert headers[: len(SECTIONS)] == [f"{s}:" for s in SECTIONS]
    assert len(headers) == len(set(headers))  # each section printed once
    assert not [c for c in checks if c["detail"] == MISSING]


def test_disabled_doctor_reports_plugin_health_and_names_claw_commands(
    claw, claw_env, scripted, plugin_module
):  # type: ignore[no-untyped-def]
    claw_env.update(CLAW_DISABLE_PLUGINS="commands")
    checks = claw(*SCRIPTED, "doctor", "--json").assert_success().json()
    assert not {"trust", "state", "providers"} & set(_sections(checks))
    (missing,) = [c for c in checks if c["name"] == "claw-commands"]
    assert missing == {"section": "plugins", "name": "claw-commands", "status": "warn", "detail": MISSING}
    (record,) = [c for c in checks if c["name"] == "commands"]
    assert record["status"] == "info" and "disabled" in record["detail"]
    assert [c["section"] for c in checks if c["section"] == "model"] == ["model"]  # the kernel's check

    plugin_module("broken_plugin", "raise ImportError('needs libfoo')\n")
    broken = claw(*SCRIPTED, "doctor")
    assert broken.exit_code == 1
    assert (
        "FAIL broken_plugin: module broken_plugin: failed (failed to import: ImportError: needs libfoo)"
        in (broken.stdout)
    )
    assert f"  WARN claw-commands: {MISSING}" in broken.stdout


def test_another_plugin_answers_the_trust_section_in_its_place(
    claw, claw_env, scripted, plugin_module, workspace
):  # type: ignore[no-untyped-def]
    claw_env.update(CLAW_DISABLE_PLUGINS="commands")
    plugin_module("my_trust", MY_TRUST)
    checks = claw(*SCRIPTED, "doctor", "--json").assert_success().json()
    assert [c for c in checks if c["section"] == "trust"] == [
        {"section": "trust", "name": "mine", "status": "ok", "detail": str(workspace)}
    ]
    assert _sections(checks)[:4] == ["claw", "config", "trust", "plugins"]
    assert not [c for c in checks if c["name"] == "claw-commands"]

"""``claw permissions``: explain how a tool call would be decided, and list the rules in force."""

from __future__ import annotations

import json
from typing import Any

import click
from claw import command_context, table


@click.group()
def permissions() -> None:
    """Inspect permission rules and decisions."""


@permissions.command("explain")
@click.argument("tool")
@click.argument("input_json", required=False, default="{}")
@click.option("--mode", default=None, help="Permission mode to judge in (default: settings or prompt).")
@click.option(
    "--allowed-tools",
    "--allowedTools",
    "allowed_tools",
    multiple=True,
    metavar="RULES",
    help="Allow rules to judge with, as a run's --allowed-tools.",
)
@click.option(
    "--disallowed-tools",
    "--disallowedTools",
    "disallowed_tools",
    multiple=True,
    metavar="RULES",
    help="Deny rules to judge with, as a run's --disallowed-tools.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the decision as JSON.")
@click.pass_context
def explain(
    ctx: click.Context,
    tool: str,
    input_json: str,
    mode: str | None,
    allowed_tools: tuple[str, ...],
    disallowed_tools: tuple[str, ...],
    as_json: bool,
) -> None:
    """Say whether TOOL with INPUT_JSON would run, and which rule (from which file or flag), mode or
    classifier decides. Nobody is asked: an "ask" is shown as such."""
    import asyncio

    from claw import UsageError

    from claw_permissions.rules import split_tool_list
    from claw_permissions.standin import StandInTool

    try:
        tool_input = json.loads(input_json)
    except json.JSONDecodeError as exc:
        raise UsageError(f"INPUT_JSON is not valid JSON: {exc.msg} (column {exc.colno})") from exc
    if not isinstance(tool_input, dict):
        raise UsageError("INPUT_JSON must be a JSON object")
    run = command_context(ctx)
    installed = run.tool(tool)
    the_tool = installed or StandInTool(tool)
    gate = run.permission_gate(
        mode=mode,
        allowed_tools=split_tool_list(allowed_tools),
        disallowed_tools=split_tool_list(disallowed_tools),
    )
    engine = _rule_engine(gate)
    decision = asyncio.run(engine.decide(the_tool, tool_input, None, gate.mode))
    verdict = decision.verdict
    held = _held_back(run)
    units = [
        {"unit": u.label(), "decision": u.decision or "-", "source": u.source, "reason": u.reason}
        for u in decision.units
    ]
    if as_json:
        _emit_json(
            {
                "tool": the_tool.name,
                "installed": installed is not None,
                "mode": decision.mode,
                "decision": verdict.decision,
                "source": verdict.source,
                "reason": verdict.reason,
                "classifier": decision.classifier,
                "units": units,
                "heldBack": held,
            }
        )
        return
    click.echo(
        f"tool:     {the_tool.name}{'' if installed is not None else ' (not installed; judged by its Claude Code schema)'}"
    )
    click.echo(f"mode:     {decision.mode}")
    for u in units:
        line = f"  {u['unit']}: {u['decision']} by {u['source']}"
        click.echo(line + (f" ({u['reason']})" if u["reason"] else ""))
    click.echo(f"decision: {verdict.decision}")
    click.echo(f"by:       {verdict.source}")
    if verdict.reason:
        click.echo(f"reason:   {verdict.reason}")
    if verdict.decision == "ask":
        unless = ", unless a rule held back below decides: -p trusts the folder" if held else ""
        click.echo(f"(an interactive run asks; a non-interactive run (-p) denies{unless})")
    _echo_held_back(run, held)


@permissions.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def list_rules(ctx: click.Context, as_json: bool) -> None:
    """List the permission rules in force, with the file each came from."""
    run = command_context(ctx)
    gate = run.permission_gate()
    rules = _rule_engine(gate).rules.rules
    rows = [{"behavior": r.behavior, "rule": r.text, "source": r.source} for r in rules]
    if as_json:
        _emit_json({"mode": gate.mode, "rules": rows, "heldBack": _held_back(run)})
        return
    click.echo(f"mode: {gate.mode}")
    table([(r["behavior"], r["rule"], r["source"]) for r in rows], ["BEHAVIOR", "RULE", "SOURCE"])
    _echo_held_back(run, _held_back(run))


def _held_back(run: Any) -> list[str]:
    """The folder's own ``permissions`` values left out until it is trusted (its allow rules, its
    ``defaultMode``, its added directories): these commands judge without them, as an interactive run
    does, while ``claw -p`` trusts the folder (as Claude Code does) and applies them."""
    return [line for h in run.settings.held_back if h.key.startswith("permissions") for line in h.lines()]


def _echo_held_back(run: Any, held: list[str]) -> None:
    if not held:
        return
    trust = run.settings.trust
    click.echo(
        f"held back until the folder is trusted ({trust.how_to_trust}); claw -p trusts it and uses them:"
    )
    for line in held:
        click.echo(f"  {line}")


def _rule_engine(gate: Any) -> Any:
    """The gate's policy when it is this distribution's rule engine (another plugin may have answered
    ``claw_permission_policy``: then there are no rules to show).

    :raises UsageError: when another policy decides.
    """
    from claw import UsageError

    from claw_permissions.engine import RuleEngine

    if not isinstance(gate.policy, RuleEngine):
        raise UsageError(
            f"the permission policy is {type(gate.policy).__name__}, not claw-permissions' rules"
        )
    return gate.policy


def _emit_json(data: Any) -> None:
    click.echo(json.dumps(data, indent=2, default=str))

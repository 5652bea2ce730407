"""What the model is told about Bash, BashOutput and KillShell, apart from their implementation
(``_bash``): the plugin registers a ``claw.ToolRef`` with each spec, so a run imports the shell
parser, the confinement analysis and the process manager only when one of the tools is first called.
Imports only ``claw``."""

from __future__ import annotations

import claw

DEFAULT_TIMEOUT_MS = 120_000
MAX_TIMEOUT_MS = 600_000
#: Characters of output returned to the model; the middle of longer output is cut.
MAX_OUTPUT_CHARS = 30_000

BASH = claw.ToolSpec(
    name="Bash",
    description=(
        "Run a bash command in the workspace and return its combined stdout and stderr (the middle of "
        f"output over {MAX_OUTPUT_CHARS} characters is cut) and exit code. The working directory "
        f"persists between calls. timeout is in milliseconds (default {DEFAULT_TIMEOUT_MS}, max "
        f"{MAX_TIMEOUT_MS}); on timeout the command and everything it started is killed. Use "
        "run_in_background for long-running processes (servers, watchers), then BashOutput to read "
        "their output and KillShell to stop them. Prefer Read, Grep, Glob and Edit over cat, grep, "
        "find and sed."
    ),
    input_schema={
        "type": "object",
        "properties": {
            "command": {"type": "string", "description": "The command to run."},
            "timeout": {
                "type": "number",
                "exclusiveMinimum": 0,
                "description": f"Milliseconds before the command is killed (max {MAX_TIMEOUT_MS}).",
            },
            "description": {"type": "string", "description": "What the command does, in 5-10 words."},
            "run_in_background": {
                "type": "boolean",
                "description": "Start it and return at once with a job id; you are told when it ends.",
            },
            "dangerouslyDisableSandbox": {
                "type": "boolean",
                "description": "Run outside the configured sandbox (the call then needs the usual approval).",
            },
        },
        "required": ["command"],
        "additionalProperties": False,
    },
    aliases=("bash",),
)


BASH_OUTPUT = claw.ToolSpec(
    name="BashOutput",
    description=(
        "Read the output a background Bash job produced since the last read, and whether it is still "
        "running. filter keeps only lines matching a regular expression (the others are discarded)."
    ),
    input_schema={
        "type": "object",
        "properties": {
            "bash_id": {"type": "string", "description": "The job id Bash returned."},
            "filter": {
                "type": "string",
                "description": "Only return lines matching this regular expression.",
            },
        },
        "required": ["bash_id"],
        "additionalProperties": False,
    },
    read_only=True,
)


KILL_SHELL = claw.ToolSpec(
    name="KillShell",
    description="Stop a background Bash job (and every process it started) by its id.",
    input_schema={
        "type": "object",
        "properties": {"shell_id": {"type": "string", "description": "The job id Bash returned."}},
        "required": ["shell_id"],
        "additionalProperties": False,
    },
)

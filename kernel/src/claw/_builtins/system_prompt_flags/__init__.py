"""``--system-prompt``, ``--append-system-prompt`` and their ``-file`` forms (Claude Code's), as options
(:mod:`.flags`) mapped onto ``LoopOptions`` before any other plugin adjusts the run. A file is read while
the command line is parsed, so a subcommand (``print-system-prompt``, ``resume-session``) sees its text
as a run does. Disabled, each flag is a usage error naming this built-in; claw's own instructions apply."""

from claw._builtins.run_flags import flag_hooks

claw_register_run_options, claw_adjust_run = flag_hooks("claw._builtins.system_prompt_flags.flags")

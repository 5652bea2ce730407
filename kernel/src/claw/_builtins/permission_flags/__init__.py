"""What a run's tools may do, from its command line: ``--permission-mode``, ``--dangerously-skip-permissions``,
``--permission-prompt-tool``, ``--allowed-tools``, ``--disallowed-tools``, ``--tools`` and ``--add-dir``
(Claude Code's), as options (:mod:`.flags`) mapped onto ``LoopOptions`` before any other plugin adjusts the
run. Disabled, each flag is a usage error naming this built-in; the permission engine then works from
settings alone."""

from claw._builtins.run_flags import flag_hooks

claw_register_run_options, claw_adjust_run = flag_hooks("claw._builtins.permission_flags.flags")

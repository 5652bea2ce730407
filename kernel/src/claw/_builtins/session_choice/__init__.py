"""Which session a run continues or starts, and where it is kept: ``-r/--resume``, ``-c/--continue``,
``--fork-session``, ``--session-id``, ``--session-dir``, ``--no-session-persistence`` (Claude Code's) and
``--session`` (claw-code-go's spelling of ``--resume ID``), as options (:mod:`.flags`) mapped onto
``LoopOptions`` before any other plugin adjusts the run. Disabled, each flag is a usage error naming this
built-in; a run starts a new session, saved where the session store keeps it."""

from claw._builtins.run_flags import flag_hooks

claw_register_run_options, claw_adjust_run = flag_hooks("claw._builtins.session_choice.flags")

"""claw-hooks: Claude Code's command hooks from settings ``hooks`` (and the Agent SDK's hook callbacks),
run as the ``claw_hook_event`` wrapper of the ``hooks`` plugin. See ``docs/hooks.md``."""

"""claw-claude-plugins: Claude Code plugins in claw (the ``claude-plugins`` plugin).

``claw --plugin-dir DIR`` and the plugins installed in Claude Code that settings ``enabledPlugins`` turns on
(:mod:`claw_claude_plugins.installed`), each folder read by one loader (:mod:`claw_claude_plugins.folders`).
Kept import-light: plugins load for ``claw --help`` too.
"""

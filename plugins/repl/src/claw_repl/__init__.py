"""claw-repl: claw's line REPL, the interactive front end that needs no full-screen terminal
(:mod:`claw_repl.plugin` answers ``claw_interactive``)."""

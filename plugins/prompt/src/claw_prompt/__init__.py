"""claw-prompt: claw's system prompt (the ``prompt`` plugin).

Claw's own instructions, the environment and the user's instruction files
(:mod:`claw_prompt.sections`, :mod:`claw_prompt.instructions`), answered as sections of the
``claw_system_prompt`` hook; the kernel joins them with ``--system-prompt`` / ``--append-system-prompt``.
Kept import-light, since plugins load for ``claw --help`` too.
"""

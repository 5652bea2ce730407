"""Sub-agents, as Claude Code: the ``Agent`` tool, agent definitions (``.claude/agents/*.md``,
``.claw/agents/*.md``, the user's, ``--agents JSON``) and ``claw agents list|show``."""

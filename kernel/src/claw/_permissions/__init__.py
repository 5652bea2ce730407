"""Permissions, the kernel's part: the modes (:mod:`.modes`), the session's gate and the policy contract
(:mod:`.gate`), questions and answers (:mod:`.asking`), the rule syntax settings carry (:mod:`.syntax`).
The rule engine is the ``claw-permissions`` distribution. See ``docs/permissions.md``."""

"""Permissions, the kernel's part: the contract a permission policy meets and the session's gate.

Modules: :mod:`~claw._permissions.modes` (Claude Code's mode names and aliases),
:mod:`~claw._permissions.asking` (questions to a person or program, Claude Code's answer JSON),
:mod:`~claw._permissions.syntax` (the rule syntax settings carry), :mod:`~claw._permissions.gate`
(:class:`PermissionGate`: mode, asking, the policy contract and the kernel's safe default). The rule
engine itself is the ``claw-permissions`` distribution. See ``docs/permissions.md``.
"""

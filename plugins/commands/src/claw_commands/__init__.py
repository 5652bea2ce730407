"""claw-commands: claw's management commands (the ``commands`` plugin).

``claw models``, ``claw config show``, ``claw trust``, ``claw print-system-prompt``, ``claw dump-manifests``
and ``claw bootstrap-plan``, one module each, reaching the run only through ``claw.command_context(ctx)``;
and the built-in slash commands ``/help``, ``/compact``, ``/cost``, ``/status``, ``/export`` and ``/trust``
(:mod:`claw_commands.slash`), reaching the session only through ``claw.BuiltinContext``; and ``claw doctor``'s
trust, state and provider credential lines (:mod:`claw_commands.doctor_checks`), through ``claw_doctor_checks``.
Kept import-light: the commands are registered for ``claw --help`` too.
"""

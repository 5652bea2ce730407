"""claw-output: what ``claw -p`` prints on stdout (the ``renderers`` plugin).

The renderers of ``--output-format text|json|stream-json`` (:mod:`claw_output.renderers`), in Claude Code's
shapes. The loop reaches them only through the ``claw_output_renderer`` hook and the contract
:class:`claw.Renderer`; kept import-light, since plugins load for ``claw --help`` too.
"""

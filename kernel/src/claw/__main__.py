"""``python -m claw``: the same as the ``claw`` command."""

from claw._cli import main

main()

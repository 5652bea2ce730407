"""The hook-implementation marker, in its own module so ``import claw`` does not import pluggy."""

import pluggy

#: Marks a plugin function as the implementation of a claw hook.
hookimpl = pluggy.HookimplMarker("claw")

"""The hook markers, in their own module so ``import claw`` does not import pluggy."""

import pluggy

#: Marks a plugin function as the implementation of a claw hook.
hookimpl = pluggy.HookimplMarker("claw")
#: Marks a function in :mod:`claw.hookspecs` as a hook specification (the kernel's side of the contract).
hookspec = pluggy.HookspecMarker("claw")

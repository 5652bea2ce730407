"""The kernel's built-in plugins (:data:`claw._plugins.BUILTIN_PLUGINS`): features the loop and the CLI
reach only through hooks, registered before any other plugin, so a third-party plugin can replace one
(it answers the ``firstresult`` hook first; each built-in answers ``trylast``) and settings
``plugins.disabled`` can switch one off. Each module imports only ``claw.hookimpl`` when it loads and
the implementation inside its hook, so ``claw --help`` stays fast."""

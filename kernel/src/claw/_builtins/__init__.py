"""The kernel's built-in plugins (:data:`claw._plugins.BUILTIN_PLUGINS`): features the loop and the CLI
reach only through hooks, registered before any other plugin and outside the core's line budget
(``kernel/tests/test_kernel_size.py``). Settings ``plugins.disabled`` switches one off by its name; a
plugin replaces one by answering its service hook first (a fallback such as ``whole_text`` answers only
when no plugin did) or, for a command or a task backend, by registering the name with settings
``plugins.overrides`` handing it over. Each module imports only ``claw.hookimpl`` when it loads and
the implementation inside its hook, so ``claw --help`` stays fast."""

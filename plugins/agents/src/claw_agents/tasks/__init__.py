"""Background tasks, the shared task list and cron on the kernel's task-backend contract, with the
``embedded`` backend (a supervisor process, state in SQLite). See docs/agents.md."""

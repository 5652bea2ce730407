"""claw-agents: sub-agents, background tasks, workers, teams and cron for claw."""

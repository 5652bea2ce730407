"""claw's multi-agent runtime: sub-agents, workers, teams, background tasks, cron, lanes and recovery."""

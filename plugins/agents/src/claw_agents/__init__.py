"""claw's multi-agent runtime: background tasks and cron, sub-agents, workers and teams (docs/agents.md)."""

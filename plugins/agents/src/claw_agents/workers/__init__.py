"""Workers (long-lived ``claw`` child processes with an observable state machine), teams, lanes,
policies and recovery. State lives in SQLite under the state dir so every ``claw`` process sees it."""

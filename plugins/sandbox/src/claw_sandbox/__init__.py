"""claw sandbox plugin: confines the commands claw runs for the model (see docs/sandbox.md)."""

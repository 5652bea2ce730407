"""Entry point of the classifier-llm plugin: hook implementations only; the SDK loads on first use."""

CLAW_API = ">=1.0,<2"

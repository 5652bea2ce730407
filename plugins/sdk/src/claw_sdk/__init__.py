"""claw-sdk: claw as the Claude Agent SDK's CLI (the stream-json control protocol and the SDK's flags)."""

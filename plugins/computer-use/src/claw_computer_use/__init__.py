"""claw computer-use plugin: Anthropic's computer tool executed on an X11 display."""

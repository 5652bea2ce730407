#!/usr/bin/env bash
# The REPL tests type into a real terminal through tmux (arrow keys, Ctrl-C, Ctrl-D): install tmux when missing.
set -euo pipefail
command -v tmux >/dev/null 2>&1 && exit 0
if command -v apt-get >/dev/null 2>&1; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get install -y tmux >/dev/null 2>&1 || { $SUDO apt-get update >/dev/null && $SUDO apt-get install -y tmux >/dev/null; }
elif command -v brew >/dev/null 2>&1; then
  brew install tmux
else
  echo "tmux is needed for the REPL terminal tests: install it (https://github.com/tmux/tmux)" >&2
  exit 1
fi

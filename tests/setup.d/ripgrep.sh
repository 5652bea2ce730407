#!/usr/bin/env bash
# The Grep parity tests compare claw's Python engine with ripgrep: install rg when it is missing.
set -euo pipefail
command -v rg >/dev/null 2>&1 && exit 0
if command -v apt-get >/dev/null 2>&1; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get install -y ripgrep >/dev/null 2>&1 || { $SUDO apt-get update >/dev/null && $SUDO apt-get install -y ripgrep >/dev/null; }
elif command -v brew >/dev/null 2>&1; then
  brew install ripgrep
else
  echo "ripgrep is needed for the Grep tests: install it (https://github.com/BurntSushi/ripgrep)" >&2
  exit 1
fi

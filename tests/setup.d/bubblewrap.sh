#!/usr/bin/env bash
# The sandbox tests confine real commands with bubblewrap (Debian's package): install bwrap when it is missing.
set -euo pipefail
command -v bwrap >/dev/null 2>&1 && exit 0
if command -v apt-get >/dev/null 2>&1; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get install -y bubblewrap >/dev/null 2>&1 || { $SUDO apt-get update >/dev/null && $SUDO apt-get install -y bubblewrap >/dev/null; }
else
  echo "bubblewrap is needed for the sandbox tests: install it (https://github.com/containers/bubblewrap)" >&2
  exit 1
fi

#!/usr/bin/env bash
# The claw-agents-celery tests start a real Redis (broker and result store): install redis-server when missing.
set -euo pipefail
command -v redis-server >/dev/null 2>&1 && exit 0
if command -v apt-get >/dev/null 2>&1; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get install -y redis-server >/dev/null 2>&1 || { $SUDO apt-get update >/dev/null && $SUDO apt-get install -y redis-server >/dev/null; }
elif command -v brew >/dev/null 2>&1; then
  brew install redis
else
  echo "redis-server is needed for the claw-agents-celery tests: install it (https://redis.io/docs/install/)" >&2
  exit 1
fi

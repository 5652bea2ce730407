#!/usr/bin/env bash
# Installs the pinned npm packages the tests use into tests/.npm/, from the committed package-lock.json:
# the MCP reference server the claw-mcp tests talk to (@modelcontextprotocol/server-everything) and the
# TypeScript Claude Agent SDK that drives claw in tests/test_agent_sdk_ts_e2e.py
# (@anthropic-ai/claude-agent-sdk; its optional native Claude Code binaries are not installed: the tests
# point it at claw). Idempotent: does nothing when the pinned versions are already installed. Tests never fetch.
set -euo pipefail
cd "$(dirname "$0")/../.npm"

PINNED=("@modelcontextprotocol/server-everything 2026.8.31" "@anthropic-ai/claude-agent-sdk 0.3.336")

installed() {
  local package version
  for pin in "${PINNED[@]}"; do
    read -r package version <<<"$pin"
    grep -q "\"version\": \"$version\"" "node_modules/$package/package.json" 2>/dev/null || return 1
  done
}

if installed; then
  echo "pinned npm test packages already installed in $PWD"
  exit 0
fi
command -v npm >/dev/null 2>&1 || { echo "npm is required to install the npm test packages (install Node.js 20+)" >&2; exit 1; }
npm ci --no-audit --no-fund --omit=optional
echo "installed ${PINNED[*]} in $PWD"

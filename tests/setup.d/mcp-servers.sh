#!/usr/bin/env bash
# Installs the pinned npm MCP reference server the claw-mcp tests talk to
# (@modelcontextprotocol/server-everything) into tests/.npm/, from the committed package-lock.json.
# Idempotent: does nothing when the pinned version is already installed. Tests never fetch.
set -euo pipefail
cd "$(dirname "$0")/../.npm"

PACKAGE="@modelcontextprotocol/server-everything"
VERSION="2026.8.31"
INSTALLED="node_modules/$PACKAGE/package.json"

if [ -f "$INSTALLED" ] && grep -q "\"version\": \"$VERSION\"" "$INSTALLED"; then
  echo "$PACKAGE@$VERSION already installed in $PWD"
  exit 0
fi
command -v npm >/dev/null 2>&1 || { echo "npm is required to install $PACKAGE (install Node.js 20+)" >&2; exit 1; }
npm ci --no-audit --no-fund
echo "installed $PACKAGE@$VERSION in $PWD"

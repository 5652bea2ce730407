#!/usr/bin/env bash
# Installs the pinned npm MCP reference servers the claw-mcp tests talk to, into tests/.npm/.
# Idempotent: does nothing when the pinned version is already installed. Tests never fetch.
set -euo pipefail
cd "$(dirname "$0")/.."

PACKAGE="@modelcontextprotocol/server-everything"
VERSION="2026.8.31"
PREFIX="$PWD/.npm"
INSTALLED="$PREFIX/node_modules/$PACKAGE/package.json"

if [ -f "$INSTALLED" ] && grep -q "\"version\": \"$VERSION\"" "$INSTALLED"; then
  echo "$PACKAGE@$VERSION already installed in $PREFIX"
  exit 0
fi
command -v npm >/dev/null 2>&1 || { echo "npm is required to install $PACKAGE (install Node.js 20+)" >&2; exit 1; }
mkdir -p "$PREFIX"
[ -f "$PREFIX/package.json" ] || echo '{"name": "claw-test-mcp-servers", "private": true}' > "$PREFIX/package.json"
npm install --prefix "$PREFIX" --no-audit --no-fund --save-exact "$PACKAGE@$VERSION"
echo "installed $PACKAGE@$VERSION in $PREFIX"

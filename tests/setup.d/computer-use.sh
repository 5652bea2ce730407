#!/usr/bin/env bash
# The computer-use tests drive a real X server: Xvfb, xdotool, ImageMagick (import/convert), xterm as the
# X program the tests type into, x11-utils (xev: the drag test) and openbox as the window manager `claw computer-use desktop` starts.
set -euo pipefail
need=()
command -v Xvfb >/dev/null 2>&1 || need+=(xvfb)
command -v xdotool >/dev/null 2>&1 || need+=(xdotool)
command -v import >/dev/null 2>&1 || need+=(imagemagick)
command -v xterm >/dev/null 2>&1 || need+=(xterm)
command -v openbox >/dev/null 2>&1 || need+=(openbox)
command -v xev >/dev/null 2>&1 || need+=(x11-utils)
[ ${#need[@]} -eq 0 ] && exit 0
if command -v apt-get >/dev/null 2>&1; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get install -y --no-install-recommends "${need[@]}" >/dev/null 2>&1 \
    || { $SUDO apt-get update >/dev/null && $SUDO apt-get install -y --no-install-recommends "${need[@]}" >/dev/null; }
else
  echo "the computer-use tests need ${need[*]} (Debian/Ubuntu packages): install them" >&2
  exit 1
fi

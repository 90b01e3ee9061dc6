#!/bin/sh
# Removes what install.sh installed (same PREFIX, BINDIR and XDG_DATA_HOME). Leaves the
# user's settings, models and pictures alone.
set -eu
prefix=${PREFIX:-$HOME/.local/opt/sozo-studio}
bindir=${BINDIR:-$HOME/.local/bin}
data=${XDG_DATA_HOME:-$HOME/.local/share}
rm -rf "$prefix"
rm -f "$bindir/sozo-studio" "$bindir/sozo" "$data/applications/sozo-studio.desktop"
rm -f "$data"/icons/hicolor/*/apps/sozo-studio.png "$data"/icons/hicolor/*/apps/sozo-studio.svg
command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database -q "$data/applications" || true
echo "Sōzō Studio removed from $prefix"

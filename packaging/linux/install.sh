#!/bin/sh
# Installs the unpacked Sōzō Studio bundle for this user (no root needed):
#   the bundle    -> ${PREFIX:-~/.local/opt/sozo-studio}
#   launchers     -> ${BINDIR:-~/.local/bin}/sozo-studio and sozo
#   desktop entry -> ${XDG_DATA_HOME:-~/.local/share}/applications/sozo-studio.desktop
#   icons         -> ${XDG_DATA_HOME:-~/.local/share}/icons/hicolor/<size>/apps/sozo-studio.{png,svg}
set -eu
here=$(cd "$(dirname "$0")" && pwd)
prefix=${PREFIX:-$HOME/.local/opt/sozo-studio}
bindir=${BINDIR:-$HOME/.local/bin}
data=${XDG_DATA_HOME:-$HOME/.local/share}

if [ ! -x "$here/sozo-studio/sozo-studio" ]; then
    echo "install.sh: $here/sozo-studio/sozo-studio is missing: run install.sh from the unpacked archive" >&2
    exit 1
fi
mkdir -p "$prefix" "$bindir" "$data/applications"
# A reinstall replaces the previous bundle entirely (stale libraries would be loaded).
rm -rf "$prefix.new"
cp -a "$here/sozo-studio" "$prefix.new"
rm -rf "$prefix"
mv "$prefix.new" "$prefix"
cp "$here/uninstall.sh" "$prefix/uninstall.sh"

for name in sozo-studio sozo; do
    printf '#!/bin/sh\nexec "%s/%s" "$@"\n' "$prefix" "$name" > "$bindir/$name"
    chmod 755 "$bindir/$name"
done

sed "s|^Exec=sozo-studio|Exec=$bindir/sozo-studio|; s|^TryExec=sozo-studio|TryExec=$bindir/sozo-studio|" \
    "$here/share/applications/sozo-studio.desktop" > "$data/applications/sozo-studio.desktop"
for dir in "$here"/share/icons/hicolor/*/apps; do
    size=$(basename "$(dirname "$dir")")
    mkdir -p "$data/icons/hicolor/$size/apps"
    cp "$dir"/sozo-studio.* "$data/icons/hicolor/$size/apps/"  # PNGs, and scalable's SVG
done
# Refresh the caches where the tools exist (harmless if they do not).
command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database -q "$data/applications" || true
command -v gtk-update-icon-cache >/dev/null 2>&1 && gtk-update-icon-cache -q -t "$data/icons/hicolor" || true
echo "Sōzō Studio installed in $prefix; run sozo-studio (launcher in $bindir)"
case ":$PATH:" in *":$bindir:"*) ;; *) echo "note: $bindir is not on your PATH" ;; esac

#!/usr/bin/env bash
# Builds the Debian packages l0cache-node and l0cache-console from this checkout into OUTDIR.
#
# Usage: packaging/build-debs.sh OUTDIR
#
# By default it configures and builds a Release tree in build/release (ccache when present) and
# packages from it. With L0_BUILD_DIR=DIR it packages an already-built tree as it is and compiles
# nothing (the install test uses the suite's own build). As root it installs the Debian packages
# it needs (scripts/deps.sh package). L0_BUILD_LOCK=FILE serialises the build with flock(1);
# L0_DEB_COMPRESSION=gzip|xz|none picks dpkg-deb's compression (default xz).
#
# Each package is one CMake install component (packaging/CMakeLists.txt), installed with
# `cmake --install --component --strip` into a staging tree; this script adds the Debian parts:
# man pages made from --help by help2man, PNG icons in the hicolor sizes from the SVG, the
# copyright and changelog, maintainer scripts, md5sums, and Depends from dpkg-shlibdeps.
set -euo pipefail
umask 022

SRC="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
[ $# -eq 1 ] || { echo "usage: $0 OUTDIR" >&2; exit 2; }
mkdir -p "$1"
OUT="$(cd "$1" && pwd)"

if [ "$(id -u)" -eq 0 ]; then
    "$SRC/scripts/deps.sh" package
fi
for tool in cmake dpkg-deb dpkg-shlibdeps help2man rsvg-convert gzip; do
    command -v "$tool" >/dev/null || { echo "build-debs: $tool is missing (scripts/deps.sh package)" >&2; exit 1; }
done

if [ -n "${L0_BUILD_DIR:-}" ]; then
    BUILD="$(cd "$L0_BUILD_DIR" && pwd)"
    [ -f "$BUILD/CMakeCache.txt" ] || { echo "build-debs: $BUILD is not a CMake build tree" >&2; exit 1; }
else
    BUILD="$SRC/build/release"
    LAUNCHER=()
    command -v ccache >/dev/null && LAUNCHER=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
    LOCK=()
    [ -n "${L0_BUILD_LOCK:-}" ] && LOCK=(flock "$L0_BUILD_LOCK")
    GEN=()
    [ -f "$BUILD/CMakeCache.txt" ] || { command -v ninja >/dev/null && GEN=(-G Ninja); }
    "${LOCK[@]}" cmake -S "$SRC" -B "$BUILD" "${GEN[@]}" -DCMAKE_BUILD_TYPE=Release -DL0_BUILD_TESTS=OFF \
        -DL0_BUILD_BENCH=OFF "${LAUNCHER[@]}" >/dev/null
    "${LOCK[@]}" cmake --build "$BUILD" -j "${L0_JOBS:-2}" --target l0-node l0ctl \
        $(grep -q '^L0_BUILD_UI:BOOL=ON' "$BUILD/CMakeCache.txt" && echo l0-console)
fi

cache_value() { sed -n "s/^$1:[A-Z]*=//p" "$BUILD/CMakeCache.txt" | head -n1; }
VERSION="$(cache_value CMAKE_PROJECT_VERSION)"
[ -n "$VERSION" ] || { echo "build-debs: no project version in $BUILD/CMakeCache.txt" >&2; exit 1; }
WITH_UI="$(cache_value L0_BUILD_UI)"
ARCH="$(dpkg --print-architecture)"
MAINTAINER="L0 Cache maintainers <maintainers@l0cache.invalid>"
# Reproducible dates: SOURCE_DATE_EPOCH, else the time of the top-level CMakeLists.txt.
EPOCH="${SOURCE_DATE_EPOCH:-$(stat -c %Y "$SRC/CMakeLists.txt")}"

STAGE="$(mktemp -d /tmp/l0-debs.XXXXXX)"
trap 'rm -rf "$STAGE"' EXIT

# doc_files PKG ROOT: the copyright file and the (native) changelog.
doc_files() {
    local doc="$2/usr/share/doc/$1"
    mkdir -p "$doc"
    cp "$SRC/packaging/debian/copyright" "$doc/copyright"
    {
        echo "l0cache ($VERSION) unstable; urgency=medium"
        echo
        echo "  * Release $VERSION of L0 Cache."
        echo
        echo " -- $MAINTAINER  $(LC_ALL=C date -u -R -d "@$EPOCH")"
    } | gzip -9n >"$doc/changelog.gz"
}

# man_page ROOT BINARY SUMMARY: section 1 page from BINARY --help (run from the staging tree).
man_page() {
    local dir="$1/usr/share/man/man1" bin="$1/usr/bin/$2"
    mkdir -p "$dir"
    # help2man names the program after the file; --help prints the path it was run as.
    help2man --no-info --no-discard-stderr --version-string="$VERSION" --name="$3" \
        --include=<(printf '[SEE ALSO]\n%s\n' "$4") "$bin" \
        | sed "s|$1/usr/bin/||g" | gzip -9n >"$dir/$2.1.gz"
}

# install_component COMPONENT ROOT
install_component() {
    DESTDIR="$2" cmake --install "$BUILD" --component "$1" --prefix /usr --strip >/dev/null
}

# shlib_depends ROOT BINARY...: the Depends dpkg-shlibdeps computes for these binaries.
shlib_depends() {
    local root="$1" work
    shift
    work="$(mktemp -d "$STAGE/shlibs.XXXXXX")"
    mkdir -p "$work/debian"
    printf 'Source: l0cache\n\nPackage: l0cache\nArchitecture: any\n' >"$work/debian/control"
    local args=()
    for b in "$@"; do args+=("$root/usr/bin/$b"); done
    (cd "$work" && dpkg-shlibdeps -O "${args[@]}" 2>/dev/null) | sed -n 's/^shlibs:Depends=//p'
}

# finish_package NAME ROOT: permissions, md5sums, Installed-Size, then dpkg-deb.
finish_package() {
    local name="$1" root="$2"
    find "$root" -type d -exec chmod 0755 {} +
    find "$root" -path "$root/DEBIAN" -prune -o -type f ! -path "*/usr/bin/*" -exec chmod 0644 {} +
    [ -d "$root/usr/bin" ] && chmod 0755 "$root"/usr/bin/*
    (cd "$root" && find . -path ./DEBIAN -prune -o -type f -printf '%P\0' | LC_ALL=C sort -z \
        | xargs -0 md5sum >DEBIAN/md5sums)
    chmod 0644 "$root/DEBIAN/md5sums" "$root/DEBIAN/control"
    local size
    size="$(du -sk --exclude=DEBIAN "$root" | cut -f1)"
    sed -i "s/^Installed-Size: .*/Installed-Size: $size/" "$root/DEBIAN/control"
    find "$root" -exec touch -h -d "@$EPOCH" {} +
    dpkg-deb --root-owner-group -Z"${L0_DEB_COMPRESSION:-xz}" --build "$root" "$OUT/${name}_${VERSION}_${ARCH}.deb" >/dev/null
    echo "$OUT/${name}_${VERSION}_${ARCH}.deb"
}

# --- l0cache-node -----------------------------------------------------------------------------
NODE="$STAGE/l0cache-node"
install_component node "$NODE"
[ -x "$NODE/usr/bin/l0-node" ] && [ -x "$NODE/usr/bin/l0ctl" ] \
    || { echo "build-debs: l0-node and l0ctl are not built in $BUILD" >&2; exit 1; }
doc_files l0cache-node "$NODE"
man_page "$NODE" l0-node "OpenAI-compatible LLM caching proxy that serves approved answers" \
    "l0ctl(1), systemd.exec(5)"
man_page "$NODE" l0ctl "administer an L0 Cache store: tenants, keys, reviewers, approvals, audit" "l0-node(1)"
mkdir -p "$NODE/DEBIAN"
for script in postinst prerm postrm; do
    install -m 0755 "$SRC/packaging/debian/l0cache-node.$script" "$NODE/DEBIAN/$script"
done
echo /etc/l0cache/node.json >"$NODE/DEBIAN/conffiles"
chmod 0644 "$NODE/DEBIAN/conffiles"
cat >"$NODE/DEBIAN/control" <<EOF
Package: l0cache-node
Source: l0cache
Version: $VERSION
Architecture: $ARCH
Maintainer: $MAINTAINER
Installed-Size: 0
Depends: $(shlib_depends "$NODE" l0-node l0ctl), libqt6sql6-sqlite, procps
Suggests: postgresql
Section: net
Priority: optional
Description: LLM response cache with human approval (serving node)
 L0 Cache sits in front of LLM APIs as an OpenAI- and Anthropic-compatible
 proxy. It answers repeated and equivalent questions from a cache of answers
 that people have approved and sends the rest upstream, accounting for every
 cent saved or spent.
 .
 This package holds the headless serving node l0-node with its systemd unit
 and example configuration, and the administration tool l0ctl.
EOF
finish_package l0cache-node "$NODE"

# --- l0cache-console --------------------------------------------------------------------------
if [ "$WITH_UI" = ON ]; then
    CONSOLE="$STAGE/l0cache-console"
    install_component console "$CONSOLE"
    [ -x "$CONSOLE/usr/bin/l0-console" ] || { echo "build-debs: l0-console is not built in $BUILD" >&2; exit 1; }
    doc_files l0cache-console "$CONSOLE"
    for px in 16 22 24 32 48 64 128 256; do
        dir="$CONSOLE/usr/share/icons/hicolor/${px}x${px}/apps"
        mkdir -p "$dir"
        rsvg-convert -w "$px" -h "$px" "$SRC/packaging/icons/io.l0cache.console.svg" -o "$dir/io.l0cache.console.png"
    done
    # The console's --help needs no display with the offscreen platform; without a page when
    # it fails all the same.
    if QT_QPA_PLATFORM=offscreen "$CONSOLE/usr/bin/l0-console" --help >/dev/null 2>&1; then
        QT_QPA_PLATFORM=offscreen man_page "$CONSOLE" l0-console \
            "desktop console of L0 Cache: review queue and savings dashboard" "l0-node(1), l0ctl(1)"
    else
        echo "build-debs: l0-console --help failed; no man page for it" >&2
    fi
    mkdir -p "$CONSOLE/DEBIAN"
    cat >"$CONSOLE/DEBIAN/control" <<EOF
Package: l0cache-console
Source: l0cache
Version: $VERSION
Architecture: $ARCH
Maintainer: $MAINTAINER
Installed-Size: 0
Depends: $(shlib_depends "$CONSOLE" l0-console), libqt6sql6-sqlite, qt6-qpa-plugins
Suggests: l0cache-node
Section: x11
Priority: optional
Description: LLM response cache with human approval (desktop console)
 L0 Cache sits in front of LLM APIs as an OpenAI- and Anthropic-compatible
 proxy and answers repeated questions from a cache of approved answers.
 .
 This package holds l0-console, the Qt desktop program in which reviewers
 work the shared approval queue and managers watch savings and hit rates.
EOF
    finish_package l0cache-console "$CONSOLE"
fi

#!/usr/bin/env bash
# Install test of the Debian packages, as root:
#   1. packaging/build-debs.sh builds l0cache-node and l0cache-console from BUILD_DIR (an
#      already-built tree: nothing is compiled);
#   2. lintian (no errors), desktop-file-validate, appstreamcli validate, systemd-analyze verify
#      and security (the score is printed) check them;
#   3. both are installed with dpkg into an empty root (dpkg --root; maintainer scripts run
#      chrootless and manage no service there) after checking that this Debian system provides
#      every dependency they name; or, with L0_INSTALL_TEST_CHROOT=DIR, by apt into a copy of a
#      Debian 12 chroot in DIR (made there by mmdebstrap when DIR has none), which proves the
#      dependencies suffice (about two minutes more);
#   4. l0-node starts from the installed files as its systemd unit would start it: the installed
#      /etc/l0cache/node.json, state in /var/lib/l0cache (a private mount namespace shows the
#      root's state directory there), the admin key made by the unit's ExecStartPre; a question
#      is answered upstream (the simulated one: the config's "auto" without OPENAI_API_KEY), a
#      reviewer signs the approval and the same question is served from the cache;
#   5. removing the packages leaves only the conffile, and purging (with apt's autoremove in the
#      chroot) only the state directory.
#
# Usage: packaging/install-test.sh BUILD_DIR [--chroot]
#   --chroot: only the chroot variant; skipped (exit 77) unless L0_INSTALL_TEST_CHROOT is set.
set -uo pipefail
if [ "${2:-}" = --chroot ] && [ -z "${L0_INSTALL_TEST_CHROOT:-}" ]; then
    echo "install-test: set L0_INSTALL_TEST_CHROOT=DIR (a Debian 12 chroot, made there when missing)"
    exit 77
fi

if [ "$(id -u)" -ne 0 ]; then
    echo "install-test: needs root (dpkg --root, mount namespace)"
    exit 77
fi
SRC="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="$(cd "${1:?usage: $0 BUILD_DIR}" && pwd)"

# Step 4 runs in a private mount namespace: re-enter this script there first.
if [ -z "${L0_INSTALL_TEST_NS:-}" ]; then
    exec unshare --mount --propagation private env L0_INSTALL_TEST_NS=1 bash "$0" "$@"
fi

WORK="$(mktemp -d /tmp/l0-install-test.XXXXXX)"
PASSES=0
FAILS=0
NODE_PID=""
cleanup() {
    [ -n "$NODE_PID" ] && kill "$NODE_PID" 2>/dev/null && wait "$NODE_PID" 2>/dev/null
    umount /var/lib/l0cache 2>/dev/null
    umount /var/lib 2>/dev/null
    umount "$WORK/root/proc" 2>/dev/null
    rm -rf --one-file-system "$WORK"
}
trap cleanup EXIT
T0=$(date +%s)
ok() { PASSES=$((PASSES + 1)); echo "ok - $1 [$(($(date +%s) - T0)) s]"; }
bad() { FAILS=$((FAILS + 1)); echo "FAIL - $1"; }
check() { if [ "$2" == "$3" ]; then ok "$1"; else bad "$1 (expected '$2', got '$3')"; fi; }
finish() {
    [ "$(type -t lintian_result)" = function ] && lintian_result
    echo "$PASSES passed, $FAILS failed"
    [ "$FAILS" -eq 0 ]
    exit
}

# --- 1. build ---------------------------------------------------------------------------------
if L0_DEB_COMPRESSION="${L0_DEB_COMPRESSION:-gzip}" L0_BUILD_DIR="$BUILD" "$SRC/packaging/build-debs.sh" "$WORK/debs" >"$WORK/build.log" 2>&1; then
    ok "build-debs.sh from $BUILD"
else
    cat "$WORK/build.log"
    bad "build-debs.sh"
    finish
fi
NODE_DEB=$(ls "$WORK"/debs/l0cache-node_*.deb)
CONSOLE_DEB=$(ls "$WORK"/debs/l0cache-console_*.deb 2>/dev/null)
DEBS=("$NODE_DEB")
[ -n "$CONSOLE_DEB" ] && DEBS+=("$CONSOLE_DEB")
check "package name" l0cache-node "$(dpkg-deb -f "$NODE_DEB" Package)"
CONTENTS=$(dpkg-deb -c "$NODE_DEB")
for f in ./usr/bin/l0-node ./usr/bin/l0ctl ./etc/l0cache/node.json ./lib/systemd/system/l0-node.service \
    ./usr/share/man/man1/l0-node.1.gz ./usr/share/man/man1/l0ctl.1.gz; do
    case "$CONTENTS" in *" $f"*) ok "l0cache-node has $f" ;; *) bad "l0cache-node lacks $f" ;; esac
done
case "$CONTENTS" in *" ./var/"*) bad "l0cache-node ships nothing in /var (systemd makes the state directory)" ;;
*) ok "l0cache-node ships nothing in /var" ;; esac
check "conffiles" /etc/l0cache/node.json "$(dpkg-deb -I "$NODE_DEB" conffiles)"
if [ -n "$CONSOLE_DEB" ]; then
    check "console package name" l0cache-console "$(dpkg-deb -f "$CONSOLE_DEB" Package)"
    CC=$(dpkg-deb -c "$CONSOLE_DEB")
    for f in ./usr/bin/l0-console ./usr/share/applications/l0-console.desktop \
        ./usr/share/metainfo/io.l0cache.console.metainfo.xml \
        ./usr/share/icons/hicolor/scalable/apps/io.l0cache.console.svg \
        ./usr/share/icons/hicolor/48x48/apps/io.l0cache.console.png \
        ./usr/share/icons/hicolor/256x256/apps/io.l0cache.console.png; do
        case "$CC" in *" $f"*) ok "l0cache-console has $f" ;; *) bad "l0cache-console lacks $f" ;; esac
    done
fi

# --- 2. checks of the packages ----------------------------------------------------------------
EXTRACT="$WORK/extract"
for deb in "${DEBS[@]}"; do dpkg-deb -x "$deb" "$EXTRACT"; done
# lintian takes the longest: it runs beside the steps below and is read at the end.
LINTIAN_PID=""
if command -v lintian >/dev/null; then
    # --allow-root: this test runs as root; lintian only reads the packages.
    (lintian --allow-root --fail-on error "${DEBS[@]}" >"$WORK/lintian.log" 2>&1; echo $? >"$WORK/lintian.rc") &
    LINTIAN_PID=$!
else
    bad "lintian is not installed (scripts/deps.sh all)"
fi
lintian_result() {
    [ -n "$LINTIAN_PID" ] || return
    wait "$LINTIAN_PID"
    check "lintian: no errors" 0 "$(cat "$WORK/lintian.rc")"
    [ -s "$WORK/lintian.log" ] && sed 's/^/  lintian: /' "$WORK/lintian.log"
    grep -q '^E: ' "$WORK/lintian.log" && bad "lintian reports an error" || ok "lintian reports no error"
}
if [ -n "$CONSOLE_DEB" ]; then
    OUT=$(desktop-file-validate "$EXTRACT/usr/share/applications/l0-console.desktop" 2>&1)
    check "desktop-file-validate" "0:" "$?:$OUT"
    OUT=$(appstreamcli validate --no-net --explain "$EXTRACT/usr/share/metainfo/io.l0cache.console.metainfo.xml" 2>&1)
    check "appstreamcli validate" 0 "$?"
    echo "$OUT" | sed 's/^/  appstreamcli: /'
fi
UNIT="$EXTRACT/lib/systemd/system/l0-node.service"
# verify resolves the unit's dependencies (sysinit.target, ...) and programs in the root: the
# packages' files beside this system's own units and /bin/kill (ExecReload; the node package
# depends on procps for it). The man pages it names are checked above.
VROOT="$WORK/verify-root"
cp -a "$EXTRACT" "$VROOT"
cp -a /lib/systemd/system/. "$VROOT/lib/systemd/system/"
mkdir -p "$VROOT/bin" && cp /bin/kill "$VROOT/bin/kill"
cp "$UNIT" "$VROOT/lib/systemd/system/l0-node.service"
OUT=$(systemd-analyze verify --man=no --root="$VROOT" /lib/systemd/system/l0-node.service 2>&1)
RC=$?
[ -n "$OUT" ] && echo "$OUT" | sed 's/^/  systemd-analyze verify: /'
check "systemd-analyze verify" 0 "$RC"
SECURITY=$(systemd-analyze security --offline=yes --root="$EXTRACT" --no-pager l0-node.service 2>&1)
SCORE=$(sed -n 's/.*Overall exposure level for l0-node.service: \([0-9.]*\).*/\1/p' <<<"$SECURITY")
echo "  systemd-analyze security: exposure ${SCORE:-?} (0 safest, 10 worst)"
[ -n "$SCORE" ] && awk -v s="$SCORE" 'BEGIN { exit !(s <= 2.5) }' && ok "security exposure $SCORE <= 2.5" \
    || { echo "$SECURITY"; bad "security exposure ${SCORE:-unknown} > 2.5"; }
[ -f "$UNIT" ] || bad "no unit file"

# --- 3. install into a clean root ------------------------------------------------------------
ROOT="$WORK/root"
if [ -z "${L0_INSTALL_TEST_CHROOT:-}" ]; then
    # Every dependency must be installed on this (Debian 12) system at a version that satisfies it.
    declare -A INSTALLED=()
    while read -r name version; do
        [ -n "$version" ] && INSTALLED[$name]=$version
    done < <(dpkg-query -W -f='${db:Status-Abbrev} ${Package} ${Version}\n' | awk '$1 == "ii" { print $2, $3 }')
    for deb in "${DEBS[@]}"; do
        MISSING=""
        IFS=',' read -ra DEPS <<<"$(dpkg-deb -f "$deb" Depends)"
        for dep in "${DEPS[@]}"; do
            met=no
            IFS='|' read -ra ALTS <<<"$dep"
            for alt in "${ALTS[@]}"; do
                read -r name rel <<<"$alt"
                rel=${rel#(}
                rel=${rel%)}
                have=${INSTALLED[$name]:-}
                [ -n "$have" ] || continue
                if [ -z "$rel" ]; then met=yes; break; fi
                op=${rel%% *} ver=${rel#* }
                case "$op" in '>=') op=ge ;; '<=') op=le ;; '>>') op=gt ;; '<<') op=lt ;; '=') op=eq ;; esac
                dpkg --compare-versions "$have" "$op" "$ver" && { met=yes; break; }
            done
            [ "$met" = yes ] || MISSING="$MISSING [$dep]"
        done
        check "dependencies of $(dpkg-deb -f "$deb" Package) are met here" "" "$MISSING"
    done
    mkdir -p "$ROOT/var/lib/dpkg/info" "$ROOT/var/lib/dpkg/updates"
    touch "$ROOT/var/lib/dpkg/status" "$ROOT/var/lib/dpkg/available"
    DPKG=(dpkg --root="$ROOT" --force-script-chrootless --force-depends --log=/dev/null)
    if "${DPKG[@]}" -i "${DEBS[@]}" >"$WORK/dpkg.log" 2>&1; then ok "dpkg -i into an empty root"; else
        cat "$WORK/dpkg.log"
        bad "dpkg -i"
        finish
    fi
    # Programs, config and scratch files as the commands below name them.
    IN_ROOT=()
    BIN="$ROOT/usr/bin" ETC="$ROOT/etc/l0cache" TMPD="$WORK/tmp"
else
    # A Debian 12 chroot (made once with mmdebstrap from this system's apt sources, then kept),
    # and apt installing the packages with what they depend on, and nothing else, into a copy.
    BASE="$L0_INSTALL_TEST_CHROOT"
    if [ ! -x "$BASE/usr/bin/apt-get" ]; then
        SOURCES=()
        for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; do
            [ -s "$f" ] && SOURCES+=("$f")
        done
        mmdebstrap --variant=apt --mode=root --skip=cleanup/apt/lists bookworm "$BASE" "${SOURCES[@]}" \
            >"$WORK/mmdebstrap.log" 2>&1 || { cat "$WORK/mmdebstrap.log"; bad "mmdebstrap"; finish; }
    fi
    cp -a "$BASE" "$ROOT"
    (cd "$ROOT" && find . -xdev | LC_ALL=C sort >"$WORK/before.list")
    cp /etc/resolv.conf "$ROOT/etc/resolv.conf" 2>/dev/null
    mount -t proc proc "$ROOT/proc"
    mkdir -p "$ROOT/tmp/l0-install"
    cp "${DEBS[@]}" "$ROOT/tmp/l0-install/"
    if chroot "$ROOT" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
        $(for d in "${DEBS[@]}"; do echo "/tmp/l0-install/$(basename "$d")"; done) >"$WORK/apt.log" 2>&1; then
        ok "apt-get install in a Debian 12 chroot ($(grep -c '^Setting up' "$WORK/apt.log") packages set up)"
    else
        cat "$WORK/apt.log"
        bad "apt-get install in the chroot"
        finish
    fi
    [ -L "$ROOT/etc/systemd/system/multi-user.target.wants/l0-node.service" ] \
        && ok "postinst enabled l0-node.service" || bad "postinst did not enable l0-node.service"
    IN_ROOT=(chroot "$ROOT")
    BIN=/usr/bin ETC=/etc/l0cache TMPD=/tmp/l0-install
fi
mkdir -p "$WORK/tmp"
host_tmp() { if [ ${#IN_ROOT[@]} -eq 0 ]; then echo "$TMPD/$1"; else echo "$ROOT$TMPD/$1"; fi; }
check "installed: l0cache-node" "install ok installed" \
    "$(dpkg-query --admindir="$ROOT/var/lib/dpkg" -W -f='${Status}' l0cache-node)"

# --- 4. run the installed node as its unit does -----------------------------------------------
# The state directory systemd would make. Without a chroot it is shown at /var/lib/l0cache in
# this mount namespace only.
STATE="$ROOT/var/lib/l0cache"
mkdir -p "$STATE"
chmod 0700 "$STATE"
if [ ${#IN_ROOT[@]} -eq 0 ]; then
    mount -t tmpfs -o mode=0755 l0-install-test /var/lib
    mkdir /var/lib/l0cache
    mount --bind "$STATE" /var/lib/l0cache
fi
DB=$(sed -n 's/.*"db": *"\([^"]*\)".*/\1/p' "$ROOT/etc/l0cache/node.json")
check "the example config keeps its store in the state directory" "sqlite:/var/lib/l0cache/l0.sqlite" "$DB"
# The unit's own command lines, run from the installed root: its programs and its config.
from_unit() {
    sed -n "s|^$1=||p" "$EXTRACT/lib/systemd/system/l0-node.service" | sed "s|/usr/bin/|$BIN/|g; s|/etc/l0cache/|$ETC/|g"
}
EXEC_PRE=$(from_unit ExecStartPre)
EXEC=$(from_unit ExecStart)
in_state() { "${IN_ROOT[@]}" env -u OPENAI_API_KEY HOME=/var/lib/l0cache QT_ENABLE_REGEXP_JIT=0 "$@"; }
in_state $EXEC_PRE >/dev/null && ok "ExecStartPre: admin key made" || bad "ExecStartPre failed"
[ -f "$STATE/admin.pem.pub" ] && ok "admin key in the state directory" || bad "no admin key"
# Port 8080 may be taken on a test machine: the one flag added to the unit's command line.
(cd "$STATE" && exec "${IN_ROOT[@]}" env -u OPENAI_API_KEY HOME=/var/lib/l0cache QT_ENABLE_REGEXP_JIT=0 \
    $EXEC --listen 127.0.0.1:0) >"$WORK/node.log" 2>&1 &
NODE_PID=$!
PORT=""
for _ in $(seq 1 100); do
    PORT=$(sed -n 's|.*listening on https\?://127.0.0.1:\([0-9]*\).*|\1|p' "$WORK/node.log" | head -n1)
    [ -n "$PORT" ] && break
    kill -0 "$NODE_PID" 2>/dev/null || break
    sleep 0.1
done
if [ -z "$PORT" ]; then
    cat "$WORK/node.log"
    bad "installed l0-node started"
    finish
fi
ok "installed l0-node serves on port $PORT"

ctl() { "${IN_ROOT[@]}" env L0_DB="$DB" "$@"; }
mkdir -p "$(host_tmp '')"
(umask 077 && head -c 24 /dev/urandom | base64 >"$(host_tmp reviewer.passphrase)")
ctl L0_PASSPHRASE_FILE="$TMPD/reviewer.passphrase" "$BIN/l0ctl" reviewer keygen --out "$TMPD/reviewer.pem" >/dev/null
ctl L0_PASSPHRASE_FILE=/var/lib/l0cache/admin.passphrase "$BIN/l0ctl" reviewer add installer \
    --pubkey "$TMPD/reviewer.pem.pub" --admin-key /var/lib/l0cache/admin.pem >/dev/null \
    && ok "reviewer registered by the admin key" || bad "reviewer add"
ctl "$BIN/l0ctl" tenant add acme --policy approved >/dev/null
KEY=$(ctl "$BIN/l0ctl" key issue --tenant acme | tail -n1)
ask() {
    curl -s -o "$WORK/body" -D "$WORK/headers" -w '%{http_code}' "http://127.0.0.1:$PORT/v1/chat/completions" \
        -H "Authorization: Bearer $KEY" -H 'Content-Type: application/json' \
        --data-binary '{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Is the install test passing?"}]}'
}
cache_header() { grep -i '^x-l0-cache:' "$WORK/headers" | cut -d' ' -f2 | tr -d '\r'; }
# A new key reaches the running node with its next sync.
STATUS=""
for _ in $(seq 1 50); do
    STATUS=$(ask)
    [ "$STATUS" = 401 ] || break
    sleep 0.1
done
check "first ask: 200" 200 "$STATUS"
check "first ask: a miss" miss "$(cache_header)"
ID=""
for _ in $(seq 1 100); do
    ID=$(ctl "$BIN/l0ctl" queue list --json --tenant acme | sed -n 's/.*"id": *\([0-9]*\).*/\1/p' | head -n1)
    [ -n "$ID" ] && break
    sleep 0.1
done
[ -n "$ID" ] && ok "candidate $ID filed" || bad "no candidate filed"
ctl L0_PASSPHRASE_FILE="$TMPD/reviewer.passphrase" "$BIN/l0ctl" approve "$ID" --key "$TMPD/reviewer.pem" >/dev/null \
    && ok "signed approval" || bad "approve"
HIT=no
for _ in $(seq 1 50); do
    ask >/dev/null
    [ "$(cache_header)" = hit ] && { HIT=yes; break; }
    sleep 0.1
done
check "the same question served from the cache" yes "$HIT"
METRICS=$(curl -s "http://127.0.0.1:$PORT/metrics")
case "$METRICS" in *'l0_trust_database_unverified 0'*) ok "approvals verified up to the pinned key" ;;
*) bad "the node does not verify approvals" ;; esac
kill -TERM "$NODE_PID"
wait "$NODE_PID"
check "node exits 0 on SIGTERM" 0 "$?"
NODE_PID=""
if [ ${#IN_ROOT[@]} -eq 0 ]; then
    umount /var/lib/l0cache
    umount /var/lib
fi

# --- 5. remove, purge -------------------------------------------------------------------------
PKGS=(l0cache-node)
[ -n "$CONSOLE_DEB" ] && PKGS+=(l0cache-console)
if [ ${#IN_ROOT[@]} -eq 0 ]; then
    # What is left in the root besides dpkg's own database and the state directory.
    leftovers() {
        (cd "$ROOT" && find . -mindepth 1 \( -path ./var/lib/dpkg -o -path ./var/lib/l0cache \) -prune -o -print \
            | grep -vx -e ./var -e ./var/lib | LC_ALL=C sort | tr '\n' ' ')
    }
    "${DPKG[@]}" --remove "${PKGS[@]}" >"$WORK/dpkg.log" 2>&1 || { cat "$WORK/dpkg.log"; bad "dpkg --remove"; }
    check "after remove: only the conffile is left" "./etc ./etc/l0cache ./etc/l0cache/node.json " "$(leftovers)"
    "${DPKG[@]}" --purge "${PKGS[@]}" >"$WORK/dpkg.log" 2>&1 || { cat "$WORK/dpkg.log"; bad "dpkg --purge"; }
    check "after purge: nothing is left" "" "$(leftovers)"
else
    # Paths the chroot did not have before, but for apt's and dpkg's own files, the test's
    # scratch files and the state directory.
    leftovers() {
        (cd "$ROOT" && find . -xdev | LC_ALL=C sort) | comm -13 "$WORK/before.list" - \
            | grep -v -e '^\./var/lib/apt' -e '^\./var/cache' -e '^\./var/log' -e '^\./var/lib/dpkg' \
                -e '^\./tmp' -e '^\./var/lib/l0cache' -e '^\./etc/resolv.conf$' | tr '\n' ' '
    }
    in_apt() { chroot "$ROOT" env DEBIAN_FRONTEND=noninteractive apt-get -y -q "$@" >>"$WORK/apt.log" 2>&1; }
    in_apt remove "${PKGS[@]}" || bad "apt-get remove"
    [ -f "$ROOT/etc/l0cache/node.json" ] && ok "after remove: the conffile is kept" || bad "conffile gone on remove"
    # apt no longer knows a package that was installed from a file and left nothing behind:
    # dpkg purges, then apt takes away what was installed only for them.
    chroot "$ROOT" dpkg --purge "${PKGS[@]}" >>"$WORK/apt.log" 2>&1 && in_apt autoremove --purge \
        || { tail -n 20 "$WORK/apt.log"; bad "dpkg --purge, apt-get autoremove --purge"; }
    LEFT=$(leftovers)
    check "after purge and autoremove: nothing is left" "" "${LEFT:0:2000}"
    umount "$ROOT/proc"
fi
[ -f "$STATE/l0.sqlite" ] && ok "the state directory is kept" || bad "the state directory is gone"
finish

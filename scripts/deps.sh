#!/usr/bin/env bash
# Installs the Debian 12 packages L0 Cache needs, or prints the apt line when not root.
# Usage: scripts/deps.sh [node|package|all]   (node: build and run the node; package: build the
# Debian packages, packaging/build-debs.sh; all: also the console, the tests and the benchmarks)
set -euo pipefail

NODE_PKGS=(cmake g++ ninja-build pkg-config qt6-base-dev qt6-base-dev-tools libqt6sql6-sqlite
           libssl-dev libpq-dev libhttp-parser-dev libhnswlib-dev curl)
UI_PKGS=(libqt6opengl6-dev qt6-charts-dev qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools
         libgl1-mesa-dev libxkbcommon-dev qtkeychain-qt6-dev)
# packaging/build-debs.sh: shlibdeps, man pages from --help, PNG icons from the SVG.
PACKAGE_PKGS=(dpkg-dev help2man librsvg2-bin)
# Checks of the packages and of /metrics: lintian, appstreamcli, desktop-file-validate,
# systemd-analyze, promtool (Debian ships it in prometheus),
# mmdebstrap: the install test's optional Debian 12 chroot (L0_INSTALL_TEST_CHROOT).
CHECK_PKGS=(lintian appstream desktop-file-utils systemd prometheus mmdebstrap)
# clang, its sanitizer runtimes and libFuzzer: the fuzz targets (tests/fuzz).
TEST_PKGS=(postgresql pgbouncer clang libclang-rt-14-dev libfuzzer-14-dev openssl libqt6sql6-psql nodejs libbenchmark-dev wrk nginx-light ccache gnome-keyring dbus-daemon dbus-bin
           xvfb xauth openbox qt6-qpa-plugins libxcb-cursor0 fonts-dejavu-core)

case "${1:-node}" in
    node) WANT=("${NODE_PKGS[@]}") ;;
    package) WANT=("${NODE_PKGS[@]}" "${UI_PKGS[@]}" "${PACKAGE_PKGS[@]}") ;;
    all) WANT=("${NODE_PKGS[@]}" "${UI_PKGS[@]}" "${TEST_PKGS[@]}" "${PACKAGE_PKGS[@]}" "${CHECK_PKGS[@]}") ;;
    *) echo "usage: $0 [node|package|all]" >&2; exit 2 ;;
esac

MISSING=()
for p in "${WANT[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        MISSING+=("$p")
    fi
done
# npm comes with nodesource's nodejs; Debian ships it apart.
if [ "${1:-node}" = all ] && ! command -v npm >/dev/null 2>&1; then
    MISSING+=(npm)
fi
[ ${#MISSING[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
    echo "Missing Debian packages. Install them with:" >&2
    echo "  sudo apt-get install -y ${MISSING[*]}" >&2
    exit 1
fi
echo "Installing: ${MISSING[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${MISSING[@]}" >/dev/null

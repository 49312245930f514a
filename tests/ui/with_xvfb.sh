#!/bin/sh
# Runs a console test in a real X window: an Xvfb screen of WIDTH x HEIGHT with openbox as the
# window manager, the xcb platform plugin, and settings in a fresh directory.
# Usage: with_xvfb.sh WIDTH HEIGHT PROGRAM [ARGS...]
# Exits 77 (ctest: skipped) with a message when Xvfb is not installed (scripts/deps.sh all).
set -u
width=$1
height=$2
shift 2
if ! command -v Xvfb >/dev/null 2>&1; then
    echo "SKIP: Xvfb is not installed; scripts/deps.sh all installs xvfb, xauth and openbox" >&2
    exit 77
fi
display=""
for n in $(seq 91 140); do
    if [ ! -e "/tmp/.X11-unix/X$n" ] && [ ! -e "/tmp/.X$n-lock" ]; then
        display=$n
        break
    fi
done
if [ -z "$display" ]; then
    echo "no free X display number between 91 and 140" >&2
    exit 1
fi
work=$(mktemp -d)
Xvfb ":$display" -screen 0 "${width}x${height}x24" -nolisten tcp -dpi 96 >"$work/xvfb.log" 2>&1 &
xvfb=$!
wm=""
cleanup() {
    [ -n "$wm" ] && kill "$wm" 2>/dev/null
    kill "$xvfb" 2>/dev/null
    wait 2>/dev/null
    rm -rf "$work"
}
trap cleanup EXIT INT TERM
tries=0
while [ ! -e "/tmp/.X11-unix/X$display" ]; do
    tries=$((tries + 1))
    if [ $tries -gt 100 ] || ! kill -0 "$xvfb" 2>/dev/null; then
        echo "Xvfb did not start:" >&2
        cat "$work/xvfb.log" >&2
        exit 1
    fi
    sleep 0.1
done
export DISPLAY=":$display"
export QT_QPA_PLATFORM=xcb
export XDG_CONFIG_HOME="$work/config"
if command -v openbox >/dev/null 2>&1; then
    openbox --sm-disable >"$work/wm.log" 2>&1 &
    wm=$!
    sleep 1
else
    echo "warning: no window manager (openbox); windows have no frame" >&2
fi
"$@"

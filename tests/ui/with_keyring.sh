#!/bin/sh
# Runs a test with its own session bus and an unlocked Secret Service (gnome-keyring) whose
# keyring lives in a temporary home: the keyring path of the console is tested for real.
set -e
home=$(mktemp -d)
trap 'rm -rf "$home"' EXIT
mkdir -m 700 "$home/run"
export HOME="$home" XDG_RUNTIME_DIR="$home/run" XDG_DATA_HOME="$home/data" L0_EXPECT_KEYRING=1
dbus-run-session -- sh -c 'printf "keyring-test" | gnome-keyring-daemon --unlock --components=secrets >/dev/null && "$@"' sh "$@"

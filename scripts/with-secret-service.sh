#!/usr/bin/env bash
# Runs a command inside a private D-Bus session with a freshly created, unlocked gnome-keyring (Secret
# Service), so the real-keyring tests exercise the same backend a Linux desktop uses, without touching the
# user's own keyring. HOME and XDG_RUNTIME_DIR point at a temporary directory that is removed afterwards.
#
#   scripts/with-secret-service.sh .venv/bin/python -m pytest -m keyring_service tests/signing/test_keyring_service.py
#
# Needs dbus-run-session (dbus), gnome-keyring-daemon (gnome-keyring) and secret-tool (libsecret-tools):
# scripts/install-system-deps.sh installs them.
set -euo pipefail

if [ "$#" -eq 0 ]; then
  echo "usage: $0 COMMAND [ARGS...]" >&2
  exit 2
fi

if [ "${ICS_WORKBENCH_SECRET_SERVICE:-}" != "1" ]; then
  for tool in dbus-run-session gnome-keyring-daemon secret-tool; do
    command -v "$tool" >/dev/null 2>&1 || { echo "$0: $tool is missing; run scripts/install-system-deps.sh" >&2; exit 3; }
  done
  scratch="$(mktemp -d)"
  trap 'rm -rf "$scratch"' EXIT
  mkdir -p "$scratch/home" "$scratch/runtime"
  chmod 700 "$scratch/runtime"
  # Re-enter this script inside the private bus; the bus (and the keyring daemon with it) ends with the command.
  ICS_WORKBENCH_SECRET_SERVICE=1 HOME="$scratch/home" XDG_RUNTIME_DIR="$scratch/runtime" \
    XDG_DATA_HOME="$scratch/home/.local/share" XDG_CONFIG_HOME="$scratch/home/.config" \
    dbus-run-session -- "$0" "$@"
  exit $?
fi

# Inside the private session: start the daemon in the foreground (so we know its pid and stop it ourselves)
# with a login password on stdin, which creates and unlocks the default "login" collection (without --unlock
# every write fails with "Prompt dismissed"), then wait until it owns the Secret Service bus name.
printf 'ics-workbench-test' | gnome-keyring-daemon --foreground --unlock --components=secrets >/dev/null 2>&1 &
daemon=$!
trap 'kill "$daemon" 2>/dev/null || true; wait "$daemon" 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
  if dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
      org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null | grep -q "boolean true"; then
    break
  fi
  sleep 0.1
done
"$@"

#!/usr/bin/env bash
# Installs the Debian packages the app and its tests need (Qt runtime libraries, a virtual X display,
# a Secret Service keyring for the keyring tests, Node.js for the cosmjs cross-checks). Idempotent:
# packages already present are not touched, so a second run costs a second.
set -euo pipefail

packages=(
  # Qt (PySide6) runtime, offscreen and under a real X server
  libglib2.0-0 libegl1 libgl1 libx11-6 libxkbcommon0 libfontconfig1 libfreetype6 libdbus-1-3 fonts-dejavu-core
  xvfb xauth libxcb1 libx11-xcb1 libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0
  libxcb-randr0 libxcb-render0 libxcb-render-util0 libxcb-shape0 libxcb-shm0 libxcb-sync1 libxcb-util1
  libxcb-xfixes0 libxcb-xkb1
  # OS keyring: a real Secret Service inside a private D-Bus session
  dbus gnome-keyring libsecret-tools
  # python venv
  python3-venv
)

missing=()
for pkg in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
command -v node >/dev/null 2>&1 || missing+=(nodejs npm)
# Any Go will do: the devnet build fetches the Go 1.23.12 toolchain it needs through the Go module proxy.
command -v go >/dev/null 2>&1 || missing+=(golang-go)

if [ ${#missing[@]} -gt 0 ]; then
  echo "installing system packages: ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

#!/usr/bin/env bash
# Installs ICS Workbench from this bundle's wheelhouse with no network access at all.
#   ./install.sh [--headless] [--prefix DIR]
# --headless installs the signer and command line without Qt (for an air-gapped signing machine).
# The default prefix is ~/.local/share/ics-workbench/venv; a launcher is linked into ~/.local/bin.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
prefix="${HOME}/.local/share/ics-workbench/venv"
extra="[gui]"
while [ $# -gt 0 ]; do
  case "$1" in
    --headless) extra="" ;;
    --prefix) prefix="$2"; shift ;;
    -h|--help) sed -n '2,5p' "$0"; exit 0 ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
  shift
done

if [ -f "$here/SHA256SUMS" ]; then
  (cd "$here" && sha256sum --quiet -c SHA256SUMS) || { echo "bundle is corrupt: checksum mismatch" >&2; exit 1; }
fi
python="${PYTHON:-python3}"
"$python" -c 'import sys; assert sys.version_info[:2] == (3, 11), sys.version' 2>/dev/null \
  || { echo "this bundle's wheels are built for CPython 3.11" >&2; exit 1; }

"$python" -m venv "$prefix"
"$prefix/bin/python" -m pip install --no-index --find-links "$here/wheelhouse" --quiet "ics-workbench${extra}"
mkdir -p "${HOME}/.local/bin"
ln -sf "$prefix/bin/ics-workbench" "${HOME}/.local/bin/ics-workbench"
"$prefix/bin/ics-workbench" --version
echo "installed into $prefix (launcher: ~/.local/bin/ics-workbench)"

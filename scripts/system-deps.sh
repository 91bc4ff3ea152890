#!/usr/bin/env bash
# Installs the Debian packages planwatch needs, when they are missing and we may install them.
#   runtime: fonts-noto-cjk (Chinese glyphs in PDFs), poppler-utils (pdftoppm, to look at PDF pages)
#   tests:   chromium (browser tests through Playwright; Playwright cannot download its own browser here)
# Usage: scripts/system-deps.sh [runtime|test]
set -u
what=${1:-runtime}
pkgs="fonts-noto-cjk poppler-utils"
[ "$what" = test ] && pkgs="$pkgs chromium"
missing=""
for p in $pkgs; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if ! command -v apt-get >/dev/null 2>&1; then
  echo "system-deps: please install:$missing (no apt-get here)" >&2; exit 0
fi
sudo=""
[ "$(id -u)" = 0 ] || { command -v sudo >/dev/null 2>&1 && sudo="sudo -n"; }
if [ "$(id -u)" != 0 ] && [ -z "$sudo" ]; then
  echo "system-deps: not root; please install:$missing" >&2; exit 0
fi
echo "system-deps: installing$missing" >&2
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq >/dev/null 2>&1 || true
$sudo apt-get install -y -qq --no-install-recommends $missing >/dev/null 2>&1 \
  || echo "system-deps: could not install$missing; tests that need them will fail" >&2

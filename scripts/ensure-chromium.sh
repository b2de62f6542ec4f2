#!/usr/bin/env bash
# Prints the path of a headless-capable Chromium, installing Debian's `chromium` package with apt-get when none
# is on the machine (npm's browser downloads, puppeteer and playwright, cannot reach their CDNs from CI here).
# Used by the report page's browser test (`npm run test:report`). Needs root (or sudo) only to install.
set -euo pipefail
find_chromium() {
  local candidate
  for candidate in "${OPENCLAW_FLEET_CHROMIUM:-}" chromium chromium-browser google-chrome; do
    [ -n "$candidate" ] && command -v "$candidate" >/dev/null 2>&1 && { command -v "$candidate"; return 0; }
  done
  return 1
}
if find_chromium; then exit 0; fi
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "ensure-chromium: installing Debian's chromium (apt-get)" >&2
# A fresh machine has no package lists yet; an old list may name versions the mirror no longer has.
$sudo apt-get update -qq >&2
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends chromium >&2
find_chromium || { echo "ensure-chromium: chromium installed but not found on PATH" >&2; exit 1; }

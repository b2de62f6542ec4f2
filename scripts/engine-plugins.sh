#!/usr/bin/env bash
# Unpacks the Pulumi engine plugins this project's `pulumi up` needs (the Node language host and the
# kubernetes and random providers) into the versioned tools cache, after checking their digests. On a
# user's machine Pulumi downloads them; these machines cannot reach the download sites and the Go module
# proxy refuses their modules, so they come ready-built as zstd files with a SHA256SUMS list, from
#   $OPENCLAW_FLEET_PULUMI_PLUGINS when set, else ../shared/pulumi-plugins beside the project root.
#
# Usage:
#   scripts/engine-plugins.sh            prints the bin directory holding the three plugins (logs on stderr)
#   scripts/engine-plugins.sh --source   prints the directory the plugins are taken from
#
# The cache directory is named after the digest list, so other binaries unpack beside, never over, these:
#   ${OPENCLAW_FLEET_CACHE:-~/.cache/openclaw-fleet}/tools/pulumi-plugins-<first 12 hex of sha256(SHA256SUMS)>/bin
# zstd is installed from Debian when missing (apt-get; as root or through sudo). Exits non-zero, naming
# what is missing, when no source has the plugins: a green CI must mean the real engine ran.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE_ROOT="${OPENCLAW_FLEET_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/openclaw-fleet}"
PLUGINS=(pulumi-language-nodejs pulumi-resource-kubernetes pulumi-resource-random)

log() { printf 'engine-plugins: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

source_dir() {
  local dir="${OPENCLAW_FLEET_PULUMI_PLUGINS:-$ROOT/../shared/pulumi-plugins}"
  local missing=() p
  [ -f "$dir/SHA256SUMS" ] || missing+=("SHA256SUMS")
  for p in "${PLUGINS[@]}"; do [ -f "$dir/$p.zst" ] || missing+=("$p.zst"); done
  if [ "${#missing[@]}" -gt 0 ]; then
    die "the Pulumi engine plugins are missing: ${missing[*]} not found in $dir. Set OPENCLAW_FLEET_PULUMI_PLUGINS to a directory holding ${PLUGINS[*]/%/.zst} and SHA256SUMS (see ../shared/pulumi-plugins/README.md), or install the plugins with \`pulumi plugin install\` on a machine that can download them."
  fi
  (cd "$dir" && pwd)
}

ensure_zstd() {
  command -v zstd >/dev/null 2>&1 && return 0
  log "zstd not found: installing the Debian package"
  local sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo"
  { $sudo apt-get install -y -qq zstd >/dev/null 2>&1 || { $sudo apt-get update -qq >/dev/null && $sudo apt-get install -y -qq zstd >/dev/null; }; } \
    || die "could not install zstd (apt-get install zstd)"
}

src="$(source_dir)"
if [ "${1:-}" = "--source" ]; then echo "$src"; exit 0; fi

dir="$CACHE_ROOT/tools/pulumi-plugins-$(sha256sum "$src/SHA256SUMS" | cut -c1-12)"
if [ -f "$dir/.complete" ]; then echo "$dir/bin"; exit 0; fi

ensure_zstd
mkdir -p "$CACHE_ROOT/tools"
exec 9>"$CACHE_ROOT/tools/.lock-pulumi-plugins"
command -v flock >/dev/null 2>&1 && flock 9
if [ ! -f "$dir/.complete" ]; then
  tmp="$(mktemp -d "$CACHE_ROOT/tools/.tmp-pulumi-plugins.XXXXXX")"
  trap 'rm -rf "$tmp"' EXIT
  chmod 755 "$tmp"
  mkdir -p "$tmp/bin"
  for p in "${PLUGINS[@]}"; do zstd -q -d "$src/$p.zst" -o "$tmp/bin/$p"; done
  # The digests are of the unpacked binaries; every plugin must be listed and match.
  for p in "${PLUGINS[@]}"; do grep -Eq "^[0-9a-f]{64}  $p\$" "$src/SHA256SUMS" || die "$src/SHA256SUMS has no digest for $p"; done
  (cd "$tmp/bin" && sha256sum --quiet -c "$src/SHA256SUMS" >&2) || die "digest mismatch for the plugins in $src (see above)"
  chmod 755 "$tmp/bin"/*
  cp "$src/SHA256SUMS" "$tmp/SHA256SUMS"
  touch "$tmp/.complete"
  rm -rf "$dir"
  mv "$tmp" "$dir"
  trap - EXIT
  log "unpacked ${PLUGINS[*]} from $src into $dir/bin"
fi
echo "$dir/bin"

#!/usr/bin/env bash
# Container images for the real node, built offline (no registry is reachable here) as OCI layout tars that
# `ctr -n k8s.io images import` loads:
#
#   openclaw VERSION   ghcr.io/openclaw/openclaw:VERSION-slim, laid out like the official image: user `node`
#                      UID/GID 1000 with HOME /home/node, the npm package `openclaw@VERSION` at /app with its
#                      dependencies in /app/node_modules (so `node /app/dist/index.js gateway run` works),
#                      Node 24 from the npm registry at /usr/local/bin/node with the glibc libraries it and
#                      the package's native addons link (from this Debian machine), busybox (Debian's
#                      busybox-static) as /bin/sh and the tools the init scripts use, Debian's CA bundle.
#   pause, coredns     the pod sandbox image and cluster DNS: tools/<name>'s static binary alone, named
#                      localhost/openclaw-fleet/<name>:<binary hash> (no registry serves that name).
#
# Usage:
#   scripts/images.sh openclaw VERSION   prints the path of the cached image tar (builds it when missing)
#   scripts/images.sh pause | coredns    the same for the pause or CoreDNS image
#   scripts/images.sh ref openclaw VERSION | ref pause | ref coredns    prints the image reference
#
# Cache: ${OPENCLAW_FLEET_CACHE:-~/.cache/openclaw-fleet}/images/<name>-<version>-<stamp>/{image.tar,digest,ref}
# where the stamp hashes the recipe (the functions that lay out and pack the image) and its inputs (Node and
# busybox versions; for pause and coredns the binary), so a changed recipe rebuilds. `digest` is the
# manifest digest containerd reports after import.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE_ROOT="${OPENCLAW_FLEET_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/openclaw-fleet}"
IMAGES="$CACHE_ROOT/images"

log() { printf 'images: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

sha() { sha256sum "$1" | cut -d' ' -f1; }

# blob <file> <layout>: moves file into the layout's blobs as sha256:<hash> and prints the hash.
blob() {
  local h; h="$(sha "$1")"
  mv "$1" "$2/blobs/sha256/$h"
  echo "$h"
}

# oci_tar <rootfs> <ref> <out.tar> <image config JSON "config" member>: one uncompressed layer.
oci_tar() {
  local rootfs="$1" ref="$2" out="$3" cfg="$4" layout layer_h layer_size config_h config_size manifest_h manifest_size
  layout="$(mktemp -d "$(dirname "$out")/.layout.XXXXXX")"
  mkdir -p "$layout/blobs/sha256"
  # Reproducible: sorted names, fixed mtime, numeric owners as they are in the staging tree.
  tar -C "$rootfs" --sort=name --mtime=@0 --numeric-owner --xattrs-exclude='*' -cf "$layout/layer.tar" .
  layer_size="$(stat -c %s "$layout/layer.tar")"
  layer_h="$(blob "$layout/layer.tar" "$layout")"
  printf '{"architecture":"amd64","os":"linux","config":%s,"rootfs":{"type":"layers","diff_ids":["sha256:%s"]},"history":[{"created_by":"openclaw-fleet scripts/images.sh"}]}' \
    "$cfg" "$layer_h" > "$layout/config.json"
  config_size="$(stat -c %s "$layout/config.json")"
  config_h="$(blob "$layout/config.json" "$layout")"
  printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:%s","size":%s},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"sha256:%s","size":%s}]}' \
    "$config_h" "$config_size" "$layer_h" "$layer_size" > "$layout/manifest.json"
  manifest_size="$(stat -c %s "$layout/manifest.json")"
  manifest_h="$(blob "$layout/manifest.json" "$layout")"
  printf '{"imageLayoutVersion":"1.0.0"}' > "$layout/oci-layout"
  printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:%s","size":%s,"annotations":{"io.containerd.image.name":"%s","org.opencontainers.image.ref.name":"%s"}}]}' \
    "$manifest_h" "$manifest_size" "$ref" "${ref##*:}" > "$layout/index.json"
  tar -C "$layout" --sort=name --mtime=@0 --numeric-owner -cf "$out" oci-layout index.json blobs
  rm -rf "$layout"
  echo "sha256:$manifest_h"
}

# copy_libs <rootfs> <binary...>: the shared libraries (and loader) the binaries link, at the same paths.
copy_libs() {
  local rootfs="$1" f lib; shift
  for f in "$@"; do
    # Not every addon is for this platform (darwin prebuilds ship too): ldd and grep may find nothing.
    { ldd "$f" 2>/dev/null || true; } | { grep -o '/[^ ]*' || true; } | while read -r lib; do
      [ -e "$rootfs$lib" ] && continue
      mkdir -p "$rootfs$(dirname "$lib")"
      cp -L "$lib" "$rootfs$lib"
    done
  done
}

need_busybox() {
  # Static (ldd refuses it): the image has no libraries for it.
  [ -x /bin/busybox ] && /bin/busybox --list >/dev/null 2>&1 && ! ldd /bin/busybox >/dev/null 2>&1 && return 0
  log "installing Debian's busybox-static (the image's /bin/sh)"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq busybox-static >/dev/null 2>&1 ||
    { apt-get update -qq >/dev/null 2>&1; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq busybox-static >/dev/null; } ||
    die "apt-get install busybox-static failed"
}

node_bin() { "$ROOT/scripts/node-toolchain.sh"; }

# cached <dir>: prints the tar and returns 0 when a finished build is there.
cached() { [ -f "$1/image.tar" ] && [ -f "$1/digest" ] && { echo "$1/image.tar"; return 0; }; return 1; }

finish() {
  local dir="$1" tmp="$2" ref="$3" digest="$4"
  echo "$digest" > "$tmp/digest"
  echo "$ref" > "$tmp/ref"
  rm -rf "$tmp/rootfs"
  rm -rf "$dir"; mv "$tmp" "$dir"
  echo "$dir/image.tar"
}

# static_ref <component>: a one-binary image named after the binary's hash (a rebuilt binary is a new image).
static_ref() {
  local bin; bin="$("$ROOT/scripts/build-tools.sh" "$1")/$1"
  echo "localhost/openclaw-fleet/$1:$(sha "$bin" | cut -c1-12)"
}

# build_static <component> <config JSON>: an image holding the component's static binary at /<component>.
build_static() {
  local c="$1" cfg="$2" bin ref dir tmp
  bin="$("$ROOT/scripts/build-tools.sh" "$c")/$c"
  ref="$(static_ref "$c")"
  dir="$IMAGES/$c-${ref##*:}"
  cached "$dir" && return 0
  mkdir -p "$IMAGES"; tmp="$(mktemp -d "$IMAGES/.$c.XXXXXX")"
  mkdir -p "$tmp/rootfs/etc" "$tmp/rootfs/tmp"
  install -m 0755 "$bin" "$tmp/rootfs/$c"
  printf 'nobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' > "$tmp/rootfs/etc/passwd"
  finish "$dir" "$tmp" "$ref" "$(oci_tar "$tmp/rootfs" "$ref" "$tmp/image.tar" "$cfg")"
  log "built $ref"
}

openclaw_stamp() {
  local node="$1"
  # The recipe (the functions that lay out and pack the image, not the whole script) and its inputs.
  # busybox's first line names its version; captured whole (a `| head -1` could SIGPIPE it and fail the stamp).
  local busybox; busybox="$(/bin/busybox 2>&1 || true)"
  { declare -f build_openclaw oci_tar copy_libs finish; "$node" --version; echo "${busybox%%$'\n'*}"; } | sha256sum | cut -c1-12
}

build_openclaw() {
  local version="$1" ref node nodebin pkg modules dir tmp r t0 applet stamp
  [[ "$version" =~ ^[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.]+)?$ ]] || die "openclaw VERSION must look like 2026.9.6, got '$version'"
  ref="ghcr.io/openclaw/openclaw:$version-slim"
  need_busybox
  nodebin="$(node_bin)"; node="$nodebin/node"
  stamp="$(openclaw_stamp "$node")"
  dir="$IMAGES/openclaw-$version-$stamp"
  cached "$dir" && return 0
  t0=$SECONDS
  # The npm release, installed once per version into the cache (components/openclaw/install.ts).
  pkg="$(cd "$ROOT" && "$ROOT/scripts/run.sh" tsx -e "import('./components/openclaw/install.ts').then((m) => console.log(m.ensureOpenclaw('$version').packageDir))" | tail -1)"
  [ -f "$pkg/dist/index.js" ] || die "openclaw@$version has no dist/index.js at $pkg"
  modules="$(dirname "$pkg")"
  mkdir -p "$IMAGES"; tmp="$(mktemp -d "$IMAGES/.openclaw-$version.XXXXXX")"
  # shellcheck disable=SC2064
  trap "rm -rf '$tmp'" EXIT
  r="$tmp/rootfs"
  mkdir -p "$r"/{bin,etc/ssl/certs,usr/local/bin,home/node,tmp,app,proc,sys,dev,run,var/tmp}
  chmod 1777 "$r/tmp" "$r/var/tmp"
  # /app: the package itself as real directories (it refuses a symlinked dist), its dependencies beside it.
  cp -a "$pkg/." "$r/app/"
  mkdir -p "$r/app/node_modules"
  for d in "$modules"/* "$modules"/.bin; do
    [ -e "$d" ] || continue
    [ "$(basename "$d")" = openclaw ] && continue
    # A dependency nested inside the package wins (node resolves it first), so never overwrite it.
    [ -e "$r/app/node_modules/$(basename "$d")" ] && continue
    cp -a "$d" "$r/app/node_modules/"
  done
  install -m 0755 "$node" "$r/usr/local/bin/node"
  install -m 0755 /bin/busybox "$r/bin/busybox"
  for applet in $(/bin/busybox --list); do [ -e "$r/bin/$applet" ] || ln -s busybox "$r/bin/$applet"; done
  mkdir -p "$r/usr/bin"; ln -s /bin/env "$r/usr/bin/env"
  copy_libs "$r" "$node" $(find "$r/app" -name '*.node' -type f)
  cp -L /etc/ssl/certs/ca-certificates.crt "$r/etc/ssl/certs/ca-certificates.crt"
  printf 'root:x:0:0:root:/root:/bin/sh\nnode:x:1000:1000::/home/node:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' > "$r/etc/passwd"
  printf 'root:x:0:\nnode:x:1000:\nnogroup:x:65534:\n' > "$r/etc/group"
  printf 'hosts: files dns\n' > "$r/etc/nsswitch.conf"
  : > "$r/etc/hosts"; : > "$r/etc/resolv.conf"; : > "$r/etc/hostname"
  chown -R 0:0 "$r"
  chown 1000:1000 "$r/home/node"
  finish "$dir" "$tmp" "$ref" "$(oci_tar "$r" "$ref" "$tmp/image.tar" \
    '{"User":"node","WorkingDir":"/app","Env":["PATH=/usr/local/bin:/usr/bin:/bin","HOME=/home/node","NODE_ENV=production","SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt"],"Cmd":["node","/app/dist/index.js","gateway","run"]}')"
  trap - EXIT
  log "built $ref in $((SECONDS - t0))s ($(du -sh "$dir/image.tar" | cut -f1))"
}

case "${1:-}" in
  openclaw) [ -n "${2:-}" ] || die "usage: scripts/images.sh openclaw VERSION"; build_openclaw "$2" ;;
  # The sandbox image: a name no registry serves, so nothing ever tries to pull it.
  pause) build_static pause '{"Entrypoint":["/pause"],"User":"65535:65535"}' ;;
  coredns) build_static coredns '{"Entrypoint":["/coredns"]}' ;;
  ref)
    case "${2:-}" in
      openclaw) echo "ghcr.io/openclaw/openclaw:${3:?VERSION}-slim" ;;
      pause|coredns) static_ref "$2" ;;
      *) die "usage: scripts/images.sh ref openclaw VERSION | ref pause | ref coredns" ;;
    esac ;;
  -h|--help|help|"") sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//' ;;
  *) die "unknown image '$1' (openclaw VERSION | pause | coredns | ref ...)" ;;
esac

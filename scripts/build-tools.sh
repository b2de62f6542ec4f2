#!/usr/bin/env bash
# Builds the project's local infrastructure binaries from Go modules (the only source the machines can
# reach: release downloads, container registries and get.pulumi.com are blocked) into a cache outside
# the repo, keyed by component and version:
#
#   ${OPENCLAW_FLEET_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/openclaw-fleet}/tools/<component>-<version>/bin/
#
# Each component is a small wrapper Go module committed under tools/<component>/ (go.mod + go.sum, and a
# main.go where upstream's own main cannot be used). The versions live in those go.mod files only.
#
# Usage:
#   scripts/build-tools.sh [options] [component...]      (no component = all: k8s etcd kwok pulumi)
#     the real node's components are built only when named: kubenode cni crictl coredns netpol pause
#     (`scripts/build-tools.sh --list-node` prints them; scripts/real-node.sh builds them)
#     crane (an OCI registry and its client, for the `fleet releases` test) is built only when named too
#     otelcol (an OpenTelemetry Collector with the sidecar's components, for the gateway contract test) too
#     helm (the baseline of the bench's Helm sides, bench/helm/) is built only when named too
#     prints the bin directory of each component, one per line, on stdout (build logs go to stderr)
#   eval "$(scripts/build-tools.sh --print-env k8s etcd kwok)"
#     prints `export PATH=...` and one variable per binary (KUBE_APISERVER=..., ETCD=..., KWOKCTL=...)
#   scripts/build-tools.sh --regen k8s                    (maintainers: regenerate tools/k8s/go.mod+go.sum
#     from upstream's go.mod, then exit; needs the module proxy)
#     K8S_VERSION=v1.36.1 / ETCD_VERSION=... / KWOK_VERSION=... / PULUMI_VERSION=... / HELM_VERSION=... pick another version
#
# Options: --print-env, --force (rebuild even if warm), --regen, --list (component names), -h.
#
# A warm run only compares a stamp (hash of the wrapper module's files and of the build recipe) with the
# one stored next to the binaries, so it takes milliseconds. A build goes into a temporary directory next
# to the final one and is renamed into place only when every binary is there, so an interrupted build
# never leaves a directory that looks warm.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS_SRC="$ROOT/tools"
CACHE_ROOT="${OPENCLAW_FLEET_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/openclaw-fleet}"
TOOLS_CACHE="$CACHE_ROOT/tools"
ALL_COMPONENTS=(k8s etcd kwok pulumi)
# Components of the real node (scripts/real-node.sh); not in the default set so that the kwok-only
# workflows and CI steps do not pay for them.
NODE_COMPONENTS=(kubenode cni crictl coredns netpol pause)
# Built only when named, by what needs them (test/fleet/registry.ts builds crane, the collector contract test otelcol,
# the full bench helm).
EXTRA_COMPONENTS=(crane otelcol helm)

log() { printf 'build-tools: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

# --- component table ---------------------------------------------------------------------------------
# version_module <component>: the module whose version names the cache directory.
version_module() {
  case "$1" in
    k8s) echo k8s.io/kubernetes ;;
    etcd) echo go.etcd.io/etcd/server/v3 ;;
    kwok) echo sigs.k8s.io/kwok ;;
    pulumi) echo github.com/pulumi/pulumi/pkg/v3 ;;
    kubenode) echo k8s.io/kubernetes ;;
    cni) echo github.com/containernetworking/plugins ;;
    coredns) echo github.com/coredns/coredns ;;
    netpol) echo sigs.k8s.io/kube-network-policies ;;
    crictl) echo sigs.k8s.io/cri-tools ;;
    pause) echo pause ;;
    crane) echo github.com/google/go-containerregistry ;;
    otelcol) echo go.opentelemetry.io/collector/otelcol ;;
    helm) echo helm.sh/helm/v3 ;;
    *) die "unknown component '$1' (known: ${ALL_COMPONENTS[*]} ${NODE_COMPONENTS[*]} ${EXTRA_COMPONENTS[*]})" ;;
  esac
}

# binaries <component>: "name=package" pairs built into bin/ (package relative to the wrapper module).
binaries() {
  case "$1" in
    k8s) echo "kube-apiserver=k8s.io/kubernetes/cmd/kube-apiserver" \
              "kube-controller-manager=k8s.io/kubernetes/cmd/kube-controller-manager" \
              "kube-scheduler=k8s.io/kubernetes/cmd/kube-scheduler" \
              "kubectl=k8s.io/kubernetes/cmd/kubectl" ;;
    etcd) echo "etcd=." "etcdctl=go.etcd.io/etcd/etcdctl/v3" ;;
    kwok) echo "kwok=sigs.k8s.io/kwok/cmd/kwok" "kwokctl=sigs.k8s.io/kwok/cmd/kwokctl" ;;
    # Only the CLI: the module proxy refuses the Node language host
    # (github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3) and the provider modules
    # (pulumi-kubernetes/provider/v4, pulumi-random/provider/v4) at every version tried; see tools/BUILD-NOTES.md.
    pulumi) echo "pulumi=github.com/pulumi/pulumi/pkg/v3/cmd/pulumi" ;;
    # The node's commands live in a sibling module of tools/k8s (same version and replaces) so that the
    # control-plane build and its stamp stay as they are for everyone who never runs a real node.
    kubenode) echo "kubelet=k8s.io/kubernetes/cmd/kubelet" "kube-proxy=k8s.io/kubernetes/cmd/kube-proxy" ;;
    cni) echo "bridge=github.com/containernetworking/plugins/plugins/main/bridge" \
              "host-local=github.com/containernetworking/plugins/plugins/ipam/host-local" \
              "loopback=github.com/containernetworking/plugins/plugins/main/loopback" \
              "portmap=github.com/containernetworking/plugins/plugins/meta/portmap" ;;
    # Own main.go with only the plugins cluster DNS needs (upstream's main links every plugin, with the
    # cloud SDKs of route53, azure, clouddns ...).
    coredns) echo "coredns=." ;;
    netpol) echo "kube-network-policies=sigs.k8s.io/kube-network-policies/cmd" ;;
    # The CRI client: `down` removes the node's pod sandboxes through the CRI, so the CNI plugins undo their work.
    crictl) echo "crictl=sigs.k8s.io/cri-tools/cmd/crictl" ;;
    # The pod sandbox image's only program (no registry is reachable, so the pause image is built here).
    pause) echo "pause=." ;;
    # An OCI registry on loopback (`crane registry serve`) and the client that pushes tags into it, for the
    # test of `npm run fleet -- releases` (no registry is reachable from these machines).
    crane) echo "crane=github.com/google/go-containerregistry/cmd/crane" ;;
    # Own main.go with only the factories the sidecar's config names (OTLP receiver, Prometheus and debug
    # exporters), every collector module at one release; see tools/BUILD-NOTES.md.
    otelcol) echo "otelcol=." ;;
    # What a platform team deploys OpenClaw with instead of this program: the bench's baseline (bench/helm/).
    helm) echo "helm=helm.sh/helm/v3/cmd/helm" ;;
  esac
}

# ldflags <component> <binary>: linker flags (versions are stamped the way upstream's release builds do).
ldflags() {
  local c="$1" b="$2" v flags="-s -w"
  case "$c" in
    k8s|kubenode)
      v="$(modver "$c" k8s.io/kubernetes)"
      local major="${v#v}" minor
      minor="${major#*.}"; minor="${minor%%.*}"; major="${major%%.*}"
      local p
      for p in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
        flags+=" -X $p.gitVersion=$v -X $p.gitMajor=$major -X $p.gitMinor=$minor -X $p.gitTreeState=clean"
      done ;;
    kwok)
      v="$(modver "$c" sigs.k8s.io/kwok)"
      flags+=" -X sigs.k8s.io/kwok/pkg/consts.Version=${v#v}" ;;
    pulumi)
      flags+=" -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$(modver "$c" github.com/pulumi/pulumi/pkg/v3)" ;;
    helm)
      flags+=" -X helm.sh/helm/v3/internal/version.version=$(modver "$c" helm.sh/helm/v3) -X helm.sh/helm/v3/internal/version.gitTreeState=clean" ;;
  esac
  echo "$flags"
}

# env_name <binary>: variable printed by --print-env (kube-apiserver -> KUBE_APISERVER).
env_name() { local n="${1//-/_}"; echo "${n^^}"; }

# modver <component> <module>: the version <module> is required at in tools/<component>/go.mod.
modver() {
  local v
  v="$(awk -v m="$2" '$1 == "require" && $2 == m { print $3; exit } $1 == m && $2 ~ /^v/ { print $2; exit }' \
    "$TOOLS_SRC/$1/go.mod")"
  [ -n "$v" ] || die "tools/$1/go.mod does not require $2"
  echo "$v"
}

comp_dir() {
  case "$1" in
    pause) echo "$TOOLS_CACHE/pause-$(stamp pause)" ;;  # no upstream module: versioned by its source
    *) echo "$TOOLS_CACHE/$1-$(modver "$1" "$(version_module "$1")")" ;;
  esac
}

# stamp <component>: hash of everything that determines the build output.
stamp() {
  local c="$1" b name
  {
    (cd "$TOOLS_SRC/$c" && find . -type f \( -name '*.go' -o -name 'go.mod' -o -name 'go.sum' -o -name '*.version' \
      -o -name '*.json' -o -name '*.yaml' \) -print0 | LC_ALL=C sort -z | xargs -0 sha256sum)
    for b in $(binaries "$c"); do name="${b%%=*}"; echo "$b $(ldflags "$c" "$name")"; done
  } | sha256sum | cut -c1-16
}

is_warm() {
  local c="$1" dir b
  dir="$(comp_dir "$c")"
  [ -f "$dir/.stamp" ] && [ "$(cat "$dir/.stamp")" = "$(stamp "$c")" ] || return 1
  for b in $(binaries "$c"); do [ -x "$dir/bin/${b%%=*}" ] || return 1; done
}

go_env() {
  if ! command -v go >/dev/null 2>&1; then
    if [ -x /usr/local/go/bin/go ]; then PATH="/usr/local/go/bin:$PATH"; else die "go not found (need Go >= 1.26)"; fi
  fi
  # Never let the go command fetch another toolchain (downloads are blocked); fail clearly instead.
  export GOTOOLCHAIN=local GOFLAGS="${GOFLAGS:-} -buildvcs=false" CGO_ENABLED="${CGO_ENABLED:-0}"
  local gv; gv="$(go env GOVERSION)"; gv="${gv#go}"
  local maj="${gv%%.*}" min="${gv#*.}"; min="${min%%.*}"
  { [ "$maj" -gt 1 ] || [ "$min" -ge 26 ]; } || die "go $gv is too old: the k8s/etcd/kwok modules need Go >= 1.26"
}

build() {
  local c="$1" dir tmp b name pkg t0
  dir="$(comp_dir "$c")"
  mkdir -p "$TOOLS_CACHE"
  # Leftovers of a build that was SIGKILLed (we hold this component's lock, so none is in progress).
  rm -rf "$TOOLS_CACHE/.tmp-$(basename "$dir")".*
  tmp="$(mktemp -d "$TOOLS_CACHE/.tmp-$(basename "$dir").XXXXXX")"
  # shellcheck disable=SC2064
  trap "rm -rf '$tmp'" EXIT
  mkdir -p "$tmp/bin"
  t0=$SECONDS
  log "building $(basename "$dir") (tools/$c) into $dir"
  for b in $(binaries "$c"); do
    name="${b%%=*}"; pkg="${b#*=}"
    log "  go build $name"
    (cd "$TOOLS_SRC/$c" && go build -trimpath -ldflags "$(ldflags "$c" "$name")" -o "$tmp/bin/$name" "$pkg")
  done
  stamp "$c" > "$tmp/.stamp"
  rm -rf "$dir.old"
  [ -e "$dir" ] && mv "$dir" "$dir.old"
  mv "$tmp" "$dir"
  rm -rf "$dir.old"
  trap - EXIT
  log "built $(basename "$dir") in $((SECONDS - t0))s"
}

# --- regeneration of the wrapper modules (maintainers; needs the module proxy) -------------------------
# local_replaces <go.mod file>: modules that upstream replaces with a directory inside its own repo.
local_replaces() {
  # Only modules that upstream also requires (etcd "replaces" go.etcd.io/etcd => ./FORBIDDEN_DEPENDENCY
  # to fail loudly on bad imports; that one must not be copied).
  awk '
    { sub(/\/\/.*/, ""); single = 0 }
    $1 == "require" && $2 == "(" { blk = "req"; next }
    $1 == "replace" && $2 == "(" { blk = "rep"; next }
    $1 == ")" { blk = ""; next }
    $1 == "require" { req[$2] = 1; next }
    $1 == "replace" { sub(/^[ \t]*replace[ \t]+/, ""); single = 1 }
    blk == "req" && NF >= 2 { req[$1] = 1; next }
    (blk == "rep" || single) && /=>/ {
      split($0, lr, "=>"); split(lr[1], l, " "); split(lr[2], r, " ")
      if (r[1] ~ /^\.\.?\//) loc[l[1]] = 1
    }
    END { for (m in loc) if (m in req) print m }
  ' "$1" | sort -u
}

upstream_gomod() { go mod download -json "$1@$2" | sed -n 's/^[ \t]*"GoMod": "\(.*\)",$/\1/p'; }

regen() {
  local c="$1" d="$TOOLS_SRC/$1" v sv m args=()
  mkdir -p "$d"
  case "$c" in
    k8s|kubenode)
      # kubenode follows tools/k8s's version unless K8S_VERSION says otherwise (one Kubernetes per machine).
      v="${K8S_VERSION:-$( [ -f "$TOOLS_SRC/k8s/go.mod" ] && modver k8s k8s.io/kubernetes || echo v1.36.3)}"
      sv="v0.${v#v1.}"   # staging modules are tagged v0.<minor>.<patch> for kubernetes v1.<minor>.<patch>
      rm -f "$d/go.mod" "$d/go.sum"
      (cd "$d" && go mod init "openclaw-fleet/tools/$c" >/dev/null 2>&1)
      for m in $(local_replaces "$(upstream_gomod k8s.io/kubernetes "$v")"); do args+=(-replace "$m=$m@$sv"); done
      [ "${#args[@]}" -gt 0 ] || die "found no staging replaces in k8s.io/kubernetes@$v's go.mod"
      for b in $(binaries "$c"); do args+=(-tool "${b#*=}"); done
      (cd "$d" && go mod edit -go=1.26.0 -godebug default=go1.26 -require "k8s.io/kubernetes@$v" "${args[@]}" \
        && go mod tidy) ;;
    cni|netpol|crictl|crane|helm)
      m="$(version_module "$c")"
      case "$c" in cni) v="${CNI_VERSION:-v1.10.0}" ;; netpol) v="${NETPOL_VERSION:-v0.8.0}" ;; crictl) v="${CRICTL_VERSION:-v1.36.0}" ;;
        crane) v="${CRANE_VERSION:-v0.22.1}" ;; helm) v="${HELM_VERSION:-v3.22.0}" ;; esac
      [ -f "$d/go.mod" ] && v="$(modver "$c" "$m")"
      rm -f "$d/go.mod" "$d/go.sum"
      (cd "$d" && go mod init "openclaw-fleet/tools/$c" >/dev/null 2>&1)
      for b in $(binaries "$c"); do args+=(-tool "${b#*=}"); done
      (cd "$d" && go mod edit -go=1.26.0 -require "$m@$v" "${args[@]}" && go mod tidy) ;;
    otelcol)
      # Own main.go; core at OTELCOL_VERSION, contrib's prometheusexporter at its patch release of the same
      # minor (v0.165.1 goes with core v0.165.0 / v1.71.0).
      v="${OTELCOL_VERSION:-$( [ -f "$d/go.mod" ] && modver otelcol go.opentelemetry.io/collector/otelcol || echo v0.165.0)}"
      sv="${OTELCOL_CONTRIB_VERSION:-$( [ -f "$d/go.mod" ] && modver otelcol github.com/open-telemetry/opentelemetry-collector-contrib/exporter/prometheusexporter || echo v0.165.1)}"
      rm -f "$d/go.mod" "$d/go.sum"
      (cd "$d" && go mod init openclaw-fleet/tools/otelcol >/dev/null 2>&1 &&
        go mod edit -go=1.26.0 -require "go.opentelemetry.io/collector/otelcol@$v" \
          -require "go.opentelemetry.io/collector/receiver/otlpreceiver@$v" \
          -require "go.opentelemetry.io/collector/exporter/debugexporter@$v" \
          -require "github.com/open-telemetry/opentelemetry-collector-contrib/exporter/prometheusexporter@$sv" && go mod tidy) ;;
    coredns|pause)
      # Own main.go: go.mod is written from its imports.
      v="${COREDNS_VERSION:-v1.15.0}"
      [ "$c" = coredns ] && [ -f "$d/go.mod" ] && v="$(modver coredns github.com/coredns/coredns)"
      rm -f "$d/go.mod" "$d/go.sum"
      (cd "$d" && go mod init "openclaw-fleet/tools/$c" >/dev/null 2>&1)
      (cd "$d" && go mod edit -go=1.26.0)
      [ "$c" = coredns ] && (cd "$d" && go mod edit -require "github.com/coredns/coredns@$v")
      (cd "$d" && go mod tidy) ;;
    etcd)
      v="${ETCD_VERSION:-$( [ -f "$d/go.mod" ] && modver etcd go.etcd.io/etcd/server/v3 || echo v3.6.16)}"
      rm -f "$d/go.mod" "$d/go.sum"
      (cd "$d" && go mod init openclaw-fleet/tools/etcd >/dev/null 2>&1)
      for m in $( { local_replaces "$(upstream_gomod go.etcd.io/etcd/server/v3 "$v")"
                    local_replaces "$(upstream_gomod go.etcd.io/etcd/etcdctl/v3 "$v")"; } | sort -u); do
        args+=(-replace "$m=$m@$v")
      done
      (cd "$d" && go mod edit -go=1.26.0 -require "go.etcd.io/etcd/server/v3@$v" -require "go.etcd.io/etcd/etcdctl/v3@$v" \
        "${args[@]}" -tool go.etcd.io/etcd/etcdctl/v3 && go mod tidy) ;;
    kwok)
      v="${KWOK_VERSION:-$( [ -f "$d/go.mod" ] && modver kwok sigs.k8s.io/kwok || echo v0.8.0)}"
      rm -f "$d/go.mod" "$d/go.sum"
      (cd "$d" && go mod init openclaw-fleet/tools/kwok >/dev/null 2>&1 &&
        go mod edit -go=1.26.0 -require "sigs.k8s.io/kwok@$v" -tool sigs.k8s.io/kwok/cmd/kwok \
          -tool sigs.k8s.io/kwok/cmd/kwokctl && go mod tidy) ;;
    pulumi)
      # pkg/v3's go.mod replaces sdk/v3 with ../sdk (the require already names the same version, so no
      # replace is needed) and atotto/clipboard with a fork (copied). sdk/v3's golang.org/x/text replace
      # is deliberately not copied.
      v="${PULUMI_VERSION:-$( [ -f "$d/go.mod" ] && modver pulumi github.com/pulumi/pulumi/pkg/v3 || echo v3.259.0)}"
      rm -f "$d/go.mod" "$d/go.sum"
      (cd "$d" && go mod init openclaw-fleet/tools/pulumi >/dev/null 2>&1)
      args=()
      while read -r m r; do [ -n "$m" ] && args+=(-replace "$m=$r"); done < <(
        awk '$1 == "replace" && $2 == "github.com/atotto/clipboard" && $3 == "=>" { print $2, $4 "@" $5 }' \
          "$(upstream_gomod github.com/pulumi/pulumi/pkg/v3 "$v")")
      (cd "$d" && go mod edit -go=1.25.11 -require "github.com/pulumi/pulumi/pkg/v3@$v" \
        -require "github.com/pulumi/pulumi/sdk/v3@$v" "${args[@]}" -tool github.com/pulumi/pulumi/pkg/v3/cmd/pulumi && go mod tidy) ;;
  esac
  log "regenerated tools/$c/go.mod and go.sum"
}

# --- main ----------------------------------------------------------------------------------------------
print_env=0 force=0 do_regen=0 comps=()
while [ $# -gt 0 ]; do
  case "$1" in
    --print-env) print_env=1 ;;
    --force) force=1 ;;
    --regen) do_regen=1 ;;
    --list) printf '%s\n' "${ALL_COMPONENTS[@]}"; exit 0 ;;
    --list-node) printf '%s\n' "${NODE_COMPONENTS[@]}"; exit 0 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    -*) die "unknown option $1" ;;
    *) version_module "$1" >/dev/null; comps+=("$1") ;;
  esac
  shift
done
[ "${#comps[@]}" -gt 0 ] || comps=("${ALL_COMPONENTS[@]}")

go_ready=0
if [ "$do_regen" = 1 ]; then
  go_env; go_ready=1
  for c in "${comps[@]}"; do regen "$c"; done
  exit 0
fi

for c in "${comps[@]}"; do
  [ -f "$TOOLS_SRC/$c/go.mod" ] || die "tools/$c/go.mod is missing"
  if [ "$force" = 1 ] || ! is_warm "$c"; then
    [ "$go_ready" = 1 ] || { go_env; go_ready=1; }
    mkdir -p "$TOOLS_CACHE"
    # One builder per component at a time (two CI steps or shells may race).
    exec 9>"$TOOLS_CACHE/.lock-$c"
    command -v flock >/dev/null 2>&1 && flock 9
    if [ "$force" = 1 ] || ! is_warm "$c"; then build "$c"; fi
    exec 9>&-
  fi
done

if [ "$print_env" = 1 ]; then
  path=""
  for c in "${comps[@]}"; do path+="$(comp_dir "$c")/bin:"; done
  # shellcheck disable=SC2016 # "$PATH" is expanded by the caller's eval
  printf 'export PATH=%q"$PATH"\n' "$path"
  printf 'export OPENCLAW_FLEET_CACHE=%q\n' "$CACHE_ROOT"
  for c in "${comps[@]}"; do
    for b in $(binaries "$c"); do printf 'export %s=%q\n' "$(env_name "${b%%=*}")" "$(comp_dir "$c")/bin/${b%%=*}"; done
  done
else
  for c in "${comps[@]}"; do echo "$(comp_dir "$c")/bin"; done
fi

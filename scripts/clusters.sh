#!/usr/bin/env bash
# Local Kubernetes clusters for tests and demos: N independent control planes (etcd, kube-apiserver,
# kube-controller-manager, kube-scheduler) plus a kwok controller that simulates one big node, all run as
# plain processes from the binaries scripts/build-tools.sh builds (nothing is downloaded), listening on
# 127.0.0.1 only.
#
# Usage:
#   scripts/clusters.sh up [N]     create/start clusters openclaw-local-1..N (default 2); harmless if up
#   scripts/clusters.sh up --real-node [N]   the same, plus a real node (kubelet, containerd) in cluster 1
#                                  (also with OPENCLAW_LOCAL_REAL_NODE=1; scripts/real-node.sh)
#   scripts/clusters.sh down       stop and delete every local cluster, its processes, ports and files
#                                  (and the real node first, restoring what it changed on the machine)
#   scripts/clusters.sh down I...  the same for clusters I... only (e.g. the extra ones a benchmark started)
#   scripts/clusters.sh status     list the clusters and whether their API servers answer
#   scripts/clusters.sh env        print `export KUBECONFIG=<merged kubeconfig>`
#   scripts/clusters.sh stop I     stop cluster I's control plane, keeping its state (an unreachable cluster)
#   scripts/clusters.sh start I    start it again and wait until its API server answers
#
# Each cluster has its own kubeconfig and context, named like the cluster:
#   ${OPENCLAW_FLEET_CACHE:-~/.cache/openclaw-fleet}/clusters/openclaw-local-1/kubeconfig   (context openclaw-local-1)
#   ${OPENCLAW_FLEET_CACHE:-~/.cache/openclaw-fleet}/clusters/kubeconfig                    (all contexts merged)
# ~/.kube/config is never touched.
#
# Every cluster has: one fake node `kwok-node-0` (32 CPU, 256Gi memory, 110 pods; no taint) on which pods
# become Running and Ready without running anything; a default StorageClass `standard` (kube-controller-
# manager's in-tree hostPath provisioner, Immediate binding, so PVCs bind at once; each PV is an empty
# directory under /tmp/hostpath_pv/ that `down` removes); and the namespace ingress-nginx.
#
# Environment: OPENCLAW_LOCAL_PREFIX (cluster name prefix, default openclaw-local),
# OPENCLAW_LOCAL_NODE_CPU / _MEMORY / _PODS (node capacity).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE_ROOT="${OPENCLAW_FLEET_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/openclaw-fleet}"
CLUSTERS_DIR="$CACHE_ROOT/clusters"
MERGED_KUBECONFIG="$CLUSTERS_DIR/kubeconfig"
PREFIX="${OPENCLAW_LOCAL_PREFIX:-openclaw-local}"
NODE_CPU="${OPENCLAW_LOCAL_NODE_CPU:-32}"
NODE_MEMORY="${OPENCLAW_LOCAL_NODE_MEMORY:-256Gi}"
NODE_PODS="${OPENCLAW_LOCAL_NODE_PODS:-110}"
# kwokctl keeps each cluster's state (pki, etcd data, logs, pid files) in $KWOK_WORKDIR/clusters/<name>.
export KWOK_WORKDIR="$CACHE_ROOT/kwok"
HOSTPATH_PV_DIR=/tmp/hostpath_pv

log() { printf 'clusters: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1fs", b - a }'; }

tools_env() {
  local env
  env="$("$ROOT/scripts/build-tools.sh" --print-env k8s etcd kwok)" || die "scripts/build-tools.sh failed"
  eval "$env"
}

# Clusters kwokctl knows about (with our prefix).
cluster_names() {
  [ -d "$KWOK_WORKDIR/clusters" ] || return 0
  local d
  for d in "$KWOK_WORKDIR/clusters/$PREFIX"-*; do [ -d "$d" ] && basename "$d"; done | sort -V
}

kwok_config() {
  # KwokctlConfiguration: binary runtime, local binaries only, everything bound to loopback.
  cat <<EOF
apiVersion: config.kwok.x-k8s.io/v1alpha1
kind: KwokctlConfiguration
options:
  runtime: binary
  bindAddress: 127.0.0.1
  quietPull: true
  kubeApiserverBinary: $KUBE_APISERVER
  kubeControllerManagerBinary: $KUBE_CONTROLLER_MANAGER
  kubeSchedulerBinary: $KUBE_SCHEDULER
  kubectlBinary: $KUBECTL
  etcdBinary: $ETCD
  etcdctlBinary: $ETCDCTL
  kwokControllerBinary: $KWOK
componentsPatches:
# A real node (scripts/real-node.sh) is reached on its InternalIP for logs and exec (its name resolves nowhere).
- name: kube-apiserver
  extraArgs:
  - key: kubelet-preferred-address-types
    value: InternalIP
# kwokctl runs kwok with --manage-all-nodes=true: it would also fake pod readiness and hold the lease of a real
# node (scripts/real-node.sh). Only nodes annotated as fake are kwok's (kwok-node-0 is).
- name: kwok-controller
  extraArgs:
  - key: manage-all-nodes
    value: "false"
  - key: manage-nodes-with-annotation-selector
    value: kwok.x-k8s.io/node=fake
- name: kube-controller-manager
  extraArgs:
  - key: enable-hostpath-provisioner
    value: "true"
EOF
}

cluster_objects() {
  cat <<EOF
apiVersion: v1
kind: Node
metadata:
  name: kwok-node-0
  annotations:
    kwok.x-k8s.io/node: fake
    node.alpha.kubernetes.io/ttl: "0"
  labels:
    kubernetes.io/arch: amd64
    kubernetes.io/hostname: kwok-node-0
    kubernetes.io/os: linux
    kubernetes.io/role: agent
    node-role.kubernetes.io/agent: ""
    type: kwok
status:
  allocatable: {cpu: "$NODE_CPU", memory: $NODE_MEMORY, pods: "$NODE_PODS", ephemeral-storage: 1Ti}
  capacity: {cpu: "$NODE_CPU", memory: $NODE_MEMORY, pods: "$NODE_PODS", ephemeral-storage: 1Ti}
  nodeInfo:
    architecture: amd64
    kubeletVersion: fake
    kubeProxyVersion: fake
    operatingSystem: linux
---
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: standard
  annotations:
    storageclass.kubernetes.io/is-default-class: "true"
provisioner: kubernetes.io/host-path
reclaimPolicy: Delete
volumeBindingMode: Immediate
allowVolumeExpansion: false
---
apiVersion: v1
kind: Namespace
metadata:
  name: ingress-nginx
EOF
}

write_kubeconfig() {
  local name="$1" dir="$CLUSTERS_DIR/$1" src="$KWOK_WORKDIR/clusters/$1/kubeconfig.yaml" tmp
  [ -f "$src" ] || { log "$1: kwokctl wrote no $src"; return 1; }
  mkdir -p "$dir"
  tmp="$(mktemp "$dir/.kubeconfig.XXXXXX")"
  # Self-contained copy (certificates embedded) whose cluster, user and context are all named $name.
  KUBECONFIG="$src" kubectl config view --raw --flatten -o json \
    | sed -e "s/\"kwok-$name\"/\"$name\"/g" > "$tmp.json"
  KUBECONFIG="$tmp.json" kubectl config view --raw > "$tmp"
  KUBECONFIG="$tmp" kubectl config use-context "$name" >/dev/null
  rm -f "$tmp.json"
  chmod 600 "$tmp"
  mv "$tmp" "$dir/kubeconfig"
}

write_merged_kubeconfig() {
  local files=() n
  for n in $(cluster_names); do [ -f "$CLUSTERS_DIR/$n/kubeconfig" ] && files+=("$CLUSTERS_DIR/$n/kubeconfig"); done
  if [ "${#files[@]}" -eq 0 ]; then rm -f "$MERGED_KUBECONFIG"; return; fi
  mkdir -p "$CLUSTERS_DIR"
  local IFS=: tmp
  tmp="$(mktemp "$CLUSTERS_DIR/.kubeconfig.XXXXXX")"
  KUBECONFIG="${files[*]}" kubectl config view --raw --flatten > "$tmp"
  chmod 600 "$tmp"
  mv "$tmp" "$MERGED_KUBECONFIG"
}

kc() { local name="$1"; shift; kubectl --kubeconfig "$CLUSTERS_DIR/$name/kubeconfig" --context "$name" "$@"; }

apiserver_ok() { kc "$1" get --raw /readyz >/dev/null 2>&1; }

# pids recorded by kwokctl for a cluster's components
cluster_pids() {
  local f
  for f in "$KWOK_WORKDIR/clusters/$1"/pids/*.pid; do [ -f "$f" ] && { cat "$f"; echo; }; done 2>/dev/null || true
}

# kwokctl_run <cluster> <args...>: runs kwokctl with its (JSON) log in $CLUSTERS_DIR/<cluster>/kwokctl.log,
# shown on failure. fds 8 and 9 (the locks) are closed so the component processes kwokctl spawns never hold them.
kwokctl_run() {
  local name="$1" logf; shift
  mkdir -p "$CLUSTERS_DIR/$name"
  logf="$CLUSTERS_DIR/$name/kwokctl.log"
  if ! kwokctl "$@" >>"$logf" 2>&1 8>&- 9>&-; then
    log "$name: kwokctl $1 $2 failed; last lines of $logf (component logs: $KWOK_WORKDIR/clusters/$name/logs):"
    tail -n 20 "$logf" >&2
    return 1
  fi
}

# ours <pid> <cluster>: the pid is alive and is one of this cluster's components (guards against pid reuse).
ours() { tr '\0' ' ' 2>/dev/null < "/proc/$1/cmdline" | grep -qF -- "$KWOK_WORKDIR/clusters/$2/"; }

up_one() {
  local name="$1" t0 conf
  t0="$(now)"
  if [ -d "$KWOK_WORKDIR/clusters/$name" ]; then
    [ -f "$CLUSTERS_DIR/$name/kubeconfig" ] || write_kubeconfig "$name" 2>/dev/null || true
    if [ -f "$CLUSTERS_DIR/$name/kubeconfig" ] && apiserver_ok "$name"; then
      log "$name: already running"
      return 0
    fi
    # Stopped (machine restart, killed processes) or half-created: these clusters are disposable, so
    # recreate it rather than trust `kwokctl start` with stale pid files.
    log "$name: exists but does not answer, recreating it"
    down_one "$name"
  fi
  log "$name: creating"
  conf="$(mktemp "${TMPDIR:-/tmp}/openclaw-kwokctl.XXXXXX")"
  kwok_config > "$conf"
  # kwokctl gives each component the first free port counting down from 32767, and the component binds it only
  # later: two caches creating clusters at once (the e2e shards, another engineer's clusters) can pick the same
  # port, and one cluster's kubeconfig then reaches the other's API server. One creation at a time on the machine,
  # until the new API server answers.
  exec 9>"${TMPDIR:-/tmp}/openclaw-fleet-kwokctl-create.lock"
  if command -v flock >/dev/null 2>&1; then flock -w 600 9 || die "another cluster's creation holds ${TMPDIR:-/tmp}/openclaw-fleet-kwokctl-create.lock"; fi
  kwokctl_run "$name" create cluster --name "$name" --config "$conf" --kubeconfig "" --wait 2m || { rm -f "$conf"; exit 1; }
  exec 9>&-
  rm -f "$conf"
  write_kubeconfig "$name"
  cluster_objects | kc "$name" apply -f - >/dev/null
  # The Prometheus Operator's ServiceMonitor and PrometheusRule CRDs (no operator runs): the cluster tests apply the
  # program's monitoring objects against their real schema. Server-side: the CRDs exceed the last-applied annotation.
  local crd
  for crd in $("$ROOT/scripts/prometheus-operator-crds.sh"); do kc "$name" apply --server-side --field-manager=openclaw-fleet-clusters -f "$crd" >/dev/null; done
  kc "$name" wait --for=condition=Ready node/kwok-node-0 --timeout=120s >/dev/null
  log "$name: ready in $(elapsed "$t0") ($(kc "$name" config view --minify -o jsonpath='{.clusters[0].cluster.server}'))"
}

cmd_up() {
  local real_node="${OPENCLAW_LOCAL_REAL_NODE:-}"
  if [ "${1:-}" = --real-node ]; then real_node=1; shift; fi
  local n="${1:-2}" i t0
  if ! [[ "$n" =~ ^[0-9]+$ ]] || [ "$n" -lt 1 ]; then die "up: N must be a positive number"; fi
  t0="$(now)"
  tools_env
  mkdir -p "$CLUSTERS_DIR" "$KWOK_WORKDIR"
  for i in $(seq 1 "$n"); do up_one "$PREFIX-$i"; done
  write_merged_kubeconfig
  if [ "$real_node" = 1 ]; then "$ROOT/scripts/real-node.sh" up 8>&- || die "the real node did not come up (scripts/real-node.sh status)"; fi
  log "up: $n cluster(s) ready in $(elapsed "$t0"); contexts: $(KUBECONFIG="$MERGED_KUBECONFIG" kubectl config get-contexts -o name | tr '\n' ' ')"
  echo "export KUBECONFIG=$MERGED_KUBECONFIG"
}

down_one() {
  local name="$1" pids paths p t0
  t0="$(now)"
  pids="$(cluster_pids "$name")"
  paths=""
  if [ -f "$CLUSTERS_DIR/$name/kubeconfig" ] && apiserver_ok "$name"; then
    # Directories the hostPath provisioner created for this cluster's PVs.
    paths="$(kc "$name" get pv -o jsonpath='{range .items[*]}{.spec.hostPath.path}{"\n"}{end}' 2>/dev/null || true)"
  fi
  # kwokctl delete refuses an empty --kubeconfig; give it a file of its own so ~/.kube/config is untouched.
  kwokctl_run "$name" delete cluster --name "$name" --kubeconfig "$CLUSTERS_DIR/$name/kwokctl-kubeconfig" \
    || log "$name: kwokctl delete cluster failed, stopping its processes by pid"
  # kwokctl SIGKILLs the components it recorded; make sure (TERM, then KILL after 10s) nothing survives.
  local alive left
  for p in $pids; do ours "$p" "$name" && { kill "$p" 2>/dev/null || true; }; done
  for _ in $(seq 1 20); do
    alive=""; for p in $pids; do ours "$p" "$name" && alive+=" $p"; done
    [ -z "$alive" ] && break
    sleep 0.5
  done
  if [ -n "$alive" ]; then log "$name: killing pids$alive"; for p in $alive; do kill -9 "$p" 2>/dev/null || true; done; fi
  left="$(pgrep -f -- "$KWOK_WORKDIR/clusters/$name/" || true)"
  [ -z "$left" ] || log "$name: warning: processes still running from its workdir: ${left//$'\n'/ }"
  for p in $paths; do
    case "$p" in "$HOSTPATH_PV_DIR"/?*) rm -rf -- "$p" ;; esac
  done
  rmdir "$HOSTPATH_PV_DIR" 2>/dev/null || true
  rm -rf -- "${KWOK_WORKDIR:?}/clusters/$name" "${CLUSTERS_DIR:?}/$name"
  log "$name: deleted in $(elapsed "$t0")"
}

cmd_down() {
  local names n t0 index
  t0="$(now)"
  names="$(cluster_names)"
  if [ "$#" -gt 0 ]; then
    names=""
    for index in "$@"; do
      [[ "$index" =~ ^[0-9]+$ ]] || die "down: give cluster numbers, e.g. down 3 4"
      [ -d "$KWOK_WORKDIR/clusters/$PREFIX-$index" ] && names+="$PREFIX-$index "
    done
  fi
  if [ -z "$names" ]; then log "down: no local clusters"; fi
  if [ -n "$names" ]; then tools_env; fi
  # The real node lives in cluster 1: it goes first (its pods' mounts and network), whenever cluster 1 goes.
  if [ -d "$CACHE_ROOT/real-node" ] && { [ "$#" -eq 0 ] || [[ " $* " == *" 1 "* ]]; }; then
    "$ROOT/scripts/real-node.sh" down 8>&- || log "warning: scripts/real-node.sh down failed"
  fi
  for n in $names; do down_one "$n"; done
  write_merged_kubeconfig
  rmdir "$KWOK_WORKDIR/clusters" "$KWOK_WORKDIR" 2>/dev/null || true
  rmdir "$CLUSTERS_DIR" 2>/dev/null || true
  log "down: done in $(elapsed "$t0")"
}

cmd_status() {
  local names n state server nodes
  names="$(cluster_names)"
  if [ -z "$names" ]; then echo "no local clusters (scripts/clusters.sh up)"; return 0; fi
  tools_env
  printf '%-22s %-8s %-28s %s\n' CONTEXT STATE SERVER NODES
  for n in $names; do
    server="-" nodes="-" state=down
    if [ -f "$CLUSTERS_DIR/$n/kubeconfig" ]; then
      server="$(kc "$n" config view --minify -o jsonpath='{.clusters[0].cluster.server}')"
      if apiserver_ok "$n"; then
        state=up
        nodes="$(kc "$n" get nodes --no-headers 2>/dev/null | awk '{ printf "%s%s(%s)", sep, $1, $2; sep=" " }')"
      fi
    fi
    printf '%-22s %-8s %-28s %s\n' "$n" "$state" "$server" "$nodes"
  done
  [ -f "$MERGED_KUBECONFIG" ] && echo "KUBECONFIG=$MERGED_KUBECONFIG"
}

# stop/start <index>: the cluster's processes go away (connections refused) and come back with the same
# etcd data, certificates and ports: what the end-to-end tests use for "one cluster unreachable".
cmd_stop_start() {
  local command="$1" index="${2:-}" name
  [[ "$index" =~ ^[0-9]+$ ]] || die "$command: give the cluster's number, e.g. $command 2"
  name="$PREFIX-$index"
  [ -d "$KWOK_WORKDIR/clusters/$name" ] || die "$command: no cluster $name (scripts/clusters.sh up)"
  tools_env
  if [ "$command" = stop ] && apiserver_ok "$name"; then
    # kwok simulates the node's kubelet and holds its Lease. A restarted kwok finds the old holder's Lease,
    # fails to create its own ("already exists") and never manages the node again: pods stay Terminating and
    # rollouts never finish. So stop kwok first, then remove its Lease while the API server still answers.
    local pidfile="$KWOK_WORKDIR/clusters/$name/pids/kwok-controller.pid" pid
    if [ -f "$pidfile" ]; then
      pid="$(cat "$pidfile")"
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    fi
    kc "$name" -n kube-node-lease delete lease --all --wait=false >/dev/null 2>&1 || true
  fi
  kwokctl_run "$name" "$command" cluster --name "$name"
  if [ "$command" = start ]; then
    for _ in $(seq 1 120); do apiserver_ok "$name" && break; sleep 0.5; done
    apiserver_ok "$name" || die "start: $name's API server does not answer"
  fi
  log "$name: ${command/stop/stopp}ed"
}

# One up/down at a time.
lock() {
  mkdir -p "$CACHE_ROOT"
  exec 8>"$CACHE_ROOT/clusters.lock"
  if command -v flock >/dev/null 2>&1; then flock -w 600 8 || die "another clusters.sh up/down holds $CACHE_ROOT/clusters.lock"; fi
}

case "${1:-}" in
  up) shift; lock; cmd_up "$@" ;;
  down) shift; lock; cmd_down "$@" ;;
  status) cmd_status ;;
  env) echo "export KUBECONFIG=$MERGED_KUBECONFIG" ;;
  stop|start) lock; cmd_stop_start "$@" ;;
  -h|--help|help|"") sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//' ;;
  *) die "unknown command '$1' (up [N] | down [I...] | status | env | stop I | start I)" ;;
esac

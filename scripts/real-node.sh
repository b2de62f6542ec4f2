#!/usr/bin/env bash
# A real node for local cluster 1: containerd (Debian's package) with runc (Debian's), the CNI plugins bridge,
# host-local, loopback and portmap, a kubelet, kube-proxy (nftables mode) and cluster DNS (CoreDNS as a pod),
# all built by scripts/build-tools.sh from the Go module proxy; images built offline by scripts/images.sh.
# Pods run for real here, unlike on the kwok node, which stays for scale work.
#
# Usage (normally through `OPENCLAW_LOCAL_REAL_NODE=1 scripts/clusters.sh up`, or `clusters.sh up --real-node`):
#   scripts/real-node.sh up        join the node to cluster 1 (which must be up); harmless if already joined
#   scripts/real-node.sh down      stop everything and restore the machine (called by `clusters.sh down`)
#   scripts/real-node.sh status    whether the node runs and is Ready
#   scripts/real-node.sh preflight [--install]  fail at once naming what this machine lacks to run containers
#                                  (--install: first install Debian's containerd, runc and nftables if missing)
#   scripts/real-node.sh images    build (cached) and import the OpenClaw images and the pause image
#
# The node is `real-node-0`, labelled openclaw-fleet/node=real and tainted openclaw-fleet/real-node=true:NoSchedule
# so that only pods that ask for it land there (a gateway: `nodeSelector` + `tolerations`, docs/testing.md).
# Its address 10.88.0.1 is on a bridge this script creates (ocfbr0, the pods' CNI bridge; the kernel here has no
# dummy interface); pods get 10.88.0.0/16. Everything stays on that bridge, loopback and the pods' namespaces.
#
# Only ONE real node can run on a machine: containerd's shims use /run/containerd/{s,fifo}, the kubelet
# /var/lib/kubelet/device-plugins, CNI /var/lib/cni, cgroups */kubepods. `up` refuses when another is there.
#
# `down` restores what `up` changed: processes (containerd, shims, kubelet, kube-proxy, pods), mounts (the
# kubelet's and containerd's, pod network namespaces), interfaces, nftables tables, cgroups, and the sysctls
# the kubelet, kube-proxy and the bridge set (their values before `up` are saved in the state directory).
#
# Environment: OPENCLAW_LOCAL_PREFIX (as clusters.sh), OPENCLAW_REAL_NODE_IMAGES (OpenClaw versions to import,
# default: the pinned one and the one before it, from components/config/versions.ts).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE_ROOT="${OPENCLAW_FLEET_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/openclaw-fleet}"
PREFIX="${OPENCLAW_LOCAL_PREFIX:-openclaw-local}"
CLUSTER="$PREFIX-1"
KUBECONFIG_FILE="$CACHE_ROOT/clusters/$CLUSTER/kubeconfig"
# Host-wide lock and marker: one real node per machine, whoever's cache it lives in.
MACHINE_MARK=/run/openclaw-fleet-real-node
RN="$CACHE_ROOT/real-node"
NODE_NAME=real-node-0
BRIDGE_IF=ocfbr0
NODE_IP=10.88.0.1
POD_CIDR=10.88.0.0/16
CNI_NETWORK=openclaw-real-node
SOCK="$RN/containerd/containerd.sock"
# Sysctls the kubelet (setupKernelTunables), the bridge plugin and kube-proxy may write.
SYSCTLS="vm.overcommit_memory vm.panic_on_oom kernel.panic kernel.panic_on_oops kernel.keys.root_maxkeys
kernel.keys.root_maxbytes net.ipv4.ip_forward net.ipv4.conf.all.route_localnet net.bridge.bridge-nf-call-iptables
net.bridge.bridge-nf-call-ip6tables net.ipv6.conf.all.forwarding"

log() { printf 'real-node: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1fs", b - a }'; }

kc() { kubectl --kubeconfig "$KUBECONFIG_FILE" --context "$CLUSTER" "$@"; }

tools() {
  local env
  env="$("$ROOT/scripts/build-tools.sh" --print-env k8s kubenode cni crictl coredns)" || die "scripts/build-tools.sh failed"
  eval "$env"
  CNI_BIN="$(dirname "$HOST_LOCAL")"   # tools/cni-<v>/bin (HOST_LOCAL, from --print-env, is one plugin)
}

# --- preflight: what running containers needs here, checked before anything changes ----------------------
cmd_preflight() {
  local missing=() f
  [ "$(id -u)" = 0 ] || missing+=("root (the kubelet and containerd need it)")
  for f in containerd containerd-shim-runc-v2 ctr runc nft ip; do command -v "$f" >/dev/null 2>&1 || missing+=("the $f command"); done
  grep -qw overlay /proc/filesystems || missing+=("the overlay filesystem (containerd's snapshotter)")
  [ -d /sys/fs/cgroup/memory ] || [ -f /sys/fs/cgroup/cgroup.controllers ] || missing+=("the memory cgroup")
  [ -d /sys/fs/cgroup/cpu ] || [ -f /sys/fs/cgroup/cgroup.controllers ] || missing+=("the cpu cgroup")
  # CAP_SYS_ADMIN (bit 21: mounts, namespaces) and CAP_NET_ADMIN (bit 12: interfaces, nftables) are required;
  # CAP_SYS_RESOURCE (bit 24) is not: containerd is told not to lower OOM scores (restrict_oom_score_adj).
  local bnd; bnd=$((16#$(awk '/^CapEff/ { print $2 }' /proc/self/status)))
  (( bnd >> 21 & 1 )) || missing+=("capability CAP_SYS_ADMIN")
  (( bnd >> 12 & 1 )) || missing+=("capability CAP_NET_ADMIN")
  if [ "${#missing[@]}" -gt 0 ] && [ "$(id -u)" = 0 ] && [ "${1:-}" = --install ]; then
    log "installing Debian's containerd, runc and nftables"
    # A new machine's package lists may be empty or old: update once, then install.
    apt-get update -qq >/dev/null 2>&1 || true
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq containerd runc nftables iproute2 >/dev/null 2>&1 || true
    missing=(); cmd_preflight; return
  fi
  if [ "${#missing[@]}" -gt 0 ]; then
    log "this machine cannot run containers; missing:"
    printf '  - %s\n' "${missing[@]}" >&2
    exit 2
  fi
  # The system package's service must not own /run/containerd (the shims' fixed paths).
  if pgrep -x containerd >/dev/null 2>&1 && [ ! -f "$RN/containerd.pid" ]; then
    die "a containerd not started by this script runs (pid $(pgrep -x containerd | head -1)); the real node needs /run/containerd to itself"
  fi
}

# --- images -------------------------------------------------------------------------------------------
openclaw_versions() {
  if [ -n "${OPENCLAW_REAL_NODE_IMAGES:-}" ]; then echo "$OPENCLAW_REAL_NODE_IMAGES"; return; fi
  local pinned
  pinned="$(sed -n 's/^export const OPENCLAW_VERSION = "\(.*\)";$/\1/p' "$ROOT/components/config/versions.ts")"
  [ -n "$pinned" ] || die "no OPENCLAW_VERSION in components/config/versions.ts"
  echo "$(previous_version "$pinned") $pinned"
}

# previous_version 2026.9.6 -> 2026.9.5: the release before the pinned one (the upgrade scenarios' "old" image).
previous_version() {
  local v="$1" last="${1##*.}"
  [ "$last" -gt 0 ] || die "cannot derive the release before $v; set OPENCLAW_REAL_NODE_IMAGES"
  echo "${v%.*}.$((last - 1))"
}

import_image() {
  local tar="$1" ref
  ref="$(cat "$(dirname "$tar")/ref")"
  if ctr -a "$SOCK" -n k8s.io images ls -q 2>/dev/null | grep -qxF "$ref" &&
     [ "$(ctr -a "$SOCK" -n k8s.io images ls "name==$ref" 2>/dev/null | awk 'NR == 2 { print $3 }')" = "$(cat "$(dirname "$tar")/digest")" ]; then
    return 0
  fi
  ctr -a "$SOCK" -n k8s.io images import --no-unpack=false "$tar" >/dev/null
  log "imported $ref ($(cat "$(dirname "$tar")/digest"))"
}

cmd_images() {
  local v
  [ -S "$SOCK" ] || die "containerd is not running (scripts/real-node.sh up)"
  local tar
  for v in pause coredns $(openclaw_versions); do
    case "$v" in pause|coredns) tar="$("$ROOT/scripts/images.sh" "$v")" ;; *) tar="$("$ROOT/scripts/images.sh" openclaw "$v")" ;; esac \
      || die "scripts/images.sh could not build the $v image"
    [ -f "$tar" ] || die "scripts/images.sh printed no image for $v"
    import_image "$tar"
  done
}

# --- configuration files ------------------------------------------------------------------------------
write_configs() {
  local pause_ref="$1" dns_ip="$2"
  mkdir -p "$RN"/{containerd,cni/net.d,cni/networks,kubelet,logs}
  cat > "$RN/containerd/config.toml" <<EOF
version = 2
root = "$RN/containerd/root"
state = "$RN/containerd/state"
[grpc]
  address = "$SOCK"
[ttrpc]
  address = "$SOCK.ttrpc"
[debug]
  address = ""
[metrics]
  address = ""
[plugins."io.containerd.internal.v1.opt"]
  path = "$RN/containerd/opt"
[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "$pause_ref"
  # Root here lacks CAP_SYS_RESOURCE: the negative OOM scores the CRI asks for would make every runc create fail.
  restrict_oom_score_adj = true
  stream_server_address = "127.0.0.1"
  stream_server_port = "0"
  enable_cdi = false
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "$CNI_BIN"
    conf_dir = "$RN/cni/net.d"
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        SystemdCgroup = false
EOF
  # No iptables binary here: portmap writes nftables; no masquerade (pods reach only this machine).
  cat > "$RN/cni/net.d/10-openclaw.conflist" <<EOF
{"cniVersion": "1.0.0", "name": "$CNI_NETWORK", "plugins": [
  {"type": "bridge", "bridge": "$BRIDGE_IF", "isGateway": true, "ipMasq": false, "hairpinMode": true,
   "ipam": {"type": "host-local", "dataDir": "$RN/cni/networks",
            "ranges": [[{"subnet": "$POD_CIDR", "rangeStart": "10.88.0.10", "gateway": "$NODE_IP"}]],
            "routes": [{"dst": "0.0.0.0/0"}]}},
  {"type": "portmap", "capabilities": {"portMappings": true}, "backend": "nftables"}
]}
EOF
  printf 'nameserver %s\n' "$NODE_IP" > "$RN/kubelet/resolv.conf"
  cat > "$RN/kubelet/config.yaml" <<EOF
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
# cgroup v1 here: refused by default since 1.35.
failCgroupV1: false
cgroupDriver: cgroupfs
failSwapOn: false
containerRuntimeEndpoint: unix://$SOCK
address: $NODE_IP
port: 10250
readOnlyPort: 0
healthzBindAddress: 127.0.0.1
healthzPort: 0
# The API server reaches the kubelet (logs, exec) on the node's address on the bridge; nothing else can.
authentication: {anonymous: {enabled: true}, webhook: {enabled: false}}
authorization: {mode: AlwaysAllow}
clusterDomain: cluster.local
clusterDNS: [$dns_ip]
resolvConf: $RN/kubelet/resolv.conf
maxPods: 30
serializeImagePulls: false
imageGCHighThresholdPercent: 100
evictionHard: {memory.available: 100Mi, nodefs.available: 1%, imagefs.available: 1%}
registerWithTaints:
- {key: openclaw-fleet/real-node, value: "true", effect: NoSchedule}
EOF
  cat > "$RN/kube-proxy.yaml" <<EOF
apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
mode: nftables
hostnameOverride: $NODE_NAME
clusterCIDR: $POD_CIDR
clientConnection: {kubeconfig: $KUBECONFIG_FILE}
bindAddress: 127.0.0.1
healthzBindAddress: 127.0.0.1:10256
metricsBindAddress: 127.0.0.1:10249
nodePortAddresses: [$NODE_IP/32]
# Leave the machine's conntrack sysctls alone.
conntrack: {maxPerCore: 0, min: 0, tcpEstablishedTimeout: 0s, tcpCloseWaitTimeout: 0s}
EOF
}

# --- processes ----------------------------------------------------------------------------------------
# start <name> <cmd...>: a daemon in its own session, log in $RN/logs/<name>.log, pid in $RN/<name>.pid.
start() {
  local name="$1"; shift
  setsid "$@" >>"$RN/logs/$name.log" 2>&1 < /dev/null 8>&- 9>&- &
  echo $! > "$RN/$name.pid"
}

alive() { [ -f "$RN/$1.pid" ] && kill -0 "$(cat "$RN/$1.pid")" 2>/dev/null; }

stop() {
  local name="$1" pid
  [ -f "$RN/$name.pid" ] || return 0
  pid="$(cat "$RN/$name.pid")"
  if kill -0 "$pid" 2>/dev/null; then
    # start() made it a session (and process group) leader: the group holds what it spawned itself.
    kill -- "-$pid" 2>/dev/null || kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    kill -0 "$pid" 2>/dev/null && { kill -9 -- "-$pid" 2>/dev/null || kill -9 "$pid" 2>/dev/null || true; }
  fi
  rm -f "$RN/$name.pid"
}

wait_for() {
  local what="$1" seconds="$2"; shift 2
  for _ in $(seq 1 $((seconds * 2))); do "$@" >/dev/null 2>&1 && return 0; sleep 0.5; done
  return 1
}

fail_with_log() { log "$1; last lines of $RN/logs/$2.log:"; tail -n 25 "$RN/logs/$2.log" >&2; exit 1; }

# --- claims -------------------------------------------------------------------------------------------
# hostPath volumes ignore fsGroup, and kube-controller-manager's hostPath provisioner makes each PV directory
# root-owned 0750, so a pod running as UID 1000 could not write its claim. This watcher opens each new PV
# directory of the cluster (0777, as local-path-provisioner does), which is what fsGroup does on a real disk.
cmd_pv_permissions() {
  local path
  while true; do
    kc get pv --watch -o jsonpath='{.spec.hostPath.path}{"\n"}' 2>/dev/null | while read -r path; do
      # The directory may appear just after its PV, or be gone already (a deleted claim): neither may stop the watcher.
      case "$path" in /tmp/hostpath_pv/?*) for _ in 1 2 3 4 5; do if [ -d "$path" ]; then chmod 0777 "$path" || true; break; fi; sleep 1; done ;; esac
    done || true # a watch the API server ends is started again
    sleep 1
  done
}

# --- DNS ----------------------------------------------------------------------------------------------
# CoreDNS as a pod of kube-system labelled k8s-app=kube-dns behind the Service kube-dns (what the gateway's
# NetworkPolicy and the kubelet's clusterDNS expect). It uses the host network: pods cannot reach the API server,
# which listens on 127.0.0.1 only. It reads the API with a ServiceAccount token (view-only RBAC).
dns_objects() {
  local dns_ip="$1" ref="$2" server ca token
  server="$(kc config view --minify --raw -o jsonpath='{.clusters[0].cluster.server}')"
  ca="$(kc config view --minify --raw -o jsonpath='{.clusters[0].cluster.certificate-authority-data}')"
  token="$(kc -n kube-system create token coredns --duration 168h)"
  cat <<EOF
apiVersion: v1
kind: Secret
metadata: {name: coredns-kubeconfig, namespace: kube-system}
type: Opaque
stringData:
  kubeconfig: |
    apiVersion: v1
    kind: Config
    clusters: [{name: local, cluster: {server: "$server", certificate-authority-data: "$ca"}}]
    users: [{name: coredns, user: {token: "$token"}}]
    contexts: [{name: local, context: {cluster: local, user: coredns}}]
    current-context: local
---
apiVersion: v1
kind: ConfigMap
metadata: {name: coredns, namespace: kube-system}
data:
  Corefile: |
    .:53 {
      errors
      health 127.0.0.1:18180
      ready 127.0.0.1:18181
      kubernetes cluster.local in-addr.arpa ip6.arpa {
        kubeconfig /etc/coredns/kubeconfig local
        pods insecure
        fallthrough in-addr.arpa ip6.arpa
      }
      cache 30
      loop
    }
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: coredns, namespace: kube-system, labels: {k8s-app: kube-dns}}
spec:
  replicas: 1
  selector: {matchLabels: {k8s-app: kube-dns}}
  template:
    metadata: {labels: {k8s-app: kube-dns}}
    spec:
      hostNetwork: true
      dnsPolicy: Default
      nodeSelector: {openclaw-fleet/node: real}
      tolerations: [{key: openclaw-fleet/real-node, operator: Exists, effect: NoSchedule}]
      containers:
      - name: coredns
        image: $ref
        imagePullPolicy: Never
        args: [-conf, /etc/coredns/Corefile, -dns.port, "53"]
        resources: {requests: {cpu: 20m, memory: 32Mi}, limits: {memory: 128Mi}}
        readinessProbe: {httpGet: {host: 127.0.0.1, path: /ready, port: 18181}, periodSeconds: 2}
        volumeMounts:
        - {name: corefile, mountPath: /etc/coredns/Corefile, subPath: Corefile, readOnly: true}
        - {name: kubeconfig, mountPath: /etc/coredns/kubeconfig, subPath: kubeconfig, readOnly: true}
      volumes:
      - {name: corefile, configMap: {name: coredns}}
      - {name: kubeconfig, secret: {secretName: coredns-kubeconfig}}
---
apiVersion: v1
kind: Service
metadata: {name: kube-dns, namespace: kube-system, labels: {k8s-app: kube-dns}}
spec:
  clusterIP: $dns_ip
  selector: {k8s-app: kube-dns}
  ports:
  - {name: dns, port: 53, protocol: UDP, targetPort: 53}
  - {name: dns-tcp, port: 53, protocol: TCP, targetPort: 53}
EOF
}

dns_rbac() {
  cat <<EOF
apiVersion: v1
kind: ServiceAccount
metadata: {name: coredns, namespace: kube-system}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: openclaw-local:coredns}
rules:
- {apiGroups: [""], resources: [services, pods, namespaces, endpoints], verbs: [list, watch]}
- {apiGroups: [discovery.k8s.io], resources: [endpointslices], verbs: [list, watch]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: openclaw-local:coredns}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: openclaw-local:coredns}
subjects: [{kind: ServiceAccount, name: coredns, namespace: kube-system}]
EOF
}

# The cluster DNS address: the tenth address of the API server's service range (as kubeadm does).
dns_ip() {
  local ip
  ip="$(kc -n default get service kubernetes -o jsonpath='{.spec.clusterIP}')"
  echo "${ip%.*}.10"
}

# --- up -----------------------------------------------------------------------------------------------
save_machine_state() {
  [ -f "$RN/saved/sysctl" ] && return 0
  mkdir -p "$RN/saved"
  local s
  for s in $SYSCTLS; do
    [ -e "/proc/sys/${s//.//}" ] && echo "$s=$(cat "/proc/sys/${s//.//}")"
  done > "$RN/saved/sysctl.tmp"
  nft list tables 2>/dev/null | awk '{ print $2, $3 }' > "$RN/saved/nft-tables"
  ls /run/netns 2>/dev/null > "$RN/saved/netns" || true
  [ -d /run/netns ] && echo /run/netns > "$RN/saved/netns-dir" || : > "$RN/saved/netns-dir"
  [ -d /var/lib/kubelet ] && echo /var/lib/kubelet > "$RN/saved/kubelet-dir" || : > "$RN/saved/kubelet-dir"
  for d in /sys/fs/cgroup/*/kubepods /sys/fs/cgroup/*/k8s.io; do [ -d "$d" ] && echo "$d"; done > "$RN/saved/cgroups" || true
  [ -d /run/containerd ] && echo /run/containerd > "$RN/saved/run-containerd" || : > "$RN/saved/run-containerd"
  mv "$RN/saved/sysctl.tmp" "$RN/saved/sysctl"
}

node_ready() { [ "$(kc get node "$NODE_NAME" -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}' 2>/dev/null)" = True ]; }

cmd_up() {
  local t0 pause_ref dns_ip coredns_ref
  t0="$(now)"
  [ -f "$KUBECONFIG_FILE" ] && kc get --raw /readyz >/dev/null 2>&1 || die "cluster $CLUSTER is not up (scripts/clusters.sh up)"
  cmd_preflight --install
  if [ -f "$MACHINE_MARK" ] && [ "$(cat "$MACHINE_MARK")" != "$RN" ]; then
    die "another real node runs on this machine (state in $(cat "$MACHINE_MARK")); one per machine"
  fi
  tools
  if alive containerd && alive kubelet && alive kube-proxy && node_ready; then log "$NODE_NAME already running"; return 0; fi
  if [ -d "$RN" ] && [ -f "$RN/saved/sysctl" ]; then log "a previous node left state; taking it down first"; cmd_down; fi
  mkdir -p "$RN"; echo "$RN" > "$MACHINE_MARK"
  save_machine_state
  log "building the pause, CoreDNS and OpenClaw images (cached)"
  pause_ref="$(cat "$(dirname "$("$ROOT/scripts/images.sh" pause)")/ref")"
  dns_ip="$(dns_ip)"
  write_configs "$pause_ref" "$dns_ip"
  # The node's address lives on the pods' bridge, created here so the kubelet can bind it before any pod.
  ip link show "$BRIDGE_IF" >/dev/null 2>&1 || ip link add "$BRIDGE_IF" type bridge
  ip addr replace "$NODE_IP/16" dev "$BRIDGE_IF"
  ip link set "$BRIDGE_IF" up

  start containerd containerd --config "$RN/containerd/config.toml"
  wait_for containerd 30 ctr -a "$SOCK" version || fail_with_log "containerd did not answer on $SOCK" containerd
  cmd_images

  # The API server answers already (checked above): a kubelet started before it stays NotReady.
  start kubelet "$KUBELET" --config "$RN/kubelet/config.yaml" --kubeconfig "$KUBECONFIG_FILE" \
    --root-dir "$RN/kubelet/root" --cert-dir "$RN/kubelet/pki" --hostname-override "$NODE_NAME" --node-ip "$NODE_IP" \
    --node-labels "openclaw-fleet/node=real"
  wait_for kubelet 90 node_ready || fail_with_log "$NODE_NAME did not become Ready" kubelet
  start pv-permissions "$ROOT/scripts/real-node.sh" pv-permissions
  start kube-proxy "$KUBE_PROXY" --config "$RN/kube-proxy.yaml"
  wait_for kube-proxy 60 nft list table ip kube-proxy || fail_with_log "kube-proxy wrote no nftables table" kube-proxy

  coredns_ref="$(cat "$(dirname "$("$ROOT/scripts/images.sh" coredns)")/ref")"
  dns_rbac | kc apply -f - >/dev/null
  dns_objects "$dns_ip" "$coredns_ref" | kc apply -f - >/dev/null
  kc -n kube-system rollout status deployment/coredns --timeout=120s >/dev/null || fail_with_log "CoreDNS did not become ready" kubelet
  # Until kube-proxy has the endpoint, the Service's address rejects queries: done only when a name resolves.
  wait_for dns 60 /bin/busybox nslookup kubernetes.default.svc.cluster.local "$dns_ip" \
    || fail_with_log "cluster DNS at $dns_ip does not answer through the Service" kube-proxy
  log "$NODE_NAME ($NODE_IP) joined $CLUSTER and Ready, DNS at $dns_ip, in $(elapsed "$t0")"
}

# --- down ---------------------------------------------------------------------------------------------
unmount_under() {
  local prefix="$1" m
  # Deepest first.
  awk -v p="$prefix" 'index($5, p) == 1 { print $5 }' /proc/self/mountinfo | sort -r | while read -r m; do
    umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || log "could not unmount $m"
  done
}

rm_cgroup_tree() {
  local d="$1"
  [ -d "$d" ] || return 0
  find "$d" -depth -type d -exec rmdir {} \; 2>/dev/null || true
  [ -d "$d" ] && log "cgroup $d still has processes"
  return 0
}

cmd_down() {
  local t0 p s t
  t0="$(now)"
  [ -d "$RN" ] || { log "down: no real node"; return 0; }
  local CRICTL; CRICTL="$("$ROOT/scripts/build-tools.sh" crictl)/crictl"
  stop pv-permissions
  stop kube-proxy
  stop kubelet
  if [ -S "$SOCK" ] && alive containerd; then
    # Through the CRI, so the CNI plugins release addresses and remove veths and port mappings.
    "$CRICTL" -r "unix://$SOCK" -t 30s rmp -fa >/dev/null 2>&1 || log "crictl rmp -fa failed; continuing by hand"
  fi
  stop containerd
  # Shims (and the containers under them) outlive containerd: end those of this containerd by their address.
  for p in $(pgrep -f "containerd-shim-runc-v2 .*-address $SOCK" || true); do kill -9 "$p" 2>/dev/null || true; done
  for p in $(pgrep -f "containerd-shim-runc-v2 .*-address $SOCK" || true); do log "shim $p still running"; done
  unmount_under "$RN/"
  unmount_under "/run/containerd/"
  if [ -f "$RN/saved/netns" ]; then
    for s in $(ls /run/netns 2>/dev/null); do
      grep -qxF "$s" "$RN/saved/netns" && continue
      case "$s" in cni-*) umount "/run/netns/$s" 2>/dev/null; rm -f "/run/netns/$s" ;; esac
    done
  fi
  [ -s "$RN/saved/netns-dir" ] || rmdir /run/netns 2>/dev/null || true
  # nftables tables that were not there before (kube-proxy's, portmap's, the policy agent's).
  if [ -f "$RN/saved/nft-tables" ]; then
    nft list tables 2>/dev/null | awk '{ print $2, $3 }' | while read -r fam t; do
      grep -qxF "$fam $t" "$RN/saved/nft-tables" || nft delete table "$fam" "$t" 2>/dev/null || log "could not delete nft table $fam $t"
    done
  fi
  ip link show "$BRIDGE_IF" >/dev/null 2>&1 && ip link delete "$BRIDGE_IF"
  rm -rf /var/lib/cni/results/"$CNI_NETWORK"-* 2>/dev/null || true
  rmdir /var/lib/cni/results /var/lib/cni 2>/dev/null || true
  for d in /sys/fs/cgroup/*/kubepods /sys/fs/cgroup/*/k8s.io; do
    [ -d "$d" ] || continue
    grep -qxF "$d" "$RN/saved/cgroups" 2>/dev/null || rm_cgroup_tree "$d"
  done
  if [ -f "$RN/saved/sysctl" ]; then
    while IFS='=' read -r s v; do
      [ -n "$s" ] && [ "$(cat "/proc/sys/${s//.//}")" != "$v" ] && echo "$v" > "/proc/sys/${s//.//}"
    done < "$RN/saved/sysctl"
  fi
  [ -s "$RN/saved/run-containerd" ] || rm -rf /run/containerd
  # The kubelet's fixed device-plugin directory: its socket and checkpoint, and the directories if it made them.
  rm -f /var/lib/kubelet/device-plugins/kubelet.sock /var/lib/kubelet/device-plugins/kubelet_internal_checkpoint
  [ -s "$RN/saved/kubelet-dir" ] || rmdir /var/lib/kubelet/device-plugins /var/lib/kubelet 2>/dev/null || true
  # The Node object, while the cluster still answers (clusters.sh down deletes the cluster anyway).
  if [ -f "$KUBECONFIG_FILE" ] && kc get --raw /readyz >/dev/null 2>&1; then
    kc delete node "$NODE_NAME" --ignore-not-found --wait=false >/dev/null 2>&1 || true
    kc -n kube-system delete deployment coredns --ignore-not-found --wait=false >/dev/null 2>&1 || true
  fi
  rm -rf "$RN"
  [ -f "$MACHINE_MARK" ] && [ "$(cat "$MACHINE_MARK")" = "$RN" ] && rm -f "$MACHINE_MARK"
  log "down: machine restored in $(elapsed "$t0")"
}

cmd_status() {
  if [ ! -d "$RN" ]; then echo "no real node"; return 0; fi
  local n
  for n in containerd kubelet kube-proxy pv-permissions; do printf '%-11s %s\n' "$n" "$(alive "$n" && echo "running (pid $(cat "$RN/$n.pid"))" || echo stopped)"; done
  printf '%-11s %s\n' node "$(node_ready && echo "$NODE_NAME Ready" || echo "$NODE_NAME not Ready")"
}

# One up/down at a time.
lock() {
  mkdir -p "$CACHE_ROOT"
  exec 9>"$CACHE_ROOT/real-node.lock"
  if command -v flock >/dev/null 2>&1; then flock -w 600 9 || die "another real-node.sh up/down holds $CACHE_ROOT/real-node.lock"; fi
}

case "${1:-}" in
  up) lock; cmd_up ;;
  down) lock; cmd_down ;;
  status) cmd_status ;;
  preflight) cmd_preflight "${2:-}" ;;   # --install: install Debian's containerd, runc, nftables when missing
  images) lock; tools; cmd_images ;;
  pv-permissions) cmd_pv_permissions ;;   # the watcher `up` starts (internal)
  -h|--help|help|"") sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//' ;;
  *) die "unknown command '$1' (up | down | status | preflight | images)" ;;
esac

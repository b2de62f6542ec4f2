import type { Environment, GatewaySettings } from "./schema.js";
import { footprintFor } from "./gatewayFootprint.js";
import { MINIMUM_GRACE_SECONDS } from "./podBudgets.js";
import { defaultMemoryRequestMebibytes } from "./sizing.js";
import { DEFAULT_IMAGE } from "./versions.js";

/**
 * The hardened defaults every gateway starts from; the stack's `gateway` and each cluster's `overrides`
 * are deep-merged over them. Numbers come from openclaw-facts.md unless a comment says otherwise.
 */
export const GATEWAY_DEFAULTS: GatewaySettings = {
  image: DEFAULT_IMAGE,
  // The image's own entrypoint (official manifest); version-dependent, so overridable.
  command: ["node", "/app/dist/index.js", "gateway", "run"],
  // CPU: the official manifest's; a start takes about 18 s of CPU (gatewayFootprint.ts), so 1 CPU starts it in
  // about 18 s. Memory: the request covers the idle gateway as measured (the official 512Mi does not: 490-650 MiB),
  // the limit is the official 2Gi, more than twice the least the gateway can live in (sizing.ts).
  // Ephemeral storage: /tmp holds at most 448Mi (12 log files of 32Mi and
  // working space, see podBudgets.ts) plus 64Mi of stdout log; a start and a health call write kilobytes (measured
  // by the gateway contract tests), so the request is what a day of logging takes, the limit the worst case and room.
  resources: {
    requests: { cpu: "250m", memory: `${defaultMemoryRequestMebibytes(footprintFor(DEFAULT_IMAGE).footprint)}Mi`, "ephemeral-storage": "256Mi" },
    limits: { cpu: "1", memory: "2Gi", "ephemeral-storage": "1Gi" },
  },
  // The init container copies one file onto the state volume: its own writes are its stdout lines.
  initContainerResources: {
    requests: { cpu: "10m", memory: "16Mi", "ephemeral-storage": "16Mi" },
    limits: { cpu: "100m", memory: "64Mi", "ephemeral-storage": "64Mi" },
  },
  storage: { size: "10Gi" },
  configMode: "overwrite",
  config: {},
  ingress: { enabled: false, className: "nginx-internal", tls: { enabled: true } },
  networkPolicy: {
    enabled: true,
    ingressFromNamespaces: ["ingress-nginx"],
    // CoreDNS keeps kube-dns's label on kubeadm, kind, k3s, EKS and GKE clusters.
    dns: { namespace: "kube-system", podLabels: { "k8s-app": "kube-dns" } },
  },
  probes: {
    // First start runs migrations and can take minutes: the official manifest allows 5 (30 x 10 s).
    startup: { path: "/startupz", initialDelaySeconds: 0, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 30 },
    // /startupz answers 503 while draining, which is what readiness needs; /readyz would also fail
    // whenever a chat provider is down and take the Control UI offline with it.
    readiness: { path: "/startupz", initialDelaySeconds: 0, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 3 },
    liveness: { path: "/healthz", initialDelaySeconds: 0, periodSeconds: 20, timeoutSeconds: 5, failureThreshold: 3 },
  },
  // OpenClaw's own stop policy (330 s: drain up to 315 s) plus a margin, so Kubernetes never SIGKILLs a drain.
  terminationGracePeriodSeconds: MINIMUM_GRACE_SECONDS,
  pod: { labels: {}, annotations: {} },
  serviceAccount: { labels: {}, annotations: {} },
  tokenRotation: "",
  // Off here; gatewayDefaults switches it on in prod. Archives are compressed, but `keep` of them must fit.
  backup: { enabled: false, size: "10Gi", keep: 5 },
  env: {},
};

/**
 * The defaults for one environment. Pre-upgrade backups cost a second claim and a slower start after each
 * image bump: worth it for prod state, not for dev and staging, where an opt-in is one `backup.enabled: true`.
 * An unknown environment (the loader reports it) gets the non-prod defaults.
 */
export function gatewayDefaults(environment: Environment | string | undefined): GatewaySettings {
  return environment === "prod" ? { ...GATEWAY_DEFAULTS, backup: { ...GATEWAY_DEFAULTS.backup, enabled: true } } : GATEWAY_DEFAULTS;
}


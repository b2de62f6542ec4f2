/**
 * The stack config contract (namespace `openclaw-fleet:`), as zod schemas. Objects are strict so a
 * typo (`imgae`, `clusteres`) is an error instead of a silently ignored key.
 */
import { z } from "zod";
import { affinity, toleration, topologySpreadConstraint } from "./kubernetesShapes.js";
import { labelMap, labelValue, qualifiedName, userAnnotations, userLabels } from "./labels.js";
import { observabilitySchema, OTEL_HEADER_ENV_PREFIX } from "./observability.js";
import { isQuantity, quantityToNumber } from "./quantity.js";
import { installsSchema } from "./installs.js";
import { DNS_LABEL, dnsLabel, egressRule } from "./networkShapes.js";

export { DNS_LABEL };

export const ENV_VAR_NAME = /^[A-Z][A-Z0-9_]*$/;
// RFC 1123 host name. No wildcard: the host is also the Control UI's allowed origin and the `url` output.
const HOST_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

const quantity = z
  .string()
  .refine(isQuantity, "must be a Kubernetes quantity such as 250m, 1, 512Mi or 2Gi (not 2GB)")
  .refine((value) => !isQuantity(value) || quantityToNumber(value) > 0, "must be greater than zero");

// ephemeral-storage: the container's writable layer, its stdout log and the pod's emptyDirs (the /tmp volume).
const computeResources = z.strictObject({ cpu: quantity, memory: quantity, "ephemeral-storage": quantity });
const containerResources = z.strictObject({ requests: computeResources, limits: computeResources });

const probe = z.strictObject({
  path: z.string().regex(/^\/[^\s]*$/, "must be an absolute URL path such as /healthz"),
  initialDelaySeconds: z.int().min(0),
  periodSeconds: z.int().min(1),
  timeoutSeconds: z.int().min(1),
  failureThreshold: z.int().min(1),
});


/**
 * Environment variables the Deployment owns or the gateway must not get from a user: a user value would
 * silently break the gateway, or duplicate a name in the container's env (which server-side apply refuses).
 * Covers every name the Deployment sets (a unit test holds the two together).
 */
export const RESERVED_ENV_NAMES = [
  "OPENCLAW_GATEWAY_TOKEN",
  "OPENCLAW_STATE_DIR",
  "OPENCLAW_CONFIG_PATH",
  "OPENCLAW_GATEWAY_PORT",
  "OPENCLAW_DISABLE_BONJOUR",
  "HOME",
  "XDG_CACHE_HOME",
  "NODE_OPTIONS",
  "OTEL_RESOURCE_ATTRIBUTES",
] as const;
const notReserved = (name: string) => !(RESERVED_ENV_NAMES as readonly string[]).includes(name) && !name.startsWith(OTEL_HEADER_ENV_PREFIX);
const RESERVED_MESSAGE = `is set by the program; reserved names: ${RESERVED_ENV_NAMES.join(", ")} and ${OTEL_HEADER_ENV_PREFIX}*`;

/**
 * An archive on the backup volume, named as a file there: no directories, nothing hidden, and only characters
 * the archives OpenClaw and this program name carry (OpenClaw's own default name has `+` in its UTC offset).
 */
const archiveFileName = z
  .string()
  .max(255, "must be at most 255 characters")
  .regex(/^[A-Za-z0-9][A-Za-z0-9._+-]*$/, "must be a file name on the backup volume (letters, digits, '.', '_', '+', '-'; no '/', not starting with '.'), such as 20261124T152040Z-openclaw-2026.9.5.tar.gz");

/** The image of a failed release whose upgrade a restore undoes: only the characters image references carry. */
const undoneImage = z
  .string()
  .max(512, "must be at most 512 characters")
  .regex(/^[A-Za-z0-9][A-Za-z0-9._/:@+-]*$/, "must be the image reference of the release whose upgrade to undo, such as ghcr.io/openclaw/openclaw:2026.9.7");

/**
 * `archive`: that file on the backup claim. `beforeUpgrade`: the archive the backup init container took before the
 * upgrade to that image, found in the pod (`npm run fleet -- up --rollback-on-failure` writes it; restore.ts).
 */
const restoreSettings = z
  .strictObject({ archive: archiveFileName.optional(), beforeUpgrade: undoneImage.optional() })
  .refine((restore) => (restore.archive === undefined) !== (restore.beforeUpgrade === undefined), {
    error: "must set exactly one of archive (a file name on the backup claim) or beforeUpgrade (the image whose upgrade to undo)",
  });

const envName = z
  .string()
  .regex(ENV_VAR_NAME, "must be an upper-case environment variable name matching ^[A-Z][A-Z0-9_]*$");

// Secret and PriorityClass names: DNS-1123 subdomains.
const objectName = z
  .string()
  .max(253, "must be at most 253 characters")
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/, "must be a Kubernetes object name: lowercase letters, digits, '-' and '.'");

/** Extra labels and annotations of one object (cloud workload identity, cost allocation, mesh injection). */
const extraMetadata = z.strictObject({ labels: userLabels, annotations: userAnnotations });

/** Everything one gateway is configured with; stack `gateway` and cluster `overrides` are partials of it. */
export const gatewaySettingsSchema = z.strictObject({
  image: z.string().min(1, "must name a container image"),
  command: z.array(z.string().min(1)).min(1, "must have at least one element"),
  resources: containerResources,
  /** The config-copying init container's; the namespace's LimitRange caps it at the gateway's limits. */
  initContainerResources: containerResources,
  storage: z.strictObject({
    size: quantity,
    storageClassName: z.string().min(1).optional(),
    existingClaim: dnsLabel(253).optional(),
  }),
  configMode: z.enum(["overwrite", "seed"]),
  config: z.record(z.string(), z.unknown()),
  ingress: z.strictObject({
    enabled: z.boolean(),
    className: z.string().min(1),
    annotations: z.record(z.string(), z.string()).optional(),
    tls: z.strictObject({ enabled: z.boolean(), secretName: dnsLabel(253).optional() }),
  }),
  networkPolicy: z.strictObject({
    enabled: z.boolean(),
    ingressFromNamespaces: z.array(dnsLabel(63)),
    extraEgress: z.array(egressRule).optional(),
    /** Where DNS may go: the cluster DNS pods (a label set to null drops a default label), and node-local caches by address. */
    dns: z.strictObject({
      namespace: dnsLabel(63),
      podLabels: z.record(qualifiedName, labelValue.nullable()),
      cidrs: z.array(z.cidrv4().or(z.cidrv6())).optional(),
    }),
  }),
  probes: z.strictObject({ startup: probe, readiness: probe, liveness: probe }),
  terminationGracePeriodSeconds: z.int().min(1),
  /** When Kubernetes declares a rollout failed (and `pulumi up` a minute later); default: the startup budget plus 2 minutes, at least 600. */
  progressDeadlineSeconds: z.int().min(1).optional(),
  /** A Secret someone else keeps (External Secrets Operator, Vault): its keys become the gateway's env too. */
  apiKeysSecret: objectName.optional(),
  /** Where the pod may run; each is the pod spec field of the same name (imagePullSecrets: Secret names). */
  nodeSelector: labelMap.optional(),
  tolerations: z.array(toleration).optional(),
  affinity: affinity.optional(),
  topologySpreadConstraints: z.array(topologySpreadConstraint).optional(),
  priorityClassName: objectName.optional(),
  imagePullSecrets: z.array(objectName).optional(),
  pod: extraMetadata,
  serviceAccount: extraMetadata,
  tokenRotation: z.string(),
  /** The second claim that holds the archives `openclaw backup create` writes before a version change. */
  backup: z.strictObject({
    enabled: z.boolean(),
    size: quantity,
    storageClassName: z.string().min(1).optional(),
    keep: z.int("must be a whole number").min(1, "must be 1 or more (the archive just written is always kept)"),
  }),
  /** Restore an archive from the backup claim before the gateway starts, once per `archive` or `beforeUpgrade` value. */
  restore: restoreSettings.optional(),
  env: z.record(envName.refine(notReserved, { error: RESERVED_MESSAGE }), z.string()),
  /** OpenTelemetry export and JSON console logs (observability.ts); absent means off. */
  observability: observabilitySchema.optional(),
  /** Plugins and skills installed from npm or ClawHub at pod start (installs.ts); absent means off. */
  installs: installsSchema.optional(),
});
export type GatewaySettings = z.infer<typeof gatewaySettingsSchema>;

/** A Kubernetes group name as a RoleBinding subject: any non-empty string without surrounding spaces. */
const groupName = z
  .string()
  .min(1, "must be a non-empty group name, as the cluster's authenticator reports it (e.g. acme-app-team)")
  .refine((name) => name.trim() === name && name.length > 0, "must not start or end with spaces");
const groupList = z.array(groupName, { error: "must be a list of group names, such as [acme-app-team]" }).min(1, "must list at least one group");

/**
 * Who may reach the tenant's namespace through the Kubernetes API (access.ts): the app team reads its objects and
 * logs and port-forwards to the gateway (exec only with `exec: true`, never Secrets); the platform gets `admin`.
 */
export const accessSchema = z.strictObject({
  appTeam: z.strictObject({ groups: groupList, exec: z.boolean("must be true or false").default(false) }).optional(),
  platform: z.strictObject({ groups: groupList }).optional(),
});
export type AccessInput = z.infer<typeof accessSchema>;

const SYSTEM_NAMESPACES = ["default", "kube-system", "kube-public", "kube-node-lease"];

const jsonObject = z.record(z.string(), z.unknown(), { error: "must be an object" });

export const clusterSchema = z.strictObject({
  name: dnsLabel(40),
  context: z.string().min(1).optional(),
  kubeconfig: z.string().min(1).optional(),
  region: z.string().min(1).optional(),
  wave: z.int("must be a whole number").min(0, "must be 0 or greater").default(0),
  host: z.string().max(253).regex(HOST_NAME, "must be a DNS host name such as openclaw.example.com").optional(),
  namespace: dnsLabel(63)
    .refine((name) => !SYSTEM_NAMESPACES.includes(name), `must be the tenant's own namespace, not one of default, kube-system, kube-public, kube-node-lease (the stack labels it PSA restricted, owns and protects it)`)
    .optional(),
  overrides: jsonObject.optional(),
  /**
   * Taking the cluster out of the stack: its gateway is removed (the Namespace and claims stay, as on destroy) and
   * its providers set `deleteUnreachable`, so a cluster that is gone leaves the state instead of failing every
   * update. Remove the entry once an update with it has succeeded (docs/operations.md).
   */
  decommission: z.boolean("must be true or false").default(false),
  /**
   * The cluster's previous name in this stack, when it was renamed: its resources are aliased from the old names
   * and its providers keep the old `clusterIdentifier`, so the rename replaces nothing. Keep it as long as the stack
   * lives (removing it changes the providers' identity, which replaces every object on the cluster).
   */
  renamedFrom: dnsLabel(40).optional(),
  /** This cluster's access, in place of the stack's (a cluster another team runs, with its own groups). */
  access: accessSchema.optional(),
});
export type ClusterInput = z.infer<typeof clusterSchema>;

export const ENVIRONMENTS = ["dev", "staging", "prod"] as const;

/**
 * The stack's rollout ring for `npm run fleet`: ring 0 holds the canary tenants, and ring N starts only when
 * every stack of the rings before it succeeded. Stacks without the key are in ring 1, after the canaries.
 */
export const DEFAULT_RING = 1;
export const ringSchema = z.int("must be a whole number (0 for canary tenants, 1 and up after them)").min(0, "must be 0 or greater (0 for canary tenants)");
export type Environment = (typeof ENVIRONMENTS)[number];

/**
 * Whether `npm run fleet` takes this stack: every stack file says so, `true` for a tenant's stack, `false` for the
 * others (a developer's, the demo's, a template), so that no file joins a fleet-wide release by being in the folder.
 */
export const FLEET_MEMBERSHIP_MESSAGE = "must be true (a tenant stack that npm run fleet releases) or false (left out of the fleet)";
export const fleetMembershipSchema = z.boolean(FLEET_MEMBERSHIP_MESSAGE);

/**
 * The tenant's agent: a folder of the project (relative to the project directory) that the app team owns
 * (components/agent/, docs/agents.md). Its `workspace/` and `skills/` files the gateway's workspace gets: every file
 * is managed (the repository wins on every rollout) but those listed in `seed` (written only when missing). Its
 * `config.yaml` is the app team's fragment of openclaw.json (agentFragment.ts, ownership.ts).
 */
export const agentSchema = z.strictObject({
  path: z
    .string()
    .min(1, "must name a folder relative to the project directory, such as agents/acme")
    .refine((path) => !path.startsWith("/") && !path.split(/[\\/]/).includes(".."), "must be a folder inside the project directory (relative, no '..'), such as agents/acme"),
  seed: z.array(z.string().min(1, "must name a file of the folder, such as workspace/MEMORY.md")).default([]),
});
export type AgentSource = z.infer<typeof agentSchema>;

/**
 * The whole stack config. `apiKeys` and `kubeconfigs` are validated by their names only: their values are
 * secrets that reach resources as secret Outputs and never pass through an error message.
 */
export const stackConfigSchema = z.strictObject({
  tenant: dnsLabel(30),
  environment: z.enum(ENVIRONMENTS),
  ring: ringSchema.default(DEFAULT_RING),
  fleet: fleetMembershipSchema.optional(),
  gateway: jsonObject.optional(),
  clusters: z.array(clusterSchema).min(1, "must list at least one cluster"),
  apiKeys: z.record(envName.refine(notReserved, { error: RESERVED_MESSAGE }), z.string()).optional(),
  kubeconfigs: z.record(z.string(), z.string()).optional(),
  /** The app team's agent folder (the workspace, skills and its openclaw.json fragment); a release key. */
  agent: agentSchema.optional(),
  /** Kubernetes RBAC in every tenant namespace of the stack; absent means no Role or RoleBinding. */
  access: accessSchema.optional(),
  /**
   * `false` for throwaway stacks (review stacks): `pulumi destroy` deletes the Namespace and claims instead of
   * leaving them on the cluster. Refused in prod, whose state is never deleted by Pulumi.
   */
  retainState: z.boolean("must be true or false").default(true),
});

export type StackConfigInput = z.infer<typeof stackConfigSchema>;

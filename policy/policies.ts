/**
 * The hardening the openclaw-fleet Gateway applies (README, "Hardening choices and why"), as mandatory
 * policies: anything a stack deploys that drops one of them fails the preview. Self-contained on purpose:
 * `pulumi policy publish` uploads this folder alone, so nothing here imports the program.
 */

// The slices of @pulumi/policy's types these policies use, declared here so the program's type-check does not
// need the pack's node_modules; `npm run test:policy` checks index.ts, which hands them to PolicyPack, against
// the real ones.
type ReportViolation = (message: string, urn?: string) => void;
interface ResourceValidationArgs {
  type: string;
  props: Record<string, any>;
  urn: string;
  name: string;
  opts: { protect: boolean; deleteBeforeReplace?: boolean };
  getConfig<T extends object>(): T;
}
interface PolicyResource {
  type: string;
  props: Record<string, any>;
  urn: string;
  name: string;
  provider?: { urn: string; name: string };
}
interface Policy {
  name: string;
  description: string;
  enforcementLevel: "advisory" | "mandatory" | "remediate" | "disabled";
  configSchema?: { properties: Record<string, object> };
}
export interface ResourceValidationPolicy extends Policy {
  validateResource: (args: ResourceValidationArgs, reportViolation: ReportViolation) => void;
}
export interface StackValidationPolicy extends Policy {
  validateStack: (args: { resources: PolicyResource[]; getConfig<T extends object>(): T }, reportViolation: ReportViolation) => void;
}

export const POLICY_PACK_NAME = "openclaw-fleet";

/** Set by the component on every object; `prod` switches on the production-only policies. */
export const ENVIRONMENT_LABEL = "openclaw.ai/environment";

type Props = Record<string, any>;
type Container = Props & { name?: string };

/** Where each workload kind keeps its pod spec. */
const POD_SPEC_PATHS: Record<string, string[]> = {
  "kubernetes:core/v1:Pod": ["spec"],
  "kubernetes:apps/v1:Deployment": ["spec", "template", "spec"],
  "kubernetes:apps/v1:StatefulSet": ["spec", "template", "spec"],
  "kubernetes:apps/v1:DaemonSet": ["spec", "template", "spec"],
  "kubernetes:apps/v1:ReplicaSet": ["spec", "template", "spec"],
  "kubernetes:batch/v1:Job": ["spec", "template", "spec"],
  "kubernetes:batch/v1:CronJob": ["spec", "jobTemplate", "spec", "template", "spec"],
};

export const WORKLOAD_TYPES = Object.keys(POD_SPEC_PATHS);

function podSpec(type: string, props: Props): Props | undefined {
  const path = POD_SPEC_PATHS[type];
  if (!path) return undefined;
  let current: any = props;
  for (const segment of path) current = current?.[segment];
  return current ?? {};
}

function containersOf(spec: Props, includeInit: boolean): { container: Container; where: string }[] {
  const main = ((spec.containers ?? []) as Container[]).map((container) => ({ container, where: `container "${container.name}"` }));
  const init = includeInit ? ((spec.initContainers ?? []) as Container[]).map((container) => ({ container, where: `init container "${container.name}"` })) : [];
  return [...init, ...main];
}

function objectName(props: Props): string {
  const namespace = props.metadata?.namespace;
  return `${namespace ? `${namespace}/` : ""}${props.metadata?.name ?? "?"}`;
}

function environmentOf(props: Props): string | undefined {
  return props.metadata?.labels?.[ENVIRONMENT_LABEL];
}

/** A resource policy over every container (and init container) of every workload kind. */
function workloadPolicy(
  name: string,
  description: string,
  check: (args: { spec: Props; containers: { container: Container; where: string }[]; props: Props; type: string }, report: (message: string) => void) => void,
  options: { includeInit?: boolean } = {},
): ResourceValidationPolicy {
  return {
    name,
    description,
    enforcementLevel: "mandatory",
    validateResource: (args: ResourceValidationArgs, reportViolation: ReportViolation) => {
      const spec = podSpec(args.type, args.props);
      if (!spec) return;
      const kind = args.type.split(":").pop();
      check({ spec, containers: containersOf(spec, options.includeInit ?? true), props: args.props, type: args.type }, (message) =>
        reportViolation(`${kind} ${objectName(args.props)}: ${message}`),
      );
    },
  };
}

// Images: the same rule as components/config/imageReference.ts (a test keeps the two in agreement).
const DIGEST = /@sha256:[a-f0-9]{64}$/;
const VERSION_TAG = /^\d{4}\.\d{1,2}\.\d{1,2}(?:-beta\.\d+)?(?:-(?:slim|browser))?$/;

/** Whether an image reference pins what runs: a digest, or an OpenClaw version tag (not latest, main, slim, ...). */
export function isPinnedImage(image: string): boolean {
  if (DIGEST.test(image)) return true;
  const lastSegment = image.slice(image.lastIndexOf("/") + 1);
  const colon = lastSegment.indexOf(":");
  return colon !== -1 && VERSION_TAG.test(lastSegment.slice(colon + 1));
}

export const runAsNonRoot = workloadPolicy(
  "gateway-runs-as-non-root",
  "Pods run as a non-root user (runAsNonRoot, never UID 0), as the OpenClaw image's node user does.",
  ({ spec, containers }, report) => {
    for (const { container, where } of containers) {
      const nonRoot = container.securityContext?.runAsNonRoot ?? spec.securityContext?.runAsNonRoot;
      const user = container.securityContext?.runAsUser ?? spec.securityContext?.runAsUser;
      if (nonRoot !== true) report(`${where} does not set runAsNonRoot: true (pod or container securityContext)`);
      if (user === 0) report(`${where} runs as UID 0`);
    }
  },
);

export const readOnlyRootFilesystem = workloadPolicy(
  "read-only-root-filesystem",
  "Every container has a read-only root filesystem; writable paths are volumes (/tmp is an emptyDir).",
  ({ containers }, report) => {
    for (const { container, where } of containers) {
      if (container.securityContext?.readOnlyRootFilesystem !== true) report(`${where} does not set securityContext.readOnlyRootFilesystem: true`);
    }
  },
);

export const dropAllCapabilities = workloadPolicy(
  "drop-all-capabilities",
  "Every container drops ALL capabilities, adds none, and cannot escalate privileges.",
  ({ containers }, report) => {
    for (const { container, where } of containers) {
      const context = container.securityContext ?? {};
      const dropped: string[] = context.capabilities?.drop ?? [];
      const added: string[] = context.capabilities?.add ?? [];
      if (!dropped.includes("ALL")) report(`${where} does not drop ALL capabilities (securityContext.capabilities.drop: [ALL])`);
      if (added.length > 0) report(`${where} adds capabilities ${added.join(", ")}`);
      if (context.allowPrivilegeEscalation !== false) report(`${where} does not set allowPrivilegeEscalation: false`);
      if (context.privileged === true) report(`${where} is privileged`);
    }
  },
);

export const seccompProfile = workloadPolicy(
  "seccomp-runtime-default",
  "Pods run under the RuntimeDefault (or a Localhost) seccomp profile.",
  ({ spec, containers }, report) => {
    for (const { container, where } of containers) {
      const type = container.securityContext?.seccompProfile?.type ?? spec.securityContext?.seccompProfile?.type;
      if (type !== "RuntimeDefault" && type !== "Localhost") report(`${where} has seccomp profile ${type ?? "unset"}; set seccompProfile.type: RuntimeDefault`);
    }
  },
);

export const resourceLimits = workloadPolicy(
  "resource-limits",
  "Every container requests and limits CPU and memory (the heap cap is derived from the memory limit).",
  ({ containers }, report) => {
    for (const { container, where } of containers) {
      for (const bound of ["requests", "limits"] as const) {
        for (const resource of ["cpu", "memory"] as const) {
          if (container.resources?.[bound]?.[resource] === undefined) report(`${where} has no resources.${bound}.${resource}`);
        }
      }
    }
  },
);

export const probesPresent = workloadPolicy(
  "probes-present",
  "Every long-running container has liveness and readiness probes (and the gateway a startup probe).",
  ({ containers }, report) => {
    for (const { container, where } of containers) {
      if (!container.livenessProbe) report(`${where} has no livenessProbe`);
      if (!container.readinessProbe) report(`${where} has no readinessProbe`);
    }
  },
  { includeInit: false },
);

export const pinnedImagesInProd = workloadPolicy(
  "pinned-images-in-prod",
  `In prod (label ${ENVIRONMENT_LABEL}: prod) every image is a version tag or a digest: a moving tag never upgrades with IfNotPresent.`,
  ({ containers, props }, report) => {
    if (environmentOf(props) !== "prod") return;
    for (const { container, where } of containers) {
      if (!isPinnedImage(String(container.image ?? ""))) report(`${where} uses "${container.image}", a moving tag; pin a version tag (e.g. 2026.9.6-slim) or a digest`);
    }
  },
);

export interface LoadBalancerConfig {
  /** Namespaces allowed to have LoadBalancer Services. */
  allowedNamespaces?: string[];
}

export const noLoadBalancerServices: ResourceValidationPolicy = {
  name: "no-load-balancer-services",
  description: "No LoadBalancer Services: gateways are reached through the internal Ingress, unless a namespace is allowed in the policy config.",
  enforcementLevel: "mandatory",
  configSchema: { properties: { allowedNamespaces: { type: "array", items: { type: "string" }, default: [] } } },
  validateResource: (args, reportViolation) => {
    if (args.type !== "kubernetes:core/v1:Service" || args.props.spec?.type !== "LoadBalancer") return;
    const { allowedNamespaces = [] } = args.getConfig<LoadBalancerConfig>();
    const namespace = args.props.metadata?.namespace ?? "default";
    if (!allowedNamespaces.includes(namespace)) {
      reportViolation(`Service ${objectName(args.props)} is of type LoadBalancer; namespace ${namespace} is not in allowedNamespaces (${allowedNamespaces.join(", ") || "none"})`);
    }
  },
};

export const stateNotDeleted: ResourceValidationPolicy = {
  name: "gateway-state-not-deleted",
  description:
    "Gateway state survives Pulumi: a PVC is never replaced delete-first, and in prod the PVC and its Namespace (deleting one deletes its claims) are protected.",
  enforcementLevel: "mandatory",
  validateResource: (args, reportViolation) => {
    const claim = args.type === "kubernetes:core/v1:PersistentVolumeClaim";
    if (!claim && args.type !== "kubernetes:core/v1:Namespace") return;
    const kind = claim ? "PersistentVolumeClaim" : "Namespace";
    if (claim && args.opts.deleteBeforeReplace === true) reportViolation(`${kind} ${objectName(args.props)} is replaced delete-first (deleteBeforeReplace), which deletes the gateway's state`);
    if (environmentOf(args.props) === "prod" && !args.opts.protect) reportViolation(`${kind} ${objectName(args.props)} is prod state and must be protected (protect: true)`);
  },
};

/** The gateway's pods: what the NetworkPolicy must cover. */
function isGateway(resource: PolicyResource): boolean {
  return resource.type === "kubernetes:apps/v1:Deployment" && resource.props.metadata?.labels?.["app.kubernetes.io/name"] === "openclaw";
}

export const networkPolicyPerNamespace: StackValidationPolicy = {
  name: "network-policy-per-gateway-namespace",
  description: "Every namespace that runs a gateway, on every cluster, has a NetworkPolicy restricting both ingress and egress.",
  enforcementLevel: "mandatory",
  validateStack: (args, reportViolation) => {
    // Namespaces repeat across clusters: key them by the resource's Kubernetes provider.
    const key = (resource: PolicyResource) => `${resource.provider?.urn ?? "default"}|${resource.props.metadata?.namespace ?? "default"}`;
    const covered = new Set(
      args.resources
        .filter((r) => r.type === "kubernetes:networking.k8s.io/v1:NetworkPolicy")
        .filter((r) => ["Ingress", "Egress"].every((type) => ((r.props.spec?.policyTypes ?? []) as string[]).includes(type)))
        .map(key),
    );
    for (const gateway of args.resources.filter(isGateway)) {
      if (!covered.has(key(gateway))) {
        const cluster = gateway.provider ? ` on ${gateway.provider.name}` : "";
        reportViolation(`Deployment ${objectName(gateway.props)}${cluster} runs in a namespace without a NetworkPolicy covering Ingress and Egress`, gateway.urn);
      }
    }
  },
};

/** The gateway's config file in its ConfigMap (components/gateway/specs/configMap.ts). */
const GATEWAY_CONFIG_FILE = "openclaw.json";
/** Credential key names and the one form their values may take in a ConfigMap (the same rule as the program's fragment check). */
const CREDENTIAL_KEY = /(api[-_]?key|token|secret|password|passwd|credentials?|private[-_]?key)$/i;
const ENV_REFERENCE = /^\$\{[A-Z_][A-Z0-9_]*\}$/;

/** Every string under a credential key that is not an env reference, by its path in the config. */
function plaintextCredentials(value: unknown, path: string, found: string[] = []): string[] {
  if (Array.isArray(value)) value.forEach((item, index) => plaintextCredentials(item, `${path}[${index}]`, found));
  else if (value !== null && typeof value === "object") {
    for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
      const childPath = path ? `${path}.${key}` : key;
      if (typeof child === "string" && CREDENTIAL_KEY.test(key) && !ENV_REFERENCE.test(child)) found.push(childPath);
      else plaintextCredentials(child, childPath, found);
    }
  }
  return found;
}

/**
 * The boundary between the platform's and the app team's halves of openclaw.json, as the cluster gets it: whatever
 * merged into the ConfigMap, the platform-owned paths the hardening depends on hold the platform's values, and no
 * credential is in plaintext (docs/agents.md, "Who owns what"). The program refuses a fragment that reaches there
 * before deploy; this catches a ConfigMap built some other way.
 */
export const gatewayConfigPlatformOwned: ResourceValidationPolicy = {
  name: "gateway-config-platform-owned",
  description:
    "The gateway's openclaw.json keeps the platform-owned settings (gateway mode local, bind lan, port 18789, token auth from ${OPENCLAW_GATEWAY_TOKEN}, no logging.file) and holds no plaintext credential.",
  enforcementLevel: "mandatory",
  validateResource: (args, reportViolation) => {
    if (args.type !== "kubernetes:core/v1:ConfigMap") return;
    const text = args.props.data?.[GATEWAY_CONFIG_FILE];
    if (typeof text !== "string") return;
    const where = `ConfigMap ${objectName(args.props)} ${GATEWAY_CONFIG_FILE}`;
    let config: Props;
    try {
      config = JSON.parse(text) as Props;
    } catch {
      reportViolation(`${where} is not JSON`);
      return;
    }
    const gateway = config.gateway ?? {};
    const expected: [string, unknown, unknown][] = [
      ["gateway.mode", gateway.mode, "local"],
      ["gateway.bind", gateway.bind, "lan"],
      ["gateway.port", gateway.port, 18789],
      ["gateway.auth.mode", gateway.auth?.mode, "token"],
      ["gateway.auth.token", gateway.auth?.token, "${OPENCLAW_GATEWAY_TOKEN}"],
    ];
    for (const [path, actual, value] of expected) {
      if (actual !== value) reportViolation(`${where}: ${path} is ${JSON.stringify(actual) ?? "unset"}; the platform owns it and sets ${JSON.stringify(value)}`);
    }
    if (config.logging?.file !== undefined) reportViolation(`${where}: logging.file is set; the platform owns it (the file log stays in /tmp, sized to its volume)`);
    for (const path of plaintextCredentials(config, "")) reportViolation(`${where}: ${path} holds a plaintext credential; refer to an env var of the env Secret ("\${NAME}")`);
  },
};

/**
 * The Roles the program writes for app teams (part-of openclaw-fleet) never reach Secrets (the env Secret holds the
 * gateway token and the provider keys) and grant nothing by wildcard.
 */
export const appTeamRoleWithoutSecrets: ResourceValidationPolicy = {
  name: "app-team-role-without-secrets",
  description: "A Role of an openclaw-fleet tenant namespace grants no access to Secrets and no wildcard resource, group or verb.",
  enforcementLevel: "mandatory",
  validateResource: (args, reportViolation) => {
    if (args.type !== "kubernetes:rbac.authorization.k8s.io/v1:Role" || args.props.metadata?.labels?.["app.kubernetes.io/part-of"] !== "openclaw-fleet") return;
    for (const [index, rule] of ((args.props.rules ?? []) as Props[]).entries()) {
      const resources: string[] = rule.resources ?? [];
      if (resources.includes("secrets")) reportViolation(`Role ${objectName(args.props)}: rules[${index}] grants access to secrets`);
      for (const field of ["resources", "apiGroups", "verbs"]) {
        if (((rule[field] ?? []) as string[]).includes("*")) reportViolation(`Role ${objectName(args.props)}: rules[${index}].${field} has a wildcard`);
      }
    }
  },
};

export const policies: (ResourceValidationPolicy | StackValidationPolicy)[] = [
  runAsNonRoot,
  readOnlyRootFilesystem,
  dropAllCapabilities,
  seccompProfile,
  resourceLimits,
  probesPresent,
  noLoadBalancerServices,
  pinnedImagesInProd,
  stateNotDeleted,
  networkPolicyPerNamespace,
  gatewayConfigPlatformOwned,
  appTeamRoleWithoutSecrets,
];

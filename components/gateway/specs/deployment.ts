import type { IDeployment } from "kubernetes-models/apps/v1";
import type { IContainer, IEnvFromSource, IPodSpec, IProbe } from "kubernetes-models/v1";
import { pullPolicyFor } from "../../config/imageReference.js";
import { tmpSizeLimitBytes } from "../../config/podBudgets.js";
import { startupBudgetSeconds } from "../../config/probes.js";
import { formatBytes } from "../../config/quantity.js";
import { heapCapMebibytes } from "../../config/sizing.js";
import type { GatewaySettings } from "../../config/schema.js";
import { GATEWAY_PORT } from "../../config/versions.js";
import type { GatewayContext } from "../context.js";
import { containerSecurityContext, podSecurityContext } from "../hardening.js";
import { gatewayObjectNames, objectMeta, selectorLabels } from "../naming.js";
import { buildAgentContentContainer, buildAgentContentVolumes } from "./agentContent.js";
import { buildBackupVolumes, buildStateInitContainers } from "./backup.js";
import { buildInstallsContainer } from "./installs.js";
import { observabilityEnv } from "../observability.js";
import { CONFIG_FILE_NAME } from "./configMap.js";
import { activeSidecar, buildCollectorContainer, collectorVolumes } from "./collector.js";
import { CONFIG_SEED_DIR, STATE_DIR, TMP_DIR } from "./paths.js";
import { buildPrepareStateContainer, stateMount } from "./stateLayout.js";
import { stateClaimName } from "./storage.js";

export { CONFIG_SEED_DIR, STATE_DIR };
export const CHECKSUM_ANNOTATION = "openclaw.ai/config-checksum";
const PORT_NAME = "http";


/**
 * The shell script the init container runs. `overwrite`: config is code, replaced on every start (atomic
 * rename, so a crash mid-copy never leaves half a file). `seed`: copied only when missing, so edits made
 * through the gateway survive restarts (openclaw PR #55753). Plain POSIX sh: the image has no bash guarantee.
 */
export function initCopyScript(configMode: GatewaySettings["configMode"]): string {
  const source = `${CONFIG_SEED_DIR}/${CONFIG_FILE_NAME}`;
  const target = `"$OPENCLAW_STATE_DIR/${CONFIG_FILE_NAME}"`;
  const copy = `cp ${source} ${target}.tmp && mv -f ${target}.tmp ${target}`;
  const script =
    configMode === "overwrite"
      ? `${copy} && echo "openclaw config: written (overwrite)"`
      : `if [ -e ${target} ]; then echo "openclaw config: kept existing (seed)"; else ${copy} && echo "openclaw config: seeded"; fi`;
  return `set -eu\nmkdir -p "$OPENCLAW_STATE_DIR"\n${script}\n`;
}

function httpProbe(probe: GatewaySettings["probes"]["startup"]): IProbe {
  const { path, ...timings } = probe;
  return { httpGet: { path, port: PORT_NAME, scheme: "HTTP" }, ...timings, successThreshold: 1 };
}

/** The env every container running OpenClaw gets from the program (no secrets, no user env). */
function runtimeEnv(settings: GatewaySettings): { name: string; value: string }[] {
  const managed = {
    HOME: "/home/node",
    OPENCLAW_STATE_DIR: STATE_DIR,
    // The gateway creates caches under ~/.cache and runs `npm root -g` (which logs to ~/.npm); HOME is on the
    // read-only root filesystem, so both go to the /tmp emptyDir (found by the gateway contract tests).
    XDG_CACHE_HOME: "/tmp/.cache",
    npm_config_cache: "/tmp/.npm",
    // No mDNS inside a pod (the community operator sets this too).
    OPENCLAW_DISABLE_BONJOUR: "1",
    // Without a heap cap the process is OOM-killed (exit 137); the cap leaves the measured non-heap memory its room.
    NODE_OPTIONS: `--max-old-space-size=${heapCapMebibytes(settings.resources.limits.memory, settings.image)}`,
  };
  return Object.entries(managed).map(([name, value]) => ({ name, value }));
}

function gatewayEnv(context: GatewayContext) {
  const { settings } = context.gateway;
  const user = Object.keys(settings.env).sort().map((name) => ({ name, value: settings.env[name]! }));
  return [...runtimeEnv(settings), ...observabilityEnv(context), ...user];
}

/**
 * The env Secrets. An external `apiKeysSecret` comes first: for a key in both, the later source wins, so the
 * program's token and configured apiKeys cannot be replaced by it (explicit `env` wins over both). It is not
 * optional: without it the pod waits in CreateContainerConfigError and the rollout fails visibly, instead of a
 * gateway that starts and then fails every model call.
 */
function envFromSecrets(settings: GatewaySettings, ownSecret: string): IEnvFromSource[] {
  const own = { secretRef: { name: ownSecret } };
  return settings.apiKeysSecret ? [{ secretRef: { name: settings.apiKeysSecret, optional: false } }, own] : [own];
}

/**
 * The gateway Deployment. One replica with `Recreate`: a state dir has one writer, and a rolling update
 * on a ReadWriteOnce claim deadlocks on Multi-Attach (openclaw-facts.md, "One writer").
 */
export function buildGatewayDeployment(context: GatewayContext, podConfigChecksum: string): IDeployment {
  const names = gatewayObjectNames(context.tenant);
  const { settings } = context.gateway;
  const imagePullPolicy = pullPolicyFor(settings.image);

  const copyConfig: IContainer = {
    name: "copy-config",
    image: settings.image,
    imagePullPolicy,
    command: ["sh", "-c", initCopyScript(settings.configMode)],
    env: [{ name: "OPENCLAW_STATE_DIR", value: STATE_DIR }],
    resources: settings.initContainerResources,
    securityContext: containerSecurityContext(),
    volumeMounts: [stateMount, { name: "config-seed", mountPath: CONFIG_SEED_DIR, readOnly: true }],
  };

  const gateway: IContainer = {
    name: "gateway",
    image: settings.image,
    imagePullPolicy,
    command: settings.command,
    ports: [{ name: PORT_NAME, containerPort: GATEWAY_PORT, protocol: "TCP" }],
    env: gatewayEnv(context),
    envFrom: envFromSecrets(settings, names.secret),
    resources: settings.resources,
    securityContext: containerSecurityContext(),
    startupProbe: httpProbe(settings.probes.startup),
    readinessProbe: httpProbe(settings.probes.readiness),
    livenessProbe: httpProbe(settings.probes.liveness),
    volumeMounts: [stateMount, { name: "tmp", mountPath: TMP_DIR }],
  };
  const openclawContainerBase = { image: settings.image, imagePullPolicy, env: runtimeEnv(settings), resources: settings.resources };
  const stateInitContainers = buildStateInitContainers(context, openclawContainerBase);

  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: {
      ...objectMeta(context, names.deployment),
      // Pulumi's Deployment await gives up after 10 minutes whatever progressDeadlineSeconds says, and only
      // warns on ProgressDeadlineExceeded: align its timeout with the deadline so `pulumi up` fails when
      // Kubernetes does, no earlier (a slow first start) and not much later.
      // A Recreate rollout first waits for the old pod to stop (up to its grace period), then the new one's deadline runs.
      annotations: {
        "pulumi.com/timeoutSeconds": String(settings.terminationGracePeriodSeconds + progressDeadlineSeconds(settings) + 60),
        "pulumi.com/waitFor": JSON.stringify(rolloutWaitConditions()),
      },
    },
    spec: {
      replicas: 1,
      strategy: { type: "Recreate" },
      revisionHistoryLimit: 3,
      progressDeadlineSeconds: progressDeadlineSeconds(settings),
      selector: { matchLabels: selectorLabels(context) },
      template: {
        metadata: {
          // The program's labels last: the loader refuses user keys under its prefixes, and the selector must hold.
          labels: { ...settings.pod.labels, ...objectMeta(context, names.deployment).labels },
          annotations: { ...settings.pod.annotations, [CHECKSUM_ANNOTATION]: podConfigChecksum },
        },
        spec: {
          ...podScheduling(context),
          serviceAccountName: names.serviceAccount,
          automountServiceAccountToken: false,
          // Service links inject an env var per Service in the namespace; the gateway needs none.
          enableServiceLinks: false,
          securityContext: podSecurityContext(),
          terminationGracePeriodSeconds: settings.terminationGracePeriodSeconds,
          // The state directory first (stateLayout.ts), then restore, then back up, then copy the config: a restored
          // state is backed up before a newer version migrates it, and the copy writes over (overwrite) or keeps
          // (seed) the config that came back. Then the plugins and skills installed at start. The agent's files last,
          // onto whatever state the gateway starts on.
          initContainers: [
            buildPrepareStateContainer(settings, imagePullPolicy),
            ...stateInitContainers,
            copyConfig,
            ...buildInstallsContainer(context, openclawContainerBase),
            ...buildAgentContentContainer(context, imagePullPolicy),
          ],
          containers: [gateway, ...sidecarContainers(context)],
          volumes: [
            { name: "state", persistentVolumeClaim: { claimName: stateClaimName(context) } },
            { name: "config-seed", configMap: { name: names.configMap } },
            // Writable /tmp on a read-only root filesystem; the gateway logs under /tmp/openclaw. Sized within the
            // gateway's ephemeral-storage limit (podBudgets.ts), so a full /tmp is reported as such.
            { name: "tmp", emptyDir: { sizeLimit: formatBytes(tmpSizeLimitBytes(settings)) } },
            ...buildBackupVolumes(context),
            ...buildAgentContentVolumes(context),
            ...collectorVolumes(context),
          ],
        },
      },
    },
  };
}

function sidecarContainers(context: GatewayContext): IContainer[] {
  const sidecar = activeSidecar(context);
  return sidecar ? [buildCollectorContainer(sidecar)] : [];
}

/**
 * Where the pod may run, as configured; fields left unset are left out of the spec. A spread constraint without a
 * `labelSelector` would count no pods at all, so it gets the gateway's own selector labels.
 */
function podScheduling(context: GatewayContext): Partial<IPodSpec> {
  const { nodeSelector, tolerations, affinity, topologySpreadConstraints, priorityClassName, imagePullSecrets } = context.gateway.settings;
  const spread = topologySpreadConstraints?.map((constraint) => ({ labelSelector: { matchLabels: selectorLabels(context) }, ...constraint }));
  const scheduling: Partial<IPodSpec> = {
    nodeSelector,
    tolerations,
    affinity,
    topologySpreadConstraints: spread,
    priorityClassName,
    imagePullSecrets: imagePullSecrets?.map((name) => ({ name })),
  };
  return Object.fromEntries(Object.entries(scheduling).filter(([, value]) => value !== undefined));
}

/**
 * What the provider waits for before it reports the Deployment ready (`pulumi.com/waitFor`), which replaces its own
 * await: the provider's await can end a Recreate rollout early ("Replicas scaled to 0", seen in the end-to-end suite:
 * the old pod is gone, the new one not yet created), which let a failing canary's next wave start.
 *
 * Counts alone are not enough: right after an image bump the first status the provider sees is the previous
 * rollout's (1/1/1/1) until the controller observes the new spec. Each count is therefore read only from a status
 * whose `observedGeneration` has reached the object's `metadata.generation`: the provider's JSONPath is RFC 9535, in
 * which a filter on the root visits its members (`status` among them) and `$` inside the filter is the object, so a
 * stale status selects nothing and the wait goes on. Written without `=` in the filter: the annotation's own syntax
 * splits `{path}=value` on it.
 */
export function rolloutWaitConditions(replicas = 1): string[] {
  const observed = "?@.observedGeneration && !(@.observedGeneration < $.metadata.generation)";
  return ["observedGeneration", "updatedReplicas", "readyReplicas", "availableReplicas", "replicas"].map((field) =>
    field === "observedGeneration" ? `jsonpath={$[${observed}].observedGeneration}` : `jsonpath={$[${observed}].${field}}=${replicas}`,
  );
}

/**
 * When the rollout counts as failed (`ProgressDeadlineExceeded`; `pulumi up` fails a minute later). By default
 * above the startup probe's budget, so a slow first start (migrations) is not reported as failed.
 */
export function progressDeadlineSeconds(settings: GatewaySettings): number {
  return settings.progressDeadlineSeconds ?? Math.max(600, startupBudgetSeconds(settings) + 120);
}

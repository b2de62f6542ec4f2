import type { AgentContent } from "../agent/content.js";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { ClusterGateway } from "../config/load.js";
import type { Environment, GatewaySettings } from "../config/schema.js";
import { GATEWAY_PORT } from "../config/versions.js";
import { sha256 } from "./checksum.js";
import type { GatewayContext } from "./context.js";
import { currentOrganization } from "../runtime/organization.js";
import { gatewayConfigText, podConfigChecksum } from "./manifests.js";
import { serviceUrl } from "./naming.js";
import { TOKEN_ENV_NAME } from "./openclawConfig.js";
import { registerGatewayObjects } from "./resources.js";
import { rolloutStatus, type Rollout } from "./rolloutStatus.js";
import { backupClaimName } from "./specs/backup.js";
import { ingressUrl } from "./specs/ingress.js";
import { dropRpcResponseDebugLog } from "../runtime/rpcDebugLog.js";

export const GATEWAY_TYPE = "openclaw:fleet:Gateway";

// Loading the Gateway filters the SDK's debug log of RPC payloads (they carry the generated token), so every
// program that uses it and the multi-language component get the filter before they register anything.
dropRpcResponseDebugLog();

export interface GatewayArgs {
  /** Tenant (DNS label); names and labels every object. */
  tenant: string;
  /** `prod` protects the state volume and Namespace against deletion. */
  environment: Environment;
  /** The validated, fully defaulted gateway for one cluster (see `loadFleetConfig`). */
  gateway: ClusterGateway;
  /** API keys as a secret Output (env var name -> value); only `apiKeyNames` are used. */
  apiKeys?: pulumi.Input<Record<string, string>>;
  /** Names of the API keys to put in the gateway's env Secret. */
  apiKeyNames?: string[];
  /** The agent's content for the gateway's workspace (the stack's `agent` folder, read by `withAgentContent`). */
  agent?: AgentContent;
  /** Resources this gateway's objects wait for: the Deployments of earlier waves. */
  waitFor?: pulumi.Input<pulumi.Resource>[];
  /**
   * The provider of the objects `pulumi destroy` leaves behind (Namespace, state claim), one that adopts them
   * when they exist (`createClusterProviders`), so a redeploy comes back onto the tenant's state. Default:
   * the component's kubernetes provider (then a redeploy fails with "already exists").
   */
  retainedObjectsProvider?: k8s.Provider;
  /** The Pulumi stack that owns the gateway: labels the objects a redeploy adopts. */
  stack?: string;
  /** The owning stack's project and organization (default: the running program's): qualify the owner. */
  project?: string;
  organization?: string;
  /** Keep the bare stack name as the field manager in any project (the multi-language component: naming.ts). */
  stackOnlyFieldManager?: boolean;
  /**
   * Whether `pulumi destroy` leaves the Namespace and claims on the cluster (default true). False only for
   * throwaway stacks; the loader refuses it in prod.
   */
  retainState?: boolean;
  /**
   * Where the children were registered before (their name prefix, and their parent's URN when it was another
   * resource): each child gets these as `aliases`, so renaming the gateway replaces nothing.
   */
  previously?: readonly PreviousPlacement[];
}

export interface PreviousPlacement {
  /** The children's former name prefix: `<prefix>-namespace`, `<prefix>-deployment`, ... */
  prefix: string;
  /** The former parent's URN; default: the same parent as now. */
  parent?: pulumi.Input<pulumi.URN>;
}

/** The providers of a gateway's children when they do not come from the parent's `providers` option. */
export interface GatewayProviders {
  kubernetes: k8s.Provider;
  random: pulumi.ProviderResource;
}

/** What a built gateway exposes: the component's outputs and the Deployment later waves wait for. */
export interface GatewayParts {
  token: pulumi.Output<string>;
  namespace: string;
  serviceUrl: string;
  url: string | null;
  configHash: string;
  deployment: k8s.apps.v1.Deployment;
  rollout: pulumi.Output<Rollout>;
  backupClaim: string | null;
  restoreArchive: string | null;
}

/**
 * One hardened OpenClaw gateway on one cluster. Pass the cluster's Kubernetes provider (and a random
 * provider) through `providers`; every child is named `<component name>-<object>`, so two gateways of one
 * program never collide, whatever cluster they share. The fleet names each component after its cluster.
 */
export class Gateway extends pulumi.ComponentResource implements GatewayParts {
  /** The generated gateway token (secret). */
  readonly token: pulumi.Output<string>;
  readonly namespace: string;
  readonly serviceUrl: string;
  readonly url: string | null;
  /** sha256 of the generated openclaw.json: equal across clusters that run the same config. */
  readonly configHash: string;
  readonly deployment: k8s.apps.v1.Deployment;
  readonly rollout: pulumi.Output<Rollout>;
  /** The claim holding pre-upgrade archives, or null when backups are off. */
  readonly backupClaim: string | null;
  /** The archive `restore` names (restored once, before the gateway starts), `before-upgrade:<image>`, or null. */
  readonly restoreArchive: string | null;

  constructor(name: string, args: GatewayArgs, opts: pulumi.ComponentResourceOptions = {}) {
    // Args are not passed to super: Outputs inside them would be awaited as component inputs (pulumi/pulumi#23953).
    super(GATEWAY_TYPE, name, {}, opts);
    const parts = buildGatewayResources(this, name, args);
    this.token = parts.token;
    this.namespace = parts.namespace;
    this.serviceUrl = parts.serviceUrl;
    this.url = parts.url;
    this.configHash = parts.configHash;
    this.deployment = parts.deployment;
    this.rollout = parts.rollout;
    this.backupClaim = parts.backupClaim;
    this.restoreArchive = parts.restoreArchive;
    this.registerOutputs({
      namespace: this.namespace,
      serviceUrl: this.serviceUrl,
      url: this.url,
      configHash: this.configHash,
      backupClaim: this.backupClaim,
      restoreArchive: this.restoreArchive,
      rollout: this.rollout,
      token: this.token,
    });
  }
}

/**
 * Registers one gateway's objects as children of `parent`, each named `<name>-<object>`. Shared by this
 * package's Gateway and the multi-language component, so each gateway has one component type token.
 */
export function buildGatewayResources(parent: pulumi.ComponentResource, name: string, args: GatewayArgs, providers?: GatewayProviders): GatewayParts {
  const context: GatewayContext = {
    tenant: args.tenant,
    environment: args.environment,
    gateway: args.gateway,
    apiKeyNames: args.apiKeyNames ?? [],
    ...(args.agent ? { agent: args.agent } : {}),
    stack: args.stack,
    project: args.project ?? pulumi.getProject(),
    organization: args.organization ?? currentOrganization(),
    ...(args.stackOnlyFieldManager ? { stackOnlyFieldManager: true } : {}),
  };
  const aliases = (suffix: string): pulumi.Input<pulumi.URN | pulumi.Alias>[] =>
    (args.previously ?? [])
      .filter((previous) => previous.prefix !== name || previous.parent !== undefined)
      .map((previous) => ({ name: `${previous.prefix}-${suffix}`, ...(previous.parent !== undefined ? { parent: previous.parent } : {}) }));

  const token = new random.RandomPassword(
    `${name}-gateway-token`,
    // 64 alphanumerics, like the official script's `openssl rand -hex 32` in strength; rotates with `tokenRotation`.
    { length: 64, special: false, keepers: { tokenRotation: args.gateway.settings.tokenRotation } },
    { parent, ...(providers ? { provider: providers.random } : {}), aliases: aliases("gateway-token") },
  );
  const secretValues = pulumi
    .all([token.result, args.apiKeys ?? {}])
    .apply(([tokenValue, apiKeys]): Record<string, string> => ({ ...pick(apiKeys, context.apiKeyNames), [TOKEN_ENV_NAME]: tokenValue }));
  // The secret's digest is a one-way hash of a 256-bit-strong token: not secret, and keeping it plain keeps
  // the whole Deployment spec readable in previews.
  const checksum = pulumi.unsecret(secretValues.apply((values) => podConfigChecksum(context, values)));

  const resources = registerGatewayObjects(
    context,
    {
      parent,
      name,
      ...(providers ? { provider: providers.kubernetes } : {}),
      ...(args.retainedObjectsProvider ? { retainedObjectsProvider: args.retainedObjectsProvider } : {}),
      ...(args.waitFor ? { waitFor: args.waitFor } : {}),
      protect: args.environment === "prod",
      retainState: args.environment === "prod" || args.retainState !== false,
      aliases,
    },
    { secretValues, podChecksum: checksum },
  );
  const deployment = resources.deployment as k8s.apps.v1.Deployment;

  return {
    token: token.result,
    namespace: args.gateway.namespace,
    serviceUrl: serviceUrl(context, GATEWAY_PORT),
    url: ingressUrl(context),
    configHash: sha256(gatewayConfigText(context)),
    backupClaim: backupClaimName(context) ?? null,
    restoreArchive: restoreOutput(args.gateway.settings.restore),
    deployment,
    rollout: pulumi
      .all([deployment.metadata.generation, deployment.spec.replicas, deployment.status])
      .apply(([generation, specReplicas, status]) => rolloutStatus({ generation, specReplicas, status })),
  };
}

/** The `restoreArchive` output: the archive `restore` names, `before-upgrade:<image>` for a rollback's restore, or null. */
function restoreOutput(restore: GatewaySettings["restore"]): string | null {
  if (!restore) return null;
  return restore.archive ?? `before-upgrade:${restore.beforeUpgrade}`;
}

function pick(values: Readonly<Record<string, string>>, keys: readonly string[]): Record<string, string> {
  return Object.fromEntries(keys.filter((key) => values[key] !== undefined).map((key) => [key, values[key]!]));
}

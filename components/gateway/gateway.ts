import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { ClusterGateway } from "../config/load.js";
import type { Environment } from "../config/schema.js";
import { GATEWAY_PORT } from "../config/versions.js";
import { checksummedConfig, podChecksum, secretDigest, sha256 } from "./checksum.js";
import type { GatewayContext } from "./context.js";
import { currentOrganization } from "../runtime/organization.js";
import { serviceUrl } from "./naming.js";
import { TOKEN_ENV_NAME } from "./openclawConfig.js";
import { rolloutStatus, type Rollout } from "./rolloutStatus.js";
import { buildConfigMap, CONFIG_FILE_NAME } from "./specs/configMap.js";
import { buildGatewayDeployment, CHECKSUM_ANNOTATION } from "./specs/deployment.js";
import { buildPodDisruptionBudget } from "./specs/disruptionBudget.js";
import { buildIngress, ingressUrl } from "./specs/ingress.js";
import { buildLimitRange, buildNamespace, buildResourceQuota } from "./specs/namespace.js";
import { buildNetworkPolicy } from "./specs/networkPolicy.js";
import { buildGatewaySecret, secretKeys } from "./specs/secret.js";
import { buildService } from "./specs/service.js";
import { buildServiceAccount } from "./specs/serviceAccount.js";
import { buildDataClaims } from "./manifests.js";
import { backupClaimName } from "./specs/backup.js";
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
  /** The archive `restore` names (restored once, before the gateway starts), or null. */
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
    stack: args.stack,
    project: args.project ?? pulumi.getProject(),
    organization: args.organization ?? currentOrganization(),
    ...(args.stackOnlyFieldManager ? { stackOnlyFieldManager: true } : {}),
  };
  const prod = args.environment === "prod";
  const retainState = prod || args.retainState !== false;
  const aliases = (suffix: string): pulumi.Input<pulumi.URN | pulumi.Alias>[] =>
    (args.previously ?? [])
      .filter((previous) => previous.prefix !== name || previous.parent !== undefined)
      .map((previous) => ({ name: `${previous.prefix}-${suffix}`, ...(previous.parent !== undefined ? { parent: previous.parent } : {}) }));
  const child = (suffix: string, extra: pulumi.CustomResourceOptions = {}): [string, pulumi.CustomResourceOptions] => [
    `${name}-${suffix}`,
    {
      parent,
      dependsOn: args.waitFor,
      ...(providers ? { provider: providers.kubernetes } : {}),
      ...extra,
      aliases: aliases(suffix),
    },
  ];

  // Deleting a Namespace deletes the claims in it, so the Namespace is kept like the claim is (unless the stack is throwaway).
  const retained = {
    protect: prod,
    retainOnDelete: retainState,
    ...(args.retainedObjectsProvider ? { provider: args.retainedObjectsProvider } : {}),
  };
  const namespace = new k8s.core.v1.Namespace(...withArgs(manifestArgs(buildNamespace(context)), child("namespace", retained)));
  const inNamespace = (suffix: string, extra: pulumi.CustomResourceOptions = {}, after: pulumi.Resource[] = []) =>
    child(suffix, { ...extra, dependsOn: [namespace, ...after, ...(args.waitFor ?? [])] });

  new k8s.core.v1.ResourceQuota(...withArgs(manifestArgs(buildResourceQuota(context)), inNamespace("quota")));
  new k8s.core.v1.LimitRange(...withArgs(manifestArgs(buildLimitRange(context)), inNamespace("limits")));
  const serviceAccount = new k8s.core.v1.ServiceAccount(...withArgs(manifestArgs(buildServiceAccount(context)), inNamespace("service-account")));

  const [tokenName, tokenOptions] = child("gateway-token", { dependsOn: undefined, ...(providers ? { provider: providers.random } : {}) });
  const token = new random.RandomPassword(
    tokenName,
    // 64 alphanumerics, like the official script's `openssl rand -hex 32` in strength; rotates with `tokenRotation`.
    { length: 64, special: false, keepers: { tokenRotation: args.gateway.settings.tokenRotation } },
    tokenOptions,
  );

  const secretValues = pulumi
    .all([token.result, args.apiKeys ?? {}])
    .apply(([tokenValue, apiKeys]) => ({ ...pick(apiKeys, context.apiKeyNames), [TOKEN_ENV_NAME]: tokenValue }));
  const secretManifest = buildGatewaySecret(context, placeholders(secretKeys(context)));
  const secret = new k8s.core.v1.Secret(
    ...withArgs({ metadata: secretManifest.metadata, type: secretManifest.type, stringData: pulumi.secret(secretValues) }, inNamespace("env")),
  );

  const configMapManifest = buildConfigMap(context);
  const configMap = new k8s.core.v1.ConfigMap(...withArgs(manifestArgs(configMapManifest), inNamespace("config")));

  const claims = buildDataClaims(context).flatMap(({ resourceSuffix, manifest }) =>
    manifest
      ? [
          new k8s.core.v1.PersistentVolumeClaim(
            // The provider replaces a claim whose spec changes (delete first: the name is fixed), i.e. loses the
            // tenant's state or its backups. Its spec is create-only here; resize a claim with kubectl (README).
            ...withArgs(manifestArgs(manifest), inNamespace(resourceSuffix, { ...retained, ignoreChanges: ["spec"] })),
          ),
        ]
      : [],
  );

  // The secret's digest is a one-way hash of a 256-bit-strong token: not secret, and keeping it plain keeps
  // the whole Deployment spec readable in previews.
  const configText = configMapManifest.data![CONFIG_FILE_NAME]!;
  const checksummed = checksummedConfig(args.gateway.settings.configMode, configText);
  const checksum = pulumi.unsecret(secretValues.apply((values) => podChecksum(checksummed, secretDigest(values))));
  const deploymentManifest = buildGatewayDeployment(context, "");
  const template = deploymentManifest.spec!.template;
  const deployment = new k8s.apps.v1.Deployment(
    ...withArgs(
      {
        metadata: deploymentManifest.metadata as k8s.types.input.meta.v1.ObjectMeta,
        spec: {
          ...(deploymentManifest.spec as k8s.types.input.apps.v1.DeploymentSpec),
          template: {
            ...(template as k8s.types.input.core.v1.PodTemplateSpec),
            metadata: { ...template.metadata, annotations: { ...template.metadata?.annotations, [CHECKSUM_ANNOTATION]: checksum } },
          },
        },
      },
      // Created after what its pod mounts and reads, so the first pod does not start against missing objects.
      inNamespace("deployment", {}, [serviceAccount, secret, configMap, ...claims]),
    ),
  );

  new k8s.core.v1.Service(...withArgs(manifestArgs(buildService(context)), inNamespace("service")));
  const ingress = buildIngress(context);
  if (ingress) new k8s.networking.v1.Ingress(...withArgs(manifestArgs(ingress), inNamespace("ingress")));
  const networkPolicy = buildNetworkPolicy(context);
  if (networkPolicy) new k8s.networking.v1.NetworkPolicy(...withArgs(manifestArgs(networkPolicy), inNamespace("network-policy")));
  new k8s.policy.v1.PodDisruptionBudget(...withArgs(manifestArgs(buildPodDisruptionBudget(context)), inNamespace("disruption-budget")));

  return {
    token: token.result,
    namespace: args.gateway.namespace,
    serviceUrl: serviceUrl(context, GATEWAY_PORT),
    url: ingressUrl(context),
    configHash: sha256(configText),
    backupClaim: backupClaimName(context) ?? null,
    restoreArchive: args.gateway.settings.restore?.archive ?? null,
    deployment,
    rollout: pulumi
      .all([deployment.metadata.generation, deployment.spec.replicas, deployment.status])
      .apply(([generation, specReplicas, status]) => rolloutStatus({ generation, specReplicas, status })),
  };
}

/** A resource's constructor arguments in order: name, args, options. */
function withArgs<A>(resourceArgs: A, [name, options]: [string, pulumi.CustomResourceOptions]): [string, A, pulumi.CustomResourceOptions] {
  return [name, resourceArgs, options];
}

/**
 * A plain manifest as Pulumi resource args (apiVersion/kind are implied by the resource class). The
 * manifests are typed by kubernetes-models (the Kubernetes OpenAPI schema), whose quantities may also be
 * numbers where Pulumi's inputs say string: this is the one boundary where the two type systems meet.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type ManifestArgs = { metadata: k8s.types.input.meta.v1.ObjectMeta } & Record<string, any>;
function manifestArgs(manifest: { apiVersion?: string; kind?: string; metadata?: unknown }): ManifestArgs {
  const { apiVersion: _apiVersion, kind: _kind, ...rest } = manifest;
  return rest as ManifestArgs;
}

function pick(values: Readonly<Record<string, string>>, keys: readonly string[]): Record<string, string> {
  return Object.fromEntries(keys.filter((key) => values[key] !== undefined).map((key) => [key, values[key]!]));
}

function placeholders(keys: readonly string[]): Record<string, string> {
  return Object.fromEntries(keys.map((key) => [key, ""]));
}

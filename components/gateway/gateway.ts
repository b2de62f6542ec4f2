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

export const GATEWAY_TYPE = "openclaw:fleet:Gateway";

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
}

/**
 * One hardened OpenClaw gateway on one cluster. Pass the cluster's Kubernetes provider (and a random
 * provider) through `providers`; every child is named `<cluster>-<object>` so URNs stay unique in a fleet.
 */
export class Gateway extends pulumi.ComponentResource {
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
    const context: GatewayContext = {
      tenant: args.tenant,
      environment: args.environment,
      gateway: args.gateway,
      apiKeyNames: args.apiKeyNames ?? [],
      stack: args.stack,
      project: args.project ?? pulumi.getProject(),
      organization: args.organization ?? currentOrganization(),
    };
    const prefix = args.gateway.cluster;
    const prod = args.environment === "prod";
    const child = (extra: pulumi.CustomResourceOptions = {}): pulumi.CustomResourceOptions => ({
      parent: this,
      dependsOn: args.waitFor,
      ...extra,
    });

    // Deleting a Namespace deletes the claims in it, so the Namespace is kept like the claim is.
    const retained = { protect: prod, retainOnDelete: true, ...(args.retainedObjectsProvider ? { provider: args.retainedObjectsProvider } : {}) };
    const namespace = new k8s.core.v1.Namespace(`${prefix}-namespace`, manifestArgs(buildNamespace(context)), child(retained));
    const inNamespace = (extra: pulumi.CustomResourceOptions = {}, after: pulumi.Resource[] = []) =>
      child({ ...extra, dependsOn: [namespace, ...after, ...(args.waitFor ?? [])] });

    new k8s.core.v1.ResourceQuota(`${prefix}-quota`, manifestArgs(buildResourceQuota(context)), inNamespace());
    new k8s.core.v1.LimitRange(`${prefix}-limits`, manifestArgs(buildLimitRange(context)), inNamespace());
    const serviceAccount = new k8s.core.v1.ServiceAccount(`${prefix}-service-account`, manifestArgs(buildServiceAccount(context)), inNamespace());

    const token = new random.RandomPassword(
      `${prefix}-gateway-token`,
      // 64 alphanumerics, like the official script's `openssl rand -hex 32` in strength; rotates with `tokenRotation`.
      { length: 64, special: false, keepers: { tokenRotation: args.gateway.settings.tokenRotation } },
      { parent: this },
    );
    this.token = token.result;

    const secretValues = pulumi
      .all([token.result, args.apiKeys ?? {}])
      .apply(([tokenValue, apiKeys]) => ({ ...pick(apiKeys, context.apiKeyNames), [TOKEN_ENV_NAME]: tokenValue }));
    const secretManifest = buildGatewaySecret(context, placeholders(secretKeys(context)));
    const secret = new k8s.core.v1.Secret(
      `${prefix}-env`,
      { metadata: secretManifest.metadata, type: secretManifest.type, stringData: pulumi.secret(secretValues) },
      inNamespace(),
    );

    const configMapManifest = buildConfigMap(context);
    const configMap = new k8s.core.v1.ConfigMap(`${prefix}-config`, manifestArgs(configMapManifest), inNamespace());

    const claims = buildDataClaims(context).flatMap(({ resourceSuffix, manifest }) =>
      manifest
        ? [
            new k8s.core.v1.PersistentVolumeClaim(
              `${prefix}-${resourceSuffix}`,
              manifestArgs(manifest),
              // The provider replaces a claim whose spec changes (delete first: the name is fixed), i.e. loses the
              // tenant's state or its backups. Its spec is create-only here; resize a claim with kubectl (README).
              inNamespace({ ...retained, ignoreChanges: ["spec"] }),
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
    this.deployment = new k8s.apps.v1.Deployment(
      `${prefix}-deployment`,
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
      inNamespace({}, [serviceAccount, secret, configMap, ...claims]),
    );

    new k8s.core.v1.Service(`${prefix}-service`, manifestArgs(buildService(context)), inNamespace());
    const ingress = buildIngress(context);
    if (ingress) new k8s.networking.v1.Ingress(`${prefix}-ingress`, manifestArgs(ingress), inNamespace());
    const networkPolicy = buildNetworkPolicy(context);
    if (networkPolicy) new k8s.networking.v1.NetworkPolicy(`${prefix}-network-policy`, manifestArgs(networkPolicy), inNamespace());
    new k8s.policy.v1.PodDisruptionBudget(`${prefix}-disruption-budget`, manifestArgs(buildPodDisruptionBudget(context)), inNamespace());

    this.namespace = args.gateway.namespace;
    this.serviceUrl = serviceUrl(context, GATEWAY_PORT);
    this.url = ingressUrl(context);
    this.configHash = sha256(configText);
    this.backupClaim = backupClaimName(context) ?? null;
    this.restoreArchive = args.gateway.settings.restore?.archive ?? null;
    this.rollout = pulumi
      .all([this.deployment.metadata.generation, this.deployment.spec.replicas, this.deployment.status])
      .apply(([generation, specReplicas, status]) => rolloutStatus({ generation, specReplicas, status }));

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

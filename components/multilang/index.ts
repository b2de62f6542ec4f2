/**
 * The fleet's Gateway as a multi-language component package (see PulumiPlugin.yaml beside this file).
 *
 * `pulumi package add` infers the package schema from this file's TypeScript: the constructor's second
 * parameter must be named `args` and typed by an interface, and no input or output may be a union (other
 * than optional). The fleet's own `GatewayArgs` takes a validated model and Pulumi resources, which no
 * other language can pass, so this component takes what a stack config takes for one cluster, runs it
 * through the same config contract (`loadFleetConfig`: validation, defaults, prod image pins), and builds
 * the same explicit providers and the same objects directly under itself (one component type per gateway),
 * each named after the component, so two gateways on one cluster in one program never collide.
 */
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { loadFleetConfig } from "../config/load.js";
import { createClusterProviders } from "../fleet/clusterProvider.js";
import { buildGatewayResources, GATEWAY_TYPE } from "../gateway/gateway.js";

/** The package name other languages import (`pulumi_openclaw_fleet`, `@pulumi/openclaw-fleet`, ...). */
export const PACKAGE_NAME = "openclaw-fleet";
export const GATEWAY_COMPONENT_TYPE = `${PACKAGE_NAME}:index:Gateway`;

/** The cluster a gateway runs on: one `clusters[]` entry of the stack config contract. */
export interface ClusterArgs {
  /** DNS label; labels every object (`openclaw.ai/cluster`). The component's own name prefixes its resources. */
  name: string;
  /** kubeconfig context (default: the current context). */
  context?: string;
  /** Path to a kubeconfig file (default: ~/.kube/config or $KUBECONFIG); `kubeconfig` content wins. */
  kubeconfigPath?: string;
  /** Reported only. */
  region?: string;
  /** Ingress host; required when the gateway settings enable ingress. */
  host?: string;
  /** Namespace of the gateway (default: openclaw-<tenant>). */
  namespace?: string;
}

export interface GatewayArgs {
  /** Tenant: DNS-1123 label, at most 30 characters; names and labels every object. */
  tenant: string;
  /** dev, staging or prod; prod refuses moving image tags and protects the state volume. */
  environment: string;
  /** The target cluster. */
  cluster: ClusterArgs;
  /** The `gateway` settings of the stack config contract (image, resources, storage, ingress, ...), merged over the defaults. */
  settings?: { [key: string]: any };
  /** Environment variable name (for example ANTHROPIC_API_KEY) -> API key; pass each value as a secret. */
  apiKeys?: { [key: string]: pulumi.Input<string> };
  /** kubeconfig content for the cluster (a secret); wins over `cluster.kubeconfigPath`. */
  kubeconfig?: pulumi.Input<string>;
}

/** One hardened OpenClaw gateway on one Kubernetes cluster, with its own explicit Kubernetes provider. */
export class Gateway extends pulumi.ComponentResource {
  /** Namespace the gateway runs in. */
  public readonly namespace: pulumi.Output<string>;
  /** In-cluster URL of the gateway's Service. */
  public readonly serviceUrl: pulumi.Output<string>;
  /** External URL when ingress is enabled, else an empty string. */
  public readonly url: pulumi.Output<string>;
  /** sha256 of the generated openclaw.json. */
  public readonly configHash: pulumi.Output<string>;
  /** The generated gateway token (secret). */
  public readonly token: pulumi.Output<string>;
  /** complete, progressing, failed or unknown: the Deployment's rollout as `kubectl rollout status` decides it. */
  public readonly rolloutStatus: pulumi.Output<string>;

  constructor(name: string, args: GatewayArgs, opts?: pulumi.ComponentResourceOptions) {
    super(GATEWAY_COMPONENT_TYPE, name, {}, opts);
    // The kubeconfig and API keys reach the loader as placeholders only; their values stay secret Outputs.
    const model = loadFleetConfig(gatewayStackConfig(args), { secretKeys: ["kubeconfigs", "apiKeys"] });
    for (const warning of model.warnings) void pulumi.log.warn(`${warning.path}: ${warning.message}`, this);
    const clusterGateway = model.gateways[0]!;
    const kubeconfigs = args.kubeconfig === undefined ? undefined : pulumi.secret(pulumi.output(args.kubeconfig).apply((content) => ({ [clusterGateway.cluster]: content })));
    const cluster = clusterGateway.cluster;
    // Until this change the providers were named after the cluster, and the objects sat in a nested
    // `openclaw:fleet:Gateway` named `<cluster>-gateway`: aliases move them here without replacing anything.
    const providers = createClusterProviders(clusterGateway, kubeconfigs, { parent: this }, { prefix: name, previousPrefixes: [cluster] });
    const randomProvider = new random.Provider(`${name}-random`, {}, { parent: this, aliases: [{ name: `${cluster}-random` }] });
    // The names are plain (they become the env Secret's keys); the values stay secret Outputs end to end.
    const apiKeys = args.apiKeys === undefined ? undefined : pulumi.secret(pulumi.output(args.apiKeys));
    const gateway = buildGatewayResources(
      this,
      name,
      {
        tenant: model.tenant,
        environment: model.environment,
        gateway: clusterGateway,
        apiKeys,
        apiKeyNames: model.apiKeyNames,
        retainedObjectsProvider: providers.retained,
        stack: pulumi.getStack(),
        // Its stacks were deployed with the bare stack name as field manager; renaming it is an apply conflict.
        stackOnlyFieldManager: true,
        previously: [{ prefix: cluster, parent: pulumi.createUrn(`${cluster}-gateway`, GATEWAY_TYPE, this) }],
      },
      { kubernetes: providers.objects, random: randomProvider },
    );
    this.namespace = pulumi.output(gateway.namespace);
    this.serviceUrl = pulumi.output(gateway.serviceUrl);
    this.url = pulumi.output(gateway.url ?? "");
    this.configHash = pulumi.output(gateway.configHash);
    // Secret across the language boundary, whatever the random provider's own marking.
    this.token = pulumi.secret(gateway.token);
    this.rolloutStatus = gateway.rollout.apply((rollout) => rollout.status);
    this.registerOutputs({
      namespace: this.namespace,
      serviceUrl: this.serviceUrl,
      url: this.url,
      configHash: this.configHash,
      token: this.token,
      rolloutStatus: this.rolloutStatus,
    });
  }
}

/**
 * The component's args as the raw `openclaw-fleet:` stack config of a one-cluster stack, so they pass the
 * same validation and defaulting a stack does. API key and kubeconfig values never enter it: only their
 * names, as placeholders, the way the loader sees secret config.
 */
export function gatewayStackConfig(args: GatewayArgs): Record<string, string> {
  const { name, context, kubeconfigPath, region, host, namespace } = args.cluster ?? ({} as ClusterArgs);
  const cluster = Object.fromEntries(
    Object.entries({ name, context, kubeconfig: kubeconfigPath, region, host, namespace }).filter(([, value]) => value !== undefined),
  );
  const raw: Record<string, string> = {
    tenant: args.tenant,
    environment: args.environment,
    clusters: JSON.stringify([cluster]),
  };
  if (args.settings !== undefined) raw.gateway = JSON.stringify(args.settings);
  if (args.kubeconfig !== undefined) raw.kubeconfigs = JSON.stringify({ [name]: "<secret>" });
  if (args.apiKeys !== undefined) raw.apiKeys = JSON.stringify(Object.fromEntries(Object.keys(args.apiKeys).map((key) => [key, "<secret>"])));
  return raw;
}

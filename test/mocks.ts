/**
 * The one Pulumi mocks module the tests share. It records every registered resource with what the engine
 * would see (inputs, parent, provider, dependsOn URNs, protect, retainOnDelete), and simulates the
 * providers: RandomPassword yields a token derived from its keepers, Deployments report a live status.
 */
import * as pulumi from "@pulumi/pulumi";
import { fleetProgram } from "../components/program.js";
import type { DeploymentStatusInput } from "../components/gateway/rolloutStatus.js";

export interface RegisteredResource {
  type: string;
  name: string;
  urn: string;
  custom: boolean;
  inputs: Record<string, any>;
  parent: string;
  provider: string;
  dependencies: string[];
  protect: boolean;
  retainOnDelete: boolean;
  ignoreChanges: string[];
  /** The `aliases` option as sent (alias specs: name, type, parent URN, ... or a whole URN). */
  aliases: { urn: string; spec?: { name: string; type: string; stack: string; project: string; parenturn: string; noparent: boolean } }[];
}

export interface MockOptions {
  /** The live status every Deployment reports (default: a completed rollout of one replica). */
  deploymentStatus?: DeploymentStatusInput["status"];
}

export const COMPLETE_STATUS: NonNullable<DeploymentStatusInput["status"]> = {
  observedGeneration: 1,
  replicas: 1,
  readyReplicas: 1,
  updatedReplicas: 1,
  availableReplicas: 1,
  conditions: [
    { type: "Available", status: "True", reason: "MinimumReplicasAvailable" },
    { type: "Progressing", status: "True", reason: "NewReplicaSetAvailable" },
  ],
};

/** A deterministic fake token: stands in for random.RandomPassword's result, changes with the keepers. */
export function fakeToken(name: string, keepers: Record<string, string> | undefined): string {
  return `tok-${name}-${keepers?.tokenRotation ?? ""}`.padEnd(64, "x");
}

export async function installMocks(options: MockOptions = {}): Promise<RegisteredResource[]> {
  const registered: RegisteredResource[] = [];
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        const state: Record<string, any> = { ...args.inputs };
        if (args.type === "random:index/randomPassword:RandomPassword") state.result = fakeToken(args.name, args.inputs.keepers);
        if (args.type === "kubernetes:apps/v1:Deployment") {
          state.metadata = { ...args.inputs.metadata, generation: 1 };
          state.status = options.deploymentStatus ?? COMPLETE_STATUS;
        }
        return { id: `${args.name}-id`, state };
      },
      call: (args) => args.inputs,
    },
    "openclaw-fleet",
    "test",
    false,
  );
  const monitor = pulumi.runtime.getMonitor() as any;
  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = (request: any, callback: (error: unknown, response: any) => void) =>
    register(request, (error: unknown, response: any) => {
      if (!error) {
        registered.push({
          type: request.getType(),
          name: request.getName(),
          urn: response.getUrn(),
          custom: request.getCustom(),
          inputs: response.getObject()?.toJavaScript() ?? {},
          parent: request.getParent(),
          provider: request.getProvider(),
          dependencies: request.getDependenciesList(),
          protect: request.getProtect() ?? false,
          retainOnDelete: request.getRetainondelete() ?? false,
          ignoreChanges: request.getIgnorechangesList(),
          aliases: request.getAliasesList().map((alias: any) => alias.toObject()),
        });
      }
      callback(error, response);
    });
  return registered;
}

/** Resolves an Output in the mocked runtime (not for secrets' plaintext checks: it unwraps them too). */
export function resolve<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((done) => output.apply((value) => done(value)));
}

export function isSecretOutput(output: pulumi.Output<unknown>): Promise<boolean> {
  return pulumi.isSecret(output);
}

/** Stack config as the user writes it (objects, not JSON strings), under `openclaw-fleet:`. */
export type StackConfig = Record<string, unknown>;

export function setStackConfig(config: StackConfig, secretKeys: string[] = []): void {
  const entries = Object.entries(config).map(([key, value]) => [`openclaw-fleet:${key}`, typeof value === "string" ? value : JSON.stringify(value)]);
  pulumi.runtime.setAllConfig(Object.fromEntries(entries), secretKeys.map((key) => `openclaw-fleet:${key}`));
}

export interface ProgramRun {
  outputs: ReturnType<typeof fleetProgram>;
  resources: RegisteredResource[];
  gateways: Awaited<ReturnType<typeof resolve<any>>>;
}

/** Runs the whole program against the mocks with this config and waits until every resource is registered. */
export async function runProgram(config: StackConfig, options: MockOptions & { secretKeys?: string[] } = {}) {
  const resources = await installMocks(options);
  setStackConfig(config, options.secretKeys ?? ["apiKeys", "kubeconfigs"]);
  const outputs = fleetProgram();
  const [gateways, fleet] = await Promise.all([resolve(outputs.gateways), resolve(outputs.fleet), resolve(outputs.gatewayTokens)]);
  // Component outputs register after their children; give the runtime's queue a turn to drain.
  await new Promise((done) => setTimeout(done, 50));
  return { outputs, resources, gateways, fleet };
}

/** The custom resources of one type, optionally of one cluster (names are prefixed `<cluster>-`). */
export function ofType(resources: RegisteredResource[], type: string, cluster?: string): RegisteredResource[] {
  return resources.filter((r) => r.type === type && (cluster === undefined || r.name.startsWith(`${cluster}-`)));
}

export function one(resources: RegisteredResource[], type: string, cluster: string): RegisteredResource {
  const matches = ofType(resources, type, cluster);
  if (matches.length !== 1) throw new Error(`expected one ${type} for ${cluster}, found ${matches.length}`);
  return matches[0]!;
}

/** Two-cluster dev-like config that tests vary. */
export function baseConfig(overrides: StackConfig = {}): StackConfig {
  return {
    tenant: "acme",
    environment: "dev",
    clusters: [
      { name: "alpha", context: "ctx-alpha", region: "eu-west-1" },
      { name: "beta", context: "ctx-beta", region: "us-east-1", wave: 1 },
    ],
    ...overrides,
  };
}

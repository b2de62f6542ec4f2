/**
 * What the engine would record of each resource a gateway registers, for representative stacks: its URN (type,
 * name, parent chain), provider, dependencies, protection, retention, ignored changes and aliases. The committed
 * fixture (fixtures/urns.json) was generated from the program before the gateway's objects became one list
 * (issue 19, item 0); `urns.test.ts` compares the program's records with it, so a change that would move a URN,
 * or drop an alias or a retention, fails there. Regenerate it only when a change means to add or rename an
 * object (`scripts/run.sh tsx test/gateway/writeUrnFixture.ts`), and say so in its commit.
 */
import * as pulumi from "@pulumi/pulumi";
import { Gateway as MultiLanguageGateway } from "../../components/multilang/index.js";
import { installMocks, runProgram, type RegisteredResource, type StackConfig } from "../mocks.js";

export interface UrnRecord {
  urn: string;
  parent: string;
  provider: string;
  dependsOn: string[];
  protect: boolean;
  retainOnDelete: boolean;
  ignoreChanges: string[];
  aliases: unknown[];
}

/** A prod stack with every optional object: both clusters in two waves, backups, a restore, Ingresses, an API key, a renamed cluster, access roles. */
export const PROD_STACK: StackConfig = {
  tenant: "acme",
  environment: "prod",
  gateway: { ingress: { enabled: true } },
  apiKeys: { ANTHROPIC_API_KEY: "sk-urn-fixture" },
  access: { appTeam: { groups: ["acme-app-team"] }, platform: { groups: ["platform-sre"] } },
  clusters: [
    { name: "alpha", context: "ctx-alpha", region: "eu-west-1", host: "alpha.claw.example.com", overrides: { restore: { archive: "20261124T152040Z-openclaw-2026.9.5.tar.gz" } } },
    { name: "beta", context: "ctx-beta", region: "us-east-1", host: "beta.claw.example.com", wave: 1, renamedFrom: "old-beta" },
  ],
};

/** The prod stack with the example agent folder (agents/example, read from the working directory): its content ConfigMaps. */
export const AGENT_STACK: StackConfig = { ...PROD_STACK, agent: { path: "agents/example", seed: ["workspace/MEMORY.md"] } };

/**
 * The prod stack with observability: the collector sidecar on both clusters, the Prometheus Operator's objects on
 * alpha only (the per-cluster flag). The prod and throwaway stacks above keep their records as they were: a stack
 * without these settings gains no object and moves no URN.
 */
export const OBSERVED_STACK: StackConfig = {
  ...PROD_STACK,
  gateway: { ingress: { enabled: true }, observability: { enabled: true, endpoint: "https://otlp.example.com", sidecar: { enabled: true } } },
  clusters: [
    {
      name: "alpha",
      context: "ctx-alpha",
      region: "eu-west-1",
      host: "alpha.claw.example.com",
      overrides: {
        restore: { archive: "20261124T152040Z-openclaw-2026.9.5.tar.gz" },
        observability: { prometheusOperator: { enabled: true, labels: { release: "kube-prometheus-stack" } } },
      },
    },
    { name: "beta", context: "ctx-beta", region: "us-east-1", host: "beta.claw.example.com", wave: 1, renamedFrom: "old-beta" },
  ],
};

/** A throwaway dev stack with the optional objects off: no backup, no NetworkPolicy, no Ingress, one existing claim. */
export const THROWAWAY_STACK: StackConfig = {
  tenant: "acme",
  environment: "dev",
  retainState: false,
  gateway: { networkPolicy: { enabled: false } },
  clusters: [
    { name: "alpha", context: "ctx-alpha", region: "eu-west-1" },
    { name: "beta", context: "ctx-beta", region: "us-east-1", wave: 1, overrides: { storage: { existingClaim: "brought-claim" } } },
  ],
};

/** As JSON holds it (unset alias fields dropped), so records compare equal to the fixture's. */
function record(resource: RegisteredResource): UrnRecord {
  return JSON.parse(JSON.stringify({
    urn: resource.urn,
    parent: resource.parent,
    provider: resource.provider,
    // The engine keeps dependencies as a set: their order changes no step.
    dependsOn: [...resource.dependencies].sort(),
    protect: resource.protect,
    retainOnDelete: resource.retainOnDelete,
    ignoreChanges: resource.ignoreChanges,
    aliases: resource.aliases,
  })) as UrnRecord;
}

const byUrn = (records: UrnRecord[]) => records.sort((a, b) => a.urn.localeCompare(b.urn));

/** Every resource of the fleet program for this stack config, as the engine would record it. */
export async function programRecords(config: StackConfig): Promise<UrnRecord[]> {
  const { resources } = await runProgram(config);
  return byUrn(resources.map(record));
}

/** The multi-language component constructed as another language's program constructs it (its own aliases and providers). */
export async function multiLanguageRecords(): Promise<UrnRecord[]> {
  const resources = await installMocks();
  const gateway = new MultiLanguageGateway("demo", {
    tenant: "acme",
    environment: "prod",
    cluster: { name: "kind-a", context: "kind-openclaw-a", host: "claw.example.com" },
    settings: { ingress: { enabled: true } },
    apiKeys: { ANTHROPIC_API_KEY: pulumi.secret("sk-urn-fixture") },
  });
  await new Promise<void>((done) => gateway.rolloutStatus.apply(() => done()));
  // Component outputs register after their children; give the runtime's queue a turn to drain.
  await new Promise((done) => setTimeout(done, 50));
  return byUrn(resources.map(record));
}

/** The representative stacks the fixture holds, by name. */
export async function allRecords(): Promise<Record<string, UrnRecord[]>> {
  return {
    prod: await programRecords(PROD_STACK),
    throwaway: await programRecords(THROWAWAY_STACK),
    observed: await programRecords(OBSERVED_STACK),
    multiLanguage: await multiLanguageRecords(),
    agent: await programRecords(AGENT_STACK),
  };
}

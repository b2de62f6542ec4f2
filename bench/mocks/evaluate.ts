/**
 * One evaluation under Pulumi mocks, in a process of its own (the SDK's runtime state is global, and a fresh
 * process gives both sides the same cold start): `tsx bench/mocks/evaluate.ts program N` runs the project's
 * program for N clusters; `tsx bench/mocks/evaluate.ts floor N PROVIDERS CUSTOMS COMPONENTS` registers that
 * many trivial resources through that many providers. Prints one JSON line: the seconds from the first
 * registration to the drained RPC queue (imports excluded: measured apart), and what was registered.
 */
import * as pulumi from "@pulumi/pulumi";

export interface Evaluation {
  seconds: number;
  importSeconds: number;
  /** The program's own pure part for the same clusters, timed apart: config validation and the object builders. */
  modelAndSpecsSeconds?: number;
  counts: RegisteredCounts;
}

export interface RegisteredCounts {
  providers: number;
  customs: number;
  components: number;
}

const now = () => Number(process.hrtime.bigint()) / 1e9;

/** Stack config for N clusters: the local stack's gateway settings, one wave, as `pulumi config` hands it over. */
export function benchConfig(clusters: number): Record<string, string> {
  return {
    "openclaw-fleet:tenant": "bench",
    "openclaw-fleet:environment": "dev",
    "openclaw-fleet:gateway": JSON.stringify({
      resources: { requests: { cpu: "100m", memory: "256Mi" }, limits: { cpu: "500m", memory: "1Gi" } },
      storage: { size: "1Gi" },
    }),
    "openclaw-fleet:clusters": JSON.stringify(Array.from({ length: clusters }, (_, index) => ({ name: `c-${index + 1}`, context: `ctx-${index + 1}`, region: "loopback" }))),
  };
}

async function installCountingMocks(): Promise<RegisteredCounts> {
  const counts: RegisteredCounts = { providers: 0, customs: 0, components: 0 };
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        if (args.type.startsWith("pulumi:providers:")) counts.providers++;
        else if (args.custom) counts.customs++;
        else counts.components++;
        const state: Record<string, unknown> = { ...args.inputs };
        // What the providers would return that the program reads: the token, and a Deployment's live rollout.
        if (args.type === "random:index/randomPassword:RandomPassword") state.result = "x".repeat(64);
        if (args.type === "kubernetes:apps/v1:Deployment") {
          state.metadata = { ...(args.inputs.metadata as object), generation: 1 };
          state.status = { observedGeneration: 1, replicas: 1, readyReplicas: 1, updatedReplicas: 1, availableReplicas: 1, conditions: [] };
        }
        return { id: `${args.name}-id`, state };
      },
      call: (args) => args.inputs,
    },
    "openclaw-fleet",
    "bench",
    false,
  );
  return counts;
}

async function evaluateProgram(clusters: number): Promise<Evaluation> {
  const importStart = now();
  const { fleetProgram } = await import("../../components/program.js");
  const { loadFleetConfig } = await import("../../components/config/load.js");
  const { renderFleet } = await import("../../components/render/renderFleet.js");
  const importSeconds = now() - importStart;
  // After the timed evaluation, so it warms nothing for it.
  const modelAndSpecs = () => {
    const bare = Object.fromEntries(Object.entries(benchConfig(clusters)).map(([key, value]) => [key.replace(/^openclaw-fleet:/, ""), value]));
    const pureStart = now();
    renderFleet(loadFleetConfig(bare, { stack: "bench" }));
    return now() - pureStart;
  };
  const counts = await installCountingMocks();
  pulumi.runtime.setAllConfig(benchConfig(clusters), []);
  const start = now();
  const outputs = fleetProgram();
  await new Promise<void>((done) => pulumi.all([outputs.gateways, outputs.fleet, outputs.gatewayTokens]).apply(() => done()));
  await pulumi.runtime.disconnect();
  const seconds = now() - start;
  return { seconds, importSeconds, modelAndSpecsSeconds: modelAndSpecs(), counts };
}

/** The SDK's own cost for the same shape: components, providers, and custom resources with one plain input. */
async function evaluateFloor(clusters: number, target: RegisteredCounts): Promise<Evaluation> {
  const importStart = now();
  const { registerFloor } = await import("./floorProgram.js");
  const importSeconds = now() - importStart;
  const counts = await installCountingMocks();
  const start = now();
  const outputs = registerFloor(clusters, target);
  await new Promise<void>((done) => pulumi.all(outputs).apply(() => done()));
  await pulumi.runtime.disconnect();
  return { seconds: now() - start, importSeconds, counts };
}

const [side, clustersText, ...shape] = process.argv.slice(2);
const clusters = Number(clustersText);
if (!Number.isInteger(clusters) || clusters < 1) throw new Error(`evaluate: cluster count must be a positive integer, got ${clustersText}`);
const evaluation =
  side === "program"
    ? await evaluateProgram(clusters)
    : side === "floor"
      ? await evaluateFloor(clusters, { providers: Number(shape[0]), customs: Number(shape[1]), components: Number(shape[2]) })
      : (() => {
          throw new Error(`evaluate: side must be program or floor, got ${side}`);
        })();
process.stdout.write(`${JSON.stringify(evaluation)}\n`);

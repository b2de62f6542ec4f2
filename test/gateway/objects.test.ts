import assert from "node:assert/strict";
import { withAgentContent } from "../../components/agent/load.js";
import { loadStackFleet } from "../../components/config/stackConfig.js";
import { GATEWAY_OBJECTS, manifestTypeOf, type GatewayObject } from "../../components/gateway/objects.js";
import { resourceClass } from "../../components/gateway/resources.js";
import { CHECKSUM_ANNOTATION } from "../../components/gateway/specs/deployment.js";
import { renderFleet } from "../../components/render/renderFleet.js";
import { runProgram, type RegisteredResource, type StackConfig } from "../mocks.js";
import { AGENT_STACK, OBSERVED_STACK, PROD_STACK, THROWAWAY_STACK } from "./urnRecords.js";

const objects = GATEWAY_OBJECTS as readonly GatewayObject[];

type Identified = { kind?: string; metadata?: { name?: string; namespace?: string } };
const identity = (cluster: string, object: Identified) => `${cluster} ${object.kind} ${object.metadata?.namespace ?? ""}/${object.metadata?.name}`;

/** The Kubernetes objects `pulumi up` registers (under the mocks) and what render writes, for one stack config. */
async function bothWays(config: StackConfig) {
  const { resources } = await runProgram(config);
  // The same model the program loaded: render's own walk of the list is what is compared.
  const rendered = renderFleet(withAgentContent(loadStackFleet(), process.cwd()));
  const registered = resources.filter((resource) => resource.type.startsWith("kubernetes:") && resource.custom);
  // Each gateway's children are named `<cluster>-<suffix>`.
  const clusterOf = (resource: RegisteredResource) => rendered.map((each) => each.cluster).find((cluster) => resource.name.startsWith(`${cluster}-`))!;
  return { registered, rendered, clusterOf };
}

/**
 * A manifest as JSON holds it, less the checksum, which hashes the real token under `up` and a placeholder in
 * render, and less what the mocks add to a Deployment's state as its provider would (its generation and status).
 */
function comparable(manifest: unknown): Record<string, any> {
  const copy = JSON.parse(JSON.stringify(manifest));
  if (copy.kind === "Deployment") {
    delete copy.spec.template.metadata.annotations[CHECKSUM_ANNOTATION];
    delete copy.metadata.generation;
    delete copy.status;
  }
  return copy;
}

describe("the gateway's object list (objects.ts)", () => {
  it("names each object once, by key and by Pulumi resource suffix", () => {
    const keys = objects.map((object) => object.key);
    const suffixes = objects.map((object) => object.resourceSuffix);
    assert.equal(new Set(keys).size, keys.length);
    assert.equal(new Set(suffixes).size, suffixes.length);
  });

  it("is in apply order: every object comes after the objects it waits for, and waits only for objects of the list", () => {
    objects.forEach((object, index) => {
      for (const key of object.waitsFor) {
        const position = objects.findIndex((each) => each.key === key);
        assert.ok(position >= 0, `${object.key} waits for ${key}, which is not in the list`);
        assert.ok(position < index, `${object.key} waits for ${key}, which comes after it`);
      }
    });
    // Every object in the namespace waits for it; the namespace for nothing of its own.
    for (const object of objects.slice(1)) assert.ok(object.waitsFor.includes("namespace"), object.key);
    assert.deepEqual(objects[0]!.waitsFor, []);
  });

  it("registers each type with the resource class of that very type token (the URN's type)", () => {
    for (const object of GATEWAY_OBJECTS) assert.equal((resourceClass(object.type) as unknown as { __pulumiType: string }).__pulumiType, object.type);
  });

  it("builds for each entry a manifest of the apiVersion and kind its type token stands for", async () => {
    // The observed stack with the agent folder: its first cluster has every object of the list.
    const { rendered } = await bothWays({ ...OBSERVED_STACK, agent: AGENT_STACK.agent });
    const kinds = rendered[0]!.manifests.map((manifest) => `${manifest.apiVersion} ${manifest.kind}`);
    const expected = objects.filter((object) => object.carries !== "secretValues").map((object) => {
      const { apiVersion, kind } = manifestTypeOf(object.type);
      return `${apiVersion} ${kind}`;
    });
    assert.deepEqual(kinds, expected);
  });

  it("keeps only tenant state (the Namespace and the claims) on destroy, and only claims' specs create-only", () => {
    assert.deepEqual(objects.filter((object) => object.retained).map((object) => object.key), ["namespace", "stateClaim", "backupClaim"]);
    assert.deepEqual(objects.filter((object) => object.specCreateOnly).map((object) => object.key), ["stateClaim", "backupClaim"]);
  });

  const stacks = [
    // Two clusters of the 16 objects each (13 and the app team's Role, its RoleBinding and the platform's).
    { name: "a prod stack with every optional object", config: PROD_STACK, objectCount: 32 },
    // The prod stack's and each gateway's agent-content ConfigMap.
    { name: "the prod stack with an agent folder", config: AGENT_STACK, objectCount: 34 },
    // No backup claim, Ingress or NetworkPolicy; beta brings its own state claim.
    { name: "a throwaway dev stack with the optional objects off", config: THROWAWAY_STACK, objectCount: 19 },
    // The prod stack's, the collector's ConfigMap on both, the ServiceMonitor and PrometheusRule where the Prometheus Operator is (alpha).
    { name: "the prod stack with the collector sidecar and, on one cluster, the Prometheus Operator", config: OBSERVED_STACK, objectCount: 36 },
  ];
  for (const { name, config, objectCount } of stacks) {
    describe(`render and pulumi up, for ${name}`, () => {
      it("produce the same objects (cluster, kind, namespace, name): render's list plus the Secret it names", async () => {
        const { registered, rendered, clusterOf } = await bothWays(config);
        const up = registered.map((resource) => identity(clusterOf(resource), resource.inputs)).sort();
        const render = rendered
          .flatMap((each) => [...each.manifests.map((manifest) => identity(each.cluster, manifest)), identity(each.cluster, { kind: "Secret", metadata: each.secret })])
          .sort();
        assert.deepEqual(up, render);
        assert.equal(up.length, objectCount, up.join("\n"));
      });

      it("give every object but the Secret the same content (the pod checksum aside)", async () => {
        const { registered, rendered, clusterOf } = await bothWays(config);
        for (const each of rendered) {
          for (const manifest of each.manifests) {
            const resource = registered.find((candidate) => identity(clusterOf(candidate), candidate.inputs) === identity(each.cluster, manifest))!;
            assert.deepEqual(comparable(resource.inputs), comparable(manifest), identity(each.cluster, manifest));
          }
        }
      });
    });
  }
});

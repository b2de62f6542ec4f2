/**
 * The gateway's one object list (issue 19, item 0) through the real engine: a stack deployed by the program before
 * the list (the commit below, run from `git archive`) is previewed and updated by this program with no create, delete
 * or replace, and what is on each cluster afterwards is exactly what `npm run render` lists, plus the Secret it names.
 */
import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import type { KubernetesObject } from "@kubernetes/client-node";
import type { EngineEvent, Stack } from "@pulumi/pulumi/automation/index.js";
import { GATEWAY_OBJECTS, manifestTypeOf } from "../../components/gateway/objects.js";
import { renderFleet } from "../../components/render/renderFleet.js";
import { read } from "../cluster/kube.js";
import { checkoutAt, type E2eStack, operations, stackRunBy, useStacks } from "./harness.js";

/**
 * main's last commit before the gateway's objects became one list (the list was built on c7127c6 and merged after
 * this commit, which changed the Deployment's init containers). Later changes to an object's content are updates,
 * which the preview below allows; a new object (issue 19's content ConfigMaps, say) is a create, which it does not:
 * move this to the commit before such a change.
 * Override with OPENCLAW_FLEET_E2E_OBJECTS_BASE_COMMIT.
 */
const BASE_COMMIT = process.env.OPENCLAW_FLEET_E2E_OBJECTS_BASE_COMMIT ?? "76d97ff7d259301ea9b8ff28203c4b76bded7017";

const managed = (type: string) => type.startsWith("kubernetes:") || type.startsWith("random:");

/**
 * Both clusters with every optional object a dev stack can have: backup claim, a restore, Ingresses, NetworkPolicies.
 * No ingress controller runs here, so the Ingresses tell the provider not to wait for a load balancer address.
 */
const SHAPE = {
  gateway: { backup: { enabled: true }, ingress: { enabled: true, annotations: { "pulumi.com/skipAwait": "true" } } },
  clusters: { "local-1": { host: "objects-1.claw.test" }, "local-2": { host: "objects-2.claw.test" } },
  overrides: { "local-1": { restore: { archive: "20261124T152040Z-openclaw-2026.9.5.tar.gz" } } },
};

const identity = (object: { kind?: string; metadata?: { name?: string; namespace?: string } }) =>
  `${object.kind}/${object.metadata?.namespace ?? ""}/${object.metadata?.name}`;

describe("end to end: the gateway's one object list", function () {
  this.timeout(15 * 60_000);
  const [stack] = useStacks([{ name: "e2e-objects", tenant: "e2e-objects", shape: SHAPE }]) as [E2eStack];
  let baseDir: string;
  let baseStack: Stack;
  const uids = new Map<string, string>();

  before(async function () {
    this.timeout(15 * 60_000);
    baseDir = checkoutAt(BASE_COMMIT, "OPENCLAW_FLEET_E2E_OBJECTS_BASE_COMMIT");
    baseStack = await stackRunBy(baseDir, stack);
    await stack.freshTenant();
  });

  after(() => {
    if (baseDir) rmSync(baseDir, { recursive: true, force: true });
  });

  it("upgrades a stack the program before the list deployed with no create, delete or replace, under the same URNs", async () => {
    const baseEvents: EngineEvent[] = [];
    const base = await baseStack.up({ color: "never", onEvent: (event) => baseEvents.push(event) });
    assert.equal(base.summary.result, "succeeded");
    const created = operations(baseEvents).filter((o) => managed(o.type));
    // The earlier program really created the objects this test is about, backup claims and Ingresses among them.
    for (const suffix of ["local-1-backup", "local-2-backup", "local-1-ingress", "local-2-network-policy", "local-1-deployment"]) {
      assert.ok(created.some((o) => o.op === "create" && o.urn.endsWith(`::${suffix}`)), `${suffix} in ${created.map((o) => o.urn).join("\n")}`);
    }
    for (const rendered of renderFleet(stack.model())) {
      for (const manifest of rendered.manifests) uids.set(`${rendered.cluster}:${identity(manifest)}`, (await read(stack.cluster(rendered.cluster), manifest as never)).metadata!.uid!);
    }

    const previewEvents: EngineEvent[] = [];
    const preview = await stack.stack.preview({ color: "never", onEvent: (event) => previewEvents.push(event) });
    const previewed = operations(previewEvents).filter((o) => managed(o.type));
    // No create, delete or replace: every resource the earlier program created is there, under the same URN. An
    // in-place update is allowed: the objects' content moves on after BASE_COMMIT (the generated config's `meta`).
    assert.deepEqual(previewed.filter((o) => o.op !== "same" && o.op !== "update"), [], JSON.stringify(preview.changeSummary));
    assert.deepEqual(previewed.map((o) => o.urn).sort(), created.map((o) => o.urn).sort());
    assert.deepEqual(Object.keys(preview.changeSummary).filter((op) => op !== "same" && op !== "update"), []);

    const { gateways } = await stack.up();
    for (const cluster of ["local-1", "local-2"]) assert.equal(gateways[cluster]!.rollout.status, "complete");
    // Converged: the next up changes nothing.
    assert.deepEqual((await stack.up()).changed(), []);
  });

  it("leaves on each cluster exactly the objects render lists, plus the Secret it names, the same objects as before", async () => {
    assert.ok(uids.size > 0, "the first test recorded the objects the earlier program created");
    const kinds = [...new Map(GATEWAY_OBJECTS.map((object) => [object.type, manifestTypeOf(object.type)])).values()];
    for (const rendered of renderFleet(stack.model())) {
      const cluster = stack.cluster(rendered.cluster);
      const expected = [...rendered.manifests.map(identity), identity({ kind: "Secret", metadata: rendered.secret })].sort();
      const live: string[] = [];
      for (const { apiVersion, kind } of kinds) {
        const namespace = kind === "Namespace" ? undefined : rendered.secret.namespace;
        const list = await cluster.objects.list<KubernetesObject>(apiVersion, kind, namespace, undefined, undefined, undefined, undefined, `openclaw.ai/tenant=${stack.tenant}`);
        live.push(...list.items.map((item) => identity({ ...item, kind })));
      }
      assert.deepEqual(live.sort(), expected, rendered.cluster);
      for (const manifest of rendered.manifests) {
        const object = await read(cluster, manifest as never);
        assert.equal(object.metadata!.uid, uids.get(`${rendered.cluster}:${identity(manifest)}`), `${rendered.cluster} ${identity(manifest)} is the object the earlier program created`);
      }
    }
  });
});

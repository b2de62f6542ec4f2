/**
 * Issue 20, items 2 and 3, through the real engine on the local clusters (which have the Prometheus Operator's CRDs,
 * scripts/clusters.sh): an existing stack turns the collector sidecar on everywhere and the Prometheus Operator's
 * objects on one cluster, then off again. The existing objects are updated in place, never replaced, and the new ones
 * come and go by themselves.
 */
import assert from "node:assert/strict";
import type { KubernetesObject, V1Deployment, V1NetworkPolicy, V1Service } from "@kubernetes/client-node";
import { read } from "../cluster/kube.js";
import { operations, type E2eStack, useStacks } from "./harness.js";

const observability = { enabled: true, signals: { traces: false, metrics: true, logs: false }, sidecar: { enabled: true } };
const operator = { observability: { prometheusOperator: { enabled: true, labels: { release: "kube-prometheus-stack" } } } };

describe("end to end: the collector sidecar and the Prometheus Operator objects through pulumi up", function () {
  this.timeout(20 * 60_000);
  const [observed] = useStacks([{ name: "e2e-otel", tenant: "e2e-otel" }]) as [E2eStack];
  const exists = (cluster: string, object: KubernetesObject) =>
    read(observed.cluster(cluster), object as never).then(() => true, () => false);

  it("adds them to a running stack in place, on the clusters the flag names, and removes them again", async () => {
    await observed.freshTenant();
    const first = await observed.up();
    assert.deepEqual(Object.values(first.gateways).map((gateway) => gateway.rollout.status), ["complete", "complete"]);

    observed.write({ gateway: { observability }, overrides: { "local-1": operator } });
    const on = await observed.up();
    const replacedOrDeleted = operations(on.events).filter((o) => o.op !== "create" && o.op !== "same" && o.op !== "update" && o.op !== "refresh");
    assert.deepEqual(replacedOrDeleted, [], "an existing object was replaced or deleted");
    const created = on.changed().filter((o) => o.op === "create").map((o) => o.urn.split("::").pop()).sort();
    assert.deepEqual(created, ["local-1-otel-collector-config", "local-1-prometheus-rule", "local-1-service-monitor", "local-2-otel-collector-config"]);
    assert.deepEqual(Object.values(on.gateways).map((gateway) => gateway.rollout.status), ["complete", "complete"]);

    const monitor = observed.object("local-1", "ServiceMonitor") as KubernetesObject;
    const rule = observed.object("local-1", "PrometheusRule") as KubernetesObject;
    assert.ok(await exists("local-1", monitor), "no ServiceMonitor on local-1");
    assert.ok(await exists("local-1", rule), "no PrometheusRule on local-1");
    // local-2's stack entry has no flag: nothing of the operator's there, though its API server knows the kinds.
    assert.ok(!(await exists("local-2", { ...monitor, metadata: { ...monitor.metadata, namespace: observed.object("local-2", "Service").metadata!.namespace } })));
    for (const cluster of ["local-1", "local-2"]) {
      const deployment = await observed.live<V1Deployment>(cluster, "Deployment");
      assert.deepEqual(deployment.spec!.template.spec!.containers.map((container) => container.name), ["gateway", "otel-collector"], cluster);
      const service = await observed.live<V1Service>(cluster, "Service");
      assert.ok(service.spec!.ports!.some((port) => port.name === "metrics" && port.port === 9464), cluster);
      const policy = await observed.live<V1NetworkPolicy>(cluster, "NetworkPolicy");
      assert.ok(policy.spec!.ingress!.some((rule) => rule.ports?.some((port) => port.port === 9464)), cluster);
    }

    observed.write({});
    const off = await observed.up();
    const deleted = off.changed().filter((o) => o.op === "delete").map((o) => o.urn.split("::").pop()).sort();
    assert.deepEqual(deleted, ["local-1-otel-collector-config", "local-1-prometheus-rule", "local-1-service-monitor", "local-2-otel-collector-config"]);
    assert.ok(!off.changed().some((o) => o.op === "replace" || o.op === "create-replacement"), "an object was replaced");
    assert.ok(!(await exists("local-1", monitor)), "the ServiceMonitor stayed");
    const deployment = await observed.live<V1Deployment>("local-1", "Deployment");
    assert.deepEqual(deployment.spec!.template.spec!.containers.map((container) => container.name), ["gateway"]);
  });
});
